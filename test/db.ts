// A fresh database per test file, cloned from the migrated template (fast: no migrations per file).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type Database } from '../src/db/client.ts';

export interface TestDatabase extends Database {
  name: string;
  drop(): Promise<void>;
}

/** The same server URL (query such as ?host= kept) with another database name. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const templateUrl = inject('templateDbUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl(templateUrl, 'postgres') });
  await admin.connect();
  try {
    // CREATE DATABASE … TEMPLATE needs the template to have no other connections; retry briefly if another file is cloning.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}" template revloop_template`);
        break;
      } catch (err) {
        if (attempt > 50 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrl(templateUrl, name);
  const database = connect(url, { max: 10 });
  return {
    ...database,
    name,
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: databaseUrl(templateUrl, 'postgres') });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}
