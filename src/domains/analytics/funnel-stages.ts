// The funnel's stage figures, in total and per period: entries, conversion to a later funnel stage, yield
// (became a customer), velocity (median / p90 days in the stage), plus the stage flows and entries per period.
// Cohorts: `activity` counts what happened in the window (per period: in the period; velocity of the spans that
// ended in it); `entry` follows the contacts who entered a stage in the window (per period: who entered in the
// period), whenever they moved on. Flows come from the daily rollup (UTC days, no filters) or the transitions.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { FunnelQuery, FunnelReport } from '../../contracts/analytics.ts';
import { FUNNEL } from '../lifecycle/graph.ts';
import { periodOf, windowOf, WS } from './query.ts';

export const SIDE_STAGES = ['recycled', 'disqualified'] as const;
export const ALL_STAGES = [...FUNNEL, ...SIDE_STAGES];

const later = (stage: string): string[] => {
  const i = FUNNEL.indexOf(stage as (typeof FUNNEL)[number]);
  return i < 0 ? [] : FUNNEL.slice(i + 1);
};

async function rowsOf<T>(db: Queryable, q: SQL): Promise<T[]> {
  return (await db.execute(q)).rows as T[];
}

type StageRow = FunnelReport['stages'][number];
type Counts = { entered: number; converted: number; yielded: number };
type Vel = { median: number | null; p90: number | null };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function stageRows(counts: Map<string, Counts>, vel: Map<string, Vel>): StageRow[] {
  return ALL_STAGES.map((stage) => {
    const c = counts.get(stage) ?? { entered: 0, converted: 0, yielded: 0 };
    const isFunnel = (FUNNEL as readonly string[]).includes(stage) && stage !== 'customer';
    const converted = isFunnel ? c.converted : 0;
    const v = vel.get(stage);
    return {
      stage,
      entered: c.entered,
      converted,
      conversionRate: c.entered > 0 && isFunnel ? converted / c.entered : null,
      yieldRate: c.entered > 0 ? Math.min(1, c.yielded / c.entered) : null,
      medianDays: v?.median == null ? null : Number(v.median),
      p90Days: v?.p90 == null ? null : Number(v.p90),
    };
  });
}

export interface StageMetrics {
  stages: StageRow[];
  periods: FunnelReport['periods'];
  flows: FunnelReport['flows'];
  trend: FunnelReport['trend'];
}

/**
 * `filter`: a condition on `lt.contact_id` (the contact filters); `spansFromRollup`: read the span rollup
 * (analytics_spans, same rows) instead of computing the spans from the transitions.
 */
export async function stageMetrics(db: Queryable, q: FunnelQuery, source: 'rollup' | 'raw', filter: SQL, spansFromRollup: boolean): Promise<StageMetrics> {
  const w = windowOf(q);
  const inWindow = (col: SQL) => sql`${col} >= ${w.start} and ${col} < ${w.end}`;

  // Flows (from → to) per period; the totals and the entries per period are their sums.
  const periodFlows =
    source === 'rollup'
      ? await rowsOf<{ period: string; from: string; to: string; n: number }>(db, sql`
          select ${periodOf(sql`(s.day::timestamp at time zone 'UTC')`, q.interval, 'UTC')} as period, s.from_stage as "from", s.to_stage as "to", sum(s.n)::int as n
          from analytics_stage_daily s where s.workspace_id = ${WS} and s.day >= ${q.from}::date and s.day <= ${q.to}::date group by 1, 2, 3`)
      : await rowsOf<{ period: string; from: string; to: string; n: number }>(db, sql`
          select ${periodOf(sql`lt.occurred_at`, q.interval, q.tz)} as period, coalesce(lt.from_stage, '') as "from", lt.to_stage as "to", count(*)::int as n
          from lifecycle_transitions lt where lt.workspace_id = ${WS} and ${inWindow(sql`lt.occurred_at`)} and ${filter} group by 1, 2, 3`);
  const sumBy = <K extends string>(keyOf: (f: (typeof periodFlows)[number]) => string, split: (k: string) => Record<K, string>) => {
    const m = new Map<string, number>();
    for (const f of periodFlows) m.set(keyOf(f), (m.get(keyOf(f)) ?? 0) + f.n);
    return [...m.entries()].sort(([a], [b]) => cmp(a, b)).map(([k, n]) => ({ ...split(k), n }));
  };
  const SEP = '\u0001';
  const flows = sumBy((f) => f.from + SEP + f.to, (k) => ({ from: k.split(SEP)[0]!, to: k.split(SEP)[1]! })).map(({ from, to, n }) => ({ from, to, n }));
  const trend = sumBy((f) => f.period + SEP + f.to, (k) => ({ period: k.split(SEP)[0]!, stage: k.split(SEP)[1]! })).map(({ period, stage, n }) => ({ period, stage, entered: n }));

  // Spans: each stage a contact entered, until its next transition.
  const spans = spansFromRollup
    ? sql`spans as (select s.contact_id, s.stage, s.entered_at, s.left_at from analytics_spans s where s.workspace_id = ${WS})`
    : sql`
    spans as (
      select lt.contact_id, lt.to_stage as stage, lt.occurred_at as entered_at,
             lead(lt.occurred_at) over w as left_at
      from lifecycle_transitions lt
      where lt.workspace_id = ${WS} and ${filter}
      window w as (partition by lt.contact_id order by lt.occurred_at, lt.id)
    )`;
  // Velocity, in total (period null) and per period: spans that ended in the window (activity) or began in it (entry).
  const velocityCol = q.cohort === 'activity' ? sql`left_at` : sql`entered_at`;
  const velocity = await rowsOf<{ period: string | null; stage: string; median: number | null; p90: number | null }>(
    db,
    sql`with ${spans}
        select period, stage, pc[1] as median, pc[2] as p90 from (
          select period, stage, percentile_cont(array[0.5, 0.9]) within group (order by days) as pc
          from (select ${periodOf(velocityCol, q.interval, q.tz)} as period, stage, extract(epoch from left_at - entered_at) / 86400 as days
                from spans where left_at is not null and ${inWindow(velocityCol)}) x
          group by grouping sets ((stage), (stage, period))) v`,
  );

  const counts = new Map<string, Map<string, Counts>>(); // period ('' = total) → stage → counts
  const add = (period: string, stage: string, k: keyof Counts, n: number) => {
    let m = counts.get(period);
    if (!m) counts.set(period, (m = new Map()));
    const c = m.get(stage) ?? { entered: 0, converted: 0, yielded: 0 };
    c[k] += n;
    m.set(stage, c);
  };
  if (q.cohort === 'activity') {
    for (const f of periodFlows) {
      for (const p of ['', f.period]) {
        add(p, f.to, 'entered', f.n);
        if (later(f.from).includes(f.to)) add(p, f.from, 'converted', f.n);
      }
    }
    // Yield (activity): customers won in the period relative to each stage's entries in it.
    for (const [p, m] of counts) {
      const customers = m.get('customer')?.entered ?? 0;
      for (const s of ALL_STAGES) add(p, s, 'yielded', customers);
    }
  } else {
    // Entry cohort: contacts entering the stage in the window (first such entry), by the period they entered, and
    // whether they later reached a later funnel stage / customer (any time up to now).
    const cohort = await rowsOf<{ period: string | null; stage: string; entered: number; converted: number; yielded: number }>(
      db,
      sql`with ${spans},
          firsts0 as (select contact_id, stage, min(entered_at) as at from spans where ${inWindow(sql`entered_at`)} group by 1, 2),
          firsts as (select f0.*, ${periodOf(sql`f0.at`, q.interval, q.tz)} as period from firsts0 f0)
          select f.period, f.stage, count(*)::int as entered,
                 count(*) filter (where exists (select 1 from spans s2 where s2.contact_id = f.contact_id and s2.entered_at > f.at
                   and s2.stage = any(case f.stage ${sql.join(
                     FUNNEL.map((s) => sql`when ${s} then ${sql.param(later(s))}::text[]`),
                     sql` `,
                   )} else '{}'::text[] end)))::int as converted,
                 count(*) filter (where exists (select 1 from spans s3 where s3.contact_id = f.contact_id and s3.entered_at >= f.at and s3.stage = 'customer'))::int as yielded
          from firsts f group by grouping sets ((f.stage), (f.stage, f.period))`,
    );
    for (const c of cohort) {
      const p = c.period ?? '';
      add(p, c.stage, 'entered', c.entered);
      add(p, c.stage, 'converted', c.converted);
      add(p, c.stage, 'yielded', c.yielded);
    }
  }

  const vel = new Map<string, Map<string, Vel>>();
  for (const v of velocity) {
    const p = v.period ?? '';
    if (!vel.has(p)) vel.set(p, new Map());
    vel.get(p)!.set(v.stage, v);
  }
  const stages = stageRows(counts.get('') ?? new Map(), vel.get('') ?? new Map());
  const periodNames = [...new Set([...counts.keys(), ...vel.keys()])].filter((p) => p !== '').sort(cmp);
  const periods = periodNames.flatMap((period) =>
    stageRows(counts.get(period) ?? new Map(), vel.get(period) ?? new Map())
      .filter((r) => r.entered > 0 || r.medianDays !== null)
      .map((r) => ({ period, ...r })),
  );
  return { stages, periods, flows, trend };
}
