import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { identities } from '../tracking/schema.ts';
import { contentItems, contentUrls } from './schema.ts';
import { contentLinks } from './schema-intel.ts';
import { followTrackedLink, safeTarget } from './links.ts';
import { consumed, makeContact, makeItem } from './sales-test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const sales = () => t.as('sales');

describe('searchLibrary', () => {
  it('finds published content by stage, type, topic, product, segment and title words; drafts stay out', async () => {
    const tag = `lib${Date.now()}`;
    const a = await makeItem(t, { title: 'Zero trust pricing guide for CFOs', stage: 'consideration', type: 'practical', topics: [tag, 'pricing'], products: ['vault'], segments: ['finance'] });
    const b = await makeItem(t, { title: 'The future of identity', stage: 'epiphany', type: 'aspirational', topics: [tag], products: ['gateway'], segments: ['retail'] });
    await makeItem(t, { title: 'Draft: zero trust pricing FAQ', status: 'draft', topics: [tag] });
    const get = async (qs: string) => {
      const res = await t.api('GET', `/library?topic=${tag}&${qs}`, undefined, await sales());
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.map((i: { id: number }) => i.id);
    };
    expect((await get('')).sort()).toEqual([a.id, b.id].sort());
    expect(await get('stage=consideration')).toEqual([a.id]);
    expect(await get('type=aspirational')).toEqual([b.id]);
    expect(await get('product=Vault')).toEqual([a.id]);
    expect(await get('segment=retail')).toEqual([b.id]);
    expect(await get('q=pricing')).toEqual([a.id]);
    expect(await get('q=CFO')).toEqual([a.id]);
    expect(await get('q="future of identity"')).toEqual([b.id]);
    const one = (await t.api('GET', `/library?topic=${tag}&stage=consideration`, undefined, await sales())).json().items[0];
    expect(one).toMatchObject({ title: a.title, url: a.url, contactRead: null });
  });

  it('marks what the contact already read, with readers and views', async () => {
    const tag = `read${Date.now()}`;
    const item = await makeItem(t, { topics: [tag] });
    const other = await makeItem(t, { topics: [tag] });
    const contact = await makeContact(t);
    await consumed(t, item.id, contact, { views: 3, depth: 80 });
    const items = (await t.api('GET', `/library?topic=${tag}&contactId=${contact}`, undefined, await sales())).json().items as { id: number; readers: number; views: number; contactRead: unknown }[];
    expect(items.find((i) => i.id === item.id)).toMatchObject({ readers: 1, views: 3, contactRead: { views: 3, maxDepthPct: 80 } });
    expect(items.find((i) => i.id === other.id)).toMatchObject({ readers: 0, views: 0, contactRead: null });
  });

  it('rejects bad filters and forged cursors (400) and viewers (403)', async () => {
    for (const qs of ['stage=shortlist', 'type=fun', 'format=tweet', 'limit=500', 'cursor=zzz', 'contactId=abc', 'color=red']) {
      const res = await t.api('GET', `/library?${qs}`, undefined, await sales());
      expect(res.statusCode, qs).toBe(400);
    }
    expect((await t.api('GET', '/library', undefined, await t.as('viewer'))).statusCode).toBe(403);
  });
});

describe('createTrackedLink', () => {
  it('gives sales a link for a contact (audited, token stored hashed)', async () => {
    const item = await makeItem(t);
    const contact = await makeContact(t);
    const res = await t.api('POST', '/library/links', { itemId: item.id, contactId: contact }, await sales());
    expect(res.statusCode, res.body).toBe(201);
    const link = res.json();
    expect(link).toMatchObject({ itemId: item.id, contactId: contact, target: item.url });
    expect(link.url).toMatch(/\/l\/[A-Za-z0-9_-]{24}$/);
    const token = link.url.split('/l/')[1];
    const rows = await t.db.select().from(contentLinks).where(eq(contentLinks.id, link.id));
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect((await t.auditOf('contact', contact)).map((a) => a.action)).toContain('library.link_created');
  });

  it('rejects unknown items and contacts (400 naming the field), unpublished or URL-less items (409), viewers (403)', async () => {
    const item = await makeItem(t);
    const contact = await makeContact(t);
    const before = await t.count('content_links');
    const cases: [unknown, number, string][] = [
      [{ itemId: 99_999_999, contactId: contact }, 400, 'itemId'],
      [{ itemId: item.id, contactId: 99_999_999 }, 400, 'contactId'],
      [{ itemId: 'x', contactId: contact }, 400, 'itemId'],
      [{ itemId: item.id }, 400, 'contactId'],
      [{ itemId: item.id, contactId: contact, url: 'https://evil.example' }, 400, 'url'],
      [{ itemId: (await makeItem(t, { status: 'draft' })).id, contactId: contact }, 409, 'not published'],
      [{ itemId: (await makeItem(t, { url: null })).id, contactId: contact }, 409, 'no URL'],
    ];
    for (const [body, status, text] of cases) {
      const res = await t.api('POST', '/library/links', body, await sales());
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.body).toContain(text);
    }
    expect((await t.api('POST', '/library/links', { itemId: item.id, contactId: contact }, await t.as('viewer'))).statusCode).toBe(403);
    expect(await t.count('content_links')).toBe(before);
  });
});

describe('followTrackedLink', () => {
  async function link(itemUrl?: string) {
    const item = await makeItem(t, itemUrl ? { url: itemUrl } : {});
    const contact = await makeContact(t);
    const res = await t.api('POST', '/library/links', { itemId: item.id, contactId: contact }, await sales());
    const token = res.json().url.split('/l/')[1] as string;
    return { item, contact, token, id: res.json().id as number };
  }

  it("redirects only to the item's own URL, with an anonymous id tied to the contact", async () => {
    const { item, contact, token, id } = await link(`https://site.example/guides/zero-trust-${Date.now()}?lang=en`);
    // Whatever the request adds, the target comes from the item.
    const res = await t.inject({ method: 'GET', url: `/l/${token}?url=https://evil.example/&redirect=//evil.example&next=https://evil.example` });
    expect(res.statusCode).toBe(302);
    const loc = new URL(res.headers.location as string);
    expect(`${loc.origin}${loc.pathname}`).toBe(item.url!.split('?')[0]);
    expect(loc.searchParams.get('lang')).toBe('en');
    expect([...loc.searchParams.keys()].sort()).toEqual(['ajs_aid', 'lang']);
    expect(res.headers['cache-control']).toBe('no-store');
    const aid = loc.searchParams.get('ajs_aid')!;
    const [ident] = await t.db.select().from(identities).where(eq(identities.value, aid));
    expect(ident).toMatchObject({ kind: 'anonymous', contactId: contact });
    const second = await t.inject({ method: 'GET', url: `/l/${token}` });
    expect(new URL(second.headers.location as string).searchParams.get('ajs_aid')).not.toBe(aid);
    const [row] = await t.db.select().from(contentLinks).where(eq(contentLinks.id, id));
    expect(row!.clicks).toBe(2);
    expect(row!.lastClickedAt).not.toBeNull();
  });

  it('follows the item when its URL changes, and never to a non-http address', async () => {
    const { item, token } = await link();
    const moved = `https://site.example/moved-${Date.now()}`;
    await t.db.update(contentUrls).set({ url: moved, normalized: moved.slice(8) }).where(eq(contentUrls.itemId, item.id));
    const res = await t.inject({ method: 'GET', url: `/l/${token}` });
    expect(res.headers.location).toMatch(new RegExp(`^${moved}\\?ajs_aid=`));
    // A rule written around the contract (javascript:, data:) is never a redirect target.
    await t.db.update(contentUrls).set({ url: 'javascript:alert(1)' }).where(eq(contentUrls.itemId, item.id));
    const bad = await t.inject({ method: 'GET', url: `/l/${token}` });
    expect(bad.statusCode).toBe(404);
    expect(bad.headers.location).toBeUndefined();
    expect(safeTarget('data:text/html,hi')).toBeNull();
    expect(safeTarget('//evil.example')).toBeNull();
    expect(safeTarget('https://ok.example/a')?.href).toBe('https://ok.example/a');
  });

  it('answers 404 for unknown or malformed tokens and 410 for expired links, without redirecting', async () => {
    for (const tok of ['AAAAAAAAAAAAAAAAAAAAAAAA', 'short', '..%2F..%2Fetc', 'x'.repeat(100)]) {
      const res = await t.inject({ method: 'GET', url: `/l/${tok}` });
      expect(res.statusCode, tok).toBe(404);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toContain('text/html');
    }
    const { token, id } = await link();
    await t.db.update(contentLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(contentLinks.id, id));
    const gone = await t.inject({ method: 'GET', url: `/l/${token}` });
    expect(gone.statusCode).toBe(410);
    expect(gone.headers.location).toBeUndefined();
    await expect(followTrackedLink({ db: t.db, token: 'A'.repeat(24) })).rejects.toMatchObject({ status: 404 });
  });

  it('stops working when the item is deleted', async () => {
    const { item, token } = await link();
    await t.db.delete(contentItems).where(eq(contentItems.id, item.id));
    expect((await t.inject({ method: 'GET', url: `/l/${token}` })).statusCode).toBe(404);
  });
});

describe('contactReading', () => {
  it('lists what the contact read (newest first) and the links they were sent', async () => {
    const contact = await makeContact(t);
    const old = await makeItem(t, { title: 'Old read' });
    const recent = await makeItem(t, { title: 'Recent read' });
    await consumed(t, old.id, contact, { daysAgo: 10, depth: 30 });
    await consumed(t, recent.id, contact, { daysAgo: 1, depth: 95 });
    const created = (await t.api('POST', '/library/links', { itemId: old.id, contactId: contact }, await sales())).json();
    await t.inject({ method: 'GET', url: `/l/${created.url.split('/l/')[1]}` });
    const res = await t.api('GET', `/library/contacts/${contact}`, undefined, await sales());
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.items.map((x: { item: { title: string } }) => x.item.title)).toEqual(['Recent read', 'Old read']);
    expect(r.items[0]).toMatchObject({ maxDepthPct: 95, views: 1 });
    expect(r.links).toEqual([expect.objectContaining({ itemId: old.id, title: 'Old read', clicks: 1 })]);
    expect((await t.api('GET', '/library/contacts/99999999', undefined, await sales())).statusCode).toBe(404);
    expect((await t.api('GET', '/library/contacts/abc', undefined, await sales())).statusCode).toBe(400);
    const [{ n }] = (await t.db.execute(sql`select count(*)::int as n from content_links where contact_id = ${contact}`)).rows as [{ n: number }];
    expect(n).toBe(1);
  });
});
