// bench/list: p50/p95 latency of the contacts list API at 1M contacts, against a same-run baseline.
//
//   npx node bench/list/run.ts                    # 1,000,000 contacts, 60 timed requests per scenario
//   BENCH_CONTACTS=200000 BENCH_ITERATIONS=30 npx node bench/list/run.ts
//   BENCH_EXPLAIN=1 npx node bench/list/run.ts    # also print EXPLAIN ANALYZE of each scenario's queries
//
// Starts its own embedded PostgreSQL in a temp dir, applies the migrations, generates the data with
// generate_series (owners, 20,000 accounts, N contacts, two custom properties), VACUUM ANALYZEs, builds
// the app with buildApp and times GET /api/v1/contacts through app.inject (full stack: auth by API key,
// zod validation, page query + capped count, response serialization). The baseline is the same page
// fetched with one hand-written SQL query through a bare pg client, timed in the same run; the ratio
// is API p95 / baseline p95. Stops by itself (BENCH_TIMEOUT_S, default 900 s) and removes its temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { connect } from '../../src/db/client.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { noJobs } from '../../src/jobs.ts';
import { newApiKey } from '../../src/domains/identity/secrets.ts';

const N = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const ITER = Number(process.env.BENCH_ITERATIONS ?? 60);
const WARMUP = 5;
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 900);
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
const TARGET_P95_MS = 100;

const dir = mkdtempSync(path.join(os.tmpdir(), 'revloop-bench-list-'));
let stopPg: (() => Promise<void>) | null = null;
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  try {
    await stopPg?.();
  } catch {
    /* already stopped */
  }
  rmSync(dir, { recursive: true, force: true });
}
const killer = setTimeout(() => {
  console.error(`bench/list: still running after ${TIMEOUT_S}s, giving up`);
  void cleanup().finally(() => process.exit(1));
}, TIMEOUT_S * 1000);
killer.unref();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanup().finally(() => process.exit(130)));

const log = (s: string) => console.log(s);
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Christopher', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra', 'Anna', 'Lukas', 'Sofia', 'Mateo', 'Yuki', 'Wei', 'Priya', 'Omar', 'Fatima', 'Ivan'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Tanaka', 'Suzuki', 'Sato', 'Wang', 'Li', 'Zhang', 'Chen', 'Kumar', 'Singh', 'Patel'];
const arr = (xs: string[]) => `array[${xs.map((x) => `'${x}'`).join(',')}]`;

async function load(client: pg.Client) {
  const t0 = performance.now();
  await client.query(`set maintenance_work_mem = '256MB'`);
  await client.query(`insert into users (email, name, role, password_hash)
    select 'owner' || i || '@bench.test', 'Owner ' || i, 'sales', 'x' from generate_series(1, 20) i`);
  await client.query(`insert into accounts (name, domain, owner_id, created_at, updated_at)
    select 'Company ' || i, 'company' || i || '.com', 1 + i % 20, timestamptz '2023-01-01' + i * interval '20 minutes', timestamptz '2023-01-01' + i * interval '20 minutes'
    from generate_series(1, 20000) i`);
  await client.query(`insert into property_definitions (object_type, key, label, type, options) values
    ('contact', 'plan', 'Plan', 'enum', '["Free","Pro","Enterprise"]'), ('contact', 'seats', 'Seats', 'number', null)`);
  // Rows arrive in creation order (as imports and sign-ups do); 10 rows share each created_at (batch inserts).
  // FK triggers are skipped for the generated rows (replica role); every owner_id / account_id exists.
  await client.query(`set session_replication_role = replica`);
  const chunk = 250_000;
  for (let from = 1; from <= N; from += chunk) {
    const to = Math.min(N, from + chunk - 1);
    await client.query(`
      insert into contacts (email, first_name, last_name, title, phone, lifecycle_stage, owner_id, account_id, properties, source, created_at, updated_at)
      select lower(fn) || '.' || lower(coalesce(ln, 'x')) || '.' || i || '@company' || acc || '.com',
             fn, ln, case when i % 4 = 0 then 'Marketing Manager' else null end, null,
             (array['subscriber','subscriber','subscriber','subscriber','lead','lead','lead','marketing_qualified','sales_ready','sales_accepted','opportunity','customer','customer','recycled','disqualified'])[1 + (i * 7) % 15],
             case when i % 3 = 0 then null else 1 + i % 20 end,
             case when i % 5 = 0 then null else acc end,
             jsonb_build_object('plan', (array['Free','Pro','Enterprise'])[1 + (i / 15) % 3], 'seats', i % 500),
             'import', created, created + ((i * 31) % 100000) * interval '1 minute'
      from (select i,
                   (${arr(FIRST)})[1 + (i * 7919) % ${FIRST.length}] as fn,
                   case when i % 20 = 0 then null else (${arr(LAST)})[1 + (i * 104729) % ${LAST.length}] end as ln,
                   1 + (i * 31) % 20000 as acc,
                   timestamptz '2024-01-01' + (i / 10) * interval '1 minute' as created
            from generate_series(${from}::bigint, ${to}::bigint) i) s`);
    process.stdout.write(`\r  loaded ${to.toLocaleString('en')} contacts (${secs(t0)} s)`);
  }
  await client.query(`set session_replication_role = origin`);
  process.stdout.write('\n');
  const t1 = performance.now();
  await client.query('vacuum analyze');
  log(`  load: ${secs(t0)} s (vacuum analyze ${secs(t1)} s)`);
}

interface Scenario {
  name: string;
  url: string;
  /** The same page as one hand-written SQL query (the baseline). */
  baseline: string;
}

const SELECT = `select c.id, c.email, c.first_name, c.last_name, c.title, c.phone, c.lifecycle_stage, c.properties, c.source, c.created_at, c.updated_at,
  u.id as owner_id, u.name as owner_name, u.email as owner_email, a.id as account_id, a.name as account_name, a.domain as account_domain
  from contacts c left join users u on u.id = c.owner_id left join accounts a on a.id = c.account_id`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main() {
  log(`bench/list: ${N.toLocaleString('en')} contacts, ${ITER} timed requests per scenario (after ${WARMUP} warm-up)`);
  log(`  node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, temp dir ${dir}`);
  const t0 = performance.now();
  const embedded = await startEmbeddedPostgres({ dataDir: dir, database: 'revloop_bench' });
  stopPg = embedded.stop;
  await runMigrations(embedded.url);
  log(`  embedded PostgreSQL + migrations: ${secs(t0)} s`);
  const client = new pg.Client({ connectionString: embedded.url });
  client.on('error', () => undefined); // the server going away at clean-up is not an error here
  await client.connect();
  await load(client);

  const database = connect(embedded.url, { max: 10 });
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }, {});
  // Server errors are printed (a 500 stops the bench); everything below error level is silent.
  const app = await buildApp({ db: database.db, jobs: noJobs, config, logger: pino({ level: 'error' }) });
  await app.ready();
  const k = newApiKey();
  await client.query(`insert into api_keys (name, prefix, key_hash, role) values ('bench', $1, $2, 'viewer')`, [k.prefix, k.hash]);
  const headers = { authorization: `Bearer ${k.key}` };
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json() as { items: { id: number; lastName: string | null }[]; nextCursor: string | null; total: { count: number; capped: boolean } };
  };

  // Cursors and values the scenarios need, taken from real pages.
  const leadPage1 = await get('/api/v1/contacts?lifecycleStage=lead&sort=-createdAt&limit=50');
  const last = leadPage1.items.at(-1)!;
  const lastRow = (await client.query(`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts from contacts where id = $1`, [last.id])).rows[0];
  const mid = (
    await client.query(
      `select id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts from contacts order by created_at desc, id desc offset ${Math.floor(N / 2)} limit 1`,
    )
  ).rows[0];
  const deepCursor = Buffer.from(JSON.stringify({ s: '-createdAt', v: mid.ts, id: mid.id })).toString('base64url');
  const lnPage1 = await get('/api/v1/contacts?sort=lastName&limit=50');
  const lnLast = lnPage1.items.at(-1)!;
  const sample = (await client.query(`select email from contacts where id = $1`, [Math.floor(N / 3)])).rows[0].email as string;

  const scenarios: Scenario[] = [
    {
      name: 'stage=lead, -createdAt, limit 50',
      url: '/api/v1/contacts?lifecycleStage=lead&sort=-createdAt&limit=50',
      baseline: `${SELECT} where c.workspace_id = 1 and c.lifecycle_stage = 'lead' order by c.created_at desc, c.id desc limit 51`,
    },
    {
      name: 'stage=lead, -createdAt, page 2 (cursor)',
      url: `/api/v1/contacts?lifecycleStage=lead&sort=-createdAt&limit=50&cursor=${leadPage1.nextCursor}`,
      baseline: `${SELECT} where c.workspace_id = 1 and c.lifecycle_stage = 'lead' and (c.created_at, c.id) < ('${lastRow.ts}'::timestamptz, ${last.id}) order by c.created_at desc, c.id desc limit 51`,
    },
    {
      name: 'no filter, -createdAt, page at row 500k (cursor)',
      url: `/api/v1/contacts?sort=-createdAt&limit=50&cursor=${deepCursor}`,
      baseline: `${SELECT} where c.workspace_id = 1 and (c.created_at, c.id) < ('${mid.ts}'::timestamptz, ${mid.id}) order by c.created_at desc, c.id desc limit 51`,
    },
    {
      name: 'sort lastName, limit 50',
      url: '/api/v1/contacts?sort=lastName&limit=50',
      baseline: `${SELECT} where c.workspace_id = 1 and c.last_name is not null order by c.last_name, c.id limit 51`,
    },
    {
      name: 'sort lastName, page 2 (cursor)',
      url: `/api/v1/contacts?sort=lastName&limit=50&cursor=${lnPage1.nextCursor}`,
      baseline: `${SELECT} where c.workspace_id = 1 and c.last_name is not null and (c.last_name, c.id) > ('${lnLast.lastName}', ${lnLast.id}) order by c.last_name, c.id limit 51`,
    },
    {
      name: 'q=full email (exact)',
      url: `/api/v1/contacts?q=${encodeURIComponent(sample)}`,
      baseline: `${SELECT} where c.workspace_id = 1 and c.email = '${sample}' order by c.created_at desc, c.id desc limit 51`,
    },
    {
      name: 'q=partial email (local part + @)',
      url: `/api/v1/contacts?q=${encodeURIComponent(sample.slice(0, sample.indexOf('@') + 1))}`,
      baseline: `${SELECT} where c.workspace_id = 1 and c.email like '${sample.slice(0, sample.indexOf('@') + 1)}%' order by c.created_at desc, c.id desc limit 51`,
    },
    {
      name: 'q=name prefix (smi), -createdAt',
      url: '/api/v1/contacts?q=smi&sort=-createdAt&limit=50',
      baseline: `${SELECT} where c.workspace_id = 1 and (c.email like 'smi%' or lower(c.first_name) like 'smi%' or lower(c.last_name) like 'smi%') order by c.created_at desc, c.id desc limit 51`,
    },
    {
      name: 'q=name prefix (zhan), -createdAt',
      url: '/api/v1/contacts?q=zhan&sort=-createdAt&limit=50',
      baseline: `${SELECT} where c.workspace_id = 1 and (c.email like 'zhan%' or lower(c.first_name) like 'zhan%' or lower(c.last_name) like 'zhan%') order by c.created_at desc, c.id desc limit 51`,
    },
    {
      name: 'q=name prefix, no match (xyzzy)',
      url: '/api/v1/contacts?q=xyzzy&sort=-createdAt&limit=50',
      baseline: `${SELECT} where c.workspace_id = 1 and (c.email like 'xyzzy%' or lower(c.first_name) like 'xyzzy%' or lower(c.last_name) like 'xyzzy%') order by c.created_at desc, c.id desc limit 51`,
    },
    {
      name: 'prop.plan=Pro + stage=customer, -createdAt',
      url: '/api/v1/contacts?prop.plan=Pro&lifecycleStage=customer&sort=-createdAt&limit=50',
      baseline: `${SELECT} where c.workspace_id = 1 and c.lifecycle_stage = 'customer' and c.properties @> '{"plan":"Pro"}' order by c.created_at desc, c.id desc limit 51`,
    },
    {
      name: 'ownerId=7, sort -updatedAt',
      url: '/api/v1/contacts?ownerId=7&sort=-updatedAt&limit=50',
      baseline: `${SELECT} where c.workspace_id = 1 and c.owner_id = 7 order by c.updated_at desc, c.id desc limit 51`,
    },
  ];

  const baseline = new pg.Client({ connectionString: embedded.url });
  baseline.on('error', () => undefined);
  await baseline.connect();
  const rows: { name: string; p50: number; p95: number; b50: number; b95: number; total: string; proposed?: boolean }[] = [];
  const measure = async (s: Scenario) => {
    const api: number[] = [];
    const sqlT: number[] = [];
    let total = '';
    for (let i = 0; i < WARMUP + ITER; i++) {
      // Alternate API and baseline so both see the same cache state.
      let t = performance.now();
      const body = await get(s.url);
      const a = performance.now() - t;
      t = performance.now();
      await baseline.query(s.baseline);
      const b = performance.now() - t;
      if (i >= WARMUP) api.push(a), sqlT.push(b);
      total = `${body.total.count}${body.total.capped ? '+' : ''}`;
    }
    if (EXPLAIN) {
      const plan = await baseline.query(`explain (analyze, buffers, costs off) ${s.baseline}`);
      log(`\n-- ${s.name}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      const where = s.baseline.slice(s.baseline.indexOf(' where '), s.baseline.indexOf(' order by '));
      const count = await baseline.query(`explain (analyze, costs off) select count(*) from (select 1 from contacts c${where} limit 10001) t`);
      log(`-- count\n${count.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
    return { name: s.name, p50: pct(api, 50), p95: pct(api, 95), b50: pct(sqlT, 50), b95: pct(sqlT, 95), total, proposed: s.name.includes('[+proposed') };
  };
  for (const s of scenarios) rows.push(await measure(s));
  // The name-search and owner scenarios again with the indexes they need, when the schema lacks them
  // (see docs/benchmarks.md). Not part of the target: they show what adding them changes.
  if (process.env.BENCH_PROPOSED_INDEXES !== '0') {
    const defs = (await client.query(`select indexdef from pg_indexes where tablename = 'contacts'`)).rows.map((r) => String(r.indexdef));
    const proposed = [
      { ddl: `create index bench_first_name_lower_idx on contacts (workspace_id, lower(first_name) text_pattern_ops)`, has: /lower\(first_name\)/ },
      { ddl: `create index bench_last_name_lower_idx on contacts (workspace_id, lower(last_name) text_pattern_ops)`, has: /lower\(last_name\)/ },
      { ddl: `create index bench_owner_idx on contacts (workspace_id, owner_id, created_at, id)`, has: /\((owner_id, workspace_id|workspace_id, owner_id)/ },
    ].filter((p) => !defs.some((d) => p.has.test(d)));
    if (!proposed.length) log('  (the schema already has the name-search and owner indexes: no proposed-index phase)');
    else {
      const t1 = performance.now();
      for (const p of proposed) await client.query(p.ddl);
      await client.query('analyze contacts');
      log(`  (proposed indexes built in ${secs(t1)} s: ${proposed.map((p) => p.ddl.split(' ')[2]).join(', ')})`);
      for (const s of scenarios.filter((x) => (x.name.startsWith('q=') && x.name.includes('name')) || x.name.startsWith('ownerId'))) {
        rows.push(await measure({ ...s, name: `${s.name} [+proposed idx]` }));
      }
    }
  }
  const w = Math.max(...rows.map((r) => r.name.length));
  log('');
  log(`${'scenario'.padEnd(w)}  total    API p50   API p95   SQL p50   SQL p95   p95 ratio  target`);
  for (const r of rows) {
    const ok = r.p95 <= TARGET_P95_MS ? 'ok' : 'FAIL';
    log(
      `${r.name.padEnd(w)}  ${r.total.padStart(7)}  ${r.p50.toFixed(1).padStart(6)} ms ${r.p95.toFixed(1).padStart(6)} ms ${r.b50.toFixed(1).padStart(6)} ms ${r.b95.toFixed(1).padStart(6)} ms ${(r.p95 / r.b95).toFixed(1).padStart(8)}×  ${ok}`,
    );
  }
  const worst = Math.max(...rows.filter((r) => !r.proposed).map((r) => r.p95));
  log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  log(`worst p95 ${worst.toFixed(1)} ms (target ≤ ${TARGET_P95_MS} ms): ${worst <= TARGET_P95_MS ? 'PASS' : 'FAIL'}`);
  await baseline.end();
  await client.end();
  await app.close();
  await database.close();
  return worst <= TARGET_P95_MS;
}

main()
  .then(async (ok) => {
    await cleanup();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (err) => {
    console.error(err);
    await cleanup();
    process.exit(1);
  });
