import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { ensureEventPartitions, pruneTrackingState, DEDUPE_WINDOW_DAYS } from './jobs.ts';
import { countEvents, makeSource, send, uid } from './test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { TRACKING_RATE_PER_MINUTE: 3 } });
});
afterAll(() => t.close());

async function partitions(): Promise<string[]> {
  const res = await t.db.execute(sql`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'events'::regclass order by 1`);
  return res.rows.map((r) => String(r.relname));
}

describe('event partitions', () => {
  it('has monthly partitions from this month on and a default partition', async () => {
    const names = await partitions();
    expect(names).toContain('events_default');
    const now = new Date();
    const thisMonth = `events_${now.getUTCFullYear()}_${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(names).toContain(thisMonth);
    expect(names.filter((n) => /^events_\d{4}_\d{2}$/.test(n)).length).toBeGreaterThanOrEqual(4);
  });

  it('creates partitions further ahead, moving rows the default partition already holds for that month', async () => {
    const s = await makeSource(t);
    const d = new Date();
    const far = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 5, 15));
    const name = `events_${far.getUTCFullYear()}_${String(far.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(await partitions()).not.toContain(name);
    await t.db.execute(sql`insert into events (source_id, message_id, type, event, timestamp, received_at) values (${s.id}, ${uid()}, 'track', 'Future', ${far.toISOString()}, ${far.toISOString()})`);
    expect((await t.db.execute(sql`select count(*)::int as n from events_default where source_id = ${s.id}`)).rows[0]).toEqual({ n: 1 });
    const created = await ensureEventPartitions(t.db, 6);
    expect(created).toContain(name);
    expect(await partitions()).toContain(name);
    expect((await t.db.execute(sql`select count(*)::int as n from events_default where source_id = ${s.id}`)).rows[0]).toEqual({ n: 0 });
    expect((await t.db.execute(sql.raw(`select count(*)::int as n from ${name} where source_id = ${s.id}`))).rows[0]).toEqual({ n: 1 });
    expect(await countEvents(t, s.id)).toBe(1);
    // running it again creates nothing
    expect(await ensureEventPartitions(t.db, 6)).toEqual([]);
  });
});

describe('pruneTrackingState', () => {
  it('forgets messageIds older than the de-duplication window only', async () => {
    const s = await makeSource(t);
    const old = new Date(Date.now() - (DEDUPE_WINDOW_DAYS + 1) * 86_400_000);
    await t.db.execute(sql`insert into event_dedupe (source_id, message_id, received_at) values (${s.id}, 'old-one', ${old.toISOString()}), (${s.id}, 'new-one', now())`);
    await pruneTrackingState(t.db);
    const left = await t.db.execute(sql`select message_id from event_dedupe where source_id = ${s.id}`);
    expect(left.rows).toEqual([{ message_id: 'new-one' }]);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past the per-write-key limit, and other keys are not affected', async () => {
    const s = await makeSource(t);
    const other = await makeSource(t);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await send(t, s.writeKey, 'track', { userId: 'u', event: 'E', messageId: uid() })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const limited = await send(t, s.writeKey, 'track', { userId: 'u', event: 'E', messageId: uid() });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe('too_many_requests');
    expect(await countEvents(t, s.id)).toBe(3);
    expect((await send(t, other.writeKey, 'track', { userId: 'u', event: 'E' })).statusCode).toBe(200);
  });
});
