// `revloop content import` as a script runs it: a child process against the test database.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi, afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { runCli } from '../../../test/cli.ts';

// Each test spawns the CLI (a fresh Node process that loads the app) several times: on a loaded 2-core machine
// that alone can take longer than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

let t: TestApp;
let env: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  env = { DATABASE_URL: t.database.url };
});
afterAll(() => t?.close());

describe('revloop content import', () => {
  it('imports all rows, or none with every problem listed (exit 1)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'content-cli-'));
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'title,url,type,stage\nGood,https://cli.example.com/a,practical,interest\nBad,https://cli.example.com/b,practical,later\n');
    const r1 = await runCli(['content', 'import', bad], { env });
    expect(r1.code).toBe(1);
    expect(r1.stdout).toContain('2 rows: nothing imported, 1 problems to fix first:');
    expect(r1.stdout).toContain('line 3: stage: must be one of epiphany');
    expect(await t.count('content_items')).toBe(0);
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, 'title,url,type,stage\nGood,https://cli.example.com/a,practical,interest\nAlso good,https://cli.example.com/b,aspirational,post-sale\n');
    const r2 = await runCli(['content', 'import', good], { env });
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain('2 rows imported: 2 new, 0 updated.');
    expect(await t.count('content_items')).toBe(2);
    expect((await runCli(['content', 'import', path.join(dir, 'nope.csv')], { env })).code).toBe(2);
  }, 120_000); // three CLI processes, each loading the app
});
