// bench/click: the open pixel (/e/o/…) and the click redirect (/e/c/…) of revloop vs a bare node:http server
// answering the same static 42-byte GIF, measured in the same run with the same load generator (autocannon, cycling
// over the pixel / click URLs of N sent messages). revloop does the real work per request: HMAC check, the
// message's facts (cache, database on a miss), the URL of that message by index, and the tracked event handed to
// the group-commit buffer (written every 50 ms). Targets (issue 7): ≥ 0.5× the bare server's requests/s, p99 ≤ 20 ms.
// Usage: npx node bench/click/run.ts [seconds=10] [connections=20] [messages=2000]; BENCH_ROUNDS (3) rounds of
// bare / click / open / bare per CPU topology (below), verdict on the median round; BENCH_TOPOLOGY=isolated|shared
// runs one topology only; BENCH_CANNON_WORKERS=1 runs autocannon in a worker thread.
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import { startBench } from '../ingest-shared.ts';
import { pinToCpus, postgresPids } from '../cpu.ts';
import { loadAverage, seedMessages } from '../email-shared.ts';
import { sendDue } from '../../src/domains/email/send.ts';
import { flushEmailEvents, messageMeta } from '../../src/domains/email/tracking.ts';
import { PIXEL } from '../../src/domains/email/public-routes.ts';

type Result = { requests: { total: number; average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number; statusCodeStats: Record<string, { count: number }> };
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<Result>;

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = Number(process.argv[3] ?? 20);
const N = Number(process.argv[4] ?? 2000);
const CANNON_WORKERS = Number(process.env.BENCH_CANNON_WORKERS ?? 0) || undefined;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

const bare = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'image/gif', 'content-length': PIXEL.length, 'cache-control': 'no-store' });
  res.end(PIXEL);
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

const b = await startBench('click', 600);
try {
  const base = b.url.replace(/\/$/, '');
  await seedMessages(b.database, N, { baseUrl: base });
  while ((await sendDue({ db: b.database.db, dataDir: '/tmp', baseUrl: base }, { batch: 500, maxRounds: 1000 })) > 0);
  const { rows } = await b.database.db.execute<{ html: string }>(sql`select html from email_messages where status = 'sent'`);
  const opens = rows.map((r) => /src="[^"]*?(\/e\/o\/[^"]+)"/.exec(r.html)![1]!);
  const clicks = rows.map((r) => /href="[^"]*?(\/e\/c\/[^"]+)"/.exec(r.html)![1]!);
  console.log(`bench/click: ${N} sent messages, ${SECONDS} s per run, ${CONNECTIONS} connections, load average ${loadAverage()}`);

  const run = async (label: string, url: string, paths: string[]) => {
    const cpu0 = b.cpu();
    const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, workers: CANNON_WORKERS, requests: paths.map((p) => ({ method: 'GET', path: p })), headers: { 'user-agent': 'Mozilla/5.0 (bench) Chrome/120.0' } });
    const codes = Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => `${k}×${v.count}`).join(' ');
    const cpu1 = b.cpu();
    const us = (s: number) => `${Math.round((s * 1e6) / Math.max(1, r.requests.total))} µs`;
    console.log(`  ${label.padEnd(28)} ${Math.round(r.requests.average).toString().padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  (${r.requests.total} requests; ${codes}; errors ${r.errors}; CPU per request: this process ${us(cpu1.node - cpu0.node)}, PostgreSQL ${us(cpu1.pg - cpu0.pg)})`);
    return r;
  };
  // warm-up (JIT, caches) for both
  await autocannon({ url: bareUrl, connections: 4, duration: 2 });
  // Warm: every message's facts cached (as for recent mail, which is what gets opened; a miss reads them in one
  // query through the Fastify route), then 4 s of each kind, so JIT and PostgreSQL's first autovacuum / analyze
  // rounds of the freshly created tables are not in the measurement.
  for (const p of opens) await messageMeta(b.database.db, p.split('/')[3]!);
  for (const paths of [opens, clicks]) await autocannon({ url: base, connections: CONNECTIONS, duration: 4, workers: CANNON_WORKERS, requests: paths.map((p) => ({ method: 'GET', path: p })) });
  await flushEmailEvents(b.database.db);
  const eventsBefore = Number((await b.database.db.execute<{ n: number }>(sql`select count(*)::int as n from events`)).rows[0]!.n);
  // Rounds of bare, click, open, bare (each round's ratio uses the mean of its two bare runs); the verdict uses the
  // median round, since the same code varies by ±30 % from one 8 s run to the next on a shared 2-core machine.
  // Two CPU topologies, one after the other in the same run:
  // - "database on its own CPU": this process (server + load generator) on CPU 0, PostgreSQL on the other CPUs, as
  //   with a separate database host; the bare server and revloop get the same single CPU;
  // - "all shared": everything on every CPU, PostgreSQL competing with the server and the load generator.
  // BENCH_TOPOLOGY=shared or =isolated runs one only; isolation needs 2+ CPUs and taskset (util-linux).
  type Ratios = { open: number; click: number; openP99: number; clickP99: number }[];
  const rounds = async (): Promise<Ratios> => {
    const out: Ratios = [];
    for (let round = 1; round <= ROUNDS; round++) {
      if (ROUNDS > 1) console.log(`  round ${round} of ${ROUNDS}`);
      const baseline = await run('bare node:http GIF', bareUrl, ['/p.gif']);
      const click = await run('revloop click redirect', base, clicks);
      const open = await run('revloop open pixel', base, opens);
      const baseline2 = await run('bare node:http GIF (again)', bareUrl, ['/p.gif']);
      const bareRps = (baseline.requests.average + baseline2.requests.average) / 2;
      served += open.requests.total + click.requests.total;
      out.push({ open: open.requests.average / bareRps, click: click.requests.average / bareRps, openP99: open.latency.p99, clickP99: click.latency.p99 });
    }
    return out;
  };
  let served = 0;
  const cpus = os.cpus().length;
  const all = `0-${cpus - 1}`;
  const pin = (self: string, pg: string) => pinToCpus([process.pid], self) && pinToCpus(postgresPids(b.dataDir), pg);
  const topologies: [string, Ratios][] = [];
  const want = process.env.BENCH_TOPOLOGY ?? 'both';
  if (want !== 'shared') {
    if (cpus >= 2 && pin('0', `1-${cpus - 1}`)) {
      console.log(`  topology: database on its own CPU (this process on CPU 0, PostgreSQL on CPU 1${cpus > 2 ? `-${cpus - 1}` : ''})`);
      topologies.push(['database on its own CPU', await rounds()]);
      pin(all, all);
    } else {
      pinToCpus([process.pid], all);
      console.log('  topology "database on its own CPU" skipped: needs 2+ CPUs and taskset');
    }
  }
  if (want !== 'isolated') {
    console.log(`  topology: all shared (this process and PostgreSQL on CPUs ${all})`);
    topologies.push(['all shared', await rounds()]);
  }
  await flushEmailEvents(b.database.db);
  await new Promise((r) => setTimeout(r, 500));
  await flushEmailEvents(b.database.db);
  const events = Number((await b.database.db.execute<{ n: number }>(sql`select count(*)::int as n from events`)).rows[0]!.n) - eventsBefore;
  console.log(`  tracked events stored: ${events} of ${served} requests answered`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [topology, ratios] of topologies) {
    for (const [label, key, p99Key] of [['open pixel', 'open', 'openP99'], ['click redirect', 'click', 'clickP99']] as const) {
      const ratio = median(ratios.map((r) => r[key]));
      const p99 = Math.max(...ratios.map((r) => r[p99Key]));
      const each = ratios.length > 1 ? ` (rounds: ${ratios.map((r) => r[key].toFixed(2)).join(', ')})` : '';
      console.log(`  ${topology}, ${label}: ${ratio.toFixed(2)}× the bare server${ratios.length > 1 ? ', median of the rounds' : ''}${each} (target ≥ 0.5×: ${ratio >= 0.5 ? 'met' : 'NOT met'}), worst p99 ${p99} ms (target ≤ 20 ms: ${p99 <= 20 ? 'met' : 'NOT met'})`);
    }
  }
  console.log(`  load average now ${loadAverage()}`);
} finally {
  await b.close();
  bare.close();
}
