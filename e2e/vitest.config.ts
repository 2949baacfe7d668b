// Browser tests: the real app on a fresh database (one embedded PostgreSQL per run, as in the unit tests),
// listening on a random port, driven by Debian chromium through playwright-core. Run with `npm run test:e2e`.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '..'),
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
