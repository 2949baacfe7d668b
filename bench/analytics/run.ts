// bench/analytics: the funnel and each attribution model over generated data. Target (issue 9): 1M contacts, 10M
// events, 50k deals; each p95 ≤ 2 s warm and ≤ 1.5× a hand-written SQL baseline computing the same result in the
// same run; runs at 1M / 3M / 10M events to see how time grows.
//
//   BENCH_DIR=/tmp/bench-analytics BENCH_EVENTS=1000000 flock .tmp/bench.lock npx node bench/analytics/run.ts
//   BENCH_DIR=/tmp/bench-analytics BENCH_EVENTS=3000000 flock .tmp/bench.lock npx node bench/analytics/run.ts   # adds 2M events
//   BENCH_CONTACTS=100000 BENCH_EVENTS=300000 BENCH_DEALS=5000 npx node bench/analytics/run.ts                 # a quick look (temp dir)
//
// Data and cluster: ./cluster.ts (kept in BENCH_DIR between runs). Then the rollups: a full rebuild (timed) when the
// data changed since the last one, an incremental refresh after 10,000 new events (timed), and one with nothing
// new. Then, interleaved after a warm-up (BENCH_RUNS, default 7): the funnel verb (rollup source, the last year)
// and its SQL baseline; per attribution model the verb with that model alone (won revenue per campaign, rollup
// source) and its SQL baseline (./baselines.ts); and the verb with all seven models in one call (pairs rotated per run). Each model's
// credits are checked against its baseline's (max difference in cents per key).
import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { AttributionModel } from '../../src/contracts/analytics.ts';
import { attribution } from '../../src/domains/analytics/attribution.ts';
import { funnel } from '../../src/domains/analytics/funnel.ts';
import { refreshAnalyticsRollups } from '../../src/domains/analytics/rollup.ts';
import { baselineFor, funnelSql, MODELS } from './baselines.ts';
import { generate, openCluster } from './cluster.ts';

const sizes = {
  contacts: Number(process.env.BENCH_CONTACTS ?? 1_000_000),
  events: Number(process.env.BENCH_EVENTS ?? 10_000_000),
  deals: Number(process.env.BENCH_DEALS ?? 50_000),
};
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const t = () => performance.now();
const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const c = await openCluster();
const killer = setTimeout(() => {
  console.error('bench/analytics: still running after BENCH_TIMEOUT_S, giving up');
  void c.close().finally(() => process.exit(1));
}, Number(process.env.BENCH_TIMEOUT_S ?? 3600) * 1000);
killer.unref();
const db = c.database.db;
const ctx = { db };
try {
  log(`load at start: ${load()}; cluster ${c.dir}${c.kept ? ' (kept)' : ''}`);
  await generate(db, sizes, log);
  if (process.env.BENCH_GENERATE_ONLY) process.exit(0);
  const counts = (
    await db.execute(sql`select (select count(*) from contacts)::int as contacts, (select count(*) from events)::int as events, (select count(*) from deals)::int as deals,
                                (select count(*) from lifecycle_transitions)::int as transitions`)
  ).rows[0] as Record<string, number>;
  log('data:', counts);

  // Rollups: full rebuild when the data changed since the last one.
  if (c.meta.rolledEvents !== counts.events || process.env.BENCH_REBUILD) {
    const r0 = t();
    const r = await refreshAnalyticsRollups(db, { full: true });
    log(`rollup full rebuild ${secs(t() - r0)}: ${r.eventTouches} event touches, ${r.stageDays} stage-day rows, ${r.spans} spans, ${r.paths} paths`);
    await db.execute(sql`analyze`);
  } else log('rollup: up to date with the data (kept cluster), no rebuild');
  // Incremental: 10,000 new events (a quarter with a campaign's UTM) received now, then nothing new.
  await db.execute(sql`
    insert into events (source_id, message_id, type, contact_id, timestamp, received_at, utm_campaign, utm_medium, page_path)
    select (select min(id) from sources), 'inc-' || extract(epoch from now())::bigint || '-' || i, 'page', (select min(id) from contacts) + (hashint8(i + extract(epoch from now())::bigint) & 2147483647) % ${counts.contacts},
           now(), now(), case when i % 4 = 0 then 'bench-' || (1 + i % 60) end, case when i % 4 = 0 then 'cpc' end, '/inc'
    from generate_series(1, 10000) i`);
  await new Promise((r) => setTimeout(r, 5500)); // the refresh reads up to now() − 5 s
  const i0 = t();
  const inc = await refreshAnalyticsRollups(db);
  log(`rollup incremental after 10,000 new events ${secs(t() - i0)}: ${inc.eventTouches} event touches, ${inc.paths} paths recomputed`);
  const i1 = t();
  await refreshAnalyticsRollups(db);
  log(`rollup incremental, nothing new ${secs(t() - i1)}`);
  const [{ n: eventsNow }] = (await db.execute(sql`select count(*)::int as n from events`)).rows as { n: number }[];
  c.saveMeta({ ...c.meta, rolledEvents: eventsNow });

  const today = new Date();
  const from = new Date(today.getTime() - 365 * 86_400_000).toISOString().slice(0, 10);
  const to = today.toISOString().slice(0, 10);
  const input = { from, to, source: 'rollup', basis: 'won', groupBy: 'campaign' } as const;
  const jobs: Record<string, () => Promise<unknown>> = {
    funnel: () => funnel({ ctx, input: { from, to, source: 'rollup' } }),
    'funnel SQL': funnelSql(db, from, to),
  };
  for (const m of MODELS) {
    jobs[m] = () => attribution({ ctx, input: { ...input, model: m } });
    jobs[`${m} SQL`] = baselineFor(m, db, from, to);
  }
  jobs['all 7 models'] = () => attribution({ ctx, input });

  // Warm-up, and each model's credits against its baseline's.
  for (const [k, f] of Object.entries(jobs)) {
    const res = await f();
    if (k.endsWith(' SQL') && k !== 'funnel SQL') {
      const m = k.slice(0, -4) as AttributionModel;
      const verb = (await jobs[m]!()) as Awaited<ReturnType<typeof attribution>>;
      const base = res as Map<string, number>;
      let maxDiff = 0;
      for (const row of verb.rows) maxDiff = Math.max(maxDiff, Math.abs((row.credits[m] ?? 0) - (base.get(row.key) ?? 0)));
      const baseTotal = [...base.values()].reduce((a, b) => a + b, 0);
      const verbTotal = verb.rows.reduce((a, r) => a + (r.credits[m] ?? 0), 0);
      log(`check ${m}: verb Σ ${verbTotal} = total ${verb.totalCents}: ${verbTotal === verb.totalCents}; SQL Σ ${baseTotal}; keys ${verb.rows.length}/${base.size}; max |verb − SQL| per key ${maxDiff} cents`);
    }
  }
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(jobs).map((k) => [k, []]));
  // Each verb next to its baseline; the pairs rotate every run and the pair's order alternates, so neither side
  // always follows the same query (the funnel baseline's sort evicts caches: whatever ran right after it paid).
  const pairs = [['funnel', 'funnel SQL'], ...MODELS.map((m) => [m, `${m} SQL`]), ['all 7 models']];
  for (let i = 0; i < RUNS; i++) {
    for (let p = 0; p < pairs.length; p++) {
      const pair = pairs[(p + i) % pairs.length]!;
      for (const k of i % 2 ? [...pair].reverse() : pair) {
        const s = t();
        await jobs[k]!();
        times[k]!.push(t() - s);
      }
    }
  }
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  log(`${'what'.padEnd(14)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'SQL p95'.padStart(8)}  ratio`);
  for (const k of ['funnel', ...MODELS]) {
    const v = times[k]!;
    const b = times[`${k} SQL`]!;
    log(`${k.padEnd(14)} ${p50(v).toFixed(0).padStart(8)} ${p95(v).toFixed(0).padStart(8)} ${p95(b).toFixed(0).padStart(8)}  ${(p95(v) / p95(b)).toFixed(2)}×`);
  }
  const all = times['all 7 models']!;
  log(`${'all 7 models'.padEnd(14)} ${p50(all).toFixed(0).padStart(8)} ${p95(all).toFixed(0).padStart(8)}`);
  log(`load at end: ${load()}`);
} finally {
  await c.close();
}
