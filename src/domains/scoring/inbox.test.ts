import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { eventsOf, makeSource, send, uid } from '../tracking/test-helpers.ts';
import { claimInbox } from './inbox.ts';

let t: TestApp;
let s: { id: number; writeKey: string };
beforeAll(async () => {
  t = await createTestApp();
  s = await makeSource(t);
});
afterAll(() => t.close());

/** Event ids waiting in the inbox (all rows, flattened). */
async function inboxEventIds(): Promise<number[]> {
  const res = await t.db.execute(sql`select coalesce(array_agg(e order by e), '{}') as ids from scoring_inbox, unnest(event_ids) e`);
  return ((res.rows[0] as { ids: (string | number)[] }).ids ?? []).map(Number);
}
const drain = () => t.db.transaction((tx) => claimInbox(tx, 1000));

describe('ingest outbox', () => {
  it('writes one inbox row with the ids of a contact\'s events in the statement that stores them; bots and unknown people are left out', async () => {
    await drain();
    const email = `inbox-${uid()}@example.com`;
    await send(t, s.writeKey, 'identify', { userId: `u-${uid()}`, anonymousId: 'a-known', traits: { email } });
    await drain();
    const res = await send(t, s.writeKey, 'batch', {
      batch: [
        { type: 'track', anonymousId: 'a-known', event: 'Pricing Viewed' },
        { type: 'page', anonymousId: 'a-known', name: 'Home' },
        { type: 'track', anonymousId: 'a-nobody', event: 'Pricing Viewed' },
        { type: 'track', anonymousId: 'a-known', event: 'Bot', context: { userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' } },
      ],
    });
    expect(res.json().stored).toBe(4);
    const evs = await eventsOf(t, s.id);
    const scored = evs.filter((e) => e.anonymousId === 'a-known' && !e.isBot && e.type !== 'identify').map((e) => e.id);
    expect(scored).toHaveLength(2);
    expect(await inboxEventIds()).toEqual(scored.sort((a, b) => a - b));
    expect(await t.count('scoring_inbox')).toBe(1);
    const row = (await t.db.execute(sql`select received_from, received_to from scoring_inbox`)).rows[0] as { received_from: Date; received_to: Date };
    const times = evs.filter((e) => scored.includes(e.id)).map((e) => e.receivedAt.getTime());
    expect(new Date(row.received_from).getTime()).toBe(Math.min(...times));
    expect(new Date(row.received_to).getTime()).toBe(Math.max(...times));
  });

  it('puts earlier anonymous events in the inbox when an identify ties them to a contact (transaction path)', async () => {
    const anon = `anon-${uid()}`;
    await send(t, s.writeKey, 'track', { anonymousId: anon, event: 'Pricing Viewed' });
    await send(t, s.writeKey, 'page', { anonymousId: anon, name: 'Pricing' });
    await drain();
    expect(await inboxEventIds()).toEqual([]);
    await send(t, s.writeKey, 'identify', { anonymousId: anon, traits: { email: `late-${uid()}@example.com` } });
    const ids = (await eventsOf(t, s.id)).filter((e) => e.anonymousId === anon).map((e) => e.id);
    expect(ids).toHaveLength(3);
    // the two back-filled events (one row) and the identify itself (one row)
    expect(await inboxEventIds()).toEqual(ids.sort((a, b) => a - b));
    expect(await t.count('scoring_inbox')).toBe(2);
  });

  it('puts the loser\'s events in the inbox again when two contacts merge', async () => {
    const a = `ua-${uid()}`;
    const b = `ub-${uid()}`;
    await send(t, s.writeKey, 'identify', { userId: a, traits: { email: `m1-${uid()}@example.com` } });
    await send(t, s.writeKey, 'track', { userId: a, event: 'Demo Requested' });
    await send(t, s.writeKey, 'identify', { userId: b, traits: { email: `m2-${uid()}@example.com` } });
    await drain();
    await send(t, s.writeKey, 'alias', { previousId: a, userId: b });
    const loserEvents = (await eventsOf(t, s.id)).filter((e) => e.userId === a).map((e) => e.id);
    const queued = await inboxEventIds();
    for (const id of loserEvents) expect(queued).toContain(id);
  });
});

describe('claimInbox', () => {
  it('gives a row to one claimer at a time and puts it back when the claimer rolls back', async () => {
    await drain();
    await send(t, s.writeKey, 'identify', { userId: `u-${uid()}`, traits: { email: `c-${uid()}@example.com` } });
    expect(await t.count('scoring_inbox')).toBe(1);
    await t.db
      .transaction(async (tx) => {
        const first = await claimInbox(tx, 10);
        expect(first.rows).toBe(1);
        // a second worker meanwhile sees nothing (skip locked)
        const other = await t.db.transaction((tx2) => claimInbox(tx2, 10));
        expect(other.rows).toBe(0);
        throw new Error('crash');
      })
      .catch(() => undefined);
    expect(await t.count('scoring_inbox')).toBe(1);
    const again = await drain();
    expect(again.rows).toBe(1);
    expect(again.eventIds).toHaveLength(1);
    expect(await t.count('scoring_inbox')).toBe(0);
  });
});
