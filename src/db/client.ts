import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.ts';

// Postgres bigint / numeric come back as strings by default; ids fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export type Schema = typeof schema;
export type Db = NodePgDatabase<Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Something queries can run on: the pool-backed db or a transaction. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export function connect(url: string, opts: { max?: number; applicationName?: string } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, application_name: opts.applicationName ?? 'revloop' });
  pool.on('error', () => {
    /* idle client errors (server restart) are retried on next checkout */
  });
  // A checked-out client whose connection drops between two queries (the database restarting under an open
  // transaction) emits 'error' with no listener of the pool's: without this one, that would end the process.
  // The caller's next query fails instead (→ 503), and the pool discards the broken client on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const db = drizzle(pool, { schema });
  return { db, pool, url, close: () => pool.end() };
}
