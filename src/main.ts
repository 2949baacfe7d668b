// Starts revloop: database (embedded or DATABASE_URL) → migrations → job queue → HTTP server on one port
// (→ the bounce receiver's SMTP port when BOUNCE_SMTP_PORT is set).
import pino from 'pino';
import { buildApp, VERSION } from './app.ts';
import type { Config } from './config.ts';
import { connect } from './db/client.ts';
import { lockDataDir, startEmbeddedPostgres } from './db/embedded.ts';
import { runMigrations } from './db/migrate.ts';
import { startJobs } from './jobs.ts';
import { countUsers } from './domains/identity/service.ts';
import { randomToken } from './domains/identity/secrets.ts';
import { startBounceReceiver } from './domains/email/bounce-receiver.ts';
import { allWorkers } from './workers.ts';

export interface Running {
  url: string;
  setupUrl: string | null;
  stop(): Promise<void>;
}

export async function startRevloop(config: Config, io: { print: (line: string) => void } = { print: (l) => console.log(l) }): Promise<Running> {
  const pretty = config.LOG_PRETTY ?? Boolean(process.stdout.isTTY);
  const log = pino({ level: config.LOG_LEVEL, ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } } : {}) });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    while (cleanups.length) {
      const fn = cleanups.pop()!;
      try {
        await fn();
      } catch (err) {
        log.warn({ err }, 'error while stopping');
      }
    }
  };
  try {
    const release = lockDataDir(config.dataDir);
    cleanups.push(release);
    let url = config.DATABASE_URL;
    if (!url) {
      io.print(`Starting embedded PostgreSQL (data in ${config.dataDir}/pg)…`);
      const pg = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.EMBEDDED_PG_PORT,
        onLog: (line) => log.debug({ component: 'postgres' }, line),
      });
      cleanups.push(() => pg.stop());
      url = pg.url;
    }
    await runMigrations(url);
    const database = connect(url, { max: 20 });
    cleanups.push(() => database.close());
    const jobs = await startJobs({
      connectionString: url,
      log,
      workers: allWorkers({ db: database.db, dataDir: config.dataDir, log }),
      runWorkers: config.WORKERS,
    });
    cleanups.push(() => jobs.stop());

    const setupToken = (await countUsers(database.db)) === 0 ? randomToken(24) : null;
    const app = await buildApp({ db: database.db, jobs, config, logger: log, setupToken });
    cleanups.push(() => app.close());
    await app.listen({ port: config.PORT, host: config.HOST });
    if (config.BOUNCE_SMTP_PORT !== undefined) {
      const bounces = await startBounceReceiver({ db: database.db, dataDir: config.dataDir, port: config.BOUNCE_SMTP_PORT, host: config.BOUNCE_SMTP_HOST ?? config.HOST, log });
      cleanups.push(() => bounces.close());
      io.print(`Bounce receiver (SMTP) listening on ${bounces.address}`);
    }
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
    const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    const base = (config.PUBLIC_URL ?? `http://${shownHost}:${port}`).replace(/\/$/, '');
    io.print(`revloop ${VERSION} is running at ${base}  (API reference: ${base}/api/docs)`);
    const setupUrl = setupToken ? `${base}/setup?token=${setupToken}` : null;
    if (setupUrl) io.print(`First run: create the admin account at ${setupUrl}`);
    return { url: base, setupUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
