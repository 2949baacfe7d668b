// Reading content items: the filtered list (newest first, keyset cursor), the item page (consumption summary,
// top readers, workflow history) and an item's consumption summary (C2/C3 reuse consumptionSummaries).
import { and, arrayContains, desc, eq, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ContentListQuery, WORKFLOW_STEPS, type ConsumptionSummary, type ContentItemDetail } from '../../contracts/content.ts';
import { fieldError, todayUtc, toItemDtos, WS } from './items-dto.ts';
import { loadItemRow } from './items.ts';
import { contentItems, contentWorkflowHistory } from './schema.ts';

function cursorId(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const m = /^[A-Za-z0-9_-]+$/.test(raw) ? /^c:([1-9]\d{0,15})$/.exec(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  if (!m) throw fieldError('cursor', 'is not a cursor returned by this list; start again from the first page');
  return Number(m[1]);
}

/** SQL for the overdue flag (same rule as isOverdue in items-dto.ts). */
function overdueSql(today: string): SQL {
  const idx = (col: SQL) => sql`array_position(${sql.param([...WORKFLOW_STEPS])}::text[], ${col})`;
  return sql`(${contentItems.status} <> 'retired' and (
    (${contentItems.dueDate} < ${today}::date and ${idx(sql`${contentItems.status}`)} < ${idx(sql`coalesce(${contentItems.dueStatus}, 'published')`)})
    or (${contentItems.publishDate} < ${today}::date and ${idx(sql`${contentItems.status}`)} < ${idx(sql`'published'`)})))`;
}

export async function listItems({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const q = ContentListQuery.parse(input ?? {});
  const conds: SQL[] = [eq(contentItems.workspaceId, WS)];
  if (q.stage?.length) conds.push(inArray(contentItems.stage, q.stage));
  if (q.type?.length) conds.push(inArray(contentItems.type, q.type));
  if (q.format?.length) conds.push(inArray(contentItems.format, q.format));
  if (q.status?.length) conds.push(inArray(contentItems.status, q.status));
  if (q.topic) conds.push(arrayContains(contentItems.topics, [q.topic]));
  if (q.segment) conds.push(arrayContains(contentItems.segments, [q.segment]));
  if (q.product) conds.push(arrayContains(contentItems.products, [q.product]));
  if (q.ownerId) conds.push(eq(contentItems.ownerId, q.ownerId));
  if (q.overdue !== undefined) conds.push(q.overdue ? overdueSql(todayUtc()) : sql`not ${overdueSql(todayUtc())}`);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conds.push(or(ilike(contentItems.title, like), ilike(contentItems.summary, like), eq(contentItems.externalId, q.q), sql`exists (select 1 from content_urls u where u.item_id = ${contentItems.id} and u.url ilike ${like})`)!);
  }
  const before = cursorId(q.cursor);
  const rows = await ctx.db
    .select()
    .from(contentItems)
    .where(and(...conds, before ? lt(contentItems.id, before) : undefined))
    .orderBy(desc(contentItems.id))
    .limit(q.limit + 1);
  const pageRows = rows.slice(0, q.limit);
  const [{ n }] = (await ctx.db.execute(sql`select count(*)::int as n from (select 1 from content_items where ${and(...conds)} limit 10001) t`)).rows as [{ n: number }];
  return {
    items: await toItemDtos(ctx.db, pageRows),
    nextCursor: rows.length > q.limit ? Buffer.from(`c:${pageRows[pageRows.length - 1]!.id}`).toString('base64url') : null,
    total: { count: Math.min(n, 10_000), capped: n > 10_000 },
  };
}

const EMPTY: ConsumptionSummary = { views: 0, anonymousViews: 0, readers: 0, avgDepthPct: null, activeSeconds: 0, lastViewedAt: null };

/**
 * Consumption per item: views (everyone, from content_daily; items whose daily counter is behind fall back to the
 * known readers' views), readers (known contacts), average read depth (read sessions), active seconds.
 */
export async function consumptionSummaries(db: Queryable, itemIds: readonly number[]): Promise<Map<number, ConsumptionSummary>> {
  const out = new Map<number, ConsumptionSummary>();
  if (!itemIds.length) return out;
  const ids = sql.param([...itemIds]);
  const [daily, known] = await Promise.all([
    db.execute(sql`select item_id, sum(views)::int as views, sum(anonymous_views)::int as anon, sum(reads)::int as reads,
                     sum(depth_sum)::float8 as depth_sum, sum(active_seconds)::int as seconds
                   from content_daily where item_id = any(${ids}::int4[]) group by item_id`),
    db.execute(sql`select item_id, count(*)::int as readers, sum(views)::int as views, sum(reads)::int as reads,
                     avg(max_depth_pct) filter (where reads > 0)::float8 as depth, sum(active_seconds)::int as seconds, max(last_at) as last_at
                   from content_consumption where item_id = any(${ids}::int4[]) group by item_id`),
  ]);
  const d = new Map((daily.rows as Record<string, any>[]).map((r) => [Number(r.item_id), r]));
  const k = new Map((known.rows as Record<string, any>[]).map((r) => [Number(r.item_id), r]));
  for (const id of itemIds) {
    const a = d.get(id);
    const b = k.get(id);
    if (!a && !b) {
      out.set(id, EMPTY);
      continue;
    }
    const dailyViews = Number(a?.views ?? 0);
    const knownViews = Number(b?.views ?? 0);
    const reads = Number(a?.reads ?? 0);
    out.set(id, {
      views: Math.max(dailyViews, knownViews),
      anonymousViews: Number(a?.anon ?? 0),
      readers: Number(b?.readers ?? 0),
      avgDepthPct: reads > 0 ? Math.round(Number(a!.depth_sum) / reads) : b?.depth != null ? Math.round(Number(b.depth)) : null,
      activeSeconds: Math.max(Number(a?.seconds ?? 0), Number(b?.seconds ?? 0)),
      lastViewedAt: b?.last_at ? new Date(b.last_at).toISOString() : null,
    });
  }
  return out;
}

export async function getItemDetail({ ctx, id }: { ctx: Ctx; id: number }): Promise<ContentItemDetail> {
  const row = await loadItemRow(ctx.db, id);
  const [[item], sums, history, readers] = await Promise.all([
    toItemDtos(ctx.db, [row]),
    consumptionSummaries(ctx.db, [id]),
    ctx.db.select().from(contentWorkflowHistory).where(eq(contentWorkflowHistory.itemId, id)).orderBy(desc(contentWorkflowHistory.occurredAt), desc(contentWorkflowHistory.id)),
    ctx.db.execute(sql`select cc.contact_id, c.email, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as name, cc.views, cc.max_depth_pct, cc.active_seconds, cc.last_at
                       from content_consumption cc join contacts c on c.id = cc.contact_id where cc.item_id = ${id} order by cc.last_at desc limit 20`),
  ]);
  return {
    ...item!,
    consumption: sums.get(id)!,
    history: history.map((h) => ({ id: h.id, fromStatus: h.fromStatus, toStatus: h.toStatus, note: h.note, skippedReview: h.skippedReview, actor: h.actorLabel, occurredAt: h.occurredAt.toISOString() })),
    readers: (readers.rows as Record<string, any>[]).map((r) => ({
      contactId: Number(r.contact_id),
      email: r.email,
      name: r.name,
      views: Number(r.views),
      maxDepthPct: Number(r.max_depth_pct),
      activeSeconds: Number(r.active_seconds),
      lastAt: new Date(r.last_at).toISOString(),
    })),
  };
}
