// Writing one chunk of validated rows, inside the chunk's transaction (a raw pg client in BEGIN).
// Contacts upsert by email, accounts by domain (rows without a domain: by name among domain-less accounts).
// Empty cells never overwrite: an update only sets the fields the row has values for.
// Duplicates inside the file: a later row updates the earlier one (counted as updated); with
// updateExisting=false it is rejected as a duplicate instead.
import type pg from 'pg';
import type { AccountRow, ContactRow } from './rows.ts';
import { isFreeMailDomain } from './free-mail.ts';

export interface WriteOptions {
  updateExisting: boolean;
  createAccounts: boolean;
  /** Column shown in duplicate rejections (the header mapped to email / domain). */
  keyColumn: string | null;
  reject(row: { line: number; fields: string[] }, column: string | null, reason: string): void;
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

/** Domain → account id for the domains given; creates missing accounts first when asked to. */
async function resolveAccounts(client: pg.ClientBase, wanted: Map<string, string | null>, create: boolean): Promise<{ ids: Map<string, number>; created: number }> {
  const ids = new Map<string, number>();
  if (wanted.size === 0) return { ids, created: 0 };
  const domains = [...wanted.keys()];
  let created = 0;
  if (create) {
    const names = domains.map((d) => wanted.get(d) ?? nameFromDomain(d));
    const res = await client.query(
      `insert into accounts (name, domain) select n, d from unnest($1::text[], $2::text[]) as t(n, d)
       on conflict (workspace_id, domain) do nothing`,
      [names, domains],
    );
    created = res.rowCount ?? 0;
  }
  const found = await client.query<{ id: number; domain: string }>(
    `select id, domain from accounts where workspace_id = ${WS} and domain = any($1::text[])`,
    [domains],
  );
  for (const r of found.rows) ids.set(r.domain, Number(r.id));
  return { ids, created };
}

const json = (v: Record<string, unknown> | null) => (v ? JSON.stringify(v) : null);

export async function writeContacts(client: pg.ClientBase, rows: ContactRow[], opts: WriteOptions): Promise<ChunkResult> {
  // 1. One row per email; later rows update earlier ones (or are rejected when updating is off).
  const byEmail = new Map<string, { row: ContactRow; count: number }>();
  for (const row of rows) {
    const g = byEmail.get(row.email);
    if (!g) byEmail.set(row.email, { row: { ...row }, count: 1 });
    else if (!opts.updateExisting) {
      opts.reject(row, opts.keyColumn, `duplicate: ${row.email} is already on line ${g.row.line} of this file (updating existing contacts is off)`);
    } else {
      merge(g.row, row);
      g.count++;
    }
  }
  if (byEmail.size === 0) return { inserted: 0, updated: 0, accountsCreated: 0 };
  const emails = [...byEmail.keys()];
  const existing = new Set(
    (await client.query<{ email: string }>(`select email from contacts where workspace_id = ${WS} and email = any($1::text[])`, [emails])).rows.map((r) => r.email),
  );
  if (!opts.updateExisting) {
    for (const e of existing) {
      const g = byEmail.get(e)!;
      opts.reject(g.row, opts.keyColumn, `duplicate: a contact with the email ${e} already exists (updating existing contacts is off)`);
      byEmail.delete(e);
    }
  }

  // 2. Accounts by domain: the row's company domain, else the email's domain (never free-mail providers).
  const wanted = new Map<string, string | null>();
  const explicitDomain = new Map<string, string | null>();
  const derivedDomain = new Map<string, string | null>();
  for (const [email, { row }] of byEmail) {
    const explicit = row.accountDomain && !isFreeMailDomain(row.accountDomain) ? row.accountDomain : null;
    const emailDomain = email.slice(email.lastIndexOf('@') + 1);
    const derived = !explicit && !isFreeMailDomain(emailDomain) ? emailDomain : null;
    explicitDomain.set(email, explicit);
    derivedDomain.set(email, derived);
    const d = explicit ?? derived;
    if (d && (!wanted.has(d) || (wanted.get(d) === null && row.accountName))) wanted.set(d, row.accountName);
  }
  const { ids: accountIds, created: accountsCreated } = await resolveAccounts(client, wanted, opts.createAccounts);

  // 3. Update existing, insert new — column arrays, one statement each.
  const cols = (list: ContactRow[]) => {
    const a = {
      email: [] as string[], first: [] as (string | null)[], last: [] as (string | null)[], title: [] as (string | null)[], phone: [] as (string | null)[],
      stage: [] as (string | null)[], owner: [] as (number | null)[], explicit: [] as (number | null)[], derived: [] as (number | null)[], props: [] as (string | null)[],
    };
    for (const r of list) {
      a.email.push(r.email);
      a.first.push(r.firstName);
      a.last.push(r.lastName);
      a.title.push(r.title);
      a.phone.push(r.phone);
      a.stage.push(r.lifecycleStage);
      a.owner.push(r.ownerId);
      const ex = explicitDomain.get(r.email);
      const de = derivedDomain.get(r.email);
      a.explicit.push(ex ? (accountIds.get(ex) ?? null) : null);
      a.derived.push(de ? (accountIds.get(de) ?? null) : null);
      a.props.push(json(r.properties));
    }
    return [a.email, a.first, a.last, a.title, a.phone, a.stage, a.owner, a.explicit, a.derived, a.props];
  };
  const input = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[], $9::bigint[], $10::jsonb[])
    as i(email, first_name, last_name, title, phone, stage, owner_id, explicit_account, derived_account, props)`;
  const toUpdate: ContactRow[] = [];
  const toInsert: ContactRow[] = [];
  for (const [email, g] of byEmail) (existing.has(email) ? toUpdate : toInsert).push(g.row);

  let inserted = 0;
  let updated = 0;
  if (toUpdate.length > 0) {
    await client.query(
      `update contacts c set
         first_name = coalesce(i.first_name, c.first_name), last_name = coalesce(i.last_name, c.last_name),
         title = coalesce(i.title, c.title), phone = coalesce(i.phone, c.phone),
         lifecycle_stage = coalesce(i.stage, c.lifecycle_stage), owner_id = coalesce(i.owner_id, c.owner_id),
         account_id = coalesce(i.explicit_account, c.account_id, i.derived_account),
         properties = case when i.props is null then c.properties else c.properties || i.props end,
         updated_at = now()
       from ${input}
       where c.workspace_id = ${WS} and c.email = i.email`,
      cols(toUpdate),
    );
    for (const r of toUpdate) updated += byEmail.get(r.email)!.count;
  }
  if (toInsert.length > 0) {
    const res = await client.query<{ email: string }>(
      `insert into contacts (email, first_name, last_name, title, phone, lifecycle_stage, owner_id, account_id, properties, source)
       select i.email, i.first_name, i.last_name, i.title, i.phone, coalesce(i.stage, 'subscriber'), i.owner_id,
              coalesce(i.explicit_account, i.derived_account), coalesce(i.props, '{}'::jsonb), 'import'
       from ${input}
       on conflict (workspace_id, email) do nothing
       returning email`,
      cols(toInsert),
    );
    const done = new Set(res.rows.map((r) => r.email));
    for (const r of toInsert) {
      const g = byEmail.get(r.email)!;
      if (done.has(r.email)) {
        inserted += 1;
        updated += g.count - 1;
      } else {
        // Created by someone else between our lookup and our insert.
        opts.reject(g.row, opts.keyColumn, `${r.email} was created by someone else during the import; import the file again to update it`);
      }
    }
  }
  return { inserted, updated, accountsCreated };
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
