// Content influence: the pipeline (deals created in the window) and revenue (deals won in the window) whose
// contacts read the item (or clicked an email carrying it) before the deal was created / won — touched, not credited (the attribution models
// credit) — per content item and per content stage (a deal counts once per stage).
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { AttributionQuery, type ContentInfluenceReport } from '../../contracts/analytics.ts';
import { dealWindow } from './attribution.ts';
import { touchScope } from './keys.ts';
import { contactFilters, resolvedTouches, touchSource, WS } from './query.ts';

export async function contentInfluence({ ctx, input }: { ctx: Pick<Ctx, 'db'>; input: unknown }): Promise<ContentInfluenceReport> {
  const q = AttributionQuery.parse(input);
  const db = ctx.db;
  const source = await touchSource(db, q.source);
  const filters = await contactFilters(db, q, sql`fdc.contact_id`, source);
  const touched = sql`
    with won as ${dealWindow({ ...q, basis: 'won' }, filters)},
    pipe as ${dealWindow({ ...q, basis: 'pipeline' }, filters)},
    deals_in as (select id, cents, conv_at, 'won' as kind from won union all select id, cents, conv_at, 'pipeline' from pipe),
    hit as (
      select distinct di.id, di.cents, di.kind, t.content_item_id as item_id, t.contact_id
      from deals_in di join deal_contacts dc on dc.deal_id = di.id
      join ${resolvedTouches(source)} t on t.contact_id = dc.contact_id and ${touchScope('content')} and t.occurred_at <= di.conv_at
    ),
    per_deal as (select distinct id, cents, kind, item_id from hit)`;
  const rows = (
    await db.execute(sql`${touched}
      select i.id as item_id, i.title, i.stage,
             coalesce(sum(p.cents) filter (where p.kind = 'pipeline'), 0)::float8 as pipeline,
             coalesce(sum(p.cents) filter (where p.kind = 'won'), 0)::float8 as revenue,
             count(distinct p.id)::int as deals,
             (select count(distinct h.contact_id) from hit h where h.item_id = i.id)::int as contacts
      from per_deal p join content_items i on i.id = p.item_id and i.workspace_id = ${WS}
      group by i.id, i.title, i.stage
      order by revenue desc, pipeline desc, i.id
      limit 500`)
  ).rows as { item_id: number; title: string; stage: string | null; pipeline: number; revenue: number; deals: number; contacts: number }[];
  const byStage = (
    await db.execute(sql`${touched},
      per_stage as (select distinct p.id, p.cents, p.kind, i.stage, p.item_id from per_deal p join content_items i on i.id = p.item_id)
      select stage,
             coalesce((select sum(x.cents) from (select distinct id, cents from per_stage s2 where s2.stage = s.stage and s2.kind = 'pipeline') x), 0)::float8 as pipeline,
             coalesce((select sum(x.cents) from (select distinct id, cents from per_stage s2 where s2.stage = s.stage and s2.kind = 'won') x), 0)::float8 as revenue,
             count(distinct item_id)::int as items
      from per_stage s group by stage order by stage`)
  ).rows as { stage: string; pipeline: number; revenue: number; items: number }[];
  return {
    rows: rows.map((r) => ({ contentItemId: Number(r.item_id), title: r.title, stage: r.stage, pipelineCents: Math.round(r.pipeline), revenueCents: Math.round(r.revenue), deals: r.deals, contacts: r.contacts })),
    byStage: byStage.map((s) => ({ stage: s.stage, pipelineCents: Math.round(s.pipeline), revenueCents: Math.round(s.revenue), items: s.items })),
  };
}
