import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { countEvents, eventsOf, makeSource, send, uid } from './test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const track = (extra: Record<string, unknown> = {}) => ({ userId: 'u-1', event: 'Signed Up', properties: { plan: 'pro' }, messageId: uid(), ...extra });

describe('ingest: authentication', () => {
  it('accepts HTTP Basic with the write key as user name and answers success', async () => {
    const s = await makeSource(t);
    const res = await send(t, s.writeKey, 'track', track());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, stored: 1, duplicates: 0, rejected: [] });
    expect(await countEvents(t, s.id)).toBe(1);
  });

  it('accepts writeKey in the body', async () => {
    const s = await makeSource(t);
    const res = await send(t, null, 'page', { writeKey: s.writeKey, anonymousId: 'a-1', name: 'Home', properties: { url: 'https://x.test/' } });
    expect(res.statusCode).toBe(200);
    expect(await countEvents(t, s.id)).toBe(1);
  });

  it('rejects a missing write key with 401 and stores nothing', async () => {
    const s = await makeSource(t);
    const res = await send(t, null, 'track', track());
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/write key/i);
    expect(await countEvents(t, s.id)).toBe(0);
  });

  it('rejects an unknown write key with 401', async () => {
    const res = await send(t, 'rlw_not-a-real-key', 'track', track());
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/unknown or revoked write key/i);
  });

  it('rejects a revoked write key with 401 and keeps the events sent before', async () => {
    const s = await makeSource(t);
    expect((await send(t, s.writeKey, 'track', track())).statusCode).toBe(200);
    const revoke = await t.inject({ method: 'DELETE', url: `/api/v1/sources/${s.id}`, headers: await t.as('admin') });
    expect(revoke.statusCode).toBe(200);
    const res = await send(t, s.writeKey, 'track', track());
    expect(res.statusCode).toBe(401);
    expect(await countEvents(t, s.id)).toBe(1);
  });
});

describe('ingest: browsers', () => {
  it('answers CORS preflights and accepts text/plain bodies (sendBeacon) from another origin', async () => {
    const s = await makeSource(t);
    const pre = await t.inject({ method: 'OPTIONS', url: '/v1/batch', headers: { origin: 'https://acme.test', 'access-control-request-method': 'POST' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    const res = await t.inject({
      method: 'POST',
      url: '/v1/page',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://acme.test' },
      payload: JSON.stringify({ writeKey: s.writeKey, anonymousId: 'beacon', name: 'Home' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(await countEvents(t, s.id)).toBe(1);
  });
});

describe('ingest: rejections', () => {
  it('rejects malformed JSON with a 400 and stores nothing', async () => {
    const s = await makeSource(t);
    const res = await send(t, s.writeKey, 'track', '{"userId": "u", "event": ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
    expect(await countEvents(t, s.id)).toBe(0);
  });

  it('rejects a message larger than 32 KB naming the limit', async () => {
    const s = await makeSource(t);
    const res = await send(t, s.writeKey, 'track', track({ properties: { blob: 'x'.repeat(33 * 1024) } }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('32 KB');
    expect(await countEvents(t, s.id)).toBe(0);
  });

  it('rejects a batch larger than 500 KB naming the limit (not a generic 413), and stores nothing of it', async () => {
    const s = await makeSource(t);
    const batch = Array.from({ length: 40 }, () => track({ properties: { blob: 'y'.repeat(15 * 1024) } }));
    const res = await send(t, s.writeKey, 'batch', { batch });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('batch_too_large');
    expect(res.json().error.message).toContain('500 KB');
    expect(await countEvents(t, s.id)).toBe(0);
  });

  it('answers a body beyond what is read at all with the same 400', async () => {
    const s = await makeSource(t);
    const res = await send(t, s.writeKey, 'batch', JSON.stringify({ batch: [track({ properties: { blob: 'z'.repeat(5 * 1024 * 1024) } })] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('500 KB');
  });

  it('rejects a message without userId and anonymousId with its reason', async () => {
    const s = await makeSource(t);
    const res = await send(t, s.writeKey, 'track', { event: 'Clicked', messageId: uid() });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('userId or anonymousId is required');
    expect(await countEvents(t, s.id)).toBe(0);
  });

  it('rejects a track without event name and a bad timestamp', async () => {
    const s = await makeSource(t);
    const noEvent = await send(t, s.writeKey, 'track', { userId: 'u' });
    expect(noEvent.statusCode).toBe(400);
    expect(noEvent.json().error.message).toContain('event is required');
    const badTime = await send(t, s.writeKey, 'track', track({ timestamp: 'yesterday-ish' }));
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().error.message).toContain('timestamp');
  });

  it('keeps the valid rest of a batch and lists the rejected messages by index with reasons', async () => {
    const s = await makeSource(t);
    const batch = [
      { type: 'track', ...track() },
      { type: 'track', event: 'No ids', messageId: uid() },
      { type: 'page', anonymousId: 'a-9', name: 'Pricing' },
      { type: 'wat', userId: 'u' },
      { type: 'track', ...track({ properties: { blob: 'q'.repeat(33 * 1024) } }) },
    ];
    const res = await send(t, s.writeKey, 'batch', { batch });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.stored).toBe(2);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 3, 4]);
    expect(body.rejected[0].reason).toBe('userId or anonymousId is required');
    expect(body.rejected[0].messageId).toBe(batch[1]!.messageId);
    expect(body.rejected[1].reason).toMatch(/type/);
    expect(body.rejected[2].reason).toContain('32 KB');
    expect((await eventsOf(t, s.id)).map((e) => e.type).sort()).toEqual(['page', 'track']);
    // and the debugger shows them
    const rej = await t.inject({ method: 'GET', url: `/api/v1/tracking/rejections?sourceId=${s.id}`, headers: await t.as('viewer') });
    expect(rej.json().items.map((r: { batchIndex: number }) => r.batchIndex).sort()).toEqual([1, 3, 4]);
  });

  it('rejects a message with a NUL character (PostgreSQL cannot store it) and keeps the rest of the batch', async () => {
    const s = await makeSource(t);
    const res = await send(t, s.writeKey, 'batch', { batch: [{ type: 'track', ...track({ properties: { note: 'a\u0000b' } }) }, { type: 'track', ...track() }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().stored).toBe(1);
    expect(res.json().rejected[0]).toMatchObject({ index: 0 });
    expect(res.json().rejected[0].reason).toContain('NUL');
  });

  it('answers 400 when no message of a batch is valid, listing them', async () => {
    const s = await makeSource(t);
    const res = await send(t, s.writeKey, 'batch', { batch: [{ type: 'track', event: 'x' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.rejected[0]).toMatchObject({ index: 0, reason: 'userId or anonymousId is required' });
    const empty = await send(t, s.writeKey, 'batch', { batch: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('batch');
  });
});

describe('ingest: messageId de-duplication', () => {
  it('stores a re-sent message once', async () => {
    const s = await makeSource(t);
    const msg = track();
    const first = await send(t, s.writeKey, 'track', msg);
    const again = await send(t, s.writeKey, 'track', msg);
    expect(first.json()).toMatchObject({ stored: 1, duplicates: 0 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await countEvents(t, s.id)).toBe(1);
  });

  it('stores a replayed batch once, and a duplicate inside one batch once', async () => {
    const s = await makeSource(t);
    const a = { type: 'track', ...track() };
    const b = { type: 'track', ...track() };
    const r1 = await send(t, s.writeKey, 'batch', { batch: [a, b, a] });
    expect(r1.json()).toMatchObject({ stored: 2, duplicates: 1 });
    const r2 = await send(t, s.writeKey, 'batch', { batch: [a, b] });
    expect(r2.json()).toMatchObject({ stored: 0, duplicates: 2 });
    expect(await countEvents(t, s.id)).toBe(2);
  });

  it('stores concurrent re-sends of one message once', async () => {
    const s = await makeSource(t);
    const msg = track();
    const results = await Promise.all(Array.from({ length: 6 }, () => send(t, s.writeKey, 'track', msg)));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    expect(await countEvents(t, s.id)).toBe(1);
  });

  it('generates a messageId when none is sent', async () => {
    const s = await makeSource(t);
    await send(t, s.writeKey, 'track', { userId: 'u', event: 'E' });
    await send(t, s.writeKey, 'track', { userId: 'u', event: 'E' });
    const rows = await eventsOf(t, s.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.messageId).not.toBe(rows[1]!.messageId);
  });

  it('de-duplicates per source: the same messageId from two sources is two events', async () => {
    const s1 = await makeSource(t);
    const s2 = await makeSource(t);
    const msg = track();
    await send(t, s1.writeKey, 'track', msg);
    await send(t, s2.writeKey, 'track', msg);
    expect(await countEvents(t, s1.id)).toBe(1);
    expect(await countEvents(t, s2.id)).toBe(1);
  });
});

describe('ingest: time', () => {
  it('corrects a skewed client clock: timestamp = receivedAt − (sentAt − timestamp)', async () => {
    const s = await makeSource(t);
    // The client's clock is 2 hours ahead; the event happened 30 s before it was sent.
    const skew = 2 * 3600_000;
    const clientNow = Date.now() + skew;
    const before = Date.now();
    await send(t, s.writeKey, 'track', track({ timestamp: new Date(clientNow - 30_000).toISOString(), sentAt: new Date(clientNow).toISOString() }));
    const after = Date.now();
    const [row] = await eventsOf(t, s.id);
    expect(row!.timestamp.getTime()).toBeGreaterThanOrEqual(before - 30_000 - 5);
    expect(row!.timestamp.getTime()).toBeLessThanOrEqual(after - 30_000 + 5);
    expect(row!.timestamp.getTime() - row!.receivedAt.getTime()).toBe(-30_000);
    expect(row!.originalTimestamp!.getTime()).toBe(clientNow - 30_000);
  });

  it('applies a batch-level sentAt to each message', async () => {
    const s = await makeSource(t);
    const clientNow = Date.now() - 3600_000; // clock an hour behind
    const batch = [
      { type: 'track', ...track({ timestamp: new Date(clientNow - 10_000).toISOString() }) },
      { type: 'track', ...track({ timestamp: new Date(clientNow - 20_000).toISOString() }) },
    ];
    await send(t, s.writeKey, 'batch', { batch, sentAt: new Date(clientNow).toISOString() });
    const rows = await eventsOf(t, s.id);
    const offsets = rows.map((r) => r.receivedAt.getTime() - r.timestamp.getTime()).sort();
    expect(offsets).toEqual([10_000, 20_000]);
  });

  it('uses the timestamp as sent without sentAt, and receivedAt without any time', async () => {
    const s = await makeSource(t);
    await send(t, s.writeKey, 'track', track({ timestamp: '2025-03-01T10:00:00.000Z' }));
    await send(t, s.writeKey, 'track', track());
    const rows = await eventsOf(t, s.id);
    expect(rows[0]!.timestamp.toISOString()).toBe('2025-03-01T10:00:00.000Z');
    expect(rows[1]!.timestamp.getTime()).toBe(rows[1]!.receivedAt.getTime());
  });
});

describe('ingest: context', () => {
  it('stores ip, user agent, page and UTM campaign', async () => {
    const s = await makeSource(t);
    await send(t, s.writeKey, 'page', {
      anonymousId: 'anon-ctx',
      name: 'Pricing',
      context: {
        ip: '203.0.113.9',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
        page: { url: 'https://acme.test/pricing?utm_source=news', path: '/pricing', referrer: 'https://google.com/', title: 'Pricing' },
        campaign: { name: 'spring-launch', source: 'newsletter', medium: 'email', term: 'crm', content: 'hero' },
      },
    });
    await send(t, s.writeKey, 'page', { anonymousId: 'anon-ctx', properties: { url: 'https://acme.test/?utm_campaign=fall&utm_medium=cpc' } });
    const [a, b] = await eventsOf(t, s.id);
    expect(a).toMatchObject({
      ip: '203.0.113.9',
      pageUrl: 'https://acme.test/pricing?utm_source=news',
      pagePath: '/pricing',
      pageReferrer: 'https://google.com/',
      pageTitle: 'Pricing',
      utmCampaign: 'spring-launch',
      utmSource: 'newsletter',
      utmMedium: 'email',
      utmTerm: 'crm',
      utmContent: 'hero',
      event: 'Pricing',
      isBot: false,
    });
    expect(a!.userAgent).toContain('Chrome');
    // No context: the request IP; UTM read from the page URL.
    expect(b!.ip).toBe('127.0.0.1');
    expect(b).toMatchObject({ utmCampaign: 'fall', utmMedium: 'cpc', utmSource: null });
  });
});

describe('ingest: bots', () => {
  it('flags bot traffic, keeps it out of engagement (events list, stitching) and counts it per source', async () => {
    const s = await makeSource(t);
    const bot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    await send(t, s.writeKey, 'page', { anonymousId: 'bot-1', context: { userAgent: bot } });
    // A browser request without context.userAgent is judged by its own User-Agent.
    await send(t, s.writeKey, 'page', { anonymousId: 'bot-2' }, { 'user-agent': 'AhrefsBot/7.0', origin: 'https://acme.test' });
    // A server library's own User-Agent is not a visitor's: not a bot.
    await send(t, s.writeKey, 'track', track(), { 'user-agent': 'analytics-node-next/latest' });
    // A bot identify creates no contact.
    await send(t, s.writeKey, 'identify', { userId: 'bot-u', traits: { email: 'crawler@bots.test' }, context: { userAgent: bot } });
    const rows = await eventsOf(t, s.id);
    expect(rows.map((r) => r.isBot)).toEqual([true, true, false, true]);
    const contacts = await t.db.execute(sql`select 1 from contacts where email = 'crawler@bots.test'`);
    expect(contacts.rows).toHaveLength(0);
    const viewer = await t.as('viewer');
    const list = await t.inject({ method: 'GET', url: `/api/v1/events?sourceId=${s.id}`, headers: viewer });
    expect(list.json().items).toHaveLength(1);
    const withBots = await t.inject({ method: 'GET', url: `/api/v1/events?sourceId=${s.id}&includeBots=true`, headers: viewer });
    expect(withBots.json().items).toHaveLength(4);
    const stats = await t.inject({ method: 'GET', url: `/api/v1/sources/${s.id}/stats`, headers: viewer });
    expect(stats.statusCode).toBe(200);
    expect(stats.json().lastHour).toMatchObject({ events: 1, bots: 3 });
    expect(stats.json().totalBots).toBe(3);
    expect(stats.json().perMinute).toHaveLength(60);
  });
});

describe('ingest: durability', () => {
  it('answers 503 with Retry-After when the events cannot be stored, and keeps nothing of the request', async () => {
    const s = await makeSource(t);
    await t.db.execute(sql.raw(`
      create function fail_events() returns trigger language plpgsql as $$ begin raise exception 'disk on fire'; end $$;
      create trigger fail_events before insert on events_default for each row when (new.source_id = ${s.id}) execute function fail_events();`));
    // Route the insert to the default partition by sending… the partitions route by received_at (now), so
    // put the trigger on the current month's partition too.
    const part = await t.db.execute(sql`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'events'::regclass and c.relname <> 'events_default'`);
    for (const r of part.rows as { relname: string }[]) {
      await t.db.execute(sql.raw(`create trigger fail_events before insert on ${r.relname} for each row when (new.source_id = ${s.id}) execute function fail_events()`));
    }
    const msg = { type: 'track', ...track() };
    const res = await send(t, s.writeKey, 'batch', { batch: [msg, { type: 'identify', userId: 'u-503', traits: { email: 'durable@example.test' }, messageId: uid() }] });
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await countEvents(t, s.id)).toBe(0);
    // Nothing half-written: the messageId is not claimed, the identify's contact is not created.
    const dedupe = await t.db.execute(sql`select 1 from event_dedupe where source_id = ${s.id}`);
    expect(dedupe.rows).toHaveLength(0);
    expect((await t.db.execute(sql`select 1 from contacts where email = 'durable@example.test'`)).rows).toHaveLength(0);
    // Once the database is healthy, the client's retry is stored.
    await t.db.execute(sql`drop function fail_events() cascade`);
    const retry = await send(t, s.writeKey, 'batch', { batch: [msg] });
    expect(retry.json()).toMatchObject({ stored: 1 });
  });

describe('ingest: order and contacts of plain events', () => {
  it('stores a batch in the order sent, resolving known people but never tying a bot to them', async () => {
    const s = await makeSource(t);
    await send(t, s.writeKey, 'identify', { anonymousId: 'order-anon', traits: { email: 'order@example.com' } });
    const batch = Array.from({ length: 6 }, (_, i) => ({ type: 'track', anonymousId: 'order-anon', event: `e${i}`, messageId: uid() }));
    batch.push({ type: 'track', anonymousId: 'order-anon', event: 'bot', messageId: uid(), context: { userAgent: 'Googlebot/2.1' } } as never);
    expect((await send(t, s.writeKey, 'batch', { batch })).json().stored).toBe(7);
    const rows = (await eventsOf(t, s.id)).filter((e) => e.type === 'track');
    expect(rows.map((e) => e.event)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'bot']);
    const [c] = (await t.db.execute(sql`select id from contacts where email = 'order@example.com'`)).rows as { id: number }[];
    expect(rows.slice(0, 6).every((e) => e.contactId === Number(c!.id))).toBe(true);
    expect(rows[6]).toMatchObject({ isBot: true, contactId: null });
  });
});

describe('ingest: group commit', () => {
  it('stores concurrent requests together, and one request that cannot be stored does not cost the others', async () => {
    const good = await makeSource(t);
    const bad = await makeSource(t);
    await t.db.execute(sql.raw(`create function fail_bad_source() returns trigger language plpgsql as $$ begin raise exception 'cannot store'; end $$`));
    const parts = await t.db.execute(sql`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'events'::regclass`);
    for (const r of parts.rows as { relname: string }[]) {
      await t.db.execute(sql.raw(`create trigger fail_bad_source before insert on ${r.relname} for each row when (new.source_id = ${bad.id}) execute function fail_bad_source()`));
    }
    const sends = Array.from({ length: 30 }, (_, i) =>
      i % 10 === 5 ? send(t, bad.writeKey, 'track', track()) : send(t, good.writeKey, 'batch', { batch: [{ type: 'track', ...track() }, { type: 'page', anonymousId: `gc-${i}` }] }),
    );
    const results = await Promise.all(sends);
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 503)).toHaveLength(3);
    expect(codes.filter((c) => c === 200)).toHaveLength(27);
    expect(await countEvents(t, good.id)).toBe(54);
    expect(await countEvents(t, bad.id)).toBe(0);
    await t.db.execute(sql`drop function fail_bad_source() cascade`);
  });
});
});
