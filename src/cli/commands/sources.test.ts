// `revloop sources` as a script runs it: a child process against the test database.
import { vi, afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { runCli } from '../../../test/cli.ts';

const revloop = (args: string[], env: Record<string, string>) => runCli(args, { env });
import { basic } from '../../domains/tracking/test-helpers.ts';
import { clearWriteKeyCache } from '../../domains/tracking/sources.ts';

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

describe('revloop sources', () => {
  it('create prints a working write key alone on its last line; list shows the source without the key; revoke stops it', async () => {
    const created = await revloop(['sources', 'create', 'Marketing site'], env);
    expect(created.code).toBe(0);
    const key = created.stdout.trim().split('\n').at(-1)!;
    expect(key).toMatch(/^rlw_[A-Za-z0-9_-]{43}$/);
    const sent = await t.inject({ method: 'POST', url: '/v1/track', headers: { ...basic(key), 'content-type': 'application/json' }, payload: { userId: 'u', event: 'E' } });
    expect(sent.statusCode).toBe(200);

    const list = await revloop(['sources', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { id: number; name: string; revokedAt: string | null }[];
    const row = rows.find((r) => r.name === 'Marketing site')!;
    expect(row.revokedAt).toBeNull();
    expect(list.stdout).not.toContain(key);

    const revoked = await revloop(['sources', 'revoke', String(row.id)], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('Revoked');
    clearWriteKeyCache(); // a revoke in another process is seen within 5 s (cache TTL); don't wait for it here
    const refused = await t.inject({ method: 'POST', url: '/v1/track', headers: { ...basic(key), 'content-type': 'application/json' }, payload: { userId: 'u', event: 'E' } });
    expect(refused.statusCode).toBe(401);
  }, 120_000);
});
