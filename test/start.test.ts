// `revloop start` as a user runs it: first-run setup link, one instance per data dir, clean Ctrl-C,
// data kept across restarts and across kill -9, bad configuration refused in one line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('src/cli/main.ts');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-start-'));
const env = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', LOG_PRETTY: 'false', DATABASE_URL: '' };
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function start(): Promise<{ child: ChildProcess; url: string; setupUrl: string | null; output: () => string }> {
  const child = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start timed out:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /is running at (http:\/\/\S+)/.exec(out);
      if (m && /\n/.test(out.slice(out.indexOf(m[0])))) {
        // Give the setup line (printed right after) a moment.
        setTimeout(() => {
          clearTimeout(timer);
          const setup = /create the admin account at (\S+)/.exec(out);
          resolve({ child, url: m[1]!, setupUrl: setup ? setup[1]! : null, output: () => out });
        }, 200);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code} before ready:\n${out}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.on('exit', (code) => r(code)));
}

describe('start', { timeout: 180_000 }, () => {
  let cookie = '';

  it('prints a one-time setup link on first run, and the link creates the admin', async () => {
    const { child, url, setupUrl } = await start();
    expect(setupUrl).toMatch(/\/setup\?token=[\w-]{20,}$/);
    const token = new URL(setupUrl!).searchParams.get('token');
    const res = await fetch(`${url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: 'owner@example.com', name: 'Owner', password: 'a long enough password' }),
    });
    expect(res.status).toBe(201);
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const key = await fetch(`${url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: 'written before restart', role: 'viewer' }),
    });
    expect(key.status).toBe(201);

    // A second revloop on the same data directory refuses, in one clear line, without touching it.
    const second = spawnSync(process.execPath, [CLI, 'start'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/already running with data directory .* \(pid \d+\)/);

    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });

  it('keeps all data across a restart and no longer offers setup', async () => {
    const { child, url, setupUrl } = await start();
    expect(setupUrl).toBeNull();
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password: 'a long enough password' }),
    });
    expect(login.status).toBe(200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const keys = await (await fetch(`${url}/api/v1/api-keys`, { headers: { cookie } })).json();
    expect(keys.items.map((k: { name: string }) => k.name)).toContain('written before restart');
    // Acknowledged write, then kill -9.
    const ack = await fetch(`${url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: 'acknowledged before kill', role: 'viewer' }),
    });
    expect(ack.status).toBe(201);
    child.kill('SIGKILL');
    await exited(child);
  });

  it('recovers after kill -9 with every acknowledged write kept', async () => {
    const { child, url } = await start();
    const keys = await (await fetch(`${url}/api/v1/api-keys`, { headers: { cookie } })).json();
    expect(keys.items.map((k: { name: string }) => k.name)).toContain('acknowledged before kill');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('refuses a bad setting with one line naming it and exit code 2', () => {
    const res = spawnSync(process.execPath, [CLI, 'start'], { env: { ...env, PORT: 'abc' }, encoding: 'utf8', timeout: 30_000 });
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^Invalid configuration: PORT/);
  });
});
