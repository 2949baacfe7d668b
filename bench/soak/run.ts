// bench/soak: a real `revloop start` (embedded PostgreSQL, jobs, scoring loop) under mixed traffic at a fixed
// rate on loopback for SOAK_SECONDS (default 600): tracking batches for known and anonymous people, UI API
// reads, CSV contact imports (upload → start → run by the job queue), and a steady trickle of bad requests
// that must get their 4xx. Targets (issue 10): the server's RSS grows < 10 % from the first to the last minute
// after a warm-up, no error responses other than the intended 4xx, and the database holds exactly what was
// acknowledged (every 200-answered event once; every imported row). Stops by itself; cleans up.
//
//   npx node bench/soak/run.ts                       # 10 minutes (+1 minute warm-up)
//   SOAK_SECONDS=120 SOAK_WARMUP=30 npx node bench/soak/run.ts
//
// Nurture programs (issue 7) do not exist yet: when they do, add program execution to the mix.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runningEmbeddedUrl } from '../../src/db/embedded.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const WARMUP = Number(process.env.SOAK_WARMUP ?? 60);
const TRACK_PER_S = Number(process.env.SOAK_TRACK_RATE ?? 20); // batches of 10 events
const READS_PER_S = Number(process.env.SOAK_READ_RATE ?? 5);
const BAD_PER_S = 2;
const IMPORT_EVERY_S = 60;
const IMPORT_ROWS = 2000;
const CLI = path.resolve(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-soak-'));
const child = spawn(process.execPath, [CLI, 'start'], {
  env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', LOG_PRETTY: 'false', DATABASE_URL: '' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
const killer = setTimeout(() => finish(1, 'soak: still running long after its end, giving up'), (SECONDS + WARMUP + 600) * 1000);
let finished = false;
async function finish(code: number, message?: string) {
  if (finished) return;
  finished = true;
  clearTimeout(killer);
  if (message) console.error(message);
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 5000));
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
process.once('SIGINT', () => void finish(130));

const ready = await new Promise<{ base: string; setup: string }>((resolve, reject) => {
  const onData = (d: Buffer) => {
    out += d.toString();
    const run = /is running at (http:\/\/\S+)/.exec(out);
    const link = /(http:\/\/\S+\/setup\?token=\S+)/.exec(out);
    if (run && link) resolve({ base: run[1]!, setup: link[1]! });
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (d) => {
    out += d.toString();
    onData(Buffer.alloc(0));
  });
  child.on('exit', (c) => reject(new Error(`revloop exited ${c}:\n${out.slice(-2000)}`)));
});
const base = ready.base;
const token = new URL(ready.setup).searchParams.get('token');
const setup = await fetch(`${base}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, name: 'Soak', email: 'soak@example.com', password: 'correct horse battery staple' }) });
const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0]!;
const api = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1${url}`, { method, headers: { cookie, ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}), ...headers }, body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined });
const src = await (await api('POST', '/sources', { name: 'Soak website' })).json();
const auth = `Basic ${Buffer.from(`${src.writeKey}:`).toString('base64')}`;
await api('POST', '/campaigns', { name: 'Soak campaign', utmCampaign: 'soak' });

// Counters.
const counts = { trackOk: 0, eventsAcked: 0, reads: 0, bad4xx: 0, imports: 0, importedRows: 0, unexpected: 0 };
const unexpected: string[] = [];
const note = (what: string, status: number | string) => {
  counts.unexpected++;
  if (unexpected.length < 20) unexpected.push(`${what}: ${status}`);
};
const people = Array.from({ length: 500 }, (_, i) => ({ userId: `soak-user-${i}`, email: `soak${i}@soak-co${i % 40}.com` }));

async function trackBatch() {
  const batch = Array.from({ length: 10 }, (_, i) => {
    const p = people[Math.floor(Math.random() * people.length)]!;
    if (i === 0 && Math.random() < 0.05) return { type: 'identify', userId: p.userId, traits: { email: p.email }, messageId: randomUUID() };
    const anon = Math.random() < 0.3;
    return {
      type: i % 3 === 0 ? 'page' : 'track',
      event: 'Viewed Pricing',
      ...(anon ? { anonymousId: randomUUID() } : { userId: p.userId }),
      messageId: randomUUID(),
      properties: { plan: 'pro', n: i },
      context: { page: { url: `https://acme.test/pricing?utm_campaign=soak&utm_source=bench`, path: '/pricing' } },
    };
  });
  const res = await fetch(`${base}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) }).catch((e) => e as Error);
  if (res instanceof Error) return note('track', `${res.message} (${(res.cause as { code?: string; message?: string } | undefined)?.code ?? (res.cause as Error | undefined)?.message ?? ''})`);
  if (res.status === 200) {
    const body = await res.json();
    counts.trackOk++;
    counts.eventsAcked += body.stored + body.duplicates;
  } else note('track', res.status);
}

const READS = ['/contacts?limit=50', '/accounts?limit=50', '/events?limit=50', '/campaigns', '/deals?limit=50', '/imports', '/scoring/models', '/sources', '/content/items?limit=50'];
let readSeq = 0;
async function read() {
  const url = READS[readSeq++ % READS.length]!;
  const res = await api('GET', url).catch((e) => e as Error);
  if (res instanceof Error) return note(`GET ${url}`, `${res.message} (${(res.cause as { code?: string } | undefined)?.code ?? ''})`);
  await res.arrayBuffer();
  if (res.status === 200) counts.reads++;
  else if (res.status !== 404) note(`GET ${url}`, res.status);
}

async function bad() {
  // Intended 4xx: malformed JSON, a missing write key, an unknown contact.
  const which = Math.floor(Math.random() * 3);
  const res =
    which === 0
      ? await fetch(`${base}/v1/track`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{"event":' })
      : which === 1
        ? await fetch(`${base}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"x","userId":"u"}' })
        : await api('GET', '/contacts/999999999');
  await res.arrayBuffer();
  if (res.status >= 400 && res.status < 500) counts.bad4xx++;
  else note(`bad request ${which}`, res.status);
}

let importSeq = 0;
async function runImportOnce() {
  const n = ++importSeq;
  const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => `imp${n}-${i}@soak-import${i % 50}.com,Person,${i},Engineer`);
  const form = new FormData();
  form.append('objectType', 'contacts');
  form.append('file', new Blob([`email,first_name,last_name,title\n${rows.join('\n')}\n`], { type: 'text/csv' }), `soak-${n}.csv`);
  const up = await api('POST', '/imports', form);
  if (up.status !== 201) return note('import upload', up.status);
  const preview = await up.json();
  const start = await api('POST', `/imports/${preview.import.id}/start`, { mapping: preview.suggestedMapping, options: {} });
  if (start.status !== 200 && start.status !== 202) return note('import start', start.status);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const s = await (await api('GET', `/imports/${preview.import.id}`)).json();
    if (s.status === 'completed') {
      counts.imports++;
      counts.importedRows += s.insertedRows;
      return;
    }
    if (s.status === 'failed' || s.status === 'cancelled') return note('import', s.status);
  }
}

function rss(): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Runs fn `perSecond` times a second, evenly spread, until `until`; returns when the last call settled. */
async function atRate(perSecond: number, until: number, fn: () => Promise<unknown>) {
  const inflight = new Set<Promise<unknown>>();
  const gap = 1000 / perSecond;
  let next = Date.now();
  while (Date.now() < until) {
    const p = fn().catch((e) => note('loop', String(e)));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    next += gap;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(inflight);
}

const t0 = Date.now();
const end = t0 + (WARMUP + SECONDS) * 1000;
const samples: { t: number; rss: number }[] = [];
const sampler = setInterval(() => samples.push({ t: (Date.now() - t0) / 1000, rss: rss() }), 5000);
const progress = setInterval(() => {
  const last = samples.at(-1);
  console.log(`  ${Math.round((Date.now() - t0) / 1000)} s: ${counts.eventsAcked} events acked, ${counts.reads} reads, ${counts.imports} imports, ${counts.unexpected} unexpected, RSS ${last ? (last.rss / 1048576).toFixed(0) : '?'} MB`);
}, 60_000);
console.log(`bench/soak: ${WARMUP} s warm-up + ${SECONDS} s at ${TRACK_PER_S} batches/s (×10 events), ${READS_PER_S} reads/s, ${BAD_PER_S} bad requests/s, a ${IMPORT_ROWS}-row import every ${IMPORT_EVERY_S} s`);
await Promise.all([
  atRate(TRACK_PER_S, end, trackBatch),
  atRate(READS_PER_S, end, read),
  atRate(BAD_PER_S, end, bad),
  atRate(1 / IMPORT_EVERY_S, end - 20_000, runImportOnce),
]);
clearInterval(sampler);
clearInterval(progress);

// What the database holds.
const db = new pg.Client({ connectionString: runningEmbeddedUrl(dataDir)! });
await db.connect();
const storedEvents = Number((await db.query('select count(*) from events where source_id = $1', [src.source.id])).rows[0].count);
const importedContacts = Number((await db.query(`select count(*) from contacts where email like 'imp%@soak-import%'`)).rows[0].count);
await db.end();

const after = samples.filter((s) => s.t >= WARMUP);
const firstMin = after.filter((s) => s.t < WARMUP + 60);
const lastMin = after.filter((s) => s.t >= WARMUP + SECONDS - 60);
const avg = (xs: { rss: number }[]) => xs.reduce((a, s) => a + s.rss, 0) / Math.max(1, xs.length);
const growth = avg(lastMin) / Math.max(1, avg(firstMin)) - 1;
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const ok = (b: boolean) => (b ? 'MET' : 'NOT MET');
console.log(`  traffic: ${counts.trackOk} batches (${counts.eventsAcked} events acknowledged), ${counts.reads} API reads, ${counts.bad4xx} intended 4xx, ${counts.imports} imports (${counts.importedRows} rows)`);
console.log(`  RSS of the revloop process: first minute after warm-up ${mb(avg(firstMin))}, last minute ${mb(avg(lastMin))}, max ${mb(Math.max(...after.map((s) => s.rss)))}: growth ${(growth * 100).toFixed(1)} % (target < 10 %) ${ok(growth < 0.1)}`);
console.log(`  unexpected responses: ${counts.unexpected} (target 0) ${ok(counts.unexpected === 0)}${unexpected.length ? `\n    ${unexpected.join('\n    ')}` : ''}`);
console.log(`  events in the database ${storedEvents} = acknowledged ${counts.eventsAcked}: ${ok(storedEvents === counts.eventsAcked)}; imported contacts ${importedContacts} = rows reported ${counts.importedRows}: ${ok(importedContacts === counts.importedRows)}`);
await finish(growth < 0.1 && counts.unexpected === 0 && storedEvents === counts.eventsAcked && importedContacts === counts.importedRows ? 0 : 1);
