// Path traversal: no file name or path that a caller sends reaches the file system. Uploaded CSVs are stored
// under DATA_DIR/uploads with a random name (the caller's name is only a label, reduced to its base name);
// download names are rebuilt from safe characters; the web UI's static files are served only from web/dist.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { upload } from '../../src/domains/contacts/import/test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const HOSTILE_NAMES = ['../../../../tmp/revloop-pwned.csv', '..\\..\\..\\revloop-pwned.csv', '/etc/passwd', 'C:\\Windows\\win.ini', '....//....//revloop-pwned.csv', '%2e%2e%2frevloop-pwned.csv', 'x\u0000.csv', 'con.csv'];

describe('path traversal', () => {
  it('stores uploads under DATA_DIR/uploads with a random name whatever the file name says', async () => {
    const uploads = path.join(t.config.dataDir, 'uploads');
    for (const name of HOSTILE_NAMES) {
      const res = await upload(t, 'email\npt@example.com\n', { name });
      expect([201, 400], name).toContain(res.statusCode);
      if (res.statusCode !== 201) continue;
      const id = res.json().import.id;
      const { rows } = await t.database.pool.query('select file_path, filename from imports where id = $1', [id]);
      const stored = path.resolve(String(rows[0].file_path));
      expect(path.dirname(stored), name).toBe(path.resolve(uploads));
      expect(path.basename(stored), name).toMatch(/^[0-9a-f]{24}\.csv$/);
      expect(String(rows[0].filename), name).not.toMatch(/[/\u0000]|\.\.[/\\]/);
    }
    expect(existsSync('/tmp/revloop-pwned.csv')).toBe(false);
    expect(existsSync(path.join(t.config.dataDir, 'revloop-pwned.csv'))).toBe(false);
    for (const f of readdirSync(uploads)) expect(f).toMatch(/^[0-9a-f]{24}\.csv$/);
  });

  it('serves no file outside the web UI folder', async () => {
    for (const url of ['/../package.json', '/..%2fpackage.json', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cpackage.json', '/assets/....//....//package.json', '/.env', '/src/config.ts']) {
      const res = await t.inject({ method: 'GET', url });
      expect(res.body, url).not.toMatch(/"name": "revloop"|root:x:0:0|export const|DATA_DIR=/);
      expect([200, 301, 302, 400, 403, 404], url).toContain(res.statusCode);
      if (res.statusCode === 200) expect(res.headers['content-type'], url).toMatch(/text\/html/); // the SPA shell, nothing else
    }
  });

  it('does not let a route parameter reach a file (ids are numbers, tokens are patterns)', async () => {
    for (const url of ['/api/v1/imports/..%2F..%2Fetc%2Fpasswd/errors.csv', '/api/v1/imports/1%2F..%2F..%2F/errors.csv', '/api/v1/contacts/..%2F..%2F']) {
      const res = await t.api('GET', url.replace('/api/v1', ''));
      expect([400, 404], url).toContain(res.statusCode);
    }
  });
});
