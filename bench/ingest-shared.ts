// Shared by bench/ingest-single and bench/ingest-batch: an embedded PostgreSQL in a temp dir, migrated,
// the real app (buildApp) listening on a random port with a source, autocannon runs, and clean-up.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { connect, type Database } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { noJobs } from '../src/jobs.ts';
import { sources } from '../src/domains/tracking/schema.ts';
import { pgCpuSeconds } from './cpu.ts';
import { newWriteKey } from '../src/domains/tracking/sources.ts';

// autocannon ships no types; the little used here is typed by hand.
type AutocannonResult = { requests: { total: number; average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

export interface Bench {
  database: Database;
  /** CPU seconds used so far by this process (server, load generator thread, baseline client) + PostgreSQL. */
  cpu(): { node: number; pg: number };
  url: string;
  sourceId: number;
  writeKey: string;
  /** The bench's data directory (the embedded cluster is in dataDir/pg). */
  dataDir: string;
  close(): Promise<void>;
}

export async function startBench(name: string, timeoutS: number): Promise<Bench> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `revloop-bench-${name}-`));
  let stopPg: (() => Promise<void>) | null = null;
  let closeApp: (() => Promise<void>) | null = null;
  let database: Database | null = null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await new Promise((r) => setTimeout(r, 1000)); // let requests still in flight when the load stopped finish
    await closeApp?.().catch(() => undefined);
    await database?.close().catch(() => undefined);
    await stopPg?.().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  const killer = setTimeout(() => {
    console.error(`bench/${name}: still running after ${timeoutS}s, giving up`);
    void cleanup().finally(() => process.exit(1));
  }, timeoutS * 1000);
  killer.unref();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanup().finally(() => process.exit(130)));

  const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'revloop_bench' });
  stopPg = () => pg.stop();
  await runMigrations(pg.url);
  database = connect(pg.url, { max: 20 });
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', TRACKING_RATE_PER_MINUTE: 10_000_000 }, {});
  const app = await buildApp({ db: database.db, jobs: noJobs, config, logger: pino({ level: 'fatal' }) });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  closeApp = () => app.close();
  const k = newWriteKey();
  const [src] = await database.db.insert(sources).values({ name: 'bench', writeKeyHash: k.hash, writeKeyPrefix: k.prefix }).returning();
  const cpu = () => {
    const u = process.resourceUsage();
    return { node: (u.userCPUTime + u.systemCPUTime) / 1e6, pg: pgCpuSeconds(dir) };
  };
  return { database, url, sourceId: src!.id, writeKey: k.key, close: cleanup, cpu, dataDir: dir };
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}

export interface Run {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function cannon(opts: { url: string; connections: number; seconds: number; body: string; headers: Record<string, string> }): Promise<Run> {
  const r = await autocannon({
    url: opts.url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    // The load generator in its own thread, as it would be on another machine: it must not take the
    // server's event loop (same for the baseline server and revloop).
    workers: Number(process.env.BENCH_CANNON_WORKERS ?? 0) || undefined,
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: opts.body,
  });
  return { requests: r.requests.total, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

export async function countEvents(b: Bench): Promise<number> {
  const res = await b.database.pool.query('select count(*)::int as n from events where source_id = $1', [b.sourceId]);
  return res.rows[0].n as number;
}
