// bench/ingest-batch: POST /v1/batch with 100 events per request, in events/s, against a multi-row INSERT of
// the same rows straight into the events table (bare pg, same connections), in the same run.
//
//   npx node bench/ingest-batch/run.ts                  # 10 s per side, 8 connections
//   BENCH_SECONDS=30 BENCH_CONNECTIONS=16 npx node bench/ingest-batch/run.ts
//
// Messages carry no messageId (the server generates them), so every request stores 100 new events through
// the full path: write-key auth, JSON and per-message validation, messageId claims, identity look-up, one
// committed transaction. The baseline inserts 100 equivalent rows per statement (autocommit) with the same
// concurrency. Targets: ≥ 0.5× the baseline and ≥ 20,000 events/s. Starts its own embedded PostgreSQL.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { basicAuth, cannon, countEvents, startBench } from '../ingest-shared.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const PER_BATCH = 100;

const b = await startBench('ingest-batch', 300 + SECONDS * 4);
try {
  const message = (i: number) => ({
    type: i % 5 === 0 ? 'page' : 'track',
    ...(i % 5 === 0 ? { name: 'Pricing' } : { event: 'Feature Used' }),
    userId: `user-${i % 37}`,
    anonymousId: `anon-${i % 53}`,
    properties: { plan: 'pro', feature: `f-${i % 11}`, value: i },
    context: { ip: '203.0.113.7', page: { url: 'https://acme.test/pricing?utm_campaign=bench', path: '/pricing' } },
    timestamp: new Date().toISOString(),
  });
  const body = JSON.stringify({ batch: Array.from({ length: PER_BATCH }, (_, i) => message(i)), sentAt: new Date().toISOString() });
  const headers = { authorization: basicAuth(b.writeKey) };

  await cannon({ url: `${b.url}/v1/batch`, connections: 2, seconds: 2, body, headers });

  // Baseline: the same rows, 100 per INSERT statement, straight into events, same concurrency.
  const pool = new pg.Pool({ connectionString: b.database.url, max: CONNECTIONS });
  const cols = ['source_id', 'message_id', 'type', 'event', 'user_id', 'anonymous_id', 'timestamp', 'received_at', 'properties', 'context', 'ip', 'page_url', 'page_path', 'utm_campaign'];
  const insertSql = `insert into events (${cols.join(', ')}) values ${Array.from({ length: PER_BATCH }, (_, r) => `(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(', ')})`).join(', ')}`;
  let baselineEvents = 0;
  const cpu0 = b.cpu();
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const now = new Date();
        const params: unknown[] = [];
        for (let i = 0; i < PER_BATCH; i++) {
          const m = message(i);
          params.push(b.sourceId, randomUUID(), m.type, 'event' in m ? m.event : m.name, m.userId, m.anonymousId, now, now, JSON.stringify(m.properties), JSON.stringify(m.context), '203.0.113.7', m.context.page.url, '/pricing', 'bench');
        }
        await pool.query(insertSql, params);
        baselineEvents += PER_BATCH;
      }
    }),
  );
  await pool.end();
  const baselineRate = baselineEvents / SECONDS;
  const cpu1 = b.cpu();

  const before = await countEvents(b);
  const run = await cannon({ url: `${b.url}/v1/batch`, connections: CONNECTIONS, seconds: SECONDS, body, headers });
  const cpu2 = b.cpu();
  const stored = (await countEvents(b)) - before;
  // CPU per event (this process incl. the load generator, + PostgreSQL): comparable on a busy machine.
  const perEvent = (a: { node: number; pg: number }, z: { node: number; pg: number }, n: number) =>
    `CPU ${(((z.node - a.node) * 1e6) / n).toFixed(0)} µs node + ${(((z.pg - a.pg) * 1e6) / n).toFixed(0)} µs PostgreSQL per event`;
  const rate = (run.rps * PER_BATCH);
  const ratio = rate / baselineRate;
  console.log(`bench/ingest-batch: ${CONNECTIONS} connections, ${PER_BATCH} events per request, ${SECONDS} s each`);
  console.log(`  baseline multi-row INSERT  ${baselineRate.toFixed(0)} events/s  (${perEvent(cpu0, cpu1, baselineEvents)})`);
  console.log(`  revloop /v1/batch          ${rate.toFixed(0)} events/s  (${run.rps.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, non-2xx ${run.non2xx}, errors ${run.errors})`);
  console.log(`  events stored during the run: ${stored}  (${perEvent(cpu1, cpu2, Math.max(1, stored))})`);
  console.log(`  ratio ${ratio.toFixed(3)}× (target ≥ 0.5×) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}; ${rate.toFixed(0)} events/s (target ≥ 20,000) ${rate >= 20_000 ? 'MET' : 'NOT MET'}`);
} finally {
  await b.close();
}
