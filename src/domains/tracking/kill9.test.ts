// Durability: a client streams events to a running `revloop start`, the server is killed with SIGKILL
// mid-stream and started again; every event that was answered 200 is in the database, and the client's
// retries of the unanswered ones are stored exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { basic, makeSource, uid } from './test-helpers.ts';

const CLI = path.resolve(import.meta.dirname, '..', '..', 'cli', 'main.ts');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-kill9-'));
const children: ChildProcess[] = [];
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `revloop start` against the test database (an external PostgreSQL, as DATABASE_URL users run it). */
function start(): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', LOG_PRETTY: 'false', DATABASE_URL: t.database.url, WORKERS: 'false' };
  const child = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start timed out:\n${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /is running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code} before ready:\n${out}`)));
  });
}

describe('kill -9 during ingest', () => {
  it('keeps every event that was answered 200', async () => {
    const s = await makeSource(t);
    const first = await start();
    const acked = new Set<string>();
    const unacked: string[] = [];
    let stop = false;
    const sendOne = async (url: string, messageId: string) => {
      const res = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { ...basic(s.writeKey), 'content-type': 'application/json' },
        body: JSON.stringify({ batch: [{ type: 'track', userId: 'k9', event: 'Streamed', messageId }, { type: 'page', anonymousId: 'k9a', messageId: `${messageId}-p` }] }),
      });
      return res.status;
    };
    // 8 clients in parallel, each sending until the server is gone.
    const clients = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const id = uid();
        try {
          if ((await sendOne(first.url, id)) === 200) acked.add(id);
          else unacked.push(id);
        } catch {
          unacked.push(id); // connection refused / reset: no answer, the client would retry
          return;
        }
      }
    });
    while (acked.size < 150) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await Promise.all(clients);
    stop = true;

    const rows = await t.db.execute(sql`select message_id from events where source_id = ${s.id}`);
    const stored = new Set(rows.rows.map((r) => String(r.message_id)));
    const lost = [...acked].filter((id) => !stored.has(id) || !stored.has(`${id}-p`));
    expect(lost).toEqual([]);

    // Restarted, the server takes the client's retries; nothing is stored twice.
    const second = await start();
    for (const id of [...unacked, ...[...acked].slice(0, 20)]) expect(await sendOne(second.url, id)).toBe(200);
    const counts = await t.db.execute(sql`select count(*)::int as n, count(distinct message_id)::int as d from events where source_id = ${s.id}`);
    const { n, d } = counts.rows[0] as { n: number; d: number };
    expect(n).toBe(d);
    expect(n).toBe((acked.size + new Set(unacked).size) * 2);
    second.child.kill('SIGTERM');
  }, 240_000);
});
