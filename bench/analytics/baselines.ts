// bench/analytics: the hand-written SQL baselines, one per attribution model, computing the same credits as the
// verb (won revenue per campaign over the window, 365-day lookback, whole cents by largest remainder, deals without
// a touch to "(none)") from the same touch rollup; and the funnel's (stage entries, median / p90 days in stage from
// the raw transitions). The Markov baseline is the part SQL can do — the transition counts of every path (the
// deals' journeys and the non-converting contacts' touches in the window) — then the same solve (models.ts), then
// SQL again for the credits weighted by the removal effects.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { ATTRIBUTION_MODELS, type AttributionModel } from '../../src/contracts/analytics.ts';
import { MARKOV_CONV, MARKOV_NULL, MARKOV_START, removalFromTransitions } from '../../src/domains/analytics/models.ts';

const HALF_LIFE_DAYS = 7;
const KEY = sql`coalesce('campaign:' || coalesce(t.campaign_id, c.id), 'utm:' || t.utm_campaign, 'kind:' || t.kind)`;

function deals(from: string, to: string): SQL {
  return sql`d as (select id, round(amount * 100)::bigint as cents, won_at as conv from deals where stage = 'won' and won_at >= ${from}::date and won_at < ${to}::date + 1)`;
}

/** The deals' journeys: touches of their contacts in the lookback, numbered (i of n) oldest first. */
const journeys = sql`
  j as (select distinct on (d.id, t.source_key) d.id, d.cents, d.conv, ${KEY} as k, t.occurred_at as at, t.source_key as sk
        from d join deal_contacts dc on dc.deal_id = d.id
        join analytics_touches t on t.contact_id = dc.contact_id and t.occurred_at <= d.conv and t.occurred_at > d.conv - interval '365 days'
        left join campaigns c on t.campaign_id is null and c.workspace_id = 1 and c.utm_campaign = t.utm_campaign),
  r as (select j.*, row_number() over (partition by j.id order by j.at, j.sk) as i, count(*) over (partition by j.id) as n from j)`;

/** Weight of touch i of n under each model (markov: `removal` jsonb of the removal effects). */
function weight(model: AttributionModel, removal: Record<string, number>): { extra: SQL; w: SQL } {
  const none = sql``;
  switch (model) {
    case 'first':
      return { extra: none, w: sql`(case when i = 1 then 1 else 0 end)::float8` };
    case 'last':
      return { extra: none, w: sql`(case when i = n then 1 else 0 end)::float8` };
    case 'linear':
      return { extra: none, w: sql`1::float8` };
    case 'u_shaped':
      return { extra: none, w: sql`(case when n <= 2 then 1 when i = 1 or i = n then 0.4 else 0.2 / (n - 2) end)::float8` };
    case 'w_shaped':
      // The middle touch: the last at or before the deal's first contact becoming a lead, within 2 … n − 1.
      return {
        extra: sql`, ms as (select dc.deal_id as id, min(lt.occurred_at) as at from d join deal_contacts dc on dc.deal_id = d.id
                            join lifecycle_transitions lt on lt.contact_id = dc.contact_id and lt.to_stage in ('lead', 'marketing_qualified') group by 1),
                     mid as (select r.id, least(greatest(coalesce(case when ms.at is null then floor((max(r.n) - 1) / 2) + 1 else max(r.i) filter (where r.at <= ms.at) end, 1), 2), max(r.n) - 1) as m
                             from r left join ms on ms.id = r.id group by r.id, ms.at),
                     rw as (select r.*, mid.m from r join mid on mid.id = r.id)`,
        w: sql`(case when n <= 3 then 1 when i = 1 or i = n or i = m then 0.3 else 0.1 / (n - 3) end)::float8`,
      };
    case 'time_decay':
      return { extra: none, w: sql`power(0.5, greatest(0, extract(epoch from conv - at) * 1000) / (${HALF_LIFE_DAYS} * 86400000.0))::float8` };
    case 'markov':
      // removal effect of the touch's state ÷ how often the state occurs in the journey; all zero: evenly.
      return {
        extra: sql`, rm as (select r.*, coalesce((${JSON.stringify(removal)}::jsonb ->> k)::float8, 0) / count(*) over (partition by id, k) as raw from r)`,
        w: sql`(case when sum(raw) over (partition by id) > 0 then raw else 1 end)`,
      };
  }
}

/** The credits of one model per key (cents), summing to the won revenue. */
export async function creditSql(db: Db, model: AttributionModel, from: string, to: string, removal: Record<string, number> = {}): Promise<Map<string, number>> {
  const { extra, w } = weight(model, removal);
  const src = model === 'markov' ? sql`rm` : model === 'w_shaped' ? sql`rw` : sql`r`;
  const res = await db.execute(sql`
    with ${deals(from, to)}, ${journeys} ${extra},
    wt as (select id, cents, i, k, ${w} as w from ${src} r),
    ex as (select wt.*, cents * w / sum(w) over (partition by id) as exact from wt),
    fl as (select ex.*, floor(exact + 1e-9)::bigint as f from ex),
    rk as (select fl.*, cents - sum(f) over (partition by id) as rest, row_number() over (partition by id order by exact - f desc, i) as rr from fl)
    select k, sum(f + case when rr <= rest then 1 else 0 end)::bigint::text as cents from rk group by k
    union all
    select '(none)', sum(cents)::bigint::text from d where not exists (select 1 from j where j.id = d.id)`);
  return new Map((res.rows as { k: string; cents: string | null }[]).filter((r) => r.cents !== null).map((r) => [r.k, Number(r.cents)]));
}

/** Markov: the transition counts of all paths in SQL, the removal effects solved, the credits in SQL. */
export async function markovSql(db: Db, from: string, to: string): Promise<Map<string, number>> {
  const res = await db.execute(sql`
    with ${deals(from, to)}, ${journeys},
    conv as (select distinct dc.contact_id from d join deal_contacts dc on dc.deal_id = d.id),
    seq as (
      select 'd' || id as g, k, at, sk, true as converted from j
      union all
      select 'c' || t.contact_id, ${KEY}, t.occurred_at, t.source_key, false
      from analytics_touches t left join campaigns c on t.campaign_id is null and c.workspace_id = 1 and c.utm_campaign = t.utm_campaign
      where t.workspace_id = 1 and t.contact_id is not null and t.occurred_at >= ${from}::date - 365 and t.occurred_at < ${to}::date + 1
        and not exists (select 1 from conv where conv.contact_id = t.contact_id)),
    o as (select k, converted, lag(k) over w as prev, lead(k) over w as next from seq window w as (partition by g order by at, sk))
    select coalesce(prev, '<start>') as "from", k as "to", count(*)::int as n from o where prev is distinct from k group by 1, 2
    union all
    select k, case when converted then '<conv>' else '<null>' end, count(*)::int from o where next is null group by 1, 2`);
  // PostgreSQL text holds no NUL: the chain's special states travel as placeholders.
  const special: Record<string, string> = { '<start>': MARKOV_START, '<conv>': MARKOV_CONV, '<null>': MARKOV_NULL };
  const edges = (res.rows as { from: string; to: string; n: number }[]).map((e) => ({ from: special[e.from] ?? e.from, to: special[e.to] ?? e.to, n: e.n }));
  const removal = removalFromTransitions(edges);
  return creditSql(db, 'markov', from, to, Object.fromEntries(removal));
}

export function baselineFor(model: AttributionModel, db: Db, from: string, to: string): () => Promise<Map<string, number>> {
  return model === 'markov' ? () => markovSql(db, from, to) : () => creditSql(db, model, from, to);
}

export const MODELS = ATTRIBUTION_MODELS;

/** The funnel baseline: stage entries and median / p90 days in stage over the raw transitions. */
export function funnelSql(db: Db, from: string, to: string): () => Promise<unknown> {
  const inWin = (col: SQL) => sql`${col} >= ${from}::date and ${col} < ${to}::date + 1`;
  return () =>
    db.execute(sql`
      with s as (select contact_id, to_stage, occurred_at, lead(occurred_at) over (partition by contact_id order by occurred_at, id) as left_at from lifecycle_transitions)
      select to_stage, count(*) filter (where ${inWin(sql`occurred_at`)}) as entered,
             percentile_cont(0.5) within group (order by extract(epoch from left_at - occurred_at)) filter (where ${inWin(sql`left_at`)}) as median,
             percentile_cont(0.9) within group (order by extract(epoch from left_at - occurred_at)) filter (where ${inWin(sql`left_at`)}) as p90
      from s group by to_stage`);
}
