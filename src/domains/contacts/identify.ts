// Contact-side writes of the tracking domain (identify, group, merge). The SQL for the contacts and
// accounts tables stays in the contacts domain; src/domains/tracking calls these inside its ingest
// transaction (they take a transaction, never open one).
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit } from '../identity/audit.ts';
import { validateProperties } from './properties.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';
import { accounts, contacts, propertyDefinitions, type Contact } from './schema.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trimmed, lower-cased email, or null when it does not look like one. */
export function normalizeEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const e = raw.trim().toLowerCase();
  return e.length <= 254 && EMAIL.test(e) ? e : null;
}

function text(v: unknown, max = 200): string | null {
  if (typeof v === 'number') v = String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s ? s.slice(0, max) : null;
}

function pick(traits: Record<string, unknown>, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = text(traits[k]);
    if (v) return v;
  }
  return null;
}

/** Column values from Segment identify traits (firstName/first_name …). */
export function contactColumnsFromTraits(traits: Record<string, unknown>) {
  return {
    firstName: pick(traits, 'firstName', 'first_name'),
    lastName: pick(traits, 'lastName', 'last_name'),
    title: pick(traits, 'title'),
    phone: pick(traits, 'phone'),
  };
}

/**
 * Custom properties from traits: only traits whose key matches a contact property definition and whose
 * value is valid for it. Everything else stays in the event only.
 */
async function propertiesFromTraits(tx: Queryable, traits: Record<string, unknown>): Promise<Record<string, unknown>> {
  const defs = await tx.select().from(propertyDefinitions).where(eq(propertyDefinitions.objectType, 'contact'));
  if (defs.length === 0) return {};
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const candidates: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(traits)) if (byKey.has(k) && v !== null && v !== undefined && v !== '') candidates[k] = v;
  return validateProperties(byKey, candidates).set;
}

/**
 * Creates or updates the contact with this email from identify traits. New non-empty values win over
 * stored ones; nothing is blanked. Returns the contact id and whether it was created.
 */
export async function upsertContactFromTraits(
  tx: Queryable,
  actor: Actor,
  input: { workspaceId: number; email: string; traits: Record<string, unknown>; source: string },
): Promise<{ contactId: number; created: boolean }> {
  const cols = contactColumnsFromTraits(input.traits);
  const props = await propertiesFromTraits(tx, input.traits);
  const res = await tx.execute(sql`
    insert into contacts (workspace_id, email, first_name, last_name, title, phone, properties, source)
    values (${input.workspaceId}, ${input.email}, ${cols.firstName}, ${cols.lastName}, ${cols.title}, ${cols.phone}, ${JSON.stringify(props)}::jsonb, ${input.source})
    on conflict (workspace_id, email) do update set
      first_name = coalesce(excluded.first_name, contacts.first_name),
      last_name = coalesce(excluded.last_name, contacts.last_name),
      title = coalesce(excluded.title, contacts.title),
      phone = coalesce(excluded.phone, contacts.phone),
      properties = contacts.properties || excluded.properties,
      updated_at = case
        when (contacts.first_name, contacts.last_name, contacts.title, contacts.phone, contacts.properties)
             is distinct from (coalesce(excluded.first_name, contacts.first_name), coalesce(excluded.last_name, contacts.last_name),
                               coalesce(excluded.title, contacts.title), coalesce(excluded.phone, contacts.phone), contacts.properties || excluded.properties)
        then now() else contacts.updated_at end
    returning id, (xmax = 0) as created`);
  const row = res.rows[0] as { id: number | string; created: boolean };
  const contactId = Number(row.id);
  if (row.created) {
    await recordAudit(tx, actor, {
      action: 'contact.created',
      entityType: 'contact',
      entityId: contactId,
      summary: `Created contact ${input.email} from an identify call (${input.source})`,
      changes: { email: input.email, ...cols, properties: props },
    });
    await emitWebhookEvent(tx, { type: 'contact.created', workspaceId: input.workspaceId, contactId, data: { contact: { id: contactId, email: input.email, ...cols, properties: props }, source: input.source } });
  }
  return { contactId, created: row.created };
}

export async function contactExists(tx: Queryable, id: number): Promise<boolean> {
  const [row] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id));
  return Boolean(row);
}

/** Lower-cased bare domain from a domain or website trait ("https://www.Acme.com/x" → "acme.com"). */
export function normalizeDomain(raw: unknown): string | null {
  const s = text(raw, 300)?.toLowerCase();
  if (!s) return null;
  const host = s.replace(/^[a-z]+:\/\//, '').split(/[/?#:]/)[0]!.replace(/^www\./, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : null;
}

/**
 * Finds or creates the account of a group call: by domain (traits.domain or traits.website) when there is
 * one, else by name (case-insensitive). Returns null when the traits name neither.
 */
export async function upsertAccountFromGroup(
  tx: Queryable,
  actor: Actor,
  input: { workspaceId: number; traits: Record<string, unknown>; source: string },
): Promise<number | null> {
  const domain = normalizeDomain(input.traits.domain) ?? normalizeDomain(input.traits.website);
  const name = text(input.traits.name) ?? domain;
  if (!name) return null;
  const industry = text(input.traits.industry);
  const employees = Number(input.traits.employees ?? input.traits.employeeCount ?? input.traits.employee_count);
  const employeeCount = Number.isInteger(employees) && employees >= 0 && employees < 2 ** 31 ? employees : null;
  if (domain) {
    const res = await tx.execute(sql`
      insert into accounts (workspace_id, name, domain, industry, employee_count)
      values (${input.workspaceId}, ${name}, ${domain}, ${industry}, ${employeeCount})
      on conflict (workspace_id, domain) do update set
        industry = coalesce(accounts.industry, excluded.industry),
        employee_count = coalesce(accounts.employee_count, excluded.employee_count)
      returning id, (xmax = 0) as created`);
    const row = res.rows[0] as { id: number | string; created: boolean };
    if (row.created) {
      await recordAudit(tx, actor, { action: 'account.created', entityType: 'account', entityId: Number(row.id), summary: `Created account ${name} (${domain}) from a group call (${input.source})` });
    }
    return Number(row.id);
  }
  const found = await tx.execute(sql`select id from accounts where workspace_id = ${input.workspaceId} and lower(name) = lower(${name}) order by id limit 1`);
  if (found.rows[0]) return Number((found.rows[0] as { id: number }).id);
  const [created] = await tx.insert(accounts).values({ workspaceId: input.workspaceId, name, industry, employeeCount }).returning({ id: accounts.id });
  await recordAudit(tx, actor, { action: 'account.created', entityType: 'account', entityId: created!.id, summary: `Created account ${name} from a group call (${input.source})` });
  return created!.id;
}

/** Links a contact to an account (group call). */
export async function linkContactToAccount(tx: Queryable, contactId: number, accountId: number): Promise<void> {
  await tx
    .update(contacts)
    .set({ accountId, updatedAt: new Date() })
    .where(and(eq(contacts.id, contactId), sql`${contacts.accountId} is distinct from ${accountId}`));
}

/**
 * Merges the loser contact into the winner: the winner's non-empty values win, the loser fills the gaps,
 * properties are merged (winner wins per key); then the loser row is deleted. The caller moves events and
 * identities to the winner BEFORE calling this (deleting the loser would otherwise detach them) and records
 * the merge. Returns the loser as it was.
 */
export async function mergeContactRows(tx: Queryable, winnerId: number, loserId: number): Promise<Contact> {
  // Lock both rows in id order so two concurrent merges cannot deadlock.
  const rows = await tx.select().from(contacts).where(inArray(contacts.id, [winnerId, loserId])).orderBy(contacts.id).for('update');
  const loser = rows.find((r) => r.id === loserId);
  const winner = rows.find((r) => r.id === winnerId);
  if (!loser || !winner) throw new Error(`mergeContactRows: contact ${loser ? winnerId : loserId} does not exist`);
  await tx
    .update(contacts)
    .set({
      firstName: winner.firstName ?? loser.firstName,
      lastName: winner.lastName ?? loser.lastName,
      title: winner.title ?? loser.title,
      phone: winner.phone ?? loser.phone,
      ownerId: winner.ownerId ?? loser.ownerId,
      accountId: winner.accountId ?? loser.accountId,
      properties: { ...loser.properties, ...Object.fromEntries(Object.entries(winner.properties).filter(([, v]) => v !== null && v !== '')) },
      updatedAt: new Date(),
    })
    .where(eq(contacts.id, winnerId));
  await tx.delete(contacts).where(eq(contacts.id, loserId));
  return loser;
}
