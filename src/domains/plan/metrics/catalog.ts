// The built-in metric catalog, computed from live data (lifecycle transitions, deals, content items). Each
// metric: one number for [from, to] (UTC days, inclusive). Import this module once (the objectives service does)
// to register them. Conversion and velocity are defined for each step of the funnel FUNNEL_STEPS.
import { sql } from 'drizzle-orm';
import { CONTENT_STAGES, CONTENT_TYPES } from '../../../contracts/content.ts';
import { LIFECYCLE_LABELS, type LifecycleStage } from '../../../contracts/contacts.ts';
import { bounds, contactFilterSql } from './filters.ts';
import { registerMetric, type MetricComputeArgs } from './registry.ts';

const WS = 1;
/** The funnel, in order; a contact "reached" a stage when it entered it or any later one. */
export const FUNNEL: LifecycleStage[] = ['lead', 'marketing_qualified', 'sales_ready', 'sales_accepted', 'opportunity', 'customer'];
export const FUNNEL_STEPS: [LifecycleStage, LifecycleStage][] = FUNNEL.slice(0, -1).map((s, i) => [s, FUNNEL[i + 1]!]);
const SHORT: Partial<Record<LifecycleStage, string>> = { marketing_qualified: 'mql', sales_ready: 'sales_ready', sales_accepted: 'sales_accepted' };
const short = (s: LifecycleStage) => SHORT[s] ?? s;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Distinct contacts that entered `stage` in the period. */
function entered(stage: LifecycleStage) {
  return async ({ ctx, from, to, filters }: MetricComputeArgs) => {
    const { start, end } = bounds(from, to);
    const f = await contactFilterSql(ctx.db, sql`t.contact_id`, filters);
    const res = await ctx.db.execute(sql`
      select count(distinct t.contact_id)::int as n from lifecycle_transitions t
      where t.workspace_id = ${WS} and t.to_stage = ${stage} and t.occurred_at >= ${start} and t.occurred_at < ${end} and ${f}`);
    return num((res.rows[0] as { n: number }).n);
  };
}

const contactFilters: ('segmentId' | 'campaignId' | 'product')[] = ['segmentId', 'campaignId', 'product'];

registerMetric({ key: 'leads.new', label: 'New leads', unit: 'contacts', better: 'up', kind: 'flow', filters: contactFilters, description: 'Contacts that entered the Lead stage in the period', compute: entered('lead') });
registerMetric({ key: 'leads.mql', label: 'MQLs', unit: 'contacts', better: 'up', kind: 'flow', filters: contactFilters, description: 'Contacts that became marketing-qualified in the period', compute: entered('marketing_qualified') });
registerMetric({ key: 'leads.sales_ready', label: 'Sales-ready leads', unit: 'contacts', better: 'up', kind: 'flow', filters: contactFilters, description: 'Contacts that became sales-ready in the period', compute: entered('sales_ready') });
registerMetric({ key: 'customers.new', label: 'New customers', unit: 'contacts', better: 'up', kind: 'flow', filters: contactFilters, description: 'Contacts that became customers in the period', compute: entered('customer') });

/** Deals with (when filtered) at least one contact matching the filters. */
async function dealFilter(args: MetricComputeArgs) {
  if (args.filters.segmentId === undefined && args.filters.campaignId === undefined && args.filters.product === undefined) return sql`true`;
  const f = await contactFilterSql(args.ctx.db, sql`dc.contact_id`, args.filters);
  return sql`d.id in (select dc.deal_id from deal_contacts dc where ${f})`;
}

registerMetric({
  key: 'deals.opportunities',
  label: 'Opportunities',
  unit: 'deals',
  better: 'up',
  kind: 'flow',
  filters: contactFilters,
  description: 'Deals (opportunities) created in the period; filtered: deals with a contact in the segment / touched by the campaign',
  async compute(args) {
    const { start, end } = bounds(args.from, args.to);
    const res = await args.ctx.db.execute(sql`select count(*)::int as n from deals d where d.workspace_id = ${WS} and d.created_at >= ${start} and d.created_at < ${end} and ${await dealFilter(args)}`);
    return num((res.rows[0] as { n: number }).n);
  },
});
registerMetric({
  key: 'deals.pipeline_value',
  label: 'Pipeline value',
  unit: 'USD',
  better: 'up',
  kind: 'flow',
  filters: contactFilters,
  description: 'Sum of the amounts of the deals created in the period (pipeline generated)',
  async compute(args) {
    const { start, end } = bounds(args.from, args.to);
    const res = await args.ctx.db.execute(sql`select coalesce(sum(d.amount), 0)::float8 as v from deals d where d.workspace_id = ${WS} and d.created_at >= ${start} and d.created_at < ${end} and ${await dealFilter(args)}`);
    return num((res.rows[0] as { v: number }).v);
  },
});
registerMetric({
  key: 'deals.won_revenue',
  label: 'Won revenue',
  unit: 'USD',
  better: 'up',
  kind: 'flow',
  filters: contactFilters,
  description: 'Sum of the amounts of the deals won in the period',
  async compute(args) {
    const { start, end } = bounds(args.from, args.to);
    const res = await args.ctx.db.execute(sql`
      select coalesce(sum(d.amount), 0)::float8 as v from deals d
      where d.workspace_id = ${WS} and d.stage = 'won' and coalesce(d.won_at, d.closed_at, d.updated_at) >= ${start} and coalesce(d.won_at, d.closed_at, d.updated_at) < ${end} and ${await dealFilter(args)}`);
    return num((res.rows[0] as { v: number }).v);
  },
});

for (const [a, b] of FUNNEL_STEPS) {
  const later = FUNNEL.slice(FUNNEL.indexOf(b));
  registerMetric({
    key: `conversion.${short(a)}_to_${short(b)}`,
    label: `Conversion ${LIFECYCLE_LABELS[a]} → ${LIFECYCLE_LABELS[b]}`,
    unit: '%',
    better: 'up',
    kind: 'level',
    filters: contactFilters,
    description: `Of the contacts that entered ${LIFECYCLE_LABELS[a]} in the period, the share that reached ${LIFECYCLE_LABELS[b]} or a later stage afterwards (by the end of the period)`,
    async compute({ ctx, from, to, filters }) {
      const { start, end } = bounds(from, to);
      const f = await contactFilterSql(ctx.db, sql`t.contact_id`, filters);
      const res = await ctx.db.execute(sql`
        with cohort as (
          select t.contact_id, min(t.occurred_at) as at from lifecycle_transitions t
          where t.workspace_id = ${WS} and t.to_stage = ${a} and t.occurred_at >= ${start} and t.occurred_at < ${end} and ${f}
          group by t.contact_id)
        select count(*)::int as n,
               count(*) filter (where exists (select 1 from lifecycle_transitions u where u.contact_id = c.contact_id and u.to_stage = any(${sql.param(later)}::text[]) and u.occurred_at >= c.at and u.occurred_at < ${end}))::int as k
        from cohort c`);
      const r = res.rows[0] as { n: number; k: number };
      return r.n ? Math.round((1000 * r.k) / r.n) / 10 : null;
    },
  });
  registerMetric({
    key: `velocity.${short(a)}_to_${short(b)}`,
    label: `Velocity ${LIFECYCLE_LABELS[a]} → ${LIFECYCLE_LABELS[b]}`,
    unit: 'days',
    better: 'down',
    kind: 'level',
    filters: contactFilters,
    description: `Median days from entering ${LIFECYCLE_LABELS[a]} to entering ${LIFECYCLE_LABELS[b]}, over the contacts that entered ${LIFECYCLE_LABELS[b]} in the period (from their latest entry into ${LIFECYCLE_LABELS[a]} before it)`,
    async compute({ ctx, from, to, filters }) {
      const { start, end } = bounds(from, to);
      const f = await contactFilterSql(ctx.db, sql`t.contact_id`, filters);
      const res = await ctx.db.execute(sql`
        select percentile_cont(0.5) within group (order by extract(epoch from (t.occurred_at - p.at)) / 86400)::float8 as v
        from lifecycle_transitions t
        cross join lateral (select max(u.occurred_at) as at from lifecycle_transitions u where u.contact_id = t.contact_id and u.to_stage = ${a} and u.occurred_at <= t.occurred_at) p
        where t.workspace_id = ${WS} and t.to_stage = ${b} and t.occurred_at >= ${start} and t.occurred_at < ${end} and p.at is not null and ${f}`);
      const v = num((res.rows[0] as { v: number | null }).v);
      return v === null ? null : Math.round(v * 10) / 10;
    },
  });
}

registerMetric({
  key: 'content.coverage',
  label: 'Content coverage',
  unit: '%',
  better: 'up',
  kind: 'level',
  filters: ['product'],
  description: `Share of the ${CONTENT_STAGES.length} buying stages × ${CONTENT_TYPES.length} content types (cells) with at least one item published by the end of the period (and not retired); product: items for that product`,
  async compute({ ctx, to, filters }) {
    const { end } = bounds(to, to);
    const product = filters.product ? sql`and ${filters.product} = any(ci.products)` : sql``;
    const res = await ctx.db.execute(sql`
      select count(distinct (ci.stage, ci.type))::int as n from content_items ci
      where ci.workspace_id = ${WS} and ci.status in ('published', 'audited')
        and coalesce(ci.published_at, ci.publish_date::timestamptz, ci.created_at) < ${end} ${product}`);
    const n = (res.rows[0] as { n: number }).n;
    return Math.round((1000 * n) / (CONTENT_STAGES.length * CONTENT_TYPES.length)) / 10;
  },
});
