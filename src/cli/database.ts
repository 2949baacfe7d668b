// For one-shot CLI commands: open the configured database (starting the embedded one if needed), migrate, run, close.
import type { Config } from '../config.ts';
import { connect, type Database } from '../db/client.ts';
import { lockDataDir, startEmbeddedPostgres } from '../db/embedded.ts';
import { runMigrations } from '../db/migrate.ts';

/**
 * When DATABASE_URL is unset and a revloop server is running on the same data dir, one-shot commands
 * cannot start a second embedded PostgreSQL: they say so (use the API, or stop the server).
 */
export async function withDatabase<T>(config: Config, fn: (database: Database, url: string) => Promise<T>): Promise<T> {
  let release: (() => void) | null = null;
  let stopPg: (() => Promise<void>) | null = null;
  let url = config.DATABASE_URL;
  try {
    if (!url) {
      release = lockDataDir(config.dataDir);
      const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT });
      stopPg = () => pg.stop();
      url = pg.url;
    }
    await runMigrations(url);
    const database = connect(url, { max: 8, applicationName: 'revloop-cli' });
    try {
      return await fn(database, url);
    } finally {
      await database.close();
    }
  } finally {
    if (stopPg) await stopPg();
    release?.();
  }
}
