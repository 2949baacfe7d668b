import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { accounts, contacts, propertyDefinitions } from '../contacts/schema.ts';
import { auditLog } from '../identity/schema.ts';
import { contactMerges, identities } from './schema.ts';
import { eventsOf, makeSource, send, uid } from './test-helpers.ts';

let t: TestApp;
let s: { id: number; writeKey: string };
beforeAll(async () => {
  t = await createTestApp();
  s = await makeSource(t);
});
afterAll(() => t.close());

const contactByEmail = async (email: string) => (await t.db.select().from(contacts).where(eq(contacts.email, email)))[0];
const eventsOfAnon = async (anonymousId: string) => (await eventsOf(t, s.id)).filter((e) => e.anonymousId === anonymousId);

describe('identify', () => {
  it('creates the contact by lower-cased email with mapped traits; other traits stay in the event unless a property is defined', async () => {
    await t.db.insert(propertyDefinitions).values({ objectType: 'contact', key: 'plan', label: 'Plan', type: 'enum', options: ['free', 'pro'] });
    const res = await send(t, s.writeKey, 'identify', {
      userId: `user-${uid()}`,
      traits: { email: '  Grace@Example.COM ', first_name: 'Grace', lastName: 'Hopper', title: 'Admiral', phone: '+1 555', plan: 'PRO', shoeSize: 38 },
    });
    expect(res.statusCode).toBe(200);
    const c = await contactByEmail('grace@example.com');
    expect(c).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', title: 'Admiral', phone: '+1 555', properties: { plan: 'pro' } });
    expect(c!.properties).not.toHaveProperty('shoeSize');
    const [ev] = (await eventsOf(t, s.id)).filter((e) => e.type === 'identify' && e.contactId === c!.id);
    expect(ev!.traits).toMatchObject({ shoeSize: 38 });
  });

  it('updates an existing contact with new values without blanking others', async () => {
    await send(t, s.writeKey, 'identify', { userId: 'u-upd', traits: { email: 'ada@example.com', firstName: 'Ada', title: 'Countess' } });
    await send(t, s.writeKey, 'identify', { userId: 'u-upd', traits: { email: 'ADA@example.com', lastName: 'Lovelace' } });
    expect(await contactByEmail('ada@example.com')).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', title: 'Countess' });
    expect((await t.db.execute(sql`select count(*)::int as n from contacts where email = 'ada@example.com'`)).rows[0]).toEqual({ n: 1 });
  });

  it('stitches earlier anonymous events to the contact and ties later ones at ingest', async () => {
    const anon = `anon-${uid()}`;
    await send(t, s.writeKey, 'page', { anonymousId: anon, name: 'Home' });
    await send(t, s.writeKey, 'track', { anonymousId: anon, event: 'Downloaded Whitepaper' });
    expect((await eventsOfAnon(anon)).every((e) => e.contactId === null)).toBe(true);
    await send(t, s.writeKey, 'identify', { anonymousId: anon, userId: 'u-stitch', traits: { email: 'stitch@example.com' } });
    await send(t, s.writeKey, 'track', { anonymousId: anon, event: 'Requested Demo' });
    const c = await contactByEmail('stitch@example.com');
    const evs = await eventsOfAnon(anon);
    expect(evs).toHaveLength(4);
    expect(evs.every((e) => e.contactId === c!.id)).toBe(true);
    // and a userId-only event later resolves through the user identity
    await send(t, s.writeKey, 'track', { userId: 'u-stitch', event: 'Logged In' });
    const timeline = await t.inject({ method: 'GET', url: `/api/v1/events?contactId=${c!.id}&limit=2`, headers: await t.as('sales') });
    expect(timeline.statusCode).toBe(200);
    const page1 = timeline.json();
    expect(page1.items.map((e: { event: string }) => e.event)).toEqual(['Logged In', 'Requested Demo']);
    const next = await t.inject({ method: 'GET', url: `/api/v1/events?contactId=${c!.id}&limit=5&cursor=${page1.nextCursor}`, headers: await t.as('sales') });
    expect(next.json().items).toHaveLength(3);
    expect(next.json().nextCursor).toBeNull();
  });

  it('stitches within one batch: events before the identify belong to the contact too', async () => {
    const anon = `anon-${uid()}`;
    const res = await send(t, s.writeKey, 'batch', {
      batch: [
        { type: 'page', anonymousId: anon },
        { type: 'identify', anonymousId: anon, traits: { email: 'batch-stitch@example.com' } },
        { type: 'track', anonymousId: anon, event: 'Clicked' },
      ],
    });
    expect(res.json().stored).toBe(3);
    const c = await contactByEmail('batch-stitch@example.com');
    expect((await eventsOfAnon(anon)).map((e) => e.contactId)).toEqual([c!.id, c!.id, c!.id]);
  });

  it('keeps an identify without email and unknown ids as an event, tied once the email arrives', async () => {
    await send(t, s.writeKey, 'identify', { userId: 'u-later', traits: { firstName: 'Lin' } });
    expect((await eventsOf(t, s.id)).filter((e) => e.userId === 'u-later')[0]!.contactId).toBeNull();
    await send(t, s.writeKey, 'identify', { userId: 'u-later', traits: { email: 'lin@example.com' } });
    const c = await contactByEmail('lin@example.com');
    expect((await eventsOf(t, s.id)).filter((e) => e.userId === 'u-later').map((e) => e.contactId)).toEqual([c!.id, c!.id]);
  });
});

describe('alias', () => {
  it('merges two known contacts keeping every event of both, merges properties, and records the merge', async () => {
    const anon = `anon-${uid()}`;
    await send(t, s.writeKey, 'identify', { anonymousId: anon, traits: { email: 'old@example.com', firstName: 'Old', title: 'CTO' } });
    await send(t, s.writeKey, 'track', { anonymousId: anon, event: 'Old Event' });
    await send(t, s.writeKey, 'identify', { userId: 'u-new', traits: { email: 'new@example.com', firstName: 'New' } });
    await send(t, s.writeKey, 'track', { userId: 'u-new', event: 'New Event' });
    const oldC = await contactByEmail('old@example.com');
    const newC = await contactByEmail('new@example.com');

    const res = await send(t, s.writeKey, 'alias', { previousId: anon, userId: 'u-new' });
    expect(res.statusCode).toBe(200);
    expect(await contactByEmail('old@example.com')).toBeUndefined();
    const winner = await contactByEmail('new@example.com');
    expect(winner).toMatchObject({ id: newC!.id, firstName: 'New', title: 'CTO' });
    const evs = (await eventsOf(t, s.id)).filter((e) => e.contactId === newC!.id);
    expect(evs.map((e) => e.event ?? e.type).sort()).toEqual(['New Event', 'Old Event', 'alias', 'identify', 'identify']);
    const [merge] = await t.db.select().from(contactMerges).where(eq(contactMerges.loserId, oldC!.id));
    expect(merge).toMatchObject({ winnerId: newC!.id, loserEmail: 'old@example.com', reason: 'alias', eventsMoved: 2 });
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'contact.merged'));
    expect(audits.some((a) => a.entityId === String(newC!.id) && a.summary.includes('old@example.com'))).toBe(true);
    // the old anonymous id now resolves to the winner
    await send(t, s.writeKey, 'track', { anonymousId: anon, event: 'After Merge' });
    expect((await eventsOf(t, s.id)).find((e) => e.event === 'After Merge')!.contactId).toBe(newC!.id);
  });

  it('links a new userId to the known contact of previousId', async () => {
    const anon = `anon-${uid()}`;
    await send(t, s.writeKey, 'identify', { anonymousId: anon, traits: { email: 'alias-link@example.com' } });
    await send(t, s.writeKey, 'track', { userId: 'u-alias-link', event: 'Before Alias' });
    await send(t, s.writeKey, 'alias', { previousId: anon, userId: 'u-alias-link' });
    const c = await contactByEmail('alias-link@example.com');
    expect((await eventsOf(t, s.id)).find((e) => e.event === 'Before Alias')!.contactId).toBe(c!.id);
    const [idRow] = await t.db.select().from(identities).where(eq(identities.value, 'u-alias-link'));
    expect(idRow).toMatchObject({ kind: 'user', contactId: c!.id });
  });

  it('rejects an alias without previousId', async () => {
    const res = await send(t, s.writeKey, 'alias', { userId: 'u' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('previousId');
  });
});

describe('identify merging', () => {
  it('merges when one userId is identified with a second email', async () => {
    await send(t, s.writeKey, 'identify', { userId: 'u-two-mails', traits: { email: 'first@example.com', phone: '123' } });
    await send(t, s.writeKey, 'identify', { userId: 'u-two-mails', traits: { email: 'second@example.com' } });
    expect(await contactByEmail('first@example.com')).toBeUndefined();
    expect(await contactByEmail('second@example.com')).toMatchObject({ phone: '123' });
    const evs = (await eventsOf(t, s.id)).filter((e) => e.userId === 'u-two-mails');
    const c = await contactByEmail('second@example.com');
    expect(evs.map((e) => e.contactId)).toEqual([c!.id, c!.id]);
  });
});

describe('group', () => {
  it('upserts the account by domain and links the contact', async () => {
    await send(t, s.writeKey, 'identify', { userId: 'u-grp', traits: { email: 'grp@globex.test' } });
    const res = await send(t, s.writeKey, 'group', { userId: 'u-grp', groupId: 'g-1', traits: { name: 'Globex', website: 'https://www.Globex.test/about', industry: 'Energy', employees: 250 } });
    expect(res.statusCode).toBe(200);
    const [acct] = await t.db.select().from(accounts).where(eq(accounts.domain, 'globex.test'));
    expect(acct).toMatchObject({ name: 'Globex', industry: 'Energy', employeeCount: 250 });
    expect((await contactByEmail('grp@globex.test'))!.accountId).toBe(acct!.id);
    // again: same account, no duplicate
    await send(t, s.writeKey, 'group', { userId: 'u-grp', groupId: 'g-1', traits: { name: 'Globex Corp', domain: 'globex.test' } });
    expect(await t.db.select().from(accounts).where(eq(accounts.domain, 'globex.test'))).toHaveLength(1);
  });

  it('finds or creates the account by name without a domain, and keeps a group without traits as an event', async () => {
    await send(t, s.writeKey, 'group', { anonymousId: 'a-grp', groupId: 'g-2', traits: { name: 'Initech' } });
    await send(t, s.writeKey, 'group', { anonymousId: 'a-grp', groupId: 'g-2', traits: { name: 'initech' } });
    expect((await t.db.execute(sql`select count(*)::int as n from accounts where lower(name) = 'initech'`)).rows[0]).toEqual({ n: 1 });
    const res = await send(t, s.writeKey, 'group', { anonymousId: 'a-grp', groupId: 'g-3' });
    expect(res.statusCode).toBe(200);
    expect((await eventsOf(t, s.id)).filter((e) => e.groupId === 'g-3')).toHaveLength(1);
  });

  it('rejects a group without groupId', async () => {
    const res = await send(t, s.writeKey, 'group', { userId: 'u', traits: { name: 'X' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('groupId');
  });
});
