// Influence of one item: the contacts who consumed it and later became sales-ready, opportunity or customer
// (content_influence, recomputed by ./insights-refresh.ts from content_consumption and lifecycle_transitions),
// and the pipeline they carry (their distinct open or won deals).
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { NotFoundError } from '../../errors.ts';
import type { Influence } from '../../contracts/content-insights.ts';

const WS = 1;

export async function itemInfluence({ ctx, itemId }: { ctx: Pick<Ctx, 'db'>; itemId: number }): Promise<Influence> {
  const head = await ctx.db.execute(sql`
    select i.id, s.readers, s.influenced_pipeline, s.refreshed_at
    from content_items i left join content_item_stats s on s.item_id = i.id
    where i.id = ${itemId} and i.workspace_id = ${WS}`);
  const h = head.rows[0] as { id: number; readers: number | null; influenced_pipeline: string | null; refreshed_at: Date | null } | undefined;
  if (!h) throw new NotFoundError('Content item', itemId);
  const rows = (
    await ctx.db.execute(sql`
      select f.contact_id, c.email, f.reached_stage, f.first_read_at, f.reached_at,
             coalesce((select sum(dl.amount) from deal_contacts dc join deals dl on dl.id = dc.deal_id and dl.stage <> 'lost' where dc.contact_id = f.contact_id), 0) as pipeline
      from content_influence f join contacts c on c.id = f.contact_id
      where f.item_id = ${itemId}
      order by f.reached_at desc, f.contact_id
      limit 200`)
  ).rows as { contact_id: number; email: string | null; reached_stage: string; first_read_at: Date; reached_at: Date; pipeline: string }[];
  const counts = (
    await ctx.db.execute(sql`select reached_stage, count(*)::int as n from content_influence where item_id = ${itemId} group by reached_stage`)
  ).rows as { reached_stage: 'sales_ready' | 'opportunity' | 'customer'; n: number }[];
  const byStage = { sales_ready: 0, opportunity: 0, customer: 0 };
  for (const c of counts) byStage[c.reached_stage] = c.n;
  return {
    itemId,
    readers: Number(h.readers ?? 0),
    influencedContacts: byStage.sales_ready + byStage.opportunity + byStage.customer,
    influencedPipeline: Number(h.influenced_pipeline ?? 0),
    byStage,
    contacts: rows.map((r) => ({
      contactId: Number(r.contact_id),
      email: r.email,
      reachedStage: r.reached_stage,
      firstReadAt: new Date(r.first_read_at).toISOString(),
      reachedAt: new Date(r.reached_at).toISOString(),
      pipeline: Number(r.pipeline),
    })),
    refreshedAt: h.refreshed_at ? new Date(h.refreshed_at).toISOString() : null,
  };
}
