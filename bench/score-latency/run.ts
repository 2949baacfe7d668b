// bench/score-latency: at a sustained 1,000 events/s into POST /v1/batch, the time from a request's
// acknowledgement (HTTP 200) to its contact's updated score AND lifecycle stage. Target: p95 ≤ 1 s.
//
//   npx node bench/score-latency/run.ts                    # 20 s at 1,000 events/s
//   BENCH_SECONDS=30 BENCH_RATE=2000 npx node bench/score-latency/run.ts
//
// Starts its own embedded PostgreSQL, the real app and the real scoring loop (LISTEN/NOTIFY on the inbox,
// the same code `npm start` runs), 5,000 known contacts with default fit and engagement models. Every 100 ms
// it sends one batch of rate/10 events: page views, pricing views, content reads, form fills for random
// known contacts, plus one "Demo Requested" from a probe contact that has never been scored. After the
// batch is acknowledged, a poller (every 5 ms) waits until that probe's engagement score is 40 and its
// lifecycle stage moved from subscriber to lead: both are written by the pass that scores the event, so
// the time seen is acknowledgement → score + lifecycle. Everything runs in one process (as `npm start`),
// so the load generator competes with the server and the worker for the CPU.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { basicAuth, startBench } from '../ingest-shared.ts';
import { defaultModel, ensureDefaultModels } from '../../src/domains/scoring/defaults.ts';
import { startScoringLoop } from '../../src/domains/scoring/worker-loop.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const TICK_MS = 100;
const PER_BATCH = Math.max(2, Math.round((RATE * TICK_MS) / 1000));
const CONTACTS = 5000;
const PROBES = Math.ceil((SECONDS * 1000) / TICK_MS) + 20;
/** BENCH_CONTENT_ITEMS=N: N content items, 40 of them on the /blog pages the load views (the pass then attaches consumption and content stages). */
const CONTENT_ITEMS = Number(process.env.BENCH_CONTENT_ITEMS ?? 0);

const b = await startBench('score-latency', 240 + SECONDS * 3);
const db = b.database.db;
const loop = process.env.BENCH_NO_SCORING ? { stop: async () => undefined } : startScoringLoop({ db, log: pino({ level: 'warn' }) });
try {
  await ensureDefaultModels(db, 1);
  const eng = (await defaultModel(db, 1, 'engagement'))!;
  // Known contacts (u-1 … u-5000) and probe contacts (p-1 …), each with a userId identity.
  await db.execute(sql`
    insert into contacts (email, title, lifecycle_stage) select 'c' || g || '@bench.test', case when g % 3 = 0 then 'VP Marketing' end, 'lead' from generate_series(1, ${CONTACTS}) g`);
  await db.execute(sql`insert into identities (kind, value, contact_id) select 'user', 'u-' || id, id from contacts`);
  const probeRows = await db.execute(sql`
    with p as (insert into contacts (email) select 'probe' || g || '@bench.test' from generate_series(1, ${PROBES}) g returning id)
    insert into identities (kind, value, contact_id) select 'user', 'p-' || id, id from p returning contact_id`);
  const probes = probeRows.rows.map((r) => Number(r.contact_id));
  const known = (await db.execute(sql`select id from contacts where email like 'c%@bench.test'`)).rows.map((r) => Number(r.id));

  if (CONTENT_ITEMS) {
    await db.execute(sql`insert into content_items (title, type, stage, status) select 'Bench item ' || g, case when g % 2 = 0 then 'practical' else 'aspirational' end,
      (array['epiphany','awareness','interest','consideration','purchase','post_sale'])[1 + g % 6], 'published' from generate_series(1, ${CONTENT_ITEMS}) g`);
    await db.execute(sql`insert into content_urls (item_id, url, normalized, kind, canonical)
      select id, u, substr(u, 9), 'exact', true from (select id, case when row_number() over (order by id) <= 40 then 'https://bench.example.com/blog/post-' || (row_number() over (order by id) - 1)
        else 'https://bench.example.com/library/item-' || id end as u from content_items) x`);
  }
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const message = (i: number) => {
    const userId = `u-${pick(known)}`;
    const ts = new Date().toISOString();
    switch (i % 5) {
      case 0:
        return { type: 'page', userId, name: 'Pricing', properties: { path: '/pricing' }, messageId: randomUUID(), timestamp: ts };
      case 1:
        return { type: 'track', userId, event: 'Content Read', properties: { percent: 40 + (i % 60) }, messageId: randomUUID(), timestamp: ts };
      case 2:
        return { type: 'track', userId, event: 'Form Submitted', messageId: randomUUID(), timestamp: ts };
      default:
        return { type: 'page', userId, name: 'Blog', properties: { path: `/blog/post-${i % 40}` }, messageId: randomUUID(), timestamp: ts };
    }
  };
  const headers = { 'content-type': 'application/json', authorization: basicAuth(b.writeKey) };
  const post = (batch: object[]) => fetch(`${b.url}/v1/batch`, { method: 'POST', headers, body: JSON.stringify({ batch }) });

  // Warm-up: a few batches, scored, so plans and caches are warm.
  for (let k = 0; k < 5; k++) await post(Array.from({ length: PER_BATCH }, (_, i) => message(i)));
  await new Promise((r) => setTimeout(r, 1000));

  const outstanding = new Map<number, number>(); // probe contact → ack time (ms, performance.now())
  const latencies: number[] = [];
  const acks: number[] = [];
  let sentEvents = 0;
  let failures = 0;
  let probeIdx = 0;
  let polling = true;
  let stopAt = Number.POSITIVE_INFINITY;
  const poller = (async () => {
    while (polling || outstanding.size) {
      if (outstanding.size) {
        const ids = [...outstanding.keys()];
        const res = await db.execute(sql`
          select c.id from contacts c join contact_scores s on s.contact_id = c.id and s.model_id = ${eng.id}
          where c.id = any(${sql.raw(`'{${ids.join(',')}}'::bigint[]`)}) and s.score >= 40 and c.lifecycle_stage <> 'subscriber'`);
        const t = performance.now();
        for (const r of res.rows) {
          const id = Number(r.id);
          const ack = outstanding.get(id);
          if (ack !== undefined) {
            latencies.push(t - ack);
            outstanding.delete(id);
          }
        }
      }
      await new Promise((r) => setTimeout(r, 5));
      if (!polling && performance.now() - stopAt > 15_000) break;
    }
  })();

  const progress = setInterval(() => {
    void db.execute(sql`select count(*)::int as n from scoring_inbox`).then((r) => {
      if (process.env.BENCH_VERBOSE) console.log(`  … ${Math.round((performance.now() - started) / 1000)} s: ${latencies.length} probes scored, ${outstanding.size} waiting, inbox ${(r.rows[0] as { n: number }).n}`);
    });
  }, 2000);
  const cpu0 = b.cpu();
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let tick = 0; tick < (SECONDS * 1000) / TICK_MS; tick++) {
    const due = started + tick * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const probe = probes[probeIdx++]!;
    const batch = Array.from({ length: PER_BATCH - 1 }, (_, i) => message(tick * PER_BATCH + i));
    batch.splice(Math.floor(Math.random() * batch.length), 0, { type: 'track', userId: `p-${probe}`, event: 'Demo Requested', messageId: randomUUID(), timestamp: new Date().toISOString() } as never);
    const sent = performance.now();
    sentEvents += batch.length;
    inflight.push(
      post(batch).then(
        async (res) => {
          const ackAt = performance.now();
          await res.arrayBuffer();
          if (res.status !== 200) failures++;
          else {
            acks.push(ackAt - sent);
            outstanding.set(probe, ackAt);
          }
        },
        () => void failures++,
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  stopAt = performance.now();
  polling = false;
  await poller;
  clearInterval(progress);
  const cpu1 = b.cpu();

  const pct = (xs: number[], p: number) => {
    if (!xs.length) return NaN;
    const s = [...xs].sort((a, c) => a - c);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  };
  const f = (n: number) => `${Math.round(n)} ms`;
  const p95 = pct(latencies, 95);
  const inbox = ((await db.execute(sql`select count(*)::int as n from scoring_inbox`)).rows[0] as { n: number }).n;
  console.log(`bench/score-latency${CONTENT_ITEMS ? ` (${CONTENT_ITEMS} content items)` : ''}: ${PER_BATCH} events per batch every ${TICK_MS} ms for ${SECONDS} s (${CONTACTS} known contacts)`);
  console.log(`  sent ${sentEvents} events in ${elapsed.toFixed(1)} s = ${Math.round(sentEvents / elapsed)} events/s; failed requests ${failures}`);
  console.log(`  ack latency            p50 ${f(pct(acks, 50))}, p95 ${f(pct(acks, 95))}, p99 ${f(pct(acks, 99))}`);
  console.log(
    `  ack → score+lifecycle  p50 ${f(pct(latencies, 50))}, p95 ${f(p95)}, p99 ${f(pct(latencies, 99))}, max ${f(Math.max(...latencies))} (${latencies.length} probes, ${outstanding.size} never scored)`,
  );
  console.log(`  CPU during the run: node ${(cpu1.node - cpu0.node).toFixed(1)} s, postgres ${(cpu1.pg - cpu0.pg).toFixed(1)} s; inbox rows left ${inbox}`);
  const ok = p95 <= 1000 && outstanding.size === 0 && failures === 0 && sentEvents / elapsed >= RATE * 0.95;
  console.log(`  p95 ${f(p95)} (target ≤ 1000 ms) ${ok ? 'MET' : 'NOT MET'}`);
} finally {
  await loop.stop();
  await b.close();
}
