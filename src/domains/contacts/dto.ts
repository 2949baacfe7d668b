// Row → API shapes for contacts and accounts. Reads select the columns below (raw SQL rows, snake_case)
// from `contacts c` / `accounts c` joined with `users u` (owner) and, for contacts, `accounts a`.
import { sql } from 'drizzle-orm';
import type { Account, Contact, LifecycleStage } from '../../contracts/contacts.ts';

/** ISO 8601 UTC text of a timestamptz column (drizzle returns raw timestamp text from execute()). */
const iso = (col: string, as: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${as}`;

/** Columns of a contact with its owner and account (aliases c, u, a). */
export const CONTACT_COLUMNS_TEXT = `c.id, c.email, c.first_name, c.last_name, c.title, c.phone, c.lifecycle_stage, c.properties, c.source, ${iso('c.created_at', 'created_at')}, ${iso('c.updated_at', 'updated_at')},
   u.id as owner_id, u.name as owner_name, u.email as owner_email,
   a.id as account_id, a.name as account_name, a.domain as account_domain`;
export const CONTACT_JOINS_TEXT = `left join users u on u.id = c.owner_id left join accounts a on a.id = c.account_id`;
export const CONTACT_COLUMNS = sql.raw(CONTACT_COLUMNS_TEXT);
export const CONTACT_JOINS = sql.raw(CONTACT_JOINS_TEXT);

export interface ContactRow {
  id: number;
  email: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  phone: string | null;
  lifecycle_stage: LifecycleStage;
  properties: Record<string, unknown>;
  source: string | null;
  created_at: string;
  updated_at: string;
  owner_id: number | null;
  owner_name: string | null;
  owner_email: string | null;
  account_id: number | null;
  account_name: string | null;
  account_domain: string | null;
}

export function toContactDto(r: ContactRow): Contact {
  return {
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    title: r.title,
    phone: r.phone,
    lifecycleStage: r.lifecycle_stage,
    owner: r.owner_id === null ? null : { id: r.owner_id, name: r.owner_name ?? '', email: r.owner_email ?? '' },
    account: r.account_id === null ? null : { id: r.account_id, name: r.account_name ?? '', domain: r.account_domain },
    properties: r.properties ?? {},
    source: r.source,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Columns of an account with its owner and number of contacts (aliases c = accounts, u). */
export const ACCOUNT_COLUMNS = sql.raw(
  `c.id, c.name, c.domain, c.industry, c.employee_count, c.country, c.properties, ${iso('c.created_at', 'created_at')}, ${iso('c.updated_at', 'updated_at')},
   u.id as owner_id, u.name as owner_name, u.email as owner_email,
   (select count(*) from contacts ct where ct.account_id = c.id)::int as contact_count`,
);
export const ACCOUNT_JOINS = sql.raw(`left join users u on u.id = c.owner_id`);

export interface AccountRow {
  id: number;
  name: string;
  domain: string | null;
  industry: string | null;
  employee_count: number | null;
  country: string | null;
  properties: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  owner_id: number | null;
  owner_name: string | null;
  owner_email: string | null;
  contact_count: number;
}

export function toAccountDto(r: AccountRow): Account {
  return {
    id: r.id,
    name: r.name,
    domain: r.domain,
    industry: r.industry,
    employeeCount: r.employee_count,
    country: r.country,
    owner: r.owner_id === null ? null : { id: r.owner_id, name: r.owner_name ?? '', email: r.owner_email ?? '' },
    properties: r.properties ?? {},
    contactCount: r.contact_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Per-key diff of two property objects, for audit rows: { 'properties.key': { from, to } }. */
export function diffProperties(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[`properties.${key}`] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return out;
}
