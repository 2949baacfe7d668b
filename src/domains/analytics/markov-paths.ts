// The part of the data-driven (Markov) model that did not convert: every filtered contact touched in the window
// (lookback included) who is on none of the window's deals, added to the chain's transition counts.
//  - Rollup, no contact filter: the pre-aggregated counts (analytics_path_edges) of the contacts whose first and
//    last touch months lie wholly inside the window, minus the paths of those on the window's deals; the paths
//    (analytics_paths) of the contacts whose first or last touch falls in a month the window cuts; the touches of
//    the contacts straddling its edges. One statement, so counts and paths come from one snapshot.
//  - Rollup with a contact filter: the paths of the filtered contacts inside the window, grouped, plus the touches
//    of those straddling it.
//  - Raw (or paths not built with the campaigns as they are now): every contact's touches.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { AttributionQuery } from '../../contracts/analytics.ts';
import { campaignsKeySql, keyExpr, PATH_SEP, touchScope } from './keys.ts';
import type { MarkovChainCounts } from './models.ts';
import { and, contactFilters, resolvedTouches, windowOf, WS } from './query.ts';
import { dealWindow } from './attribution.ts';

/** The path rollup can serve: built, and built with the campaigns as they are now. */
async function pathsCurrent(db: Queryable): Promise<boolean> {
  const r = await db.execute(sql`select coalesce((select campaigns_key from analytics_state where workspace_id = ${WS}) = ${campaignsKeySql}, false) as ok`);
  return Boolean((r.rows[0] as { ok: boolean }).ok);
}

const PATH_COLUMN = { campaign: 'campaign_path', channel: 'channel_path', content: 'content_path' } as const;

/** Adds the non-converting contacts' transitions to `chain`. */
export async function addNonConverting(chain: MarkovChainCounts, db: Queryable, q: AttributionQuery, source: 'rollup' | 'raw', dealFilters: SQL[], lookback: SQL): Promise<void> {
  const w = windowOf(q);
  const lo = sql`(${w.start} - ${lookback})`;
  const hi = w.end;
  const key = keyExpr(q.groupBy);
  const filters = await contactFilters(db, q, sql`t.contact_id`, source);
  const notConv = (col: SQL) => sql`not exists (select 1 from conv where conv.contact_id = ${col})`;
  const fromTouches = (contacts: SQL) => sql`
    select string_agg(${key}, ${PATH_SEP} order by t.occurred_at, t.source_key) as path, 1 as n
    from ${resolvedTouches(source)} t
    where t.occurred_at >= ${lo} and t.occurred_at < ${hi} and ${touchScope(q.groupBy)} and ${and(filters)}
      and ${contacts} and ${notConv(sql`t.contact_id`)}
    group by t.contact_id`;
  const conv = sql`dl as ${dealWindow(q, dealFilters)}, conv as (select distinct dc.contact_id from dl join deal_contacts dc on dc.deal_id = dl.id)`;

  let res;
  if (source === 'rollup' && (await pathsCurrent(db))) {
    const col = sql.raw(`p.${PATH_COLUMN[q.groupBy]}`);
    const inside = sql`p.first_at >= ${lo} and p.last_at < ${hi}`;
    // Touched before and in the window, or in it and after (each side an index range).
    const straddling = fromTouches(sql`t.contact_id in (
      select p.contact_id from analytics_paths p where p.workspace_id = ${WS} and p.first_at < ${lo} and p.last_at >= ${lo}
      union select p.contact_id from analytics_paths p where p.workspace_id = ${WS} and p.last_at >= ${hi} and p.first_at < ${hi})`);
    if (filters.length) {
      const pFilters = await contactFilters(db, q, sql`p.contact_id`, source);
      res = await db.execute(sql`with ${conv}, p as (
          select ${col} as path, 1 as n from analytics_paths p
          where p.workspace_id = ${WS} and ${inside} and ${col} is not null and ${and(pFilters)} and ${notConv(sql`p.contact_id`)}
          union all ${straddling})
        select 'p' as t, path as a, null as b, sum(n)::int as n from p group by path`);
    } else {
      // Months: ceil(lo) and floor(hi) in UTC, as the buckets. Whole buckets: first month ≥ ceil(lo), last month < floor(hi).
      // (The last month's paths are found by last_at alone — offset 0 keeps the planner on that index.)
      const ceilLo = sql`(case when date_trunc('month', ${lo}, 'UTC') = ${lo} then ${lo} else (date_trunc('month', ${lo} at time zone 'UTC') + interval '1 month') at time zone 'UTC' end)`;
      const floorHi = sql`date_trunc('month', ${hi}, 'UTC')`;
      const base = sql`p.workspace_id = ${WS} and ${col} is not null`;
      res = await db.execute(sql`with ${conv}, b as (select ${ceilLo} as ceil_lo, ${floorHi} as floor_hi),
        p as (
          select ${col} as path, 1 as n from analytics_paths p, b
          where ${base} and p.first_at >= ${lo} and p.first_at < b.ceil_lo and p.last_at < ${hi} and ${notConv(sql`p.contact_id`)}
          union all
          select ${col}, 1 from (select * from analytics_paths p, b where p.workspace_id = ${WS} and p.last_at >= b.floor_hi and p.last_at < ${hi} offset 0) p
          where ${col} is not null and p.first_at >= p.ceil_lo and ${notConv(sql`p.contact_id`)}
          union all
          select ${col}, -1 from conv join analytics_paths p on p.workspace_id = ${WS} and p.contact_id = conv.contact_id, b
          where ${base} and p.first_at >= b.ceil_lo and p.last_at < b.floor_hi
          union all ${straddling})
        select 'e' as t, e.from_state as a, e.to_state as b, sum(e.n)::int as n from analytics_path_edges e, b
        where e.workspace_id = ${WS} and e.path_kind = ${q.groupBy} and e.first_month >= b.ceil_lo and e.last_month < b.floor_hi group by 2, 3
        union all
        select 'p', path, null, sum(n)::int from p group by path`);
    }
  } else {
    res = await db.execute(sql`with ${conv}, p as (${fromTouches(sql`true`)}) select 'p' as t, path as a, null as b, count(*)::int as n from p group by path`);
  }
  for (const r of res.rows as { t: 'e' | 'p'; a: string; b: string | null; n: number }[]) {
    if (r.t === 'e') chain.addStored(r.a, r.b!, r.n);
    else chain.addPath(r.a.split(PATH_SEP), false, r.n);
  }
}
