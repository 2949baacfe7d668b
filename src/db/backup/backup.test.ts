import { vi, afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { runCli } from '../../../test/cli.ts';
import { databaseUrl } from '../../../test/db.ts';
import { makeSource, send } from '../../domains/tracking/test-helpers.ts';

// Each test spawns the CLI (a fresh Node process that loads the app) several times: on a loaded 2-core machine
// that alone can take longer than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

let t: TestApp;
const dir = mkdtempSync(path.join(os.tmpdir(), 'revloop-backup-test-'));
const made: string[] = [];


/** A new, empty database on the test server (restore migrates it). */
async function emptyDatabase(): Promise<string> {
  const name = `restore_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl(t.database.url, 'postgres') });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  made.push(name);
  return databaseUrl(t.database.url, name);
}

/** Row count and a checksum of every public table. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (await c.query(`select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and relkind in ('r','p') and not relispartition order by 1`)).rows.map((r) => r.relname as string);
    const out: Record<string, string> = {};
    for (const tbl of tables) {
      const r = await c.query(`select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from "${tbl}" x`);
      out[tbl] = `${r.rows[0].n}:${r.rows[0].h}`;
    }
    return out;
  } finally {
    await c.end();
  }
}

const cli = (args: string[], url: string) => runCli(args, { env: { DATABASE_URL: url } });

beforeAll(async () => {
  t = await createTestApp();
  // Data in several domains: users (password hashes), contacts and accounts, a campaign, tracked events.
  await t.makeUser('marketing', 'mia@backup.test');
  const acc = (await t.api('POST', '/accounts', { name: 'Globex "Backup" Inc', domain: 'globex-backup.com' })).json();
  for (let i = 0; i < 25; i++) {
    await t.api('POST', '/contacts', { email: `p${i}@globex-backup.com`, firstName: `Ann\t"${i}"`, lastName: 'Line\nbreak \\ back', accountId: acc.id, properties: {} });
  }
  await t.api('POST', '/campaigns', { name: 'Backup campaign', utmCampaign: 'backup-q1' });
  const src = await makeSource(t);
  const batch = Array.from({ length: 40 }, (_, i) => ({ type: 'track', event: 'Viewed', userId: `u${i % 5}`, properties: { i, note: 'ünïcødé ✓' } }));
  expect((await send(t, src.writeKey, 'batch', { batch })).statusCode).toBe(200);
  await send(t, src.writeKey, 'identify', { userId: 'u1', traits: { email: 'p1@globex-backup.com' } });
});

afterAll(async () => {
  const admin = new pg.Client({ connectionString: databaseUrl(t.database.url, 'postgres') });
  await admin.connect();
  for (const name of made) await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
  await t.close();
});

describe('backup and restore', () => {
  it('round-trips every table exactly, and ids continue after the restored ones', async () => {
    const file = path.join(dir, 'full.gz');
    const b = await cli(['backup', '--out', file], t.database.url);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(b.stdout.trim().split('\n').at(-1)).toBe(file);
    expect(b.stdout).toMatch(/Backed up \d+ tables, \d+ rows/);

    const target = await emptyDatabase();
    const r = await cli(['restore', file], target);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Restored \d+ tables, \d+ rows/);

    const [before, after] = await Promise.all([fingerprint(t.database.url), fingerprint(target)]);
    expect(Object.keys(after).length).toBeGreaterThan(20);
    expect(after).toEqual(before);
    expect(before.contacts!.startsWith('25:') || Number(before.contacts!.split(':')[0]) >= 25).toBe(true);

    const c = new pg.Client({ connectionString: target });
    await c.connect();
    const max = (await c.query('select max(id)::int as m from contacts')).rows[0].m as number;
    const ins = await c.query(`insert into contacts (email) values ('after-restore@x.test') returning id`);
    expect(ins.rows[0].id).toBeGreaterThan(max);
    await c.end();
  });

  it('rejects a restore into a database that already holds data, and --force replaces it', async () => {
    const file = path.join(dir, 'again.gz');
    expect((await cli(['backup', '--out', file], t.database.url)).code).toBe(0);
    const target = await emptyDatabase();
    expect((await cli(['restore', file], target)).code).toBe(0);
    const again = await cli(['restore', file], target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds revloop data');
    expect(again.stderr).toContain('--force');
    const forced = await cli(['restore', file, '--force'], target);
    expect(forced.code).toBe(0);
    expect(await fingerprint(target)).toEqual(await fingerprint(t.database.url));
  });

  it('rejects a truncated backup and changes nothing', async () => {
    const file = path.join(dir, 'cut.gz');
    expect((await cli(['backup', '--out', file], t.database.url)).code).toBe(0);
    const raw = gunzipSync(readFileSync(file));
    const cut = path.join(dir, 'cut-half.gz');
    writeFileSync(cut, gzipSync(raw.subarray(0, Math.floor(raw.length * 0.6))));
    const target = await emptyDatabase();
    const r = await cli(['restore', cut], target);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/truncated/);
    const fp = await fingerprint(target);
    expect(Object.values(fp).every((v) => v.startsWith('0:'))).toBe(true);
  });

  it('rejects files that are not revloop backups, and a backup from a newer schema', async () => {
    const target = await emptyDatabase();
    const plain = path.join(dir, 'notes.txt');
    writeFileSync(plain, 'hello');
    const a = await cli(['restore', plain], target);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('not a revloop backup');
    const other = path.join(dir, 'other.gz');
    writeFileSync(other, gzipSync('{"format":"something-else"}\n'));
    expect((await cli(['restore', other], target)).stderr).toContain('not a revloop backup');
    const newer = path.join(dir, 'newer.gz');
    writeFileSync(newer, gzipSync(`${JSON.stringify({ format: 'revloop-backup', version: 1, createdAt: '2030-01-01T00:00:00Z', revloopVersion: '9.0.0', migrations: ['0000_foundation', 'x_future'], database: 'x' })}\n`));
    const n = await cli(['restore', newer], target);
    expect(n.code).toBe(1);
    expect(n.stderr).toContain('newer revloop');
    expect((await cli(['restore', path.join(dir, 'missing.gz')], target)).code).toBe(2);
  });

  it('refuses to overwrite an existing file (usage error, file untouched)', async () => {
    const file = path.join(dir, 'exists.gz');
    writeFileSync(file, 'keep me');
    const r = await cli(['backup', '--out', file], t.database.url);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(existsSync(`${file}.partial`)).toBe(false);
  });
});
