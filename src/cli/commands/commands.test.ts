// The users, doctor and demo commands as a script would run them: a child process, stdin, stdout, exit code.
import net from 'node:net';
import { vi, afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { runCli as revloop } from '../../../test/cli.ts';
import pino from 'pino';
import { checkBouncePort, checkNode, checkPort } from './doctor.ts';
import { startBounceReceiver } from '../../domains/email/bounce-receiver.ts';

// Each test spawns the CLI (a fresh Node process that loads the app) several times: on a loaded 2-core machine
// that alone can take longer than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/** Each test starts one or more Node processes; on a busy 2-core machine one takes several seconds. */
const SPAWN_TIMEOUT = 120_000;



let t: TestApp;
let env: Record<string, string>;
const rows = async <T,>(q: ReturnType<typeof sql>) => (await t.db.execute(q)).rows as T[];

beforeAll(async () => {
  t = await createTestApp();
  env = { DATABASE_URL: t.database.url };
});
afterAll(async () => {
  await t?.close();
});

describe('users create', { timeout: SPAWN_TIMEOUT }, () => {
  it('creates a user from a password on stdin, prints its id and writes a cli audit row', async () => {
    const r = await revloop(['users', 'create', '--email', 'Maya@Example.com', '--role', 'marketing', '--name', 'Maya Chen'], { stdin: 'a long enough secret\n', env });
    expect(r.stderr).toContain('Created marketing maya@example.com');
    expect(r.code).toBe(0);
    const id = Number(r.stdout.trim());
    const [user] = await rows<{ email: string; name: string; role: string }>(sql`select email, name, role from users where id = ${id}`);
    expect(user).toEqual({ email: 'maya@example.com', name: 'Maya Chen', role: 'marketing' });
    const audit = await rows<{ actor_type: string; action: string }>(sql`select actor_type, action from audit_log where entity_type = 'user' and entity_id = ${String(id)}`);
    expect(audit).toEqual([{ actor_type: 'cli', action: 'user.created' }]);

    // The password works: sign in with it.
    const login = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'maya@example.com', password: 'a long enough secret' } });
    expect(login.statusCode).toBe(200);
  });

  it('rejects a duplicate email with exit 1 and changes nothing', async () => {
    const r = await revloop(['users', 'create', '--email', 'maya@example.com', '--role', 'admin'], { stdin: 'another long secret\n', env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists/);
    const [n] = await rows<{ n: number; role: string }>(sql`select count(*)::int n, min(role) role from users where email = 'maya@example.com'`);
    expect(n).toEqual({ n: 1, role: 'marketing' });
  });

  it.each([
    ['a short password', ['--email', 'x1@example.com', '--role', 'sales'], 'short\n', /at least 12 characters/],
    ['an unknown role', ['--email', 'x2@example.com', '--role', 'boss'], 'a long enough secret\n', /--role must be one of admin, marketing, sales, viewer/],
    ['a bad email', ['--email', 'not-an-email', '--role', 'sales'], 'a long enough secret\n', /--email must be a valid email/],
    ['no password at all', ['--email', 'x3@example.com', '--role', 'sales'], '', /no password given/],
  ])('rejects %s with exit 2 and creates nobody', async (_label, args, stdin, message) => {
    const before = await rows<{ n: number }>(sql`select count(*)::int n from users`);
    const r = await revloop(['users', 'create', ...args], { stdin, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(await rows(sql`select count(*)::int n from users`)).toEqual(before);
  });

  it('lists users as JSON', async () => {
    const r = await revloop(['users', 'list', '--json'], { env });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { email: string; role: string }[];
    expect(list).toContainEqual(expect.objectContaining({ email: 'maya@example.com', role: 'marketing' }));
  });
});

describe('doctor', { timeout: SPAWN_TIMEOUT }, () => {
  it('passes against a reachable, migrated database', async () => {
    const r = await revloop(['doctor'], { env: { ...env, PORT: '0' } });
    expect(r.stdout).toMatch(/✓ Node\.js: v\d+/);
    expect(r.stdout).toMatch(/✓ Configuration: valid/);
    expect(r.stdout).toMatch(/✓ Data directory: .* is writable/);
    expect(r.stdout).toMatch(/✓ Disk space: [\d.]+ GB free/);
    expect(r.stdout).toMatch(/✓ Database: DATABASE_URL .* reachable \(PostgreSQL \d+/);
    expect(r.stdout).toMatch(/✓ Migrations: all \d+ applied/);
    expect(r.stdout).toContain('All checks passed.');
    expect(r.code).toBe(0);
  });

  it('fails with exit 1 and names the setting when the configuration is bad', async () => {
    const r = await revloop(['doctor'], { env: { PORT: 'eighty' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ Configuration: PORT/);
    expect(r.stdout).toMatch(/→ correct that setting/);
  });

  it('fails with exit 1 and a fix when the database is unreachable', async () => {
    const r = await revloop(['doctor'], { env: { DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none', PORT: '0' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ Database: cannot connect/);
    expect(r.stdout).toMatch(/→ check DATABASE_URL/);
  });

  it('checks the Node version', () => {
    expect(checkNode('24.1.0').ok).toBe(true);
    expect(checkNode('22.12.0').ok).toBe(true);
    const old = checkNode('22.11.0');
    expect(old.ok).toBe(false);
    expect(old.fix).toMatch(/npm/);
  });

  it('tells a port used by another program from one used by revloop', async () => {
    const other = net.createServer((s) => s.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherPort = (other.address() as net.AddressInfo).port;
    try {
      const busy = await checkPort('127.0.0.1', otherPort);
      expect(busy.ok).toBe(false);
      expect(busy.fix).toMatch(/another port/);
    } finally {
      other.close();
    }
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ours = await checkPort('127.0.0.1', (t.app.server.address() as net.AddressInfo).port);
    expect(ours.ok).toBe(true);
    expect(ours.detail).toMatch(/revloop .* is already running/);
  });

  it("tells the bounce receiver's port used by another mail server from one used by revloop's receiver", async () => {
    const other = net.createServer((s) => s.write('220 mx.example.test ESMTP Postfix\r\n'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const busy = await checkBouncePort('127.0.0.1', (other.address() as net.AddressInfo).port);
      expect(busy).toMatchObject({ ok: false, detail: expect.stringContaining('Postfix') });
      expect(busy.fix).toMatch(/BOUNCE_SMTP_PORT/);
    } finally {
      other.close();
    }
    const receiver = await startBounceReceiver({ db: t.db, dataDir: t.config.dataDir, port: 0, host: '127.0.0.1', log: pino({ level: 'silent' }) });
    try {
      const ours = await checkBouncePort('127.0.0.1', receiver.port);
      expect(ours).toMatchObject({ ok: true, detail: expect.stringContaining("revloop's bounce receiver is already running") });
    } finally {
      await receiver.close();
    }
  });
});

describe('demo', { timeout: SPAWN_TIMEOUT }, () => {
  it('rejects a bad --contacts with exit 2', async () => {
    const r = await revloop(['demo', '--contacts', 'lots'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--contacts/);
  });

  it('loads once (exit 0) and refuses a second time (exit 1)', async () => {
    const first = await revloop(['users', 'create', '--email', 'admin@example.com', '--role', 'admin'], { stdin: 'a long enough secret\n', env });
    expect(first.code).toBe(0);
    const r = await revloop(['demo', '--contacts', '80', '--seed', 'cli'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Demo data loaded in [\d.]+ s \(seed cli\): 3 accounts, 80 contacts, 7 new users, 7 custom properties/);
    expect(r.stdout).toContain('Settings → Users');
    const again = await revloop(['demo', '--contacts', '80'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already loaded/);
    const [n] = await rows<{ n: number }>(sql`select count(*)::int n from contacts`);
    expect(n!.n).toBe(80);
  });
});
