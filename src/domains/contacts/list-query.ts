// Keyset pagination shared by the contacts and accounts lists and exports, and the contact filters.
//
// A page is `where <filters> and (sort, id) > (last sort value, last id) order by sort, id limit n+1`
// on an index that starts with (workspace_id, sort column, id), so page 1 and page 10,000 cost the same.
// Nullable sort columns (last name) are read in two segments, values first then nulls, each on the index.
// The cursor is opaque base64url JSON { s: sort, v: last value as text, id }; anything that does not
// decode to exactly that for the current sort is a 400.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import { Email } from '../../contracts/common.ts';
import { ContactFilters } from '../../contracts/contacts.ts';
import { coercePropertyValue } from './properties.ts';
import { listMemberFilter, segmentMemberFilter } from '../market/membership.ts';
import type { PropertyDefinition } from './schema.ts';

/** `total` counts up to this many matching rows, then reports capped: true. */
export const COUNT_CAP = 10_000;
/** …and spends at most about this long doing so. */
export const COUNT_BUDGET_MS = 50;

export interface SortColumn {
  /** SQL expression on alias c, e.g. c.created_at or lower(c.name). */
  expr: string;
  kind: 'timestamp' | 'text';
  nullable: boolean;
  /** Values are unique (no id tie-breaker needed in the keyset condition). */
  unique: boolean;
}

export interface KeysetCursor {
  v: string | null;
  id: number;
}

const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;
const CursorPayload = z.object({ s: z.string(), v: z.string().max(400).nullable(), id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict();

function badCursor(why: string): never {
  throw new ValidationError(`cursor: ${why}; start again from the first page`, [{ field: 'cursor', message: why }]);
}

export function encodeCursor(sort: string, c: KeysetCursor): string {
  return Buffer.from(JSON.stringify({ s: sort, v: c.v, id: c.id })).toString('base64url');
}

export function decodeCursor(raw: string | undefined, sort: string, col: SortColumn): KeysetCursor | null {
  if (raw === undefined || raw === '') return null;
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) badCursor('is not a cursor returned by this list');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    badCursor('is not a cursor returned by this list');
  }
  const parsed = CursorPayload.safeParse(json);
  if (!parsed.success) badCursor('is not a cursor returned by this list');
  const { s, v, id } = parsed.data;
  if (s !== sort) badCursor(`belongs to sort ${s}, not ${sort}`);
  if (v === null && !col.nullable) badCursor('is not a cursor returned by this list');
  if (v !== null && col.kind === 'timestamp' && !ISO_TS.test(v)) badCursor('is not a cursor returned by this list');
  return { v, id };
}

function cursorValueExpr(col: SortColumn): SQL {
  return col.kind === 'timestamp'
    ? sql.raw(`to_char(${col.expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`)
    : sql.raw(col.expr);
}

export const and = (conds: SQL[]): SQL => (conds.length ? sql.join(conds, sql` and `) : sql`true`);

export interface KeysetQuery {
  /** Table name (aliased c). */
  table: 'contacts' | 'accounts';
  /** Columns of the result (on aliases c and the joins). */
  select: SQL;
  joins: SQL;
  where: SQL[];
  /** The sort as requested: 'createdAt' or '-createdAt'. */
  sort: string;
  columns: Record<string, SortColumn>;
  cursor: string | undefined;
  limit: number;
}

export interface Plan {
  col: SortColumn;
  desc: boolean;
  start: KeysetCursor | null;
}

export function planSort(q: Pick<KeysetQuery, 'sort' | 'columns' | 'cursor'>): Plan {
  const desc = q.sort.startsWith('-');
  const col = q.columns[desc ? q.sort.slice(1) : q.sort];
  if (!col) throw new ValidationError(`sort: unknown sort ${q.sort}`, [{ field: 'sort', message: `unknown sort ${q.sort}` }]);
  return { col, desc, start: decodeCursor(q.cursor, q.sort, col) };
}

/** One page in sort order and the cursor of the next page (null on the last page). */
export async function keysetPage<R extends { id: number }>(
  db: Queryable,
  q: KeysetQuery,
  plan: Plan = planSort(q),
): Promise<{ rows: R[]; nextCursor: string | null; last: KeysetCursor | null }> {
  const { col, desc, start } = plan;
  const dir = desc ? 'desc' : 'asc';
  const cmp = desc ? '<' : '>';
  const value = sql.raw(col.expr);
  const cast = sql.raw(col.kind === 'timestamp' ? 'timestamptz' : 'text');
  const segments: ('value' | 'null')[] = col.nullable ? ['value', 'null'] : ['value'];
  const first = start && start.v === null ? 1 : 0;
  const rows: (R & { _cv: string | null })[] = [];
  for (let i = first; i < segments.length && rows.length <= q.limit; i++) {
    const seg = segments[i]!;
    const conds = [...q.where];
    let order: SQL;
    if (seg === 'value') {
      if (col.nullable) conds.push(sql`${value} is not null`);
      if (start && start.v !== null) {
        conds.push(
          col.unique
            ? sql`${value} ${sql.raw(cmp)} ${start.v}::${cast}`
            : sql`(${value}, c.id) ${sql.raw(cmp)} (${start.v}::${cast}, ${start.id}::bigint)`,
        );
      }
      order = sql.raw(`${col.expr} ${dir}, c.id ${dir}`);
    } else {
      conds.push(sql`${value} is null`);
      if (start && start.v === null && i === first) conds.push(sql`c.id ${sql.raw(cmp)} ${start.id}::bigint`);
      order = sql.raw(`c.id ${dir}`);
    }
    const need = q.limit + 1 - rows.length;
    const res = await db.execute(
      sql`select ${q.select}, ${cursorValueExpr(col)} as _cv
          from (select c.* from ${sql.raw(q.table)} c where ${and(conds)} order by ${order} limit ${need}) c
          ${q.joins}
          order by ${order}`,
    );
    rows.push(...(res.rows as (R & { _cv: string | null })[]));
  }
  const more = rows.length > q.limit;
  const pageRows = rows.slice(0, q.limit);
  const lastRow = pageRows[pageRows.length - 1];
  const last = lastRow ? { v: lastRow._cv, id: lastRow.id } : null;
  for (const r of pageRows) delete (r as { _cv?: unknown })._cv;
  return { rows: pageRows, nextCursor: more && last ? encodeCursor(q.sort, last) : null, last };
}

/**
 * Number of rows matching, counted up to COUNT_CAP within COUNT_BUDGET_MS: `select count(*) from
 * (select 1 … limit 10001)` under a transaction-local statement timeout (and without parallel workers,
 * which would take every core from the page queries). A filter no index serves (a name search, a custom
 * property) therefore cannot hold a list request for a full-table scan: when the budget runs out the
 * answer is { count: 0, capped: true }, which atLeastPage raises to what the page shows — "at least
 * count", as the contract's Total promises.
 */
export async function cappedCount(db: Db, table: 'contacts' | 'accounts', where: SQL[]): Promise<{ count: number; capped: boolean }> {
  let n: number;
  try {
    n = await db.transaction(async (tx) => {
      await tx.execute(
        sql.raw(`select set_config('statement_timeout', '${COUNT_BUDGET_MS}', true), set_config('max_parallel_workers_per_gather', '0', true)`),
      );
      const res = await tx.execute(
        sql`select count(*)::int as n from (select 1 from ${sql.raw(table)} c where ${and(where)} limit ${COUNT_CAP + 1}) t`,
      );
      return Number((res.rows[0] as { n: number }).n);
    });
  } catch (err) {
    // drizzle wraps driver errors (DrizzleQueryError); the Postgres code is on the cause. 57014 = statement timeout.
    const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code !== '57014') throw err;
    return { count: 0, capped: true };
  }
  return n > COUNT_CAP ? { count: COUNT_CAP, capped: true } : { count: n, capped: false };
}

/** A capped total is never less than what the page itself shows (this page, plus one when there is a next). */
export function atLeastPage(total: { count: number; capped: boolean }, page: { rows: unknown[]; nextCursor: string | null }) {
  if (!total.capped) return total;
  return { count: Math.min(COUNT_CAP, Math.max(total.count, page.rows.length + (page.nextCursor ? 1 : 0))), capped: true };
}

/** `x%` for LIKE with % _ and \ in the user's text matched literally. */
export function likePrefix(s: string): string {
  return `${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

// ---------- contacts ----------

export const CONTACT_SORT_COLUMNS: Record<string, SortColumn> = {
  createdAt: { expr: 'c.created_at', kind: 'timestamp', nullable: false, unique: false },
  updatedAt: { expr: 'c.updated_at', kind: 'timestamp', nullable: false, unique: false },
  email: { expr: 'c.email', kind: 'text', nullable: false, unique: true },
  lastName: { expr: 'c.last_name', kind: 'text', nullable: true, unique: false },
};

const CONTACT_QUERY_KEYS = new Set(['q', 'lifecycleStage', 'ownerId', 'accountId', 'createdAfter', 'createdBefore', 'segmentId', 'listId', 'sort', 'limit', 'cursor']);

function badParam(field: string, message: string): never {
  throw new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

/**
 * SQL conditions (alias c) for the contact filters of a list or export query. Custom property filters
 * are the extra parameters `prop.<key>=<value>`, coerced by the property's type; any other extra
 * parameter, an unknown property or a bad value is a 400 naming the parameter.
 */
export function contactConditions(query: ContactFilters & Record<string, unknown>, defs: ReadonlyMap<string, PropertyDefinition>): SQL[] {
  const f = ContactFilters.parse(query);
  const conds: SQL[] = [sql`c.workspace_id = 1`];
  const q = f.q?.toLowerCase();
  if (q) {
    if (Email.safeParse(q).success) conds.push(sql`c.email = ${q}`);
    else if (q.includes('@')) conds.push(sql`c.email like ${likePrefix(q)}`);
    else {
      const p = likePrefix(q);
      const ors = [sql`c.email like ${p}`, sql`lower(c.first_name) like ${p}`, sql`lower(c.last_name) like ${p}`];
      if (q.includes(' ')) ors.push(sql`lower(concat_ws(' ', c.first_name, c.last_name)) like ${p}`);
      conds.push(sql`(${sql.join(ors, sql` or `)})`);
    }
  }
  if (f.lifecycleStage) conds.push(sql`c.lifecycle_stage = ${f.lifecycleStage}`);
  if (f.ownerId) conds.push(sql`c.owner_id = ${f.ownerId}`);
  if (f.accountId) conds.push(sql`c.account_id = ${f.accountId}`);
  if (f.createdAfter) conds.push(sql`c.created_at >= ${f.createdAfter}::timestamptz`);
  if (f.createdBefore) conds.push(sql`c.created_at < ${f.createdBefore}::timestamptz`);
  // Segment / list members (the market domain keeps segment_members current; its helpers build the condition).
  if (f.segmentId) conds.push(segmentMemberFilter(f.segmentId, sql.raw('c.id')));
  if (f.listId) conds.push(listMemberFilter(f.listId, sql.raw('c.id')));
  for (const [param, raw] of Object.entries(query)) {
    if (CONTACT_QUERY_KEYS.has(param) || raw === undefined) continue;
    if (!param.startsWith('prop.')) badParam(param, 'unknown query parameter (custom property filters are prop.<key>=<value>)');
    const key = param.slice(5);
    const def = defs.get(key);
    if (!def) badParam(param, `unknown contact property "${key}"`);
    if (typeof raw !== 'string') badParam(param, 'must be a single value');
    const r = coercePropertyValue(def, raw);
    if (!r.ok) badParam(param, r.reason);
    if (r.value === null) conds.push(sql`not jsonb_exists(c.properties, ${key}::text)`);
    else if (def.type === 'text') conds.push(sql`lower(c.properties ->> ${key}::text) = ${String(r.value).toLowerCase()}`);
    else conds.push(sql`c.properties @> ${JSON.stringify({ [key]: r.value })}::jsonb`);
  }
  return conds;
}
