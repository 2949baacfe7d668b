import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { contentRatings } from './schema-feedback.ts';
import { gapStage } from './backlog.ts';
import { consumed, makeContact, makeItem, makeSme } from './sales-test-helpers.ts';

// One database for the file; each test builds on what the earlier ones created, in order.
let t: TestApp;
let popular: { id: number };
beforeAll(async () => {
  t = await createTestApp();
  // "observability": read by 4 contacts, rated 5; "kubernetes": 1 reader; "pricing": field intel only.
  popular = await makeItem(t, { title: 'Observability for boards', topics: ['observability'], stage: 'awareness' });
  const k8s = await makeItem(t, { title: 'Kubernetes costs', topics: ['kubernetes'], stage: 'interest' });
  for (let i = 0; i < 4; i++) await consumed(t, popular.id, await makeContact(t), { views: 2, depth: 70 });
  await consumed(t, k8s.id, await makeContact(t), { views: 1, depth: 20 });
  for (let i = 0; i < 3; i++) await t.db.insert(contentRatings).values({ itemId: popular.id, readerKey: `a:${i}`, rating: 5 });
  for (let i = 0; i < 5; i++) await t.api('POST', '/intel', { body: `Everyone asks about pricing ${i}`, topics: ['pricing'] }, await t.as('sales'));
  await makeSme(t, 'Dana Scully', ['observability', 'security'], [popular.id]);
});
afterAll(async () => {
  await t?.close();
});

describe('topicBacklog', () => {
  it('ranks topics by readers, views, depth, ratings and field intel mentions', async () => {
    const res = await t.api('GET', '/content/backlog', undefined, await t.as('viewer'));
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.topics.map((x: { topic: string }) => x.topic)).toEqual(['observability', 'pricing', 'kubernetes']);
    expect(b.topics[0]).toMatchObject({ readers: 4, views: 8, avgDepthPct: 70, ratings: 3, avgRating: 5, intelMentions: 0, items: 1, inProduction: 0, smes: 1 });
    expect(b.topics[1]).toMatchObject({ readers: 0, intelMentions: 5, items: 0 });
    expect(b.topics[0].score).toBeGreaterThan(b.topics[1].score);
    expect(b.topics[0].score).toBeLessThanOrEqual(100);
    expect((await t.api('GET', '/content/backlog?days=3')).statusCode).toBe(400);
  });
});

describe('cycleTopInterests', () => {
  it('refuses sales (403) and bad input (400)', async () => {
    expect((await t.api('POST', '/content/backlog/cycle', { top: 2 }, await t.as('sales'))).statusCode).toBe(403);
    expect((await t.api('POST', '/content/backlog/cycle', { top: 0 })).statusCode).toBe(400);
    expect((await t.api('POST', '/content/backlog/cycle', { topics: 'pricing' })).statusCode).toBe(400);
  });

  it('creates one idea per top topic with nothing in production, then skips them next time', async () => {
    const res = await t.api('POST', '/content/backlog/cycle', { top: 2 }, await t.as('marketing'));
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.created.map((c: { topic: string }) => c.topic)).toEqual(['observability', 'pricing']);
    const [idea] = (await t.database.pool.query('select status, stage, type, topics, title from content_items where id = $1', [r.created[0].id])).rows;
    // observability has an awareness item: the gap is the earliest empty stage, epiphany.
    expect(idea).toMatchObject({ status: 'idea', stage: 'epiphany', type: 'aspirational', topics: ['observability'], title: 'Observability: what readers want next' });
    const again = (await t.api('POST', '/content/backlog/cycle', { topics: ['observability', 'nothing-here'] }, await t.as('marketing'))).json();
    expect(again.created).toEqual([]);
    expect(again.skipped).toEqual([
      { topic: 'observability', reason: 'already in production (1 item)' },
      { topic: 'nothing-here', reason: 'no content, readers or field intel with this topic' },
    ]);
    expect((await t.auditOf('workspace', 1)).map((a) => a.action)).toContain('content.backlog_cycled');
  });

  it('picks the stage with the fewest items', () => {
    expect(gapStage({})).toBe('epiphany');
    expect(gapStage({ epiphany: 2, awareness: 1, interest: 1, consideration: 3, purchase: 1, post_sale: 1 })).toBe('awareness');
  });
});

describe('smeNetwork', () => {
  it('lists SMEs with topics, contributions and reach, and topics nobody covers', async () => {
    const res = await t.api('GET', '/content/network', undefined, await t.as('sales'));
    expect(res.statusCode).toBe(200);
    const n = res.json();
    const dana = n.smes.find((s: { name: string }) => s.name === 'Dana Scully');
    expect(dana).toMatchObject({ topics: ['observability', 'security'], readers: 4, items: [{ id: popular.id, title: 'Observability for boards', role: 'interview' }] });
    const uncovered = n.uncoveredTopics.map((x: { topic: string }) => x.topic);
    expect(uncovered).toContain('kubernetes');
    expect(uncovered).toContain('pricing');
    expect(uncovered).not.toContain('observability');
  });
});
