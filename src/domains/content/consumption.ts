// Consumption: tracked page views and read depth attached to content items.
//  - Per known contact (content_consumption): the scoring pass adds the events that are new for their contact
//    (score_seen: an event queued twice is added once; a merge's moved events are new for the winner) in its
//    transaction (addContentConsumption); the rematch job (URL rules changed) and the demo recompute contacts from
//    all their events (refreshContentConsumption), leaving out events still waiting for the scoring pass.
//  - Per item per day for every visitor, anonymous included (content_daily): the minute job counts the events
//    received since the watermark (per source, on the events_source_received index); the rebuild recounts.
// A view is a `page` event; a read is a `Content Read` track (tracker: maxScrollPercent, activeSeconds).
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { loadMatcher, pageRefOfEvent, type ContentMatcher } from './match.ts';

export const CONTENT_READ_EVENT = 'Content Read';
const idList = (ids: readonly number[]) => sql.raw(`'{${ids.map((id) => Math.trunc(Number(id))).join(',')}}'::bigint[]`);

interface EventRow {
  contact_id: string | number | null;
  type: string;
  event: string | null;
  page_url: string | null;
  page_path: string | null;
  properties: Record<string, unknown> | null;
  context: Record<string, unknown> | null;
  timestamp: string | Date;
}

const PAGE_OR_READ = sql`(type = 'page' or event = ${CONTENT_READ_EVENT}) and not is_bot`;

function clampInt(v: unknown, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.max(0, Math.min(max, Math.round(n))) : 0;
}

/** What one event adds: a view, or a read with its depth (0–100) and active seconds (≤ 4 h). */
export function eventContribution(e: Pick<EventRow, 'type' | 'event' | 'properties'>): { views: number; reads: number; depth: number; seconds: number } {
  if (e.event === CONTENT_READ_EVENT) {
    const p = e.properties ?? {};
    return { views: 0, reads: 1, depth: clampInt(p.maxScrollPercent, 100), seconds: clampInt(p.activeSeconds, 4 * 3600) };
  }
  return { views: e.type === 'page' ? 1 : 0, reads: 0, depth: 0, seconds: 0 };
}

type ConsumptionAcc = Map<string, { itemId: number; contactId: number; views: number; reads: number; depth: number; seconds: number; first: number; last: number }>;

function accumulate(m: ContentMatcher, events: Iterable<EventRow>): ConsumptionAcc {
  const acc: ConsumptionAcc = new Map();
  for (const e of events) {
    const itemId = m.match(pageRefOfEvent(e));
    if (itemId === null) continue;
    const contactId = Number(e.contact_id);
    const key = `${itemId}:${contactId}`;
    const t = new Date(e.timestamp).getTime();
    const c = eventContribution(e);
    const a = acc.get(key) ?? { itemId, contactId, views: 0, reads: 0, depth: 0, seconds: 0, first: t, last: t };
    a.views += c.views;
    a.reads += c.reads;
    a.depth = Math.max(a.depth, c.depth);
    a.seconds += c.seconds;
    a.first = Math.min(a.first, t);
    a.last = Math.max(a.last, t);
    acc.set(key, a);
  }
  return acc;
}

/** Writes (item, contact) sums: inserted, or added to the stored row (views, reads, seconds add; depth max; first/last). */
async function upsertConsumption(db: Queryable, workspaceId: number, acc: ConsumptionAcc): Promise<number> {
  const rows = [...acc.values()];
  if (!rows.length) return 0;
  await db.execute(sql`
    insert into content_consumption (item_id, contact_id, workspace_id, views, reads, max_depth_pct, active_seconds, first_at, last_at)
    select u.item_id, u.contact_id, ${workspaceId}, u.views, u.reads, u.depth, u.seconds, u.first_at, u.last_at
    from unnest(${sql.param(rows.map((r) => r.itemId))}::int4[], ${sql.param(rows.map((r) => r.contactId))}::int8[],
                ${sql.param(rows.map((r) => r.views))}::int4[], ${sql.param(rows.map((r) => r.reads))}::int4[],
                ${sql.param(rows.map((r) => r.depth))}::int4[], ${sql.param(rows.map((r) => r.seconds))}::int4[],
                ${sql.param(rows.map((r) => new Date(r.first).toISOString()))}::timestamptz[], ${sql.param(rows.map((r) => new Date(r.last).toISOString()))}::timestamptz[])
      as u(item_id, contact_id, views, reads, depth, seconds, first_at, last_at)
    where exists (select 1 from contacts c where c.id = u.contact_id)
    on conflict (item_id, contact_id) do update set views = content_consumption.views + excluded.views,
      reads = content_consumption.reads + excluded.reads, max_depth_pct = greatest(content_consumption.max_depth_pct, excluded.max_depth_pct),
      active_seconds = content_consumption.active_seconds + excluded.active_seconds,
      first_at = least(content_consumption.first_at, excluded.first_at), last_at = greatest(content_consumption.last_at, excluded.last_at)`);
  return rows.length;
}

/** A scoring pass's event (the columns it already loaded). */
export interface PassPageEvent {
  contactId: number;
  type: string;
  event?: string | null;
  pageUrl?: string | null;
  pagePath?: string | null;
  properties?: Record<string, unknown> | null;
  context?: Record<string, unknown> | null;
  timestamp: Date;
}

/**
 * The scoring pass: adds the events that are new for their contact (the caller passes only those) to
 * content_consumption, on the pass's transaction. Returns how many (item, contact) rows it touched.
 */
export async function addContentConsumption(db: Queryable, workspaceId: number, events: readonly PassPageEvent[], matcher?: ContentMatcher): Promise<number> {
  const relevant = events.filter((e) => e.type === 'page' || e.event === CONTENT_READ_EVENT);
  if (!relevant.length) return 0;
  const m = matcher ?? (await loadMatcher(db, workspaceId, { cached: true }));
  if (!m.size) return 0;
  const rows: EventRow[] = relevant.map((e) => ({
    contact_id: e.contactId,
    type: e.type,
    event: e.event ?? null,
    page_url: e.pageUrl ?? null,
    page_path: e.pagePath ?? null,
    properties: e.properties ?? null,
    context: e.context ?? null,
    timestamp: e.timestamp,
  }));
  return upsertConsumption(db, workspaceId, accumulate(m, rows));
}

/**
 * Recomputes content_consumption of the given contacts from all their page / Content Read events (rematch, demo).
 * Locks the contacts as a scoring pass does, and leaves out events still waiting in the scoring inbox that the
 * pass has not marked for the contact yet: the pass adds those when it scores them. Runs on the caller's
 * transaction. Returns how many (item, contact) rows it wrote.
 */
export async function refreshContentConsumption(db: Queryable, workspaceId: number, contactIds: readonly number[], matcher?: ContentMatcher): Promise<number> {
  const ids = [...new Set(contactIds.map(Number))].sort((a, b) => a - b);
  if (!ids.length) return 0;
  const m = matcher ?? (await loadMatcher(db, workspaceId, { cached: true }));
  await db.execute(sql`select id from contacts where id = any(${idList(ids)}) order by id for no key update`);
  await db.execute(sql`delete from content_consumption where workspace_id = ${workspaceId} and contact_id = any(${idList(ids)})`);
  if (!m.size) return 0;
  const res = await db.execute(sql`
    with pending as (select distinct unnest(event_ids) as id from scoring_inbox where workspace_id = ${workspaceId})
    select e.contact_id, e.type, e.event, e.page_url, e.page_path, e.properties, e.context, e.timestamp from events e
    where e.contact_id = any(${idList(ids)}) and e.workspace_id = ${workspaceId} and ${PAGE_OR_READ}
      and not (e.id in (select id from pending)
               and not exists (select 1 from score_seen s where s.contact_id = e.contact_id and s.event_id = e.id))`);
  return upsertConsumption(db, workspaceId, accumulate(m, res.rows as unknown as EventRow[]));
}

type DailyAcc = Map<string, { itemId: number; day: string; views: number; anon: number; reads: number; depthSum: number; seconds: number }>;

function addDaily(acc: DailyAcc, m: ContentMatcher, e: EventRow): void {
  const itemId = m.match(pageRefOfEvent(e));
  if (itemId === null) return;
  const day = new Date(e.timestamp).toISOString().slice(0, 10);
  const key = `${itemId}:${day}`;
  const c = eventContribution(e);
  const a = acc.get(key) ?? { itemId, day, views: 0, anon: 0, reads: 0, depthSum: 0, seconds: 0 };
  a.views += c.views;
  if (e.contact_id == null) a.anon += c.views;
  a.reads += c.reads;
  a.depthSum += c.depth;
  a.seconds += c.seconds;
  acc.set(key, a);
}

async function writeDaily(db: Queryable, workspaceId: number, acc: DailyAcc): Promise<void> {
  const rows = [...acc.values()];
  if (!rows.length) return;
  await db.execute(sql`
    insert into content_daily (item_id, day, workspace_id, views, anonymous_views, reads, depth_sum, active_seconds)
    select u.item_id, u.day, ${workspaceId}, u.views, u.anon, u.reads, u.depth_sum, u.seconds
    from unnest(${sql.param(rows.map((r) => r.itemId))}::int4[], ${sql.param(rows.map((r) => r.day))}::date[],
                ${sql.param(rows.map((r) => r.views))}::int4[], ${sql.param(rows.map((r) => r.anon))}::int4[],
                ${sql.param(rows.map((r) => r.reads))}::int4[], ${sql.param(rows.map((r) => r.depthSum))}::float4[],
                ${sql.param(rows.map((r) => r.seconds))}::int4[]) as u(item_id, day, views, anon, reads, depth_sum, seconds)
    on conflict (item_id, day) do update set views = content_daily.views + excluded.views,
      anonymous_views = content_daily.anonymous_views + excluded.anonymous_views, reads = content_daily.reads + excluded.reads,
      depth_sum = content_daily.depth_sum + excluded.depth_sum, active_seconds = content_daily.active_seconds + excluded.active_seconds`);
}

/** Events received this long ago or more are counted (commits in flight have landed by then). */
export const DAILY_LAG_MS = 5_000;

/**
 * Counts the events received since the watermark into content_daily and moves the watermark, in one
 * transaction (the caller's). The first run starts at the current time (history comes from the rebuild).
 */
export async function countNewDailyViews(db: Queryable, workspaceId: number, now: Date = new Date()): Promise<number> {
  const upTo = new Date(now.getTime() - DAILY_LAG_MS);
  const st = await db.execute(sql`select received_up_to from content_daily_state where workspace_id = ${workspaceId} for update`);
  if (!st.rows.length) {
    await db.execute(sql`insert into content_daily_state (workspace_id, received_up_to) values (${workspaceId}, ${upTo.toISOString()}) on conflict do nothing`);
    return 0;
  }
  const from = new Date((st.rows[0] as { received_up_to: string | Date }).received_up_to);
  if (from >= upTo) return 0;
  const m = await loadMatcher(db, workspaceId);
  let n = 0;
  if (m.size) {
    const acc: DailyAcc = new Map();
    const sources = await db.execute(sql`select id from sources where workspace_id = ${workspaceId}`);
    for (const s of sources.rows) {
      const res = await db.execute(sql`
        select contact_id, type, event, page_url, page_path, properties, context, timestamp from events
        where source_id = ${Number(s.id)} and received_at > ${from.toISOString()}::timestamptz and received_at <= ${upTo.toISOString()}::timestamptz
          and workspace_id = ${workspaceId} and ${PAGE_OR_READ}`);
      for (const e of res.rows as unknown as EventRow[]) addDaily(acc, m, e);
      n += res.rows.length;
    }
    await writeDaily(db, workspaceId, acc);
  }
  await db.execute(sql`update content_daily_state set received_up_to = ${upTo.toISOString()}, updated_at = now() where workspace_id = ${workspaceId}`);
  return n;
}

/** Rebuilds content_daily from every event up to now − lag, and sets the watermark there (one transaction). */
export async function rebuildDaily(db: Queryable, workspaceId: number, now: Date = new Date()): Promise<void> {
  const upTo = new Date(now.getTime() - DAILY_LAG_MS);
  await db.execute(sql`insert into content_daily_state (workspace_id, received_up_to) values (${workspaceId}, ${upTo.toISOString()})
    on conflict (workspace_id) do update set received_up_to = excluded.received_up_to, updated_at = now()`);
  await db.execute(sql`select 1 from content_daily_state where workspace_id = ${workspaceId} for update`);
  await db.execute(sql`delete from content_daily where workspace_id = ${workspaceId}`);
  const m = await loadMatcher(db, workspaceId);
  if (!m.size) return;
  let after = 0;
  for (;;) {
    const res = await db.execute(sql`
      select id, contact_id, type, event, page_url, page_path, properties, context, timestamp from events
      where workspace_id = ${workspaceId} and id > ${after} and received_at <= ${upTo.toISOString()}::timestamptz and ${PAGE_OR_READ}
      order by id limit 20000`);
    if (!res.rows.length) return;
    const acc: DailyAcc = new Map();
    for (const e of res.rows as unknown as EventRow[]) addDaily(acc, m, e);
    await writeDaily(db, workspaceId, acc);
    after = Number(res.rows[res.rows.length - 1]!.id);
  }
}
