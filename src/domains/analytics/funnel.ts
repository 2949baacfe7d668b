// The funnel from lifecycle_transitions: per stage entries, conversion to a later funnel stage, yield (became a
// customer), velocity (median / p90 days in the stage), in total and per period (./funnel-stages.ts), the stage
// flows (Sankey, recycle and disqualify included), entries per period, a breakdown by segment / campaign /
// channel / product / owner (./funnel-breakdown.ts), and the nurture period (first touch → sales-ready) with its trend.
// Cohorts: `activity` counts what happened in the window; `entry` follows the contacts who entered a stage in
// the window, whenever they moved on. Flows and entries come from the daily rollup (UTC days, no filters) or
// from the transitions (any time zone, any filter); both give the same numbers.
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import { FunnelQuery, type FunnelReport } from '../../contracts/analytics.ts';
import { funnelBreakdown } from './funnel-breakdown.ts';
import { stageMetrics } from './funnel-stages.ts';
import { and, contactFilters, periodOf, resolvedTouches, touchSource, windowOf, WS } from './query.ts';
import { rollupState } from './rollup.ts';

export { SIDE_STAGES } from './funnel-stages.ts';

function hasFilters(q: FunnelQuery): boolean {
  return q.segmentId !== undefined || q.product !== undefined || q.ownerId !== undefined || q.campaignId !== undefined || q.channel !== undefined;
}

async function funnelSource(db: Queryable, q: FunnelQuery): Promise<'rollup' | 'raw'> {
  const rollupOk = q.tz === 'UTC' && !hasFilters(q);
  if (q.source === 'rollup' && !rollupOk) {
    throw new ValidationError('source: the stage rollup is by UTC day without filters; use source=raw (or auto) for this view', [
      { field: 'source', message: 'rollup needs tz=UTC and no filters' },
    ]);
  }
  if (q.source !== 'auto') return q.source;
  return rollupOk && (await rollupState(db)).refreshedAt ? 'rollup' : 'raw';
}

async function rowsOf<T>(db: Queryable, q: SQL): Promise<T[]> {
  return (await db.execute(q)).rows as T[];
}

export async function funnel({ ctx, input }: { ctx: Pick<Ctx, 'db'>; input: unknown }): Promise<FunnelReport> {
  const q = FunnelQuery.parse(input);
  const db = ctx.db;
  const source = await funnelSource(db, q);
  const touchSrc = await touchSource(db, 'auto');
  const w = windowOf(q);
  const filter = and(await contactFilters(db, q, sql`lt.contact_id`, touchSrc));
  const inWindow = (col: SQL) => sql`${col} >= ${w.start} and ${col} < ${w.end}`;

  // Stage figures in total and per period, flows, entries per period (./funnel-stages.ts).
  const derived = source === 'rollup' && (await rollupState(db)).derivedBuilt;
  const { stages, periods, flows, trend } = await stageMetrics(db, q, source, filter, derived);
  const breakdown = q.breakdown ? await funnelBreakdown(db, q, q.breakdown, touchSrc) : null;

  // Nurture period: first touch (or creation) → first sales-ready, for contacts first sales-ready in the window.
  // From the nurture rollup when the funnel reads the rollups; else from the transitions, with first touches from
  // the path rollup's first_at (one row per touched contact, kept with the touches) when built.
  const derivedTouches = touchSrc === 'rollup' && (await rollupState(db)).derivedBuilt;
  const firstTouch = derivedTouches
    ? sql`select p.contact_id, p.first_at as at from analytics_paths p where p.workspace_id = ${WS} and p.contact_id in (select contact_id from srw)`
    : sql`select t.contact_id, min(t.occurred_at) as at from ${resolvedTouches(touchSrc)} t where t.contact_id in (select contact_id from srw) group by t.contact_id`;
  const nurtureDays = derived
    ? sql`d as (select n.sales_ready_at as at, extract(epoch from n.sales_ready_at - n.started_at) / 86400 as days
                from analytics_nurture n where n.workspace_id = ${WS} and ${inWindow(sql`n.sales_ready_at`)})`
    : sql`sr as (
          select lt.contact_id, min(lt.occurred_at) as at from lifecycle_transitions lt
          where lt.workspace_id = ${WS} and lt.to_stage = 'sales_ready' and ${filter} group by lt.contact_id
        ), srw as (select * from sr where ${inWindow(sql`sr.at`)}
        ), ft as (
          ${firstTouch}
        ), d as (
          select srw.at, extract(epoch from srw.at - least(c.created_at, coalesce(ft.at, c.created_at))) / 86400 as days
          from srw join contacts c on c.id = srw.contact_id left join ft on ft.contact_id = srw.contact_id
        )`;
  const nurtureRows = await rowsOf<{ period: string | null; contacts: number; median: number | null; p90: number | null }>(
    db,
    sql`with ${nurtureDays}
        select period, contacts, pc[1] as median, pc[2] as p90 from (
          select ${periodOf(sql`d.at`, q.interval, q.tz)} as period, count(*)::int as contacts,
                 percentile_cont(array[0.5, 0.9]) within group (order by greatest(days, 0)) as pc
          from d group by rollup (1)) n order by 1 nulls first`,
  );
  const total = nurtureRows.find((r) => r.period === null);
  return {
    from: q.from,
    to: q.to,
    tz: q.tz,
    cohort: q.cohort,
    source,
    stages,
    periods,
    breakdown,
    flows,
    trend,
    nurture: {
      contacts: total?.contacts ?? 0,
      medianDays: total?.median == null ? null : Number(total.median),
      p90Days: total?.p90 == null ? null : Number(total.p90),
      trend: nurtureRows.filter((r) => r.period !== null).map((r) => ({ period: r.period!, contacts: r.contacts, medianDays: r.median == null ? null : Number(r.median) })),
    },
  };
}
