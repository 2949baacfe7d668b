// The database restarted while revloop runs: requests get 503 with Retry-After while it is down (never a 200
// for a write that was not kept), revloop recovers by itself when it is back (no restart of revloop), no
// acknowledged event is lost, and the background work resumes: the scoring loop scores new events and a
// pg-boss job (a rescore) runs to completion.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts';
import { runMigrations } from './migrate.ts';

const CLI = path.resolve(import.meta.dirname, '..', 'cli', 'main.ts');
const pgDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-dbrestart-pg-'));
const appDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-dbrestart-app-'));
let port = 0;
let db: EmbeddedDatabase | null = null;
let child: ChildProcess | null = null;
let base = '';
let cookie = '';
let writeKey = '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function query<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: db!.url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown = null;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

function track(body: object) {
  return fetch(`${base}/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    body: JSON.stringify(body),
  });
}
const api = (method: string, url: string, body?: unknown) =>
  fetch(`${base}/api/v1${url}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

beforeAll(async () => {
  port = await freePort();
  db = await startEmbeddedPostgres({ dataDir: pgDir, port, database: 'revloop' });
  await runMigrations(db.url);
  const env = { ...process.env, DATA_DIR: appDir, PORT: '0', LOG_LEVEL: 'warn', LOG_PRETTY: 'false', DATABASE_URL: db.url };
  child = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const setup = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start timed out:\n${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const run = /is running at (http:\/\/\S+)/.exec(out);
      const link = /(http:\/\/\S+\/setup\?token=\S+)/.exec(out);
      if (run && link) {
        clearTimeout(timer);
        base = run[1]!;
        resolve(link[1]!);
      }
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.on('exit', (code) => reject(new Error(`exited ${code} before ready:\n${out}`)));
  });
  child.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`revloop exited with ${code}:\n${out.slice(-3000)}`);
  });
  const token = new URL(setup).searchParams.get('token');
  const res = await fetch(`${base}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, name: 'Ada', email: 'ada@restart.test', password: 'correct horse battery staple' }) });
  expect(res.status).toBe(201);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const src = await api('POST', '/sources', { name: 'Website' });
  expect(src.status).toBe(201);
  writeKey = (await src.json()).writeKey;
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 3000));
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await db?.stop().catch(() => undefined);
  rmSync(pgDir, { recursive: true, force: true });
  rmSync(appDir, { recursive: true, force: true });
});

describe('database restart while revloop runs', () => {
  it('answers 503 with Retry-After while the database is down, then recovers by itself with nothing acknowledged lost', async () => {
    const userId = `person-${randomUUID()}`;
    const identify = await fetch(`${base}/v1/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ userId, traits: { email: `${userId}@restart.test` } }),
    });
    expect(identify.status).toBe(200);
    const acked: string[] = [];
    const sendOne = async () => {
      const messageId = randomUUID();
      const res = await track({ userId, event: 'Demo Requested', messageId }).catch(() => null);
      if (res?.status === 200) acked.push(messageId);
      return res;
    };
    for (let i = 0; i < 5; i++) expect((await sendOne())!.status).toBe(200);
    const contact = await until('the contact', async () => (await query<{ id: number }>('select id from contacts where email = $1', [`${userId}@restart.test`]))[0]);
    // The scoring loop recomputes the contact's scores (computed_at) in the pass that scores its new events.
    const scoredAt = async () => (await query<{ at: Date | null }>('select max(computed_at) as at from contact_scores where contact_id = $1', [contact.id]))[0]?.at ?? null;
    await until('the first scores', scoredAt);

    // Down.
    await db!.stop();
    const during = await sendOne();
    expect(during?.status).toBe(503);
    expect(Number(during!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await during!.json()).error.code).toBe('service_unavailable');
    const read = await api('GET', '/contacts');
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).not.toBeNull();

    // Back, same address: revloop reconnects on its own.
    const restartedAt = new Date();
    db = await startEmbeddedPostgres({ dataDir: pgDir, port, database: 'revloop' });
    await until('tracking to answer 200 again', async () => (await sendOne())?.status === 200);
    expect((await api('GET', '/contacts')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await sendOne())!.status).toBe(200);

    // Every acknowledged event is there, once.
    const stored = await query<{ message_id: string }>('select message_id from events where message_id = any($1::text[])', [acked]);
    expect(stored.length).toBe(acked.length);

    // The scoring loop resumed: the new events raise the score.
    await until('scores of the events sent after the restart', async () => ((await scoredAt())?.getTime() ?? 0) > restartedAt.getTime(), 60_000);
    await until('the scoring inbox to drain', async () => Number((await query<{ n: number }>('select count(*)::int as n from scoring_inbox'))[0]!.n) === 0);

    // pg-boss resumed: a rescore job runs to completion.
    const run = await api('POST', '/scoring/rescore', {});
    expect(run.status).toBe(202);
    const { id } = await run.json();
    const done = await until('the rescore job', async () => {
      const r = await (await api('GET', `/scoring/rescore/${id}`)).json();
      return r.status === 'completed' || r.status === 'failed' ? r : null;
    }, 90_000);
    expect(done.status).toBe('completed');
  }, 300_000);
});
