// Starts revloop: database (embedded or DATABASE_URL) → migrations → job queue → HTTP server on one port.
import pino from 'pino';
import { buildApp, VERSION } from './app.ts';
import type { Config } from './config.ts';
import { connect } from './db/client.ts';
import { lockDataDir, startEmbeddedPostgres } from './db/embedded.ts';
import { runMigrations } from './db/migrate.ts';
import { startJobs } from './jobs.ts';
import { countUsers } from './domains/identity/service.ts';
import { randomToken } from './domains/identity/secrets.ts';
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
