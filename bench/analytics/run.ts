// bench/analytics: the funnel and attribution (all seven models in one call) over generated data. Target (issue 9):
// 1M contacts, 10M events, 50k deals; each p95 ≤ 2 s warm and ≤ 1.5× a hand-written SQL baseline in the same run;
// runs at 1M / 3M / 10M events to see how time grows.
//
//   npx node bench/analytics/run.ts                                                     # 1M contacts, 10M events, 50k deals
//   BENCH_CONTACTS=100000 BENCH_EVENTS=1000000 BENCH_DEALS=5000 npx node bench/analytics/run.ts   # a quick look
//
// Starts its own embedded PostgreSQL (deleted afterwards) and generates with generate_series: 60 campaigns, the
// contacts (created over 365 days), events over 365 days (25 % with a campaign's utm_campaign, from known contacts;
// the rest page views without UTM), lifecycle transitions (every contact a lead; 30 % MQL, 12 % sales-ready, 6 %
// opportunity, 3 % customer, 2 % recycled), deals for the opportunities (half won). Then the rollup refresh (timed),
// then, interleaved after warm-up (BENCH_RUNS, default 7):
//   1. revloop funnel (verb, rollup source) over the year;
//   2. baseline: ONE hand-written SQL statement with the same stage entries, moves on and median / p90 days;
//   3. revloop attribution, won revenue per campaign, every model (verb, rollup source);
//   4. baseline: ONE hand-written SQL statement crediting won revenue linearly per campaign from the same touch rollup.
import { sql } from 'drizzle-orm';
import { startBench } from '../ingest-shared.ts';
import { attribution } from '../../src/domains/analytics/attribution.ts';
import { funnel } from '../../src/domains/analytics/funnel.ts';
import { refreshAnalyticsRollups } from '../../src/domains/analytics/rollup.ts';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const DEALS = Number(process.env.BENCH_DEALS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const b = await startBench('analytics', Number(process.env.BENCH_TIMEOUT_S ?? 7200));
const db = b.database.db;
const ctx = { db };
const t = () => performance.now();
const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);

try {
  const g0 = t();
  await db.execute(sql`insert into campaigns (name, utm_campaign, channel) select 'Campaign ' || i, 'bench-' || i, (array['email','paid_search','paid_social','webinar','event','content'])[1 + i % 6] from generate_series(1, 60) i`);
  await db.execute(sql`insert into contacts (email, created_at) select 'c' || i || '@bench.test', now() - (i % 365) * interval '1 day' - (i % 86400) * interval '1 second' from generate_series(1, ${CONTACTS}) i`);
  const [{ min }] = (await db.execute(sql`select min(id)::bigint as min from contacts`)).rows as { min: number }[];
  await db.execute(sql`
    insert into events (source_id, message_id, type, contact_id, timestamp, received_at, utm_campaign, utm_medium, page_path)
    select ${b.sourceId}, 'm' || i, 'page', ${min} + (hashint8(i) & 2147483647) % ${CONTACTS}, ts, ts,
           case when i % 4 = 0 then 'bench-' || (1 + (hashint8(i * 7) & 2147483647) % 60) end, case when i % 4 = 0 then 'cpc' end, '/p' || (i % 500)
    from generate_series(1, ${EVENTS}) i, lateral (select now() - ((hashint8(i * 3) & 2147483647) % (365 * 86400)) * interval '1 second' as ts) x`);
  log(`generated contacts + events in ${((t() - g0) / 1000).toFixed(1)} s`);
  // Transitions: lead at creation + 1 day, then further stages 5–30 days apart for the shares above.
  await db.execute(sql`
    insert into lifecycle_transitions (contact_id, from_stage, to_stage, cause, actor_type, actor_label, occurred_at)
    select c.id, s.from_stage, s.to_stage, 'rule', 'system', 'system', c.created_at + s.k * (5 + c.id % 25) * interval '1 day'
    from contacts c cross join lateral (values (0, null, 'lead', 1.0), (1, 'lead', 'marketing_qualified', 0.30), (2, 'marketing_qualified', 'sales_ready', 0.12),
                                               (3, 'sales_ready', 'sales_accepted', 0.07), (4, 'sales_accepted', 'opportunity', 0.06), (5, 'opportunity', 'customer', 0.03)) s(k, from_stage, to_stage, share)
    where (hashint8(c.id) & 1023) / 1024.0 < s.share`);
  await db.execute(sql`
    insert into deals (name, amount, stage, created_at, won_at)
    select 'Deal ' || x.id, 1000 + x.id % 20000, case when x.rn % 2 = 0 then 'won' else 'intent' end, x.opp_at, case when x.rn % 2 = 0 then x.opp_at + interval '20 days' end
    from (select lt.contact_id as id, lt.occurred_at as opp_at, row_number() over (order by lt.contact_id) as rn from lifecycle_transitions lt where lt.to_stage = 'opportunity') x
    where x.rn <= ${DEALS}`);
  await db.execute(sql`insert into deal_contacts (deal_id, contact_id) select d.id, substr(d.name, 6)::bigint from deals d`);
  await db.execute(sql`analyze`);
  const counts = (await db.execute(sql`select (select count(*) from events)::int as events, (select count(*) from deals)::int as deals, (select count(*) from lifecycle_transitions)::int as transitions`)).rows[0];
  log(`generated in ${((t() - g0) / 1000).toFixed(1)} s:`, counts);

  const r0 = t();
  const rolled = await refreshAnalyticsRollups(db, { full: true });
  log(`rollup (full) ${((t() - r0) / 1000).toFixed(1)} s: ${rolled.eventTouches} event touches, ${rolled.stageDays} stage-day rows`);
  const r1 = t();
  await refreshAnalyticsRollups(db);
  log(`rollup (incremental, nothing new) ${((t() - r1) / 1000).toFixed(2)} s`);
  await db.execute(sql`analyze`);

  const today = new Date();
  const from = new Date(today.getTime() - 365 * 86_400_000).toISOString().slice(0, 10);
  const to = today.toISOString().slice(0, 10);
  const w = sql`occurred_at >= ${from}::date and occurred_at < ${to}::date + 1`;
  const jobs: Record<string, () => Promise<unknown>> = {
    funnel: () => funnel({ ctx, input: { from, to, source: 'rollup' } }),
    funnel_sql: () =>
      db.execute(sql`
        with s as (select contact_id, to_stage, occurred_at, lead(occurred_at) over (partition by contact_id order by occurred_at, id) as left_at from lifecycle_transitions)
        select to_stage, count(*) filter (where ${w}) as entered,
               percentile_cont(0.5) within group (order by extract(epoch from left_at - occurred_at)) filter (where left_at >= ${from}::date and left_at < ${to}::date + 1) as median,
               percentile_cont(0.9) within group (order by extract(epoch from left_at - occurred_at)) filter (where left_at >= ${from}::date and left_at < ${to}::date + 1) as p90
        from s group by to_stage`),
    attribution: () => attribution({ ctx, input: { from, to, source: 'rollup', basis: 'won', groupBy: 'campaign' } }),
    attribution_sql: () =>
      db.execute(sql`
        with d as (select id, round(amount * 100) as cents, won_at from deals where stage = 'won' and won_at >= ${from}::date and won_at < ${to}::date + 1),
        j as (select d.id, d.cents, c.id as cid, count(*) over (partition by d.id) as n
              from d join deal_contacts dc on dc.deal_id = d.id join analytics_touches t on t.contact_id = dc.contact_id and t.occurred_at <= d.won_at and t.occurred_at > d.won_at - interval '365 days'
              left join campaigns c on c.utm_campaign = t.utm_campaign)
        select cid, sum(cents / n) from j group by cid`),
  };
  for (const f of Object.values(jobs)) await f(); // warm-up
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(jobs).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [k, f] of Object.entries(jobs)) {
      const s = t();
      await f();
      times[k]!.push(t() - s);
    }
  }
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const k of Object.keys(jobs)) log(`${k.padEnd(16)} median ${med(times[k]!).toFixed(0)} ms, p95 ${p95(times[k]!).toFixed(0)} ms`);
  log(`ratio funnel / hand-written SQL (p95): ${(p95(times.funnel!) / p95(times.funnel_sql!)).toFixed(2)}×`);
  log(`ratio attribution (7 models) / hand-written SQL linear (p95): ${(p95(times.attribution!) / p95(times.attribution_sql!)).toFixed(2)}×`);
  log(`load: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  await b.close();
}
