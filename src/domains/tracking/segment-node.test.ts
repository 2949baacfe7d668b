// Compatibility: Segment's own Node library, unchanged, sends to a listening revloop; everything arrives once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analytics } from '@segment/analytics-node';
import { eq, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { accounts, contacts } from '../contacts/schema.ts';
import { countEvents, makeSource } from './test-helpers.ts';

let t: TestApp;
let host: string;
beforeAll(async () => {
  t = await createTestApp();
  host = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

function client(writeKey: string, flushAt = 20) {
  const analytics = new Analytics({ writeKey, host, flushAt, flushInterval: 200, maxRetries: 2 });
  const errors: unknown[] = [];
  analytics.on('error', (err) => errors.push(err));
  return { analytics, errors };
}

describe('@segment/analytics-node against revloop', () => {
  it('delivers track, identify, page, group and alias exactly once, stitched to the contact', async () => {
    const s = await makeSource(t);
    const { analytics, errors } = client(s.writeKey);
    analytics.track({ anonymousId: 'seg-anon', event: 'Viewed Pricing', properties: { plan: 'pro' } });
    analytics.page({ anonymousId: 'seg-anon', name: 'Pricing', properties: { url: 'https://acme.test/pricing?utm_campaign=launch' } });
    analytics.identify({ anonymousId: 'seg-anon', userId: 'seg-user', traits: { email: 'seg@initrode.test', firstName: 'Seg' } });
    analytics.group({ userId: 'seg-user', groupId: 'initrode', traits: { name: 'Initrode', domain: 'initrode.test' } });
    analytics.alias({ previousId: 'seg-anon', userId: 'seg-user-2' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    const rows = await t.db.execute(sql`select type, contact_id, utm_campaign from events where source_id = ${s.id} order by id`);
    expect(rows.rows.map((r) => r.type)).toEqual(['track', 'page', 'identify', 'group', 'alias']);
    const [c] = await t.db.select().from(contacts).where(eq(contacts.email, 'seg@initrode.test'));
    expect(c).toMatchObject({ firstName: 'Seg' });
    expect(new Set(rows.rows.map((r) => Number(r.contact_id)))).toEqual(new Set([c!.id]));
    expect(rows.rows[1]!.utm_campaign).toBe('launch');
    const [acct] = await t.db.select().from(accounts).where(eq(accounts.domain, 'initrode.test'));
    expect(c!.accountId).toBe(acct!.id);
  });

  it('delivers a large batch (1,000 events) exactly once', async () => {
    const s = await makeSource(t);
    const { analytics, errors } = client(s.writeKey, 250);
    for (let i = 0; i < 1000; i++) analytics.track({ userId: `bulk-${i % 50}`, event: 'Bulk Event', properties: { i, text: 'lorem ipsum dolor sit amet '.repeat(10) } });
    await analytics.closeAndFlush({ timeout: 20_000 });
    expect(errors).toEqual([]);
    expect(await countEvents(t, s.id)).toBe(1000);
    const distinct = await t.db.execute(sql`select count(distinct (properties->>'i'))::int as n from events where source_id = ${s.id}`);
    expect(distinct.rows[0]).toEqual({ n: 1000 });
  });

  it('reports a revoked key as an error and stores nothing', async () => {
    const s = await makeSource(t);
    await t.inject({ method: 'DELETE', url: `/api/v1/sources/${s.id}`, headers: await t.as('admin') });
    const { analytics, errors } = client(s.writeKey);
    analytics.track({ userId: 'u', event: 'Nope' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors.length).toBeGreaterThan(0);
    expect(await countEvents(t, s.id)).toBe(0);
  });
});
