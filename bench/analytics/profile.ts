// bench/analytics: where one verb call's time goes — each SQL statement timed (and EXPLAIN ANALYZEd with
// BENCH_EXPLAIN=1), the rest is Node. On a kept cluster (BENCH_DIR from run.ts), e.g.
//   BENCH_DIR=/tmp/a2-bench-10m BENCH_MODEL=markov flock .tmp/bench.lock npx node bench/analytics/profile.ts
import { sql } from 'drizzle-orm';
import { attribution } from '../../src/domains/analytics/attribution.ts';
import type { AttributionModel } from '../../src/contracts/analytics.ts';
import { openCluster } from './cluster.ts';

const c = await openCluster();
const db = c.database.db;
const model = (process.env.BENCH_MODEL ?? 'markov') as AttributionModel;
let log: { ms: number; sql: string; full: { sql: string; params: unknown[] } }[] = [];
const proxy = new Proxy(db, {
  get(target, prop, recv) {
    if (prop !== 'execute') return Reflect.get(target, prop, recv);
    return async (q: Parameters<typeof db.execute>[0]) => {
      const s = performance.now();
      const r = await target.execute(q);
      const full = (db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(q);
      log.push({ ms: performance.now() - s, sql: full.sql.replace(/\s+/g, ' ').slice(0, 90), full });
      return r;
    };
  },
});
try {
  const today = new Date();
  const from = new Date(today.getTime() - 365 * 86_400_000).toISOString().slice(0, 10);
  const to = today.toISOString().slice(0, 10);
  const input = { from, to, source: 'rollup', basis: 'won', groupBy: 'campaign', model } as const;
  for (let i = 0; i < Number(process.env.BENCH_RUNS ?? 4); i++) {
    log = [];
    const s = performance.now();
    await attribution({ ctx: { db: proxy }, input });
    const total = performance.now() - s;
    const inSql = log.reduce((a, b) => a + b.ms, 0);
    console.log(`run ${i}: ${total.toFixed(0)} ms, SQL ${inSql.toFixed(0)} ms, Node ${(total - inSql).toFixed(0)} ms`);
    for (const l of log) if (l.ms > 5) console.log(`  ${l.ms.toFixed(0).padStart(6)} ms  ${l.sql}`);
  }
  if (process.env.BENCH_EXPLAIN) {
    for (const l of log.filter((x) => x.ms > 100)) {
      const r = await c.database.pool.query(`explain (analyze, buffers) ${l.full.sql}`, l.full.params);
      console.log(r.rows.map((x: Record<string, string>) => x['QUERY PLAN']).join('\n'));
    }
  }
  const edges = await db.execute(sql`select count(*)::int as n, count(distinct (first_month, last_month))::int as buckets from analytics_path_edges`);
  console.log('analytics_path_edges:', edges.rows[0]);
} finally {
  await c.close();
}
