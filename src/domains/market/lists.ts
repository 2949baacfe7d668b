// Static lists: contacts added and removed by hand, by id or email, or from a CSV of emails. A change queues
// the contacts for segment re-evaluation (rules may read list membership) in the same transaction.
import { sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { Email } from '../../contracts/common.ts';
import { ContactListInput, ContactListPatch, ListMembersChange, SegmentMembersQuery, type ContactList } from '../../contracts/market.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { onUniqueViolation } from '../contacts/contacts.ts';
import { enqueueContacts } from './membership.ts';
import { contactLists, type ContactListRow } from './schema.ts';

const duplicate = (name: string) => () => new ConflictError(`A list named "${name}" already exists`, { field: 'name' });

async function toDtos(db: Queryable, rows: ContactListRow[]): Promise<ContactList[]> {
  if (!rows.length) return [];
  const res = await db.execute(sql`select list_id, count(*)::int as n from contact_list_members where list_id = any(${sql.param(rows.map((r) => r.id))}::int[]) group by list_id`);
  const counts = new Map(res.rows.map((r) => [Number(r.list_id), Number(r.n)]));
  return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, memberCount: counts.get(r.id) ?? 0, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() }));
}

async function loadRow(db: Queryable, id: number): Promise<ContactListRow> {
  const [row] = await db.select().from(contactLists).where(sql`${contactLists.id} = ${id} and ${contactLists.workspaceId} = 1`);
  if (!row) throw new NotFoundError('List', id);
  return row;
}

export async function listLists({ ctx }: { ctx: Ctx }) {
  const rows = await ctx.db.select().from(contactLists).where(sql`${contactLists.workspaceId} = 1`).orderBy(contactLists.name);
  return { items: await toDtos(ctx.db, rows) };
}

export async function getList({ ctx, id }: { ctx: Ctx; id: number }) {
  return (await toDtos(ctx.db, [await loadRow(ctx.db, id)]))[0]!;
}

export async function createList({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const data = ContactListInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const [row] = await onUniqueViolation('contact_lists_name_unique', duplicate(data.name))(() =>
      tx.insert(contactLists).values({ name: data.name, description: data.description ?? null, createdBy: ctx.actor.userId }).returning(),
    );
    await recordAudit(tx, ctx.actor, { action: 'list.created', entityType: 'contact_list', entityId: row!.id, summary: `Created list "${row!.name}"`, changes: diffFields({}, { name: row!.name, description: row!.description }) });
    return (await toDtos(tx, [row!]))[0]!;
  });
}

export async function updateList({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const data = ContactListPatch.parse(input);
  return withTransaction(ctx, async (tx) => {
    const before = await loadRow(tx, id);
    const after = { name: data.name ?? before.name, description: data.description === undefined ? before.description : data.description };
    const changes = diffFields({ name: before.name, description: before.description }, after);
    if (!Object.keys(changes).length) return (await toDtos(tx, [before]))[0]!;
    const [row] = await onUniqueViolation('contact_lists_name_unique', duplicate(after.name))(() =>
      tx.update(contactLists).set({ ...after, updatedAt: sql`now()` }).where(sql`${contactLists.id} = ${id}`).returning(),
    );
    await recordAudit(tx, ctx.actor, { action: 'list.updated', entityType: 'contact_list', entityId: id, summary: `Updated list "${after.name}"`, changes });
    return (await toDtos(tx, [row!]))[0]!;
  });
}

export async function deleteList({ ctx, id }: { ctx: Ctx; id: number }) {
  await withTransaction(ctx, async (tx) => {
    const before = await loadRow(tx, id);
    const used = await tx.execute(sql`select name from segments where jsonb_path_exists(rule, '$.** ? (@.kind == "list" && @.listId == $id)', jsonb_build_object('id', ${id}::int)) limit 1`);
    if (used.rows.length) throw new ConflictError(`List "${before.name}" is used by segment "${used.rows[0]!.name}"; change that rule first`, { field: 'id' });
    const members = await tx.execute(sql`delete from contact_list_members where list_id = ${id} returning contact_id`);
    await tx.delete(contactLists).where(sql`${contactLists.id} = ${id}`);
    await enqueueContacts(tx, members.rows.map((r) => Number(r.contact_id)));
    await recordAudit(tx, ctx.actor, { action: 'list.deleted', entityType: 'contact_list', entityId: id, summary: `Deleted list "${before.name}" (${members.rows.length} members)`, changes: { name: { from: before.name, to: null } } });
  });
}

type NotFound = { line: number | null; email: string; reason: string };

/** Resolves ids and emails to contact ids; unknown ones are reported, not fatal. Unknown ids are a 400. */
async function resolve(tx: Queryable, ids: number[], emails: { email: string; line: number | null }[]): Promise<{ contactIds: number[]; notFound: NotFound[] }> {
  const out = new Set<number>();
  const notFound: NotFound[] = [];
  if (ids.length) {
    const res = await tx.execute(sql`select id from contacts where id = any(${sql.param(ids)}::int8[]) and workspace_id = 1`);
    const found = new Set(res.rows.map((r) => Number(r.id)));
    const missing = ids.filter((i) => !found.has(i));
    if (missing.length) throw new ValidationError(`contactIds: contact ${missing.slice(0, 5).join(', ')} does not exist`, [{ field: 'contactIds', message: `unknown contact ids: ${missing.slice(0, 20).join(', ')}` }]);
    for (const i of found) out.add(i);
  }
  const valid: { email: string; line: number | null }[] = [];
  for (const e of emails) {
    const p = Email.safeParse(e.email);
    if (!p.success) notFound.push({ line: e.line, email: e.email, reason: 'not a valid email address' });
    else valid.push({ email: p.data, line: e.line });
  }
  if (valid.length) {
    const res = await tx.execute(sql`select id, email from contacts where workspace_id = 1 and email = any(${sql.param(valid.map((v) => v.email))}::text[])`);
    const byEmail = new Map(res.rows.map((r) => [String(r.email), Number(r.id)]));
    for (const v of valid) {
      const id = byEmail.get(v.email);
      if (id === undefined) notFound.push({ line: v.line, email: v.email, reason: 'no contact with this email' });
      else out.add(id);
    }
  }
  notFound.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { contactIds: [...out], notFound };
}

async function change(ctx: Ctx, id: number, mode: 'add' | 'remove', ids: number[], emails: { email: string; line: number | null }[], via: string) {
  return withTransaction(ctx, async (tx) => {
    const list = await loadRow(tx, id);
    const { contactIds, notFound } = await resolve(tx, ids, emails);
    const res =
      mode === 'add'
        ? await tx.execute(sql`
            insert into contact_list_members (list_id, contact_id, workspace_id, added_by)
            select ${id}, x, 1, ${ctx.actor.userId} from unnest(${sql.param(contactIds)}::int8[]) x
            on conflict do nothing returning contact_id`)
        : await tx.execute(sql`delete from contact_list_members where list_id = ${id} and contact_id = any(${sql.param(contactIds)}::int8[]) returning contact_id`);
    const changed = res.rows.map((r) => Number(r.contact_id));
    await enqueueContacts(tx, changed);
    if (changed.length) {
      await tx.execute(sql`update contact_lists set updated_at = now() where id = ${id}`);
      await recordAudit(tx, ctx.actor, {
        action: mode === 'add' ? 'list.members_added' : 'list.members_removed',
        entityType: 'contact_list',
        entityId: id,
        summary: `${mode === 'add' ? 'Added' : 'Removed'} ${changed.length} contact${changed.length === 1 ? '' : 's'} ${mode === 'add' ? 'to' : 'from'} list "${list.name}"${via}`,
        changes: { contactIds: changed.slice(0, 100) },
      });
    }
    return { changed: changed.length, unchanged: contactIds.length - changed.length, notFound };
  });
}

export async function addListMembers({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const data = ListMembersChange.parse(input);
  return change(ctx, id, 'add', data.contactIds ?? [], (data.emails ?? []).map((email) => ({ email, line: null })), '');
}

export async function removeListMembers({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const data = ListMembersChange.parse(input);
  return change(ctx, id, 'remove', data.contactIds ?? [], (data.emails ?? []).map((email) => ({ email, line: null })), '');
}

/**
 * Adds (or removes) the contacts of a CSV of emails: a column named email (any case), else the first column.
 * Emails that are not contacts are reported with their line; nothing else is created.
 */
export async function importListCsv({ ctx, id, csv, mode = 'add' }: { ctx: Ctx; id: number; csv: string; mode?: 'add' | 'remove' }) {
  let rows: string[][];
  try {
    rows = parse(csv, { skip_empty_lines: true, relax_column_count: true, bom: true, trim: true }) as string[][];
  } catch (err) {
    throw new ValidationError(`file: not a readable CSV (${(err as Error).message})`, [{ field: 'file', message: 'not a readable CSV' }]);
  }
  if (!rows.length) throw new ValidationError('file: the CSV is empty', [{ field: 'file', message: 'the CSV is empty' }]);
  if (rows.length > 100_001) throw new ValidationError('file: at most 100000 rows', [{ field: 'file', message: 'at most 100000 rows' }]);
  const header = rows[0]!.map((h) => h.toLowerCase());
  let col = header.indexOf('email');
  let start = 1;
  if (col < 0) {
    col = 0;
    start = header[0]?.includes('@') ? 0 : 1;
  }
  const emails = rows.slice(start).map((r, i) => ({ email: (r[col] ?? '').trim(), line: i + start + 1 })).filter((e) => e.email !== '');
  if (!emails.length) throw new ValidationError('file: no emails found', [{ field: 'file', message: 'no emails found' }]);
  return change(ctx, id, mode, [], emails, ' from a CSV');
}

export async function listMembers({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const q = SegmentMembersQuery.parse(input ?? {});
  await loadRow(ctx.db, id);
  const res = await ctx.db.execute(sql`
    select c.id, c.email, nullif(concat_ws(' ', c.first_name, c.last_name), '') as name, c.lifecycle_stage, a.name as account_name, m.added_at as since
    from contact_list_members m join contacts c on c.id = m.contact_id left join accounts a on a.id = c.account_id
    where m.list_id = ${id} and m.contact_id > ${q.after ?? 0} order by m.contact_id limit ${q.limit + 1}`);
  const rows = res.rows as Record<string, unknown>[];
  const items = rows.slice(0, q.limit).map((r) => ({
    id: Number(r.id),
    email: String(r.email),
    name: (r.name as string | null) ?? null,
    lifecycleStage: String(r.lifecycle_stage),
    accountName: (r.account_name as string | null) ?? null,
    since: new Date(r.since as string).toISOString(),
  }));
  const total = await ctx.db.execute(sql`select count(*)::int as n from contact_list_members where list_id = ${id}`);
  return { items, nextAfter: rows.length > q.limit ? items[items.length - 1]!.id : null, total: Number((total.rows[0] as { n: number }).n) };
}
