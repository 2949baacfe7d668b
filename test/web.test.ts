// The web UI is served by the same server: files, client-side routes (SPA fallback), and JSON 404s for the API.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { noJobs } from '../src/jobs.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

let app: App;
let database: TestDatabase;
const webDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-web-'));

beforeAll(async () => {
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>revloop</title><div id="root"></div>');
  writeFileSync(path.join(webDir, 'assets', 'app-1.js'), 'console.log(1)');
  database = await createTestDatabase();
  app = await buildApp({ db: database.db, jobs: noJobs, config: loadConfig({ DATA_DIR: webDir }, {}), webDir });
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('web UI', () => {
  it('serves the app at / and for client-side routes', async () => {
    for (const url of ['/', '/contacts/12', '/settings/api-keys?x=1']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('serves assets, including ones built after the server started', async () => {
    expect((await app.inject({ method: 'GET', url: '/assets/app-1.js' })).body).toBe('console.log(1)');
    writeFileSync(path.join(webDir, 'assets', 'app-2.js'), 'console.log(2)');
    expect((await app.inject({ method: 'GET', url: '/assets/app-2.js' })).body).toBe('console.log(2)');
  });

  it('answers a missing asset and unknown API paths with 404, not the app', async () => {
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
    const api = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
  });

  it('rejects path traversal out of the web folder', async () => {
    const res = await app.inject({ method: 'GET', url: '/../../etc/passwd' });
    expect(res.body).not.toContain('root:');
    const enc = await app.inject({ method: 'GET', url: '/assets/..%2f..%2f..%2fetc%2fpasswd' });
    expect(enc.body).not.toContain('root:');
  });
});
