import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { vi, afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { runCli } from '../../../../test/cli.ts';
import { contacts, imports } from '../schema.ts';

// Each test spawns the CLI (a fresh Node process that loads the app) several times: on a loaded 2-core machine
// that alone can take longer than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await createTestApp();
  dir = mkdtempSync(path.join(os.tmpdir(), 'revloop-cli-import-'));
});
afterAll(() => t.close());

const revloop = (args: string[]) => runCli(args, { inheritEnv: true, env: { DATABASE_URL: t.database.url, DATA_DIR: dir } });



function file(name: string, content: string) {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('revloop import', { timeout: 90_000 }, () => {
  it('imports in-process, prints the summary, writes the error file and exits 0 despite rejected rows', async () => {
    const input = file('cli.csv', 'Work Email,Given Name,Score\ncli1@acme-cli.com,One,1\nnot-an-email,Two,2\n@SUM(A1)@acme-cli.com,Three,3\n');
    const errors = path.join(dir, 'cli-errors.csv');
    const res = await revloop(['import', 'contacts', input, '--map', 'Given Name=firstName,Score=', '--errors', errors]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Imported 3 contacts from cli.csv: 1 new, 0 updated, 2 rejected');
    expect(res.stdout).toContain(errors);
    const table = parse(readFileSync(errors), { bom: true }) as string[][];
    expect(table.map((r) => r.slice(0, 2))).toEqual([
      ['line', 'column'],
      ['3', 'Work Email'],
      ['4', 'Work Email'],
    ]);
    expect(table[2]![3]).toBe("'@SUM(A1)@acme-cli.com");
    const [c] = await t.db.select().from(contacts).where(eq(contacts.email, 'cli1@acme-cli.com'));
    expect(c).toMatchObject({ firstName: 'One' });
  });

  it('with --no-update-existing reports existing contacts as rejected', async () => {
    const input = file('again.csv', 'email,first name\ncli1@acme-cli.com,Changed\n');
    const res = await revloop(['import', 'contacts', input, '--no-update-existing']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('0 new, 0 updated, 1 rejected');
    const [c] = await t.db.select().from(contacts).where(eq(contacts.email, 'cli1@acme-cli.com'));
    expect(c!.firstName).toBe('One');
  });

  it('exits 2 on usage errors: unknown object, missing file, bad mapping — and imports nothing', async () => {
    const before = (await t.db.select().from(imports)).length;
    const input = file('u.csv', 'email\nusage@acme-cli.com\n');
    const unknown = await revloop(['import', 'deals', input]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown object "deals"/);
    const missing = await revloop(['import', 'contacts', path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const badMap = await revloop(['import', 'contacts', input, '--map', 'email=favouriteColour']);
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toMatch(/"favouriteColour" is not a contacts field/);
    const noColumn = await revloop(['import', 'contacts', input, '--map', 'Mail=email']);
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toMatch(/"Mail" is not a column/);
    expect((await t.db.select().from(imports)).length).toBe(before);
    expect(await t.db.select().from(contacts).where(eq(contacts.email, 'usage@acme-cli.com'))).toEqual([]);
  });

  it('exits 1 when the file cannot be imported', async () => {
    const res = await revloop(['import', 'contacts', file('bin.csv', '\u0000\u0001binary')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/not a CSV text file/);
  });
});

describe('revloop export', { timeout: 90_000 }, () => {
  it('streams the filtered contacts as formula-safe CSV to a file', async () => {
    await t.db.insert(contacts).values([
      { email: 'export1@acme-exp.com', firstName: '=cmd|calc', lifecycleStage: 'lead' },
      { email: 'export2@acme-exp.com', firstName: 'Plain', lifecycleStage: 'customer' },
    ]);
    const out = path.join(dir, 'export.csv');
    const res = await revloop(['export', 'contacts', '--lifecycle-stage', 'lead', '--q', 'export', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const table = parse(readFileSync(out), { columns: true, bom: true }) as Record<string, string>[];
    expect(table.map((r) => [r.email, r.first_name])).toEqual([['export1@acme-exp.com', "'=cmd|calc"]]);
  });

  it('writes to stdout and exits 2 on a bad filter', async () => {
    const ok = await revloop(['export', 'accounts']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.split('\n')[0]).toMatch(/^id,name,domain/);
    const bad = await revloop(['export', 'contacts', '--lifecycle-stage', 'champion']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/lifecycleStage/);
  });
});
