// One embedded PostgreSQL cluster per test run. Migrations are applied once to a template database;
// each test file gets a fresh database cloned from it (test/db.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { runMigrations } from '../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the template database (migrated); test/db.ts clones it per file. */
    templateDbUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'revloop-test-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'revloop_template' });
  await runMigrations(pg.url);
  project.provide('templateDbUrl', pg.url);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
