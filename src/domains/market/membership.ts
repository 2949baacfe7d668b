// Segment membership: the full rebuild (one statement over every contact), the incremental re-evaluation
// of a few contacts (event-driven, from the market inbox), and the helpers other domains use to read it.
//
// Both paths compile the same rule (compile.ts, modes full / contacts) and apply the difference to
// segment_members in ONE statement that also writes the joins and leaves to segment_member_history. A rebuild
// locks its segment row (FOR UPDATE); the incremental pass takes FOR SHARE on the active segments, so the two
// never interleave on one segment, and each statement sees the other's committed result.
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Db, Queryable, Tx } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { SegmentRule, type RuleGroup } from '../../contracts/market.ts';
import { compileRule, fromFor } from './compile.ts';
import type { MemberCause } from './schema.ts';

const idArray = (ids: readonly number[]) => sql.raw(`'{${ids.map((id) => Math.trunc(Number(id))).join(',')}}'::bigint[]`);

export interface RebuildResult {
  segmentId: number;
  joined: number;
  left: number;
  members: number;
  ms: number;
}

/** Applies "these contacts (of `scope`) match" to a segment's members, recording joins and leaves. */
function applyStatement(segmentId: number, target: SQL, scope: readonly number[] | null, cause: MemberCause, now: Date): SQL {
  const inScope = scope ? sql`and m.contact_id = any(${idArray(scope)})` : sql``;
  return sql`
    with target as materialized (${target}),
    gone as (
      delete from segment_members m where m.segment_id = ${segmentId} ${inScope}
        and not exists (select 1 from target t where t.id = m.contact_id)
      returning m.contact_id),
    added as (
      insert into segment_members (segment_id, contact_id, workspace_id, since)
      select ${segmentId}::int, t.id, 1, ${now.toISOString()}::timestamptz from target t
      where not exists (select 1 from segment_members m where m.segment_id = ${segmentId} and m.contact_id = t.id)
      on conflict do nothing
      returning contact_id),
    h as (
      insert into segment_member_history (workspace_id, segment_id, contact_id, change, cause, at)
      select 1, ${segmentId}::int, contact_id, 'left', ${cause}::text, ${now.toISOString()}::timestamptz from gone
      union all
      select 1, ${segmentId}::int, contact_id, 'joined', ${cause}::text, ${now.toISOString()}::timestamptz from added)
    select (select count(*)::int from gone) as left, (select count(*)::int from added) as joined`;
}

/**
 * Rebuilds a segment's members from its rule over every contact, in the caller's transaction (locks the
 * segment row). The work_mem raise lets negated behaviour conditions hash their contact sets.
 */
export async function rebuildInTx(tx: Queryable, segmentId: number, opts: { now?: Date; cause?: MemberCause } = {}): Promise<RebuildResult> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const res = await tx.execute(sql`select rule from segments where id = ${segmentId} and workspace_id = 1 for update`);
  const row = res.rows[0] as { rule: unknown } | undefined;
  if (!row) throw new NotFoundError('Segment', segmentId);
  const compiled = await compileRule(tx, SegmentRule.parse(row.rule), { mode: 'full', now });
  await tx.execute(sql`select set_config('work_mem', '256MB', true)`);
  const target = sql`select c.id from ${fromFor(compiled)} where c.workspace_id = 1 and ${compiled.where}`;
  const r = (await tx.execute(applyStatement(segmentId, target, null, opts.cause ?? 'rebuild', now))).rows[0] as { left: number; joined: number };
  const ms = Date.now() - started;
  const upd = await tx.execute(sql`
    update segments set member_count = (select count(*)::int from segment_members where segment_id = ${segmentId}),
      time_relative = ${compiled.timeRelative}, last_rebuilt_at = ${now.toISOString()}::timestamptz, last_rebuild_ms = ${ms}
    where id = ${segmentId} returning member_count`);
  return { segmentId, joined: r.joined, left: r.left, members: (upd.rows[0] as { member_count: number }).member_count, ms };
}

export async function rebuildSegment(db: Db, segmentId: number, opts: { now?: Date; cause?: MemberCause } = {}): Promise<RebuildResult> {
  return db.transaction((tx) => rebuildInTx(tx, segmentId, opts));
}

/**
 * Re-evaluates the given contacts against every active segment (in the caller's transaction) and applies
 * joins and leaves. Deleted contacts simply match nothing (their rows went with them).
 */
export async function evaluateContacts(tx: Queryable, contactIds: readonly number[], opts: { now?: Date; cause?: MemberCause } = {}): Promise<{ joined: number; left: number; segments: number }> {
  const out = { joined: 0, left: 0, segments: 0 };
  if (!contactIds.length) return out;
  const now = opts.now ?? new Date();
  const segs = (await tx.execute(sql`select id, rule from segments where workspace_id = 1 and status = 'active' order by id for share`)).rows as { id: number; rule: unknown }[];
  const ids = [...new Set(contactIds.map(Number))].sort((a, b) => a - b);
  for (const s of segs) {
    const compiled = await compileRule(tx, SegmentRule.parse(s.rule), { mode: 'contacts', now });
    const target = sql`select c.id from ${fromFor(compiled)} where c.id = any(${idArray(ids)}) and c.workspace_id = 1 and ${compiled.where}`;
    const r = (await tx.execute(applyStatement(s.id, target, ids, opts.cause ?? 'change', now))).rows[0] as { left: number; joined: number };
    out.joined += r.joined;
    out.left += r.left;
    out.segments++;
  }
  return out;
}

/** Whether a contact is a member of a segment now (reads segment_members, kept current by the loop). */
export async function isInSegment(tx: Queryable, segmentId: number, contactId: number): Promise<boolean> {
  const res = await tx.execute(sql`select 1 from segment_members where segment_id = ${segmentId} and contact_id = ${contactId}`);
  return res.rows.length > 0;
}

/** Every member's contact id (for programs and analytics; a segment of a million members returns a million ids). */
export async function segmentContactIds({ ctx, input }: { ctx: Pick<Ctx, 'db'>; input: { segmentId: number } }): Promise<number[]> {
  const seg = await ctx.db.execute(sql`select id from segments where id = ${input.segmentId} and workspace_id = 1`);
  if (!seg.rows.length) throw new NotFoundError('Segment', input.segmentId);
  const res = await ctx.db.execute(sql`select contact_id from segment_members where segment_id = ${input.segmentId} order by contact_id`);
  return res.rows.map((r) => Number(r.contact_id));
}

/** A condition `contacts.id IN (members)` for other domains' queries (contacts aliased or not: pass the id column). */
export function segmentMemberFilter(segmentId: number, idColumn: SQL = sql.raw('contacts.id')): SQL {
  return sql`${idColumn} in (select sm.contact_id from segment_members sm where sm.segment_id = ${Math.trunc(segmentId)})`;
}

/** Same for a static list. */
export function listMemberFilter(listId: number, idColumn: SQL = sql.raw('contacts.id')): SQL {
  return sql`${idColumn} in (select lm.contact_id from contact_list_members lm where lm.list_id = ${Math.trunc(listId)})`;
}

/** Queues contacts for re-evaluation in the caller's transaction (list changes, tools). */
export async function enqueueContacts(tx: Queryable, contactIds: readonly number[]): Promise<void> {
  if (!contactIds.length) return;
  await tx.execute(sql`insert into market_inbox (workspace_id, contact_ids) values (1, ${idArray(contactIds)})`);
}

/** Rows claimed per pass. */
export const MARKET_ROWS_PER_PASS = 200;
/** Contacts evaluated per statement. */
const CONTACT_CHUNK = 5000;

/**
 * One pass of the membership loop in one transaction: claim inbox rows (SKIP LOCKED, deleted here), resolve
 * events to their contacts, re-evaluate those contacts. A global advisory lock keeps to one pass at a time
 * across processes (another pass running: returns 0 rows and leaves the work to it).
 */
export async function processMarketInbox(db: Db, opts: { now?: Date; limit?: number } = {}): Promise<{ rows: number; contacts: number; joined: number; left: number }> {
  return db.transaction(async (tx: Tx) => {
    const lock = await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext('revloop.market.membership')) as ok`);
    if (!(lock.rows[0] as { ok: boolean }).ok) return { rows: 0, contacts: 0, joined: 0, left: 0 };
    const res = await tx.execute(sql`
      with claimed as (select id from market_inbox order by id limit ${opts.limit ?? MARKET_ROWS_PER_PASS} for update skip locked),
      gone as (delete from market_inbox i using claimed c where i.id = c.id returning i.contact_ids, i.event_ids, i.received_from, i.received_to)
      select count(*)::int as rows,
        coalesce((select array_agg(distinct x) from gone, unnest(gone.contact_ids) x), '{}') as contact_ids,
        coalesce((select array_agg(distinct x) from gone, unnest(gone.event_ids) x), '{}') as event_ids,
        min(received_from) as received_from, max(received_to) as received_to
      from gone`);
    const r = res.rows[0] as { rows: number; contact_ids: (string | number)[]; event_ids: (string | number)[]; received_from: Date | string | null; received_to: Date | string | null };
    if (!r.rows) return { rows: 0, contacts: 0, joined: 0, left: 0 };
    const ids = new Set(r.contact_ids.map(Number));
    if (r.event_ids.length) {
      // The range prunes partitions; widened by 1 ms because JS dates drop the microseconds.
      const from = r.received_from == null ? sql`` : sql`and received_at >= ${new Date(r.received_from).toISOString()}::timestamptz - interval '1 millisecond'`;
      const to = r.received_to == null ? sql`` : sql`and received_at <= ${new Date(r.received_to).toISOString()}::timestamptz + interval '1 millisecond'`;
      const ev = await tx.execute(sql`select distinct contact_id from events where id = any(${idArray(r.event_ids.map(Number))}) and contact_id is not null ${from} ${to}`);
      for (const e of ev.rows) ids.add(Number(e.contact_id));
    }
    const all = [...ids];
    const out = { rows: r.rows, contacts: all.length, joined: 0, left: 0 };
    for (let i = 0; i < all.length; i += CONTACT_CHUNK) {
      const e = await evaluateContacts(tx, all.slice(i, i + CONTACT_CHUNK), { now: opts.now });
      out.joined += e.joined;
      out.left += e.left;
    }
    return out;
  });
}

/**
 * The time-window sweep: rules that read relative time ("in the last 30 days", "more than 90 days ago")
 * change answer as the clock moves without any data change, so segments marked time_relative are rebuilt
 * (cause sweep) by the market.sweep job every 15 minutes.
 */
export async function sweepTimeRelative(db: Db, opts: { now?: Date } = {}): Promise<RebuildResult[]> {
  const res = await db.execute(sql`select id from segments where workspace_id = 1 and status = 'active' and time_relative order by id`);
  const out: RebuildResult[] = [];
  for (const r of res.rows) out.push(await rebuildSegment(db, Number(r.id), { now: opts.now, cause: 'sweep' }));
  return out;
}

/** Contacts matching a rule now (preview): count (capped) and a sample, without storing anything. */
export async function previewRule(db: Db, rule: RuleGroup, opts: { sample: number; cap?: number; now?: Date }) {
  const started = Date.now();
  const compiled = await compileRule(db, rule, { mode: 'full', now: opts.now ?? new Date() });
  const cap = opts.cap ?? 1_000_000;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('work_mem', '256MB', true), set_config('statement_timeout', '20000', true)`);
    const from = fromFor(compiled);
    const countRes = await tx.execute(sql`select count(*)::int as n from (select 1 from ${from} where c.workspace_id = 1 and ${compiled.where} limit ${cap + 1}) t`);
    const n = (countRes.rows[0] as { n: number }).n;
    const sample = opts.sample
      ? (
          await tx.execute(sql`
            select c.id, c.email, nullif(concat_ws(' ', c.first_name, c.last_name), '') as name, c.lifecycle_stage, acc.name as account_name
            from (select c.* from ${from} where c.workspace_id = 1 and ${compiled.where} order by c.id desc limit ${opts.sample}) c
            left join accounts acc on acc.id = c.account_id order by c.id desc`)
        ).rows.map((r) => ({ id: Number(r.id), email: String(r.email), name: (r.name as string | null) ?? null, lifecycleStage: String(r.lifecycle_stage), accountName: (r.account_name as string | null) ?? null }))
      : [];
    return { count: Math.min(n, cap), capped: n > cap, sample, ms: Date.now() - started };
  });
}
