// The funnel from lifecycle_transitions: per stage entries, conversion to a later funnel stage, yield (became a
// customer), velocity (median / p90 days in the stage), the stage flows (Sankey, recycle and disqualify
// included), entries per period, and the nurture period (first touch → sales-ready) with its trend.
// Cohorts: `activity` counts what happened in the window; `entry` follows the contacts who entered a stage in
// the window, whenever they moved on. Flows and entries come from the daily rollup (UTC days, no filters) or
// from the transitions (any time zone, any filter); both give the same numbers.
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import { FunnelQuery, type FunnelReport } from '../../contracts/analytics.ts';
import { FUNNEL } from '../lifecycle/graph.ts';
import { and, contactFilters, periodOf, resolvedTouches, touchSource, windowOf, WS } from './query.ts';
import { rollupState } from './rollup.ts';

export const SIDE_STAGES = ['recycled', 'disqualified'] as const;
const ALL = [...FUNNEL, ...SIDE_STAGES];

const later = (stage: string): string[] => {
  const i = FUNNEL.indexOf(stage as (typeof FUNNEL)[number]);
  return i < 0 ? [] : FUNNEL.slice(i + 1);
};

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

  // Flows (from → to) and entries per period.
  let flows: { from: string; to: string; n: number }[];
  let trend: { period: string; stage: string; entered: number }[];
  if (source === 'rollup') {
    const days = sql`s.workspace_id = ${WS} and s.day >= ${q.from}::date and s.day <= ${q.to}::date`;
    flows = await rowsOf(db, sql`select s.from_stage as "from", s.to_stage as "to", sum(s.n)::int as n from analytics_stage_daily s where ${days} group by 1, 2 order by 1, 2`);
    trend = await rowsOf(db, sql`select ${periodOf(sql`(s.day::timestamp at time zone 'UTC')`, q.interval, 'UTC')} as period, s.to_stage as stage, sum(s.n)::int as entered
                                 from analytics_stage_daily s where ${days} group by 1, 2 order by 1, 2`);
  } else {
    const base = sql`lifecycle_transitions lt where lt.workspace_id = ${WS} and ${inWindow(sql`lt.occurred_at`)} and ${filter}`;
    flows = await rowsOf(db, sql`select coalesce(lt.from_stage, '') as "from", lt.to_stage as "to", count(*)::int as n from ${base} group by 1, 2 order by 1, 2`);
    trend = await rowsOf(db, sql`select ${periodOf(sql`lt.occurred_at`, q.interval, q.tz)} as period, lt.to_stage as stage, count(*)::int as entered from ${base} group by 1, 2 order by 1, 2`);
  }

  // Spans: each stage a contact entered, until its next transition (the span rollup when built, same rows).
  const derived = source === 'rollup' && (await rollupState(db)).derivedBuilt;
  const spans = derived
    ? sql`spans as (select s.contact_id, s.stage, s.entered_at, s.left_at from analytics_spans s where s.workspace_id = ${WS})`
    : sql`
    spans as (
      select lt.contact_id, lt.to_stage as stage, lt.occurred_at as entered_at,
             lead(lt.occurred_at) over w as left_at
      from lifecycle_transitions lt
      where lt.workspace_id = ${WS} and ${filter}
      window w as (partition by lt.contact_id order by lt.occurred_at, lt.id)
    )`;
  // Velocity: spans that ended in the window (activity) or began in it (entry cohort).
  const velocityCol = q.cohort === 'activity' ? sql`left_at` : sql`entered_at`;
  const velocity = await rowsOf<{ stage: string; median: number | null; p90: number | null }>(
    db,
    sql`with ${spans}
        select stage, pc[1] as median, pc[2] as p90 from (
          select stage, percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from left_at - entered_at) / 86400) as pc
          from spans where left_at is not null and ${inWindow(velocityCol)} group by stage) v`,
  );
  const vel = new Map(velocity.map((v) => [v.stage, v]));

  const entered = new Map<string, number>();
  const converted = new Map<string, number>();
  const yielded = new Map<string, number>();
  if (q.cohort === 'activity') {
    for (const f of flows) {
      entered.set(f.to, (entered.get(f.to) ?? 0) + f.n);
      if (later(f.from).includes(f.to)) converted.set(f.from, (converted.get(f.from) ?? 0) + f.n);
    }
    for (const s of ALL) yielded.set(s, entered.get('customer') ?? 0);
  } else {
    // Entry cohort: contacts entering the stage in the window (first such entry), and whether they later reached a later
    // funnel stage / customer (any time up to now).
    const cohort = await rowsOf<{ stage: string; entered: number; converted: number; yielded: number }>(
      db,
      sql`with ${spans},
          firsts as (select contact_id, stage, min(entered_at) as at from spans where ${inWindow(sql`entered_at`)} group by 1, 2)
          select f.stage, count(*)::int as entered,
                 count(*) filter (where exists (select 1 from spans s2 where s2.contact_id = f.contact_id and s2.entered_at > f.at
                   and s2.stage = any(case f.stage ${sql.join(
                     FUNNEL.map((s) => sql`when ${s} then ${sql.param(later(s))}::text[]`),
                     sql` `,
                   )} else '{}'::text[] end)))::int as converted,
                 count(*) filter (where exists (select 1 from spans s3 where s3.contact_id = f.contact_id and s3.entered_at >= f.at and s3.stage = 'customer'))::int as yielded
          from firsts f group by f.stage`,
    );
    for (const c of cohort) {
      entered.set(c.stage, c.entered);
      converted.set(c.stage, c.converted);
      yielded.set(c.stage, c.yielded);
    }
  }

  const stages = ALL.map((stage) => {
    const e = entered.get(stage) ?? 0;
    const isFunnel = (FUNNEL as readonly string[]).includes(stage) && stage !== 'customer';
    const c = isFunnel ? (converted.get(stage) ?? 0) : 0;
    const y = yielded.get(stage) ?? 0;
    const v = vel.get(stage);
    return {
      stage,
      entered: e,
      converted: c,
      conversionRate: e > 0 && isFunnel ? c / e : null,
      yieldRate: e > 0 ? Math.min(1, y / e) : null,
      medianDays: v?.median == null ? null : Number(v.median),
      p90Days: v?.p90 == null ? null : Number(v.p90),
    };
  });

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
