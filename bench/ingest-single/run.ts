// bench/ingest-single: POST /v1/track at 64 concurrent connections (autocannon) against a bare node:http
// server that answers 200 to the same requests, on the same machine in the same run.
//
//   npx node bench/ingest-single/run.ts                 # 10 s per side
//   BENCH_SECONDS=30 BENCH_CONNECTIONS=64 npx node bench/ingest-single/run.ts
//
// Every request is a real track call (write-key auth, validation, one committed transaction). Messages carry
// no messageId, so the server generates one and each request stores one event. Targets: ≥ 0.25× the bare
// server's requests/s, p99 ≤ 50 ms. Starts its own embedded PostgreSQL in a temp dir and removes it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuth, cannon, countEvents, startBench } from '../ingest-shared.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

const b = await startBench('ingest-single', 300 + SECONDS * 4);
try {
  const body = JSON.stringify({
    userId: 'bench-user',
    event: 'Viewed Pricing',
    properties: { plan: 'pro', seats: 12, source: 'benchmark' },
    context: { ip: '203.0.113.7', page: { url: 'https://acme.test/pricing?utm_campaign=bench', path: '/pricing' } },
  });
  const headers = { authorization: basicAuth(b.writeKey) };

  const bare = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"success":true}');
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/v1/track`;

  // Warm-up of both, then the measured runs.
  await cannon({ url: `${b.url}/v1/track`, connections: 8, seconds: 2, body, headers });
  await cannon({ url: bareUrl, connections: 8, seconds: 1, body, headers });
  const before = await countEvents(b);
  const cpu0 = b.cpu();
  const baseline = await cannon({ url: bareUrl, connections: CONNECTIONS, seconds: SECONDS, body, headers });
  const cpu1 = b.cpu();
  const revloop = await cannon({ url: `${b.url}/v1/track`, connections: CONNECTIONS, seconds: SECONDS, body, headers });
  const cpu2 = b.cpu();
  const stored = (await countEvents(b)) - before;
  // CPU per request (this process incl. the load generator, + PostgreSQL): comparable on a busy machine.
  const perRequest = (a: { node: number; pg: number }, z: { node: number; pg: number }, n: number) =>
    `CPU ${(((z.node - a.node) * 1e6) / n).toFixed(0)} µs node + ${(((z.pg - a.pg) * 1e6) / n).toFixed(0)} µs PostgreSQL per request`;
  bare.close();

  const ratio = revloop.rps / baseline.rps;
  console.log(`bench/ingest-single: ${CONNECTIONS} connections, ${SECONDS} s each`);
  console.log(`  bare node:http   ${baseline.rps.toFixed(0)} req/s  p50 ${baseline.p50} ms  p99 ${baseline.p99} ms  (${perRequest(cpu0, cpu1, Math.max(1, baseline.requests))})`);
  console.log(`  revloop /v1/track ${revloop.rps.toFixed(0)} req/s  p50 ${revloop.p50} ms  p99 ${revloop.p99} ms  (non-2xx ${revloop.non2xx}, errors ${revloop.errors})`);
  console.log(`    ${perRequest(cpu1, cpu2, Math.max(1, revloop.requests))}`);
  console.log(`  events stored during the run: ${stored} (answered 200: ${revloop.requests - revloop.non2xx})`);
  console.log(`  ratio ${ratio.toFixed(3)}× (target ≥ 0.25×) ${ratio >= 0.25 ? 'MET' : 'NOT MET'}; p99 ${revloop.p99} ms (target ≤ 50 ms) ${revloop.p99 <= 50 ? 'MET' : 'NOT MET'}`);
} finally {
  await b.close();
}
