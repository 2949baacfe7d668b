// `revloop deals import / export` as a script runs them: a child process against the test database.
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

describe('revloop deals', () => {
  it('imports the valid rows, lists rejected rows with line and reason (exit 1), and exports formula-safe CSV', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deals-cli-'));
    const file = path.join(dir, 'deals.csv');
    writeFileSync(file, 'external_id,name,amount,stage\nCLI-1,=Evil formula,100,won\nCLI-2,Bad,abc,intent\n');
    const res = await runCli(['deals', 'import', file], { env });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('2 rows: 1 new, 0 updated, 1 rejected.');
    expect(res.stdout).toContain('line 3 (CLI-2): amount: "abc" is not a number');
    const exp = await runCli(['deals', 'export'], { env });
    expect(exp.code).toBe(0);
    expect(exp.stdout).toContain("CLI-1,'=Evil formula,100,USD,won");
    const missing = await runCli(['deals', 'import', path.join(dir, 'nope.csv')], { env });
    expect(missing.code).toBe(2);
  });
});
