// bench/send: messages per second from the outbox to a local SMTP sink (smtp-server, counting only), through
// the real send loop (claim with SKIP LOCKED, suppression + consent re-check, Liquid render, tracked links, open
// pixel, plain text, DKIM signing, nodemailer pool, results written back), vs a baseline in the same run:
// nodemailer alone sending the same number of pre-rendered messages (no database, no rendering, no DKIM) over
// the same pool to the same sink. Target (issue 7): ≥ 500 messages/s.
// The sink runs in a worker thread (./sink.ts). BENCH_SEND_LOOPS=2 runs two send loops at once;
// BENCH_SEND_CPU_PROF=1 profiles the send loop and prints where its CPU goes per message (./profile.ts).
// Usage: npx node bench/send/run.ts [messages=5000]
import { Worker } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import { sql } from 'drizzle-orm';
import { startBench } from '../ingest-shared.ts';
import { loadAverage, seedMessages } from '../email-shared.ts';
import { sendDue } from '../../src/domains/email/send.ts';
import { closeTransports } from '../../src/domains/email/transport.ts';
import { createDomain } from '../../src/domains/email/domains.ts';
import { systemActor } from '../../src/context.ts';
import { noJobs } from '../../src/jobs.ts';
import pino from 'pino';
import { profiled } from './profile.ts';

const N = Number(process.argv[2] ?? 5000);
const sink = new Worker(new URL('./sink.ts', import.meta.url));
const ask = <T>(msg: string) => new Promise<T>((resolve) => { sink.once('message', resolve); sink.postMessage(msg); });
const port = await new Promise<number>((resolve) => sink.once('message', (m: { port: number }) => resolve(m.port)));
const count = async () => (await ask<{ received: number }>('count')).received;
const sinkCpu = async () => (await ask<{ cpu: number }>('cpu')).cpu / 1e6;
const LOOPS = Number(process.env.BENCH_SEND_LOOPS ?? 1);

const b = await startBench('send', 600);
try {
  console.log(`bench/send: ${N} messages, load average ${loadAverage()}`);
  const seeded = await seedMessages(b.database, N, { smtpPort: port, baseUrl: 'http://127.0.0.1:4000' });
  const ctx = { db: b.database.db, actor: systemActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: '/tmp' };
  await createDomain({ ctx, input: { domain: 'bench.example', throttlePerMinute: 100_000 } });
  console.log(`  enqueueEmails: ${N} in ${seeded.enqueueSeconds.toFixed(1)} s (${Math.round(N / seeded.enqueueSeconds)}/s, 500 per call and transaction)`);

  // Baseline: nodemailer alone, same pool size, pre-rendered message.
  const { rows } = await b.database.db.execute<{ html: string }>(sql`select compiled_html as html from email_templates limit 1`);
  const html = rows[0]!.html;
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, pool: true, maxConnections: 8, maxMessages: Infinity, tls: { rejectUnauthorized: false } });
  // CPU per message, split: this process without the sink thread (the sender), the sink thread, PostgreSQL.
  const cpuNow = async () => {
    const c = b.cpu();
    const sink = await sinkCpu();
    return { sender: c.node - sink, sink, pg: c.pg };
  };
  const cpuLine = (a: Awaited<ReturnType<typeof cpuNow>>, z: Awaited<ReturnType<typeof cpuNow>>) => {
    const ms = (x: number) => ((1000 * x) / N).toFixed(2);
    return `CPU per message: sender ${ms(z.sender - a.sender)} ms, sink ${ms(z.sink - a.sink)} ms, PostgreSQL ${ms(z.pg - a.pg)} ms`;
  };
  let c0 = await cpuNow();
  let t0 = performance.now();
  for (let i = 0; i < N; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, N - i) }, (_, j) => t.sendMail({ from: 'news@bench.example', to: `c${i + j}@bench.example`, subject: 'Hi', html, text: 'Hi' })));
  }
  const baseS = (performance.now() - t0) / 1000;
  t.close();
  const baseRate = N / baseS;
  console.log(`  baseline (nodemailer alone): ${N} in ${baseS.toFixed(1)} s = ${Math.round(baseRate)} msg/s; ${cpuLine(c0, await cpuNow())}`);

  const baseReceived = await count();
  c0 = await cpuNow();
  t0 = performance.now();
  const deps = { db: b.database.db, dataDir: '/tmp', baseUrl: 'http://127.0.0.1:4000' };
  // LOOPS send loops at once (as in that many worker processes; they claim with SKIP LOCKED).
  await profiled(Boolean(process.env.BENCH_SEND_CPU_PROF), () => N, () => Promise.all(Array.from({ length: LOOPS }, async () => {
    while ((await sendDue(deps, { batch: 200, maxRounds: 1000 })) > 0);
  })));
  const s = (performance.now() - t0) / 1000;
  const c1 = await cpuNow();
  const received = (await count()) - baseReceived;
  const rate = N / s;
  const status = await b.database.db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from email_messages group by status`);
  console.log(`  revloop send loop${LOOPS > 1 ? ` ×${LOOPS}` : ''}: ${N} in ${s.toFixed(1)} s = ${Math.round(rate)} msg/s (sink received ${received}; ${status.rows.map((r) => `${r.status} ${r.n}`).join(', ')}); ${cpuLine(c0, c1)}`);
  console.log(`  ratio vs baseline: ${(rate / baseRate).toFixed(2)}×; target ≥ 500 msg/s: ${rate >= 500 ? 'met' : 'NOT met'}; load average now ${loadAverage()}`);
  if (received !== N) console.log(`  WARNING: the sink received ${received}, expected ${N}`);
} finally {
  closeTransports();
  await b.close();
  sink.postMessage('close');
}
