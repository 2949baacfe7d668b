// bench/import: import N generated contacts (default 1,000,000) from CSV into an empty contacts table with
// revloop's import job, and compare with a baseline `COPY … FROM STDIN` of the same file into a bare table
// with matching text columns, in the same run on the same embedded PostgreSQL.
//
//   npx node bench/import/run.ts            (BENCH_ROWS=1000000 CHUNK_SIZE=2500 BENCH_TIMEOUT_S=900)
//
// Starts its own embedded PostgreSQL in a temp dir, stops it and removes everything at the end (also on
// timeout or Ctrl-C). Prints rows/s for both, the ratio and the peak RSS during the revloop import.
import { createReadStream, createWriteStream, chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import pino from 'pino';
import { cliActor, type Ctx } from '../../src/context.ts';
import { connect } from '../../src/db/client.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { pgCpuSeconds } from '../cpu.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { noJobs } from '../../src/jobs.ts';
import { propertyDefinitions } from '../../src/domains/contacts/schema.ts';
import { DEFAULT_CHUNK_SIZE, runImport } from '../../src/domains/contacts/import/run.ts';
import { createImport, startImport } from '../../src/domains/contacts/import/service.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const CHUNK = Number(process.env.CHUNK_SIZE ?? DEFAULT_CHUNK_SIZE);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 900);

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'John', 'Radia', 'Edsger', 'Katherine', 'Donald', 'Hedy'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Backus', 'Perlman', 'Dijkstra', 'Johnson', 'Knuth', 'Lamarr'];
const TITLES = ['CTO', 'VP Engineering', 'Head of Marketing', 'Marketing Manager', 'Software Engineer', 'Data Analyst', 'CFO', 'Sales Director', 'Product Manager', 'Founder'];
const FREE = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com'];
const PLANS = ['Free', 'Pro', 'Enterprise'];
const COMPANIES = 50_000;

async function generate(file: string, rows: number) {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  out.write('Email,First Name,Last Name,Job Title,Company Domain,Phone,Lead score,Plan\n');
  let buf = '';
  for (let i = 1; i <= rows; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    const company = `company${(i * 2654435761) % COMPANIES}.com`;
    const free = i % 10 === 0;
    const domain = free ? FREE[i % FREE.length]! : company;
    const email = `${first.toLowerCase()}.${last.toLowerCase()}.${i}@${domain}`;
    buf += `${email},${first},${last},${TITLES[i % TITLES.length]},${free ? '' : company},+1 555 ${String(i % 10_000_000).padStart(7, '0')},${i % 100},${PLANS[i % 3]}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

const cpuOf = (u: NodeJS.ResourceUsage) => (u.userCPUTime + u.systemCPUTime) / 1e6;

function mb(bytes: number) {
  return Math.round(bytes / 1024 / 1024);
}

interface ChildResult {
  seconds: number;
  processed: number;
  inserted: number;
  updated: number;
  rejected: number;
  contacts: number;
  accounts: number;
  linked: number;
  maxRss: number;
  sampledPeak: number;
  /** CPU seconds of the import process. */
  cpu: number;
  rssStart: number;
}

function runChild(url: string, file: string, size: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--import-only', url, file, String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`import child exited with ${code}`))));
  });
}

/** (b) in the child: createImport + startImport + runImport on the file, then one JSON line on stdout. */
async function importOnly(url: string, file: string, size: number) {
  const rssStart = process.memoryUsage().rss;
  let sampledPeak = rssStart;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 50);
  const database = connect(url, { max: 4 });
  const log = pino({ level: 'silent' });
  const ctx: Ctx = { db: database.db, actor: cliActor, log, jobs: noJobs, dataDir: path.dirname(file) };
  await database.db.insert(propertyDefinitions).values([
    { objectType: 'contact', key: 'score', label: 'Lead score', type: 'number' },
    { objectType: 'contact', key: 'plan', label: 'Plan', type: 'enum', options: PLANS },
  ]);
  const t0 = performance.now();
  const preview = await createImport({ ctx, input: { objectType: 'contacts', filename: 'contacts.csv', filePath: file, fileSize: size } });
  await startImport({ ctx, id: preview.import.id, input: { mapping: preview.suggestedMapping, options: {} }, enqueue: false });
  const result = await runImport({ db: database.db, importId: preview.import.id, log, chunkSize: CHUNK, failOnAnyError: true });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  if (result.status !== 'completed') throw new Error(`import ${result.status}: ${result.errorMessage}`);
  const counts = (await database.pool.query('select count(*)::int as contacts, (select count(*)::int from accounts) as accounts, count(account_id)::int as linked from contacts')).rows[0];
  await database.close();
  const out: ChildResult = {
    seconds,
    processed: result.processedRows,
    inserted: result.insertedRows,
    updated: result.updatedRows,
    rejected: result.rejectedRows,
    ...counts,
    maxRss: process.resourceUsage().maxRSS * 1024,
    cpu: cpuOf(process.resourceUsage()),
    sampledPeak: Math.max(sampledPeak, process.memoryUsage().rss),
    rssStart,
  };
  console.log(JSON.stringify(out));
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'revloop-bench-import-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its data dir
  let stop: (() => Promise<void>) | null = null;
  let finished = false;
  const cleanup = async () => {
    if (stop) await stop().catch(() => undefined);
    stop = null;
    rmSync(dir, { recursive: true, force: true });
  };
  const timer = setTimeout(async () => {
    if (finished) return;
    console.error(`bench/import: timed out after ${TIMEOUT_S}s, cleaning up`);
    await cleanup();
    process.exit(1);
  }, TIMEOUT_S * 1000);
  process.once('SIGINT', async () => {
    await cleanup();
    process.exit(130);
  });
  try {
    const pgdb = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), database: 'bench' });
    stop = pgdb.stop;
    await runMigrations(pgdb.url);
    const file = path.join(dir, 'contacts.csv');
    let t0 = performance.now();
    await generate(file, ROWS);
    const size = statSync(file).size;
    console.log(`generated ${ROWS.toLocaleString('en')} rows, ${mb(size)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // (a) baseline: COPY FROM STDIN into a bare table with matching text columns.
    const client = new pg.Client({ connectionString: pgdb.url });
    await client.connect();
    await client.query(`create table bare_contacts (email text, first_name text, last_name text, title text, company_domain text, phone text, score text, plan text)`);
    const pgDataDir = path.join(dir, 'data');
    let pgCpu0 = pgCpuSeconds(pgDataDir);
    const nodeCpu0 = cpuOf(process.resourceUsage());
    t0 = performance.now();
    await pipeline(createReadStream(file), client.query(copyFrom(`copy bare_contacts from stdin with (format csv, header true)`)));
    const copySeconds = (performance.now() - t0) / 1000;
    const copyCpu = pgCpuSeconds(pgDataDir) - pgCpu0 + cpuOf(process.resourceUsage()) - nodeCpu0;
    const copied = Number((await client.query('select count(*) from bare_contacts')).rows[0].count);
    await client.query('drop table bare_contacts');
    await client.query('checkpoint');
    await client.end();
    const copyRate = copied / copySeconds;
    console.log(
      `(a) COPY baseline: ${copied.toLocaleString('en')} rows in ${copySeconds.toFixed(1)} s = ${Math.round(copyRate).toLocaleString('en')} rows/s ` +
        `(CPU ${copyCpu.toFixed(1)} s = ${Math.round(copied / copyCpu).toLocaleString('en')} rows per CPU-second)`,
    );

    // (b) revloop's import, in-process in a fresh child process (so its peak RSS is the import's alone).
    pgCpu0 = pgCpuSeconds(pgDataDir);
    const b = await runChild(pgdb.url, file, size);
    const importCpu = pgCpuSeconds(pgDataDir) - pgCpu0 + b.cpu;
    const importRate = b.processed / b.seconds;
    console.log(
      `(b) revloop import: ${b.processed.toLocaleString('en')} rows in ${b.seconds.toFixed(1)} s = ${Math.round(importRate).toLocaleString('en')} rows/s ` +
        `(${b.inserted} new, ${b.updated} updated, ${b.rejected} rejected; ${b.contacts} contacts, ${b.linked} linked to ${b.accounts} accounts; chunk ${CHUNK})`,
    );
    console.log(`    CPU ${importCpu.toFixed(1)} s (node ${b.cpu.toFixed(1)} s, PostgreSQL ${(importCpu - b.cpu).toFixed(1)} s) = ${Math.round(b.processed / importCpu).toLocaleString('en')} rows per CPU-second`);
    const ratio = importRate / copyRate;
    console.log(`ratio per CPU-second (b)/(a): ${(b.processed / importCpu / (copied / copyCpu)).toFixed(2)}x`);
    const peak = b.maxRss;
    console.log(`ratio (b)/(a), wall clock: ${ratio.toFixed(2)}x`);
    console.log(`peak RSS of the import process (b): ${mb(peak)} MB (maxRSS; sampled peak ${mb(b.sampledPeak)} MB, at start ${mb(b.rssStart)} MB)`);
    const ok = (label: string, pass: boolean) => console.log(`${pass ? 'PASS' : 'MISS'} ${label}`);
    ok(`>= 20,000 rows/s (${Math.round(importRate).toLocaleString('en')})`, importRate >= 20_000);
    ok(`>= 0.3x COPY (${ratio.toFixed(2)}x)`, ratio >= 0.3);
    ok(`peak RSS <= 400 MB (${mb(peak)} MB)`, peak <= 400 * 1024 * 1024);
  } finally {
    finished = true;
    clearTimeout(timer);
    await cleanup();
  }
}

if (process.argv[2] === '--import-only') {
  await importOnly(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
} else {
  await main();
}
process.exit(0);
