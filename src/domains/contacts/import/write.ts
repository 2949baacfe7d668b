// Writing one chunk of validated rows, inside the chunk's transaction (a raw pg client in BEGIN).
// Contacts upsert by email, accounts by domain (rows without a domain: by name among domain-less accounts).
// Empty cells never overwrite: an update only sets the fields the row has values for.
// Duplicates inside the file: a later row updates the earlier one (counted as updated); with
// updateExisting=false it is rejected as a duplicate instead.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AccountRow, ContactRow } from './rows.ts';
import { isFreeMailDomain } from './free-mail.ts';
import type { Actor } from '../../../context.ts';
import type { LifecycleStage } from '../../../contracts/contacts.ts';
import { recordBulkTransitions } from '../../lifecycle/bulk.ts';
import { emitWebhookEventsBulk, hasWebhookSubscribers } from '../../webhooks/emit.ts';
import { CONTACT_COLUMNS_TEXT, CONTACT_JOINS_TEXT, toContactDto, type ContactRow as ContactDtoRow } from '../dto.ts';

export interface WriteOptions {
  updateExisting: boolean;
  createAccounts: boolean;
  /** Column shown in duplicate rejections (the header mapped to email / domain). */
  keyColumn: string | null;
  reject(row: { line: number; fields: string[] }, column: string | null, reason: string): void;
  /** Domain → account id, kept across the chunks of one import. */
  accountCache?: Map<string, number>;
  /** Who runs the import: recorded on the lifecycle transitions of stages the file changes. */
  actor?: Actor;
  importId?: number;
}

export interface ChunkResult {
  inserted: number;
  updated: number;
  accountsCreated: number;
}

const WS = 1;

function merge<T extends { properties: Record<string, unknown> | null }>(into: T, from: T) {
  for (const [k, v] of Object.entries(from)) {
    if (k === 'line' || k === 'fields' || k === 'properties' || v === null) continue;
    (into as Record<string, unknown>)[k] = v;
  }
  if (from.properties) into.properties = { ...(into.properties ?? {}), ...from.properties };
}

/** "acme-corp.co.uk" → "Acme Corp" — the name of an account created from a domain when no company name was given. */
export function nameFromDomain(domain: string): string {
  const label = domain.split('.')[0] ?? domain;
  return label.split(/[-_]/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') || domain;
}

/**
 * Domain → account id for the domains given; creates missing accounts first when asked to. `cache` (kept by
 * the caller across chunks) saves the lookups of domains seen before.
 */
async function resolveAccounts(
  client: pg.ClientBase,
  wanted: Map<string, string | null>,
  create: boolean,
  cache: Map<string, number>,
): Promise<{ ids: Map<string, number>; created: number }> {
  const ids = new Map<string, number>();
  const missing: string[] = [];
  for (const d of wanted.keys()) {
    const id = cache.get(d);
    if (id !== undefined) ids.set(d, id);
    else missing.push(d);
  }
  if (missing.length === 0) return { ids, created: 0 };
  let created = 0;
  if (create) {
    const res = await client.query<{ id: number; domain: string }>(
      `insert into accounts (name, domain) select n, d from json_to_recordset($1::json) as t(n text, d text)
       on conflict (workspace_id, domain) do nothing returning id, domain`,
      [JSON.stringify(missing.map((d) => ({ n: wanted.get(d) ?? nameFromDomain(d), d })))],
    );
    created = res.rowCount ?? 0;
    for (const r of res.rows) ids.set(r.domain, Number(r.id));
  }
  const lookup = missing.filter((d) => !ids.has(d));
  if (lookup.length > 0) {
    const found = await client.query<{ id: number; domain: string }>(
      `select id, domain from accounts where workspace_id = ${WS} and domain = any($1::text[])`,
      [lookup],
    );
    for (const r of found.rows) ids.set(r.domain, Number(r.id));
  }
  if (cache.size > 200_000) cache.clear();
  for (const d of missing) {
    const id = ids.get(d);
    if (id !== undefined) cache.set(d, id);
  }
  return { ids, created };
}

const json = (v: Record<string, unknown> | null) => (v ? JSON.stringify(v) : null);

/**
 * Chunks are staged with COPY into a temporary table (one per connection, emptied at each commit) and then
 * inserted / updated with one statement each: COPY is the cheapest way to hand PostgreSQL thousands of rows.
 */
const STAGE = 'import_contact_stage';
const staged = new WeakSet<object>();
const STAGE_COLUMNS = 'email, first_name, last_name, title, phone, stage, owner_id, explicit_account, derived_account, props';

async function ensureStage(client: pg.ClientBase) {
  if (staged.has(client)) return;
  await client.query(
    `create temp table if not exists ${STAGE} (email text, first_name text, last_name text, title text, phone text,
       stage text, owner_id int, explicit_account bigint, derived_account bigint, props jsonb) on commit delete rows`,
  );
  staged.add(client);
}

/** One value in COPY text format. */
function copyValue(v: string | number | null): string {
  if (v === null) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (m) => (m === '\\' ? '\\\\' : m === '\t' ? '\\t' : m === '\n' ? '\\n' : '\\r')) : s;
}

async function copyRows(client: pg.ClientBase, table: string, columns: string, text: string) {
  if (text.length === 0) return;
  await pipeline(Readable.from([text]), client.query(copyFrom(`copy ${table} (${columns}) from stdin`)));
}

export async function writeContacts(client: pg.ClientBase, rows: ContactRow[], opts: WriteOptions): Promise<ChunkResult> {
  // 1. One row per email; later rows update earlier ones (or are rejected when updating is off).
  const byEmail = new Map<string, { row: ContactRow; count: number }>();
  for (const row of rows) {
    const g = byEmail.get(row.email);
    if (!g) byEmail.set(row.email, { row, count: 1 });
    else if (!opts.updateExisting) {
      opts.reject(row, opts.keyColumn, `duplicate: ${row.email} is already on line ${g.row.line} of this file (updating existing contacts is off)`);
    } else {
      if (g.count === 1) g.row = { ...g.row }; // merge into a copy: the first row keeps its own values
      merge(g.row, row);
      g.count++;
    }
  }
  if (byEmail.size === 0) return { inserted: 0, updated: 0, accountsCreated: 0 };

  // 2. Accounts by domain: the row's company domain, else the email's domain (never free-mail providers).
  const wanted = new Map<string, string | null>();
  const links = new Map<string, { explicit: string | null; derived: string | null }>();
  for (const [email, { row }] of byEmail) {
    const explicit = row.accountDomain && !isFreeMailDomain(row.accountDomain) ? row.accountDomain : null;
    const emailDomain = email.slice(email.lastIndexOf('@') + 1);
    const derived = !explicit && !isFreeMailDomain(emailDomain) ? emailDomain : null;
    links.set(email, { explicit, derived });
    const d = explicit ?? derived;
    if (d && (!wanted.has(d) || (wanted.get(d) === null && row.accountName))) wanted.set(d, row.accountName);
  }
  const { ids: accountIds, created: accountsCreated } = await resolveAccounts(client, wanted, opts.createAccounts, opts.accountCache ?? new Map());

  // 3. Stage every row with COPY; insert the new ones; the rows that conflict exist already: update them
  //    (or reject them as duplicates).
  await ensureStage(client);
  const all = [...byEmail.values()].map((g) => g.row);
  let text = '';
  for (const r of all) {
    const l = links.get(r.email)!;
    text +=
      copyValue(r.email) + '\t' + copyValue(r.firstName) + '\t' + copyValue(r.lastName) + '\t' + copyValue(r.title) + '\t' +
      copyValue(r.phone) + '\t' + copyValue(r.lifecycleStage) + '\t' + copyValue(r.ownerId) + '\t' +
      copyValue(l.explicit ? (accountIds.get(l.explicit) ?? null) : null) + '\t' +
      copyValue(l.derived ? (accountIds.get(l.derived) ?? null) : null) + '\t' +
      copyValue(r.properties ? JSON.stringify(r.properties) : null) + '\n';
  }
  await copyRows(client, STAGE, STAGE_COLUMNS, text);
  text = '';
  const res = await client.query<{ email: string }>(
    `insert into contacts (email, first_name, last_name, title, phone, lifecycle_stage, owner_id, account_id, properties, source)
     select i.email, i.first_name, i.last_name, i.title, i.phone, coalesce(i.stage, 'subscriber'), i.owner_id,
            coalesce(i.explicit_account, i.derived_account), coalesce(i.props, '{}'::jsonb), 'import'
     from ${STAGE} i
     order by i.email -- index entries in key order: fewer page touches than file order
     on conflict (workspace_id, email) do nothing
     returning email`,
  );
  let inserted = 0;
  let updated = 0;
  const insertedEmails = new Set(res.rows.map((r) => r.email));
  const existing: string[] = [];
  for (const row of all) {
    const g = byEmail.get(row.email)!;
    if (insertedEmails.has(row.email)) {
      inserted += 1;
      updated += g.count - 1;
    } else if (!opts.updateExisting) {
      opts.reject(row, opts.keyColumn, `duplicate: a contact with the email ${row.email} already exists (updating existing contacts is off)`);
    } else {
      existing.push(row.email);
      updated += g.count;
    }
  }
  if (existing.length > 0) {
    // Stages the file changes are lifecycle transitions (cause import), recorded before the update.
    if (opts.actor && all.some((r) => r.lifecycleStage)) {
      const changed = await client.query<{ id: string; from: LifecycleStage; to: LifecycleStage }>(
        `select c.id, c.lifecycle_stage as "from", i.stage as "to" from contacts c join ${STAGE} i on c.email = i.email
          where c.workspace_id = ${WS} and i.email = any($1::text[]) and i.stage is not null and i.stage <> c.lifecycle_stage
          for update of c`,
        [existing],
      );
      await recordBulkTransitions(
        client,
        opts.actor,
        changed.rows.map((r) => ({ contactId: Number(r.id), from: r.from, to: r.to })),
        { cause: 'import', reason: opts.importId ? `CSV import #${opts.importId}` : 'CSV import', details: opts.importId ? { importId: opts.importId } : {} },
      );
    }
    await client.query(
      `update contacts c set
         first_name = coalesce(i.first_name, c.first_name), last_name = coalesce(i.last_name, c.last_name),
         title = coalesce(i.title, c.title), phone = coalesce(i.phone, c.phone),
         lifecycle_stage = coalesce(i.stage, c.lifecycle_stage), owner_id = coalesce(i.owner_id, c.owner_id),
         account_id = coalesce(i.explicit_account, c.account_id, i.derived_account),
         properties = case when i.props is null then c.properties else c.properties || i.props end,
         updated_at = now()
       from ${STAGE} i
       where c.workspace_id = ${WS} and c.email = i.email and i.email = any($1::text[])`,
      [existing],
    );
  }
  await emitImportWebhooks(client, [...insertedEmails], existing, opts.importId);
  return { inserted, updated, accountsCreated };
}

/**
 * contact.created / contact.updated webhook events for the rows of the chunk, in its transaction, like the
 * API's single writes (docs/webhooks.md). Costs one query per chunk when no endpoint subscribes.
 */
async function emitImportWebhooks(client: pg.ClientBase, insertedEmails: string[], updatedEmails: string[], importId: number | undefined): Promise<void> {
  for (const [type, emails] of [['contact.created', insertedEmails], ['contact.updated', updatedEmails]] as const) {
    if (!emails.length || !(await hasWebhookSubscribers(client, type))) continue;
    const { rows } = await client.query<ContactDtoRow>(
      `select ${CONTACT_COLUMNS_TEXT} from contacts c ${CONTACT_JOINS_TEXT} where c.workspace_id = ${WS} and c.email = any($1::text[]) order by c.id`,
      [emails],
    );
    await emitWebhookEventsBulk(client, {
      type,
      items: rows.map((r) => ({ contactId: Number(r.id), data: { contact: toContactDto({ ...r, id: Number(r.id) }), source: 'import', ...(importId ? { importId } : {}) } })),
    });
  }
}

export async function writeAccounts(client: pg.ClientBase, rows: AccountRow[], opts: WriteOptions): Promise<ChunkResult> {
  const keyOf = (r: AccountRow) => (r.domain ? `d:${r.domain}` : `n:${r.name!.toLowerCase()}`);
  const byKey = new Map<string, { row: AccountRow; count: number }>();
  for (const row of rows) {
    const k = keyOf(row);
    const g = byKey.get(k);
    if (!g) byKey.set(k, { row: { ...row }, count: 1 });
    else if (!opts.updateExisting) {
      opts.reject(row, opts.keyColumn, `duplicate: ${row.domain ?? row.name} is already on line ${g.row.line} of this file (updating existing accounts is off)`);
    } else {
      merge(g.row, row);
      g.count++;
    }
  }
  if (byKey.size === 0) return { inserted: 0, updated: 0, accountsCreated: 0 };
  const domains: string[] = [];
  const names: string[] = [];
  for (const { row } of byKey.values()) (row.domain ? domains.push(row.domain) : names.push(row.name!.toLowerCase()));
  const existing = new Map<string, number>();
  const found = await client.query<{ id: number; domain: string | null; lname: string }>(
    `select id, domain, lower(name) as lname from accounts
      where workspace_id = ${WS} and (domain = any($1::text[]) or (domain is null and lower(name) = any($2::text[])))`,
    [domains, names],
  );
  for (const r of found.rows) {
    const k = r.domain ? `d:${r.domain}` : `n:${r.lname}`;
    if (!existing.has(k)) existing.set(k, Number(r.id));
  }
  if (!opts.updateExisting) {
    for (const k of existing.keys()) {
      const g = byKey.get(k)!;
      opts.reject(g.row, opts.keyColumn, `duplicate: an account ${g.row.domain ? `with the domain ${g.row.domain}` : `named ${g.row.name}`} already exists (updating existing accounts is off)`);
      byKey.delete(k);
    }
  }
  const toUpdate: { id: number; row: AccountRow; count: number }[] = [];
  const toInsert: { row: AccountRow; count: number }[] = [];
  for (const [k, g] of byKey) {
    const id = existing.get(k);
    if (id !== undefined) toUpdate.push({ id, ...g });
    else toInsert.push(g);
  }
  const cols = (list: AccountRow[]) => [
    list.map((r) => r.name),
    list.map((r) => r.domain),
    list.map((r) => r.industry),
    list.map((r) => r.employeeCount),
    list.map((r) => r.country),
    list.map((r) => r.ownerId),
    list.map((r) => json(r.properties)),
  ];
  const input = (from: number) =>
    `unnest($${from}::text[], $${from + 1}::text[], $${from + 2}::text[], $${from + 3}::int[], $${from + 4}::text[], $${from + 5}::int[], $${from + 6}::jsonb[])`;
  let inserted = 0;
  let updated = 0;
  if (toUpdate.length > 0) {
    await client.query(
      `update accounts a set
         name = coalesce(i.name, a.name), industry = coalesce(i.industry, a.industry),
         employee_count = coalesce(i.employee_count, a.employee_count), country = coalesce(i.country, a.country),
         owner_id = coalesce(i.owner_id, a.owner_id),
         properties = case when i.props is null then a.properties else a.properties || i.props end,
         updated_at = now()
       from ${input(2)} with ordinality as i(name, domain, industry, employee_count, country, owner_id, props, n)
       join unnest($1::bigint[]) with ordinality as ids(id, n) using (n)
       where a.id = ids.id`,
      [toUpdate.map((u) => u.id), ...cols(toUpdate.map((u) => u.row))],
    );
    for (const u of toUpdate) updated += u.count;
  }
  if (toInsert.length > 0) {
    const res = await client.query<{ domain: string | null; lname: string }>(
      `insert into accounts (name, domain, industry, employee_count, country, owner_id, properties)
       select coalesce(i.name, i.domain), i.domain, i.industry, i.employee_count, i.country, i.owner_id, coalesce(i.props, '{}'::jsonb)
       from ${input(1)} as i(name, domain, industry, employee_count, country, owner_id, props)
       on conflict (workspace_id, domain) do nothing
       returning domain, lower(name) as lname`,
      cols(toInsert.map((g) => g.row)),
    );
    const done = new Set(res.rows.map((r) => (r.domain ? `d:${r.domain}` : `n:${r.lname}`)));
    for (const g of toInsert) {
      if (done.has(keyOf(g.row))) {
        inserted += 1;
        updated += g.count - 1;
      } else {
        opts.reject(g.row, opts.keyColumn, `${g.row.domain ?? g.row.name} was created by someone else during the import; import the file again to update it`);
      }
    }
  }
  return { inserted, updated, accountsCreated: 0 };
}
