// First and last touch credited in SQL: each deal's whole amount goes to its oldest (first) or newest (last) touch
// in the journey order of ./attribution.ts (occurred_at, then source key), so no cent split is needed and the
// journeys never leave the database — one row per credit key comes back (the report the verb builds from the
// journeys for these models, to the cent: ./rollup-derived.test.ts and attribution.test.ts compare them).
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { AttributionQuery, AttributionReport } from '../../contracts/analytics.ts';
import { dealTouches, labelsFor } from './attribution.ts';

export type PositionModel = 'first' | 'last';

interface KeyRow {
  k: string | null;
  deals: number;
  touches: number;
  first: string;
  last: string;
}

export async function positionReport(
  db: Queryable,
  q: AttributionQuery,
  models: PositionModel[],
  o: { source: 'rollup' | 'raw'; filters: SQL[]; lookback: SQL; halfLifeDays: number },
): Promise<AttributionReport> {
  // Per key: deals touched, touches, the amounts of the deals it opened / closed; '(none)': deals without a touch;
  // k null: every deal of the window.
  const res = await db.execute(sql`
    with ${dealTouches(q, o.filters, o.source, o.lookback)},
    r as (select jt.deal_id, jt.k, row_number() over (partition by jt.deal_id order by jt.occurred_at, jt.source_key) as i,
                 count(*) over (partition by jt.deal_id) as n from jt)
    select r.k, count(distinct r.deal_id)::int as deals, count(*)::int as touches,
           coalesce(sum(dl.cents) filter (where r.i = 1), 0)::text as first, coalesce(sum(dl.cents) filter (where r.i = r.n), 0)::text as last
    from r join dl on dl.id = r.deal_id group by r.k
    union all
    select '(none)', count(*)::int, 0, coalesce(sum(cents), 0)::text, coalesce(sum(cents), 0)::text from dl where not exists (select 1 from jt where jt.deal_id = dl.id)
    union all
    select null, count(*)::int, 0, coalesce(sum(cents), 0)::text, '0' from dl`);
  const rows = res.rows as unknown as KeyRow[];
  const total = rows.find((r) => r.k === null)!;
  const none = rows.find((r) => r.k === '(none)')!;
  const keyed = rows.filter((r) => r.k !== null && (r.k !== '(none)' || r.deals > 0)) as (KeyRow & { k: string })[];
  const labels = await labelsFor(db, keyed.map((r) => r.k));
  const primary = models[0]!;
  const out = keyed
    .map((r) => ({
      key: r.k,
      ...labels.get(r.k)!,
      credits: Object.fromEntries(models.map((m) => [m, Number(r[m])])),
      deals: r.deals,
      touches: r.touches,
    }))
    .sort((a, b) => b.credits[primary]! - a.credits[primary]! || a.key.localeCompare(b.key));
  return {
    from: q.from,
    to: q.to,
    tz: q.tz,
    basis: q.basis,
    groupBy: q.groupBy,
    source: o.source,
    halfLifeDays: o.halfLifeDays,
    totalCents: Number(total.first),
    deals: total.deals,
    dealsWithTouches: total.deals - none.deals,
    rows: out,
    removalEffects: [],
  };
}
