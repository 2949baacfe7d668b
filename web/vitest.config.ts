// Unit tests of the web UI's pure helpers (no browser, no database): npx vitest run --config web/vitest.config.ts
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '..'),
    include: ['web/src/**/*.test.ts'],
  },
});
