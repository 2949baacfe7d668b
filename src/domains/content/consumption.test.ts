import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { contacts } from '../contacts/schema.ts';
import { makeSource, send, uid } from '../tracking/test-helpers.ts';
import { scoreInboxBatch } from '../scoring/worker.ts';
import { countNewDailyViews } from './consumption.ts';
import { rematchContent } from './consumption-jobs.ts';

let t: TestApp;
let s: { id: number; writeKey: string };
beforeAll(async () => {
  t = await createTestApp();
  s = await makeSource(t);
});
afterAll(() => t.close());

const drain = async () => {
  for (let i = 0; i < 20; i++) if ((await scoreInboxBatch(t.db)).inboxRows === 0) return;
};
async function newContact(): Promise<{ id: number; userId: string }> {
  const userId = `u-${uid()}`;
  const email = `r-${uid()}@acme.test`;
  await send(t, s.writeKey, 'identify', { userId, traits: { email } });
  const [c] = await t.db.select().from(contacts).where(eq(contacts.email, email));
  return { id: c!.id, userId };
}
const page = (who: Record<string, string>, url: string, extra: Record<string, unknown> = {}) => ({ type: 'page', ...who, properties: { url, path: new URL(url).pathname, ...extra }, timestamp: new Date().toISOString() });
const read = (who: Record<string, string>, url: string, depth: number, seconds: number) => ({
  type: 'track', event: 'Content Read', ...who, properties: { url, path: new URL(url).pathname, maxScrollPercent: depth, activeSeconds: seconds }, timestamp: new Date().toISOString(),
});
const stageOf = async (contactId: number) => ((await t.db.execute(sql`select stage from contact_buying_stages where contact_id = ${contactId}`)).rows[0] as { stage: string } | undefined)?.stage ?? null;

describe('consumption', () => {
  it('attaches page views, read depth and active seconds to the item, per contact and per day (anonymous included)', async () => {
    const host = `${uid().slice(0, 8)}.example.com`;
    const it1 = (await t.api('POST', '/content/items', { title: 'Guide', type: 'practical', stage: 'interest', urls: [{ url: `https://${host}/guides/roi` }] })).json();
    const a = await newContact();
    const b = await newContact();
    await send(t, s.writeKey, 'batch', {
      batch: [
        page({ userId: a.userId }, `https://${host}/guides/roi/?utm_source=newsletter`),
        read({ userId: a.userId }, `https://${host}/guides/roi`, 80, 40),
        page({ userId: a.userId }, `http://WWW.${host}/guides/roi`),
        read({ userId: a.userId }, `https://${host}/guides/roi`, 60, 20),
        page({ userId: b.userId }, `https://${host}/guides/roi#faq`),
        read({ userId: b.userId }, `https://${host}/guides/roi`, 40, 10),
        page({ anonymousId: `anon-${uid()}` }, `https://${host}/guides/roi`),
        page({ userId: b.userId }, `https://${host}/other`),
      ],
    });
    await drain();
    const rows = (await t.db.execute(sql`select contact_id, views, reads, max_depth_pct, active_seconds from content_consumption where item_id = ${it1.id} order by contact_id`)).rows;
    expect(rows.map((r) => [Number(r.contact_id), r.views, r.reads, r.max_depth_pct, r.active_seconds])).toEqual([
      [a.id, 2, 2, 80, 60],
      [b.id, 1, 1, 40, 10],
    ]);
    // Re-queued events (a merge, a retry) do not count twice: the contact's row is recomputed.
    await t.db.execute(sql`insert into scoring_inbox (workspace_id, event_ids, received_from, received_to)
      select 1, array_agg(id), min(received_at), max(received_at) from events where contact_id = ${a.id}`);
    await drain();
    expect((await t.db.execute(sql`select views from content_consumption where item_id = ${it1.id} and contact_id = ${a.id}`)).rows[0]).toEqual({ views: 2 });

    // Known readers are on the item page at once; the daily counter (minute job) adds anonymous views.
    let detail = (await t.api('GET', `/content/items/${it1.id}`)).json();
    expect(detail.consumption).toMatchObject({ views: 3, readers: 2, avgDepthPct: 60 });
    expect(detail.readers.map((r: any) => r.contactId).sort()).toEqual([a.id, b.id].sort());
    await t.db.transaction((tx) => countNewDailyViews(tx, 1, new Date(Date.now() - 3600_000))); // first run sets the watermark
    await t.db.transaction((tx) => countNewDailyViews(tx, 1, new Date(Date.now() + 60_000)));
    detail = (await t.api('GET', `/content/items/${it1.id}`)).json();
    expect(detail.consumption).toMatchObject({ views: 4, anonymousViews: 1, readers: 2, avgDepthPct: 60, activeSeconds: 70 });
    // The contact page's "Content read" card.
    const mine = (await t.api('GET', `/content/contacts/${a.id}`, undefined, await t.as('viewer'))).json();
    expect(mine.items).toMatchObject([{ itemId: it1.id, title: 'Guide', views: 2, maxDepthPct: 80, activeSeconds: 60 }]);
    expect((await t.api('GET', '/content/contacts/99999999')).statusCode).toBe(404);
  });

  it('re-attributes past views when an item gets its URL later (rematch)', async () => {
    const host = `${uid().slice(0, 8)}.example.com`;
    const c = await newContact();
    await send(t, s.writeKey, 'page', page({ userId: c.userId }, `https://${host}/webinars/2026/ai`));
    await drain();
    const it1 = (await t.api('POST', '/content/items', { title: 'Webinars', type: 'aspirational', stage: 'awareness', urls: [{ url: `https://${host}/webinars`, kind: 'prefix' }] })).json();
    await rematchContent(t.db);
    expect((await t.api('GET', `/content/items/${it1.id}`)).json().consumption).toMatchObject({ views: 1, readers: 1 });
  });
});

describe('rebuild racing the scoring pass', () => {
  it('leaves events still waiting for the pass to the pass, so nothing counts twice or never', async () => {
    const host = `${uid().slice(0, 8)}.example.com`;
    const it1 = (await t.api('POST', '/content/items', { title: 'Race', type: 'practical', stage: 'interest', urls: [{ url: `https://${host}/race` }] })).json();
    const c = await newContact();
    await send(t, s.writeKey, 'page', page({ userId: c.userId }, `https://${host}/race`));
    await drain();
    await send(t, s.writeKey, 'page', page({ userId: c.userId }, `https://${host}/race`)); // waiting in the inbox
    await rematchContent(t.db);
    const views = async () => ((await t.db.execute(sql`select views from content_consumption where item_id = ${it1.id} and contact_id = ${c.id}`)).rows[0] as { views: number } | undefined)?.views;
    expect(await views()).toBe(1);
    await drain();
    expect(await views()).toBe(2);
    await rematchContent(t.db);
    expect(await views()).toBe(2);
  });
});

describe('buying-stage inference input', () => {
  it("uses the content item's stage for its pages; URL rules for other pages; content wins", async () => {
    const host = `${uid().slice(0, 8)}.example.com`;
    await t.api('POST', '/scoring/stage-rules', { pattern: '/stagetest', stage: 'purchase' });
    const c = await newContact();
    await t.api('POST', '/content/items', { title: 'Trends', type: 'aspirational', stage: 'epiphany', urls: [{ url: `https://${host}/stagetest/trends` }] });
    await send(t, s.writeKey, 'page', page({ userId: c.userId }, `https://${host}/stagetest/trends`));
    await drain();
    expect(await stageOf(c.id)).toBe('epiphany');
    await send(t, s.writeKey, 'page', page({ userId: c.userId }, `https://${host}/stagetest/pricing`));
    await drain();
    expect(await stageOf(c.id)).toBe('purchase');
    const d = await newContact();
    const it2 = (await t.api('POST', '/content/items', { title: 'Shortlist checklist', type: 'practical', stage: 'consideration', urls: [{ url: `https://${host}/checklist` }] })).json();
    await send(t, s.writeKey, 'page', page({ userId: d.userId }, `https://${host}/checklist?ref=x`));
    await drain();
    expect(await stageOf(d.id)).toBe('consideration');
    expect(it2.stage).toBe('consideration');
  });
});
