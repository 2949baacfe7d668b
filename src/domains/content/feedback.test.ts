import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { basic, makeSource } from '../tracking/test-helpers.ts';
import { makeContact, makeItem, uniq } from './insights-test-helpers.ts';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await makeSource(t)).writeKey;
});
afterAll(() => t.close());

let ip = 0;
/** Each call from its own address unless given, so the per-IP rate limit only bites where tested. */
function rate(payload: unknown, o: { key?: string | null; remoteAddress?: string; contentType?: string } = {}) {
  const k = o.key === undefined ? key : o.key;
  return t.inject({
    method: 'POST',
    url: '/v1/content/rate',
    remoteAddress: o.remoteAddress ?? `10.0.${Math.floor(++ip / 250)}.${ip % 250}`,
    headers: { 'content-type': o.contentType ?? 'text/plain', ...(k ? basic(k) : {}) },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

async function ratingsOf(itemId: number) {
  return (await t.db.execute(sql`select rating, comment, contact_id, reader_key from content_ratings where item_id = ${itemId} order by id`)).rows as {
    rating: number; comment: string | null; contact_id: number | null; reader_key: string;
  }[];
}

describe('rateContent', () => {
  it('stores a rating by item id; rating again replaces it (one per reader and item)', async () => {
    const item = await makeItem(t);
    const anon = uniq('anon');
    const first = await rate({ itemId: item, anonymousId: anon, rating: 4, comment: 'Useful' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ success: true, itemId: item, replaced: false });
    const again = await rate({ itemId: item, anonymousId: anon, rating: 2, comment: '  More examples please ' });
    expect(again.json()).toEqual({ success: true, itemId: item, replaced: true });
    expect(await ratingsOf(item)).toEqual([{ rating: 2, comment: 'More examples please', contact_id: null, reader_key: `a:${anon}` }]);
  });

  it('finds the item by its page URL (query string, trailing slash, www ignored) and accepts the key in the body', async () => {
    const slug = uniq('post');
    const item = await makeItem(t, { url: `https://example.com/blog/${slug}` });
    const res = await rate({ writeKey: key, url: `https://www.example.com/blog/${slug}/?utm_source=x#top`, anonymousId: uniq('a'), rating: 5 }, { key: null });
    expect(res.statusCode).toBe(200);
    expect(res.json().itemId).toBe(item);
  });

  it('ties the rating to the contact through identity stitching (userId first, then anonymousId)', async () => {
    const item = await makeItem(t);
    const contact = await makeContact(t);
    const anon = uniq('anon');
    await t.db.execute(sql`insert into identities (kind, value, contact_id) values ('anonymous', ${anon}, ${contact})`);
    await rate({ itemId: item, anonymousId: anon, rating: 5 });
    expect((await ratingsOf(item))[0]!.contact_id).toBe(contact);
    // Not known yet when rated: the list resolves it once the visitor is identified.
    const later = uniq('anon');
    await rate({ itemId: item, anonymousId: later, rating: 3 });
    const other = await makeContact(t);
    await t.db.execute(sql`insert into identities (kind, value, contact_id) values ('anonymous', ${later}, ${other})`);
    const list = (await t.api('GET', `/content/items/${item}/ratings`, undefined, await t.as('sales'))).json();
    expect(list.items.map((r: { rating: number; contact: { id: number } | null }) => [r.rating, r.contact?.id])).toEqual([
      [3, other],
      [5, contact],
    ]);
    expect(list.summary).toEqual({ count: 2, average: 4, distribution: [0, 0, 1, 0, 1] });
  });

  it('rejects ratings outside 1–5, non-integers and strings, naming the field, and writes nothing', async () => {
    const item = await makeItem(t);
    for (const rating of [0, 6, 3.5, '5', null]) {
      const res = await rate({ itemId: item, anonymousId: 'a1', rating });
      expect(res.statusCode, String(rating)).toBe(400);
      expect(res.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'rating' })]));
    }
    expect(await ratingsOf(item)).toEqual([]);
  });

  it('rejects a comment over 2000 characters, a missing reader id, unknown fields and bad JSON', async () => {
    const item = await makeItem(t);
    const long = await rate({ itemId: item, anonymousId: 'a1', rating: 3, comment: 'x'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.details[0].field).toBe('comment');
    const noReader = await rate({ itemId: item, rating: 3 });
    expect(noReader.statusCode).toBe(400);
    expect(noReader.json().error.details[0].field).toBe('anonymousId');
    const noItem = await rate({ anonymousId: 'a', rating: 3 });
    expect(noItem.json().error.details[0].field).toBe('itemId');
    expect((await rate({ itemId: item, anonymousId: 'a', rating: 3, stars: 3 })).statusCode).toBe(400);
    const bad = await rate('{"itemId": ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_json');
    expect((await rate('[1,2]')).statusCode).toBe(400);
    expect(await ratingsOf(item)).toEqual([]);
  });

  it('answers 404 for an unknown or retired item and for a URL no item matches', async () => {
    const unknown = await rate({ itemId: 99_999_999, anonymousId: 'a', rating: 3 });
    expect(unknown.statusCode).toBe(404);
    const retired = await makeItem(t, { status: 'retired' });
    expect((await rate({ itemId: retired, anonymousId: 'a', rating: 3 })).statusCode).toBe(404);
    const url = await rate({ url: 'https://example.com/no/such/page', anonymousId: 'a', rating: 3 });
    expect(url.statusCode).toBe(404);
    expect(url.json().error.details).toEqual({ field: 'url' });
  });

  it('refuses a missing, unknown or revoked write key with 401', async () => {
    const item = await makeItem(t);
    expect((await rate({ itemId: item, anonymousId: 'a', rating: 3 }, { key: null })).statusCode).toBe(401);
    expect((await rate({ itemId: item, anonymousId: 'a', rating: 3 }, { key: 'rlw_nope' })).statusCode).toBe(401);
    const src = await makeSource(t);
    expect((await t.api('DELETE', `/sources/${src.id}`)).statusCode).toBe(200);
    expect((await rate({ itemId: item, anonymousId: 'a', rating: 3 }, { key: src.writeKey })).statusCode).toBe(401);
    expect(await ratingsOf(item)).toEqual([]);
  });

  it('rate-limits one key and address to 30 ratings a minute (429), others unaffected', async () => {
    const item = await makeItem(t);
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push((await rate({ itemId: item, anonymousId: `a${i}`, rating: 4 }, { remoteAddress: '192.0.2.7' })).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 200)).toBe(true);
    const last = await rate({ itemId: item, anonymousId: 'late', rating: 4 }, { remoteAddress: '192.0.2.7' });
    expect(last.statusCode).toBe(429);
    expect(last.json().error.code).toBe('too_many_requests');
    expect((await rate({ itemId: item, anonymousId: 'other', rating: 4 }, { remoteAddress: '192.0.2.8' })).statusCode).toBe(200);
  });

  it('answers CORS for pages on other origins', async () => {
    const item = await makeItem(t);
    const res = await t.inject({ method: 'POST', url: '/v1/content/rate', headers: { origin: 'https://blog.example.com', 'content-type': 'text/plain' }, payload: JSON.stringify({ writeKey: key, itemId: item, anonymousId: 'x', rating: 5 }) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('rating widget script', () => {
  it('serves /rate.js as a small classic script, and /t.js stays under 5 KB gzipped', async () => {
    const res = await t.inject({ method: 'GET', url: '/rate.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.body).toContain('/v1/content/rate');
    expect(res.body).not.toMatch(/^export /m);
    expect(res.body).not.toContain('innerHTML');
    expect(gzipSync(res.body).length).toBeLessThan(2 * 1024);
    const tracker = await t.inject({ method: 'GET', url: '/t.js' });
    expect(gzipSync(tracker.body).length).toBeLessThanOrEqual(5 * 1024);
  });
});

describe('listRatings', () => {
  it('answers 404 for an unknown item and pages with a cursor', async () => {
    expect((await t.api('GET', '/content/items/99999999/ratings')).statusCode).toBe(404);
    const item = await makeItem(t);
    for (let i = 1; i <= 3; i++) await rate({ itemId: item, anonymousId: `p${i}`, rating: i });
    const p1 = (await t.api('GET', `/content/items/${item}/ratings?limit=2`)).json();
    expect(p1.items.map((r: { rating: number }) => r.rating)).toEqual([3, 2]);
    const p2 = (await t.api('GET', `/content/items/${item}/ratings?limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2.items.map((r: { rating: number }) => r.rating)).toEqual([1]);
    expect(p2.nextCursor).toBeNull();
    expect((await t.api('GET', `/content/items/${item}/ratings?cursor=nope`)).statusCode).toBe(400);
  });
});
