import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { intelTrends, weekStart } from './intel.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const post = async (body: unknown, role: 'admin' | 'marketing' | 'sales' | 'viewer' = 'sales') => t.api('POST', '/intel', body, await t.as(role));

describe('postIntel', () => {
  it('lets sales post what they heard, tags normalised, with an audit row', async () => {
    const acc = (await t.api('POST', '/accounts', { name: 'Globex', domain: 'globex-intel.example' })).json();
    const res = await post({ body: 'Three prospects asked how we handle  data residency.', topics: ['Data Residency', ' data   residency ', 'Compliance'], competitors: ['Initech'], accountId: acc.id });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ topics: ['data residency', 'compliance'], competitors: ['initech'], account: { id: acc.id, name: 'Globex' }, idea: null });
    expect(e.postedBy.name).toMatch(/Sales/);
    expect(e.heardOn).toBe(new Date().toISOString().slice(0, 10));
    expect((await t.auditOf('field_intel', e.id)).map((a) => a.action)).toEqual(['intel.posted']);
  });

  it('rejects bad input with the field named and writes nothing', async () => {
    const before = await t.count('field_intel');
    const cases: [unknown, string][] = [
      [{ body: 'x', topics: ['pricing'] }, 'body'],
      [{ body: 'Heard something', topics: [], competitors: [] }, 'topics'],
      [{ body: 'Heard something', topics: 'pricing' }, 'topics'],
      [{ body: 'Heard something', topics: [''] }, 'topics'],
      [{ body: 'Heard something', topics: ['x'.repeat(61)] }, 'topics'],
      [{ body: 'Heard something', topics: ['pricing'], accountId: 99_999_999 }, 'accountId'],
      [{ body: 'Heard something', topics: ['pricing'], accountId: 'globex' }, 'accountId'],
      [{ body: 'Heard something', topics: ['pricing'], heardOn: '2026-02-30' }, 'heardOn'],
      [{ body: 'Heard something', topics: ['pricing'], heardOn: '2999-01-01' }, 'heardOn'],
      [{ body: 'Heard something', topics: ['pricing'], mood: 'great' }, 'mood'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.json().error), JSON.stringify(body)).toContain(field);
    }
    const bad = await t.inject({ method: 'POST', url: '/api/v1/intel', headers: { ...(await t.as('sales')), 'content-type': 'application/json' }, payload: '{"body": "broken' });
    expect(bad.statusCode).toBe(400);
    expect(await t.count('field_intel')).toBe(before);
  });

  it('refuses viewers (403) and anonymous callers (401)', async () => {
    expect((await post({ body: 'Heard it', topics: ['pricing'] }, 'viewer')).statusCode).toBe(403);
    expect((await t.inject({ method: 'POST', url: '/api/v1/intel', payload: { body: 'Heard it', topics: ['pricing'] } })).statusCode).toBe(401);
  });
});

describe('listIntel', () => {
  it('filters by topic, competitor and open, pages with a cursor, and refuses a forged cursor', async () => {
    for (let i = 0; i < 3; i++) await post({ body: `Zeta customers are churning ${i}`, topics: ['churn-list'], competitors: ['zeta-list'] });
    await post({ body: 'Nothing about zeta', topics: ['other-list'] });
    const byTopic = (await t.api('GET', '/intel?topic=Churn-List&limit=2', undefined, await t.as('sales'))).json();
    expect(byTopic.items).toHaveLength(2);
    expect(byTopic.total.count).toBe(3);
    const next = (await t.api('GET', `/intel?topic=churn-list&limit=2&cursor=${byTopic.nextCursor}`)).json();
    expect(next.items).toHaveLength(1);
    expect(next.nextCursor).toBeNull();
    expect((await t.api('GET', '/intel?competitor=zeta-list')).json().total.count).toBe(3);
    expect((await t.api('GET', '/intel?q=nothing about')).json().items[0].topics).toEqual(['other-list']);
    expect((await t.api('GET', '/intel?cursor=abc')).statusCode).toBe(400);
    expect((await t.api('GET', '/intel?limit=0')).statusCode).toBe(400);
  });
});

describe('intelTrends', () => {
  it('counts mentions per week per topic with the change over the last 4 weeks', async () => {
    const now = new Date();
    const day = (weeksAgo: number) => new Date(now.getTime() - weeksAgo * 7 * 86_400_000).toISOString().slice(0, 10);
    await post({ body: 'Old mention', topics: ['trend-topic'], heardOn: day(6) });
    for (let i = 0; i < 3; i++) await post({ body: `Fresh mention ${i}`, topics: ['trend-topic'], heardOn: day(0) });
    const tr = await intelTrends({ ctx: await t.ctx('marketing'), input: { by: 'topic', weeks: 8, top: 30 }, now });
    expect(tr.weeks).toHaveLength(8);
    expect(tr.weeks[7]).toBe(weekStart(now));
    const s = tr.series.find((x) => x.key === 'trend-topic')!;
    expect(s.total).toBe(4);
    expect(s.counts[7]).toBe(3);
    expect(s.counts[1]).toBe(1);
    expect(s.change).toBe(2);
    expect(s.open).toBe(4);
    const http = await t.api('GET', '/intel/trends?by=competitor&weeks=4', undefined, await t.as('viewer'));
    expect(http.statusCode).toBe(200);
    expect((await t.api('GET', '/intel/trends?by=mood')).statusCode).toBe(400);
  });
});

describe('intelToIdea', () => {
  it('turns an entry into a calendar idea linked back; sales cannot (403); twice is a 409', async () => {
    const e = (await post({ body: 'Buyers want a migration checklist from Initech, step by step, with timings', topics: ['migration'], competitors: ['initech'] })).json();
    expect((await t.api('POST', `/intel/${e.id}/idea`, {}, await t.as('sales'))).statusCode).toBe(403);
    const res = await t.api('POST', `/intel/${e.id}/idea`, {}, await t.as('marketing'));
    expect(res.statusCode).toBe(201);
    const { item, linkedIntel } = res.json();
    expect(linkedIntel).toBe(1);
    expect(item.status).toBe('idea');
    const [row] = (await t.database.pool.query('select status, stage, type, topics, research_notes from content_items where id = $1', [item.id])).rows;
    expect(row).toMatchObject({ status: 'idea', stage: 'consideration', type: 'practical', topics: ['migration'] });
    expect(row.research_notes).toContain(`field intel #${e.id}`);
    const listed = (await t.api('GET', `/intel?open=false&topic=migration`)).json();
    expect(listed.items[0].idea).toMatchObject({ id: item.id, status: 'idea' });
    const again = await t.api('POST', `/intel/${e.id}/idea`, {}, await t.as('marketing'));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain(`#${item.id}`);
    expect((await t.api('POST', '/intel/99999999/idea', {})).statusCode).toBe(404);
    expect((await t.api('POST', `/intel/${e.id}/idea`, { stage: 'nope' })).statusCode).toBe(400);
  });
});

describe('trendToIdea', () => {
  it('links every open entry of the trend to one idea', async () => {
    for (let i = 0; i < 3; i++) await post({ body: `Prospect ${i} compared us with Umbrella on price`, topics: ['pricing-trend'], competitors: ['umbrella'] });
    const res = await t.api('POST', '/intel/trends/idea', { by: 'competitor', key: 'Umbrella' }, await t.as('marketing'));
    expect(res.statusCode).toBe(201);
    expect(res.json().linkedIntel).toBe(3);
    expect(res.json().item.title).toBe('How we compare with umbrella');
    expect((await t.api('GET', `/intel?ideaItemId=${res.json().item.id}`)).json().total.count).toBe(3);
    const still = await t.api('POST', '/intel/trends/idea', { by: 'competitor', key: 'umbrella' }, await t.as('marketing'));
    expect(still.statusCode).toBe(400);
    expect(still.json().error.details[0].field).toBe('key');
    expect((await t.api('POST', '/intel/trends/idea', { by: 'competitor', key: 'umbrella' }, await t.as('sales'))).statusCode).toBe(403);
  });
});

describe('deleteIntel', () => {
  it('lets the author and marketing delete, not another rep', async () => {
    const mine = (await post({ body: 'Delete me later', topics: ['tmp'] })).json();
    const other = await t.makeUser('sales');
    const otherCtx = { ...(await t.ctx('sales')), actor: { type: 'user' as const, id: String(other.id), label: other.email, role: 'sales' as const, userId: other.id } };
    const { deleteIntel } = await import('./intel.ts');
    await expect(deleteIntel({ ctx: otherCtx, id: mine.id })).rejects.toMatchObject({ status: 403 });
    expect((await t.api('DELETE', `/intel/${mine.id}`, undefined, await t.as('sales'))).statusCode).toBe(204);
    expect((await t.api('DELETE', `/intel/${mine.id}`, undefined, await t.as('sales'))).statusCode).toBe(404);
    const theirs = (await post({ body: 'Marketing may delete', topics: ['tmp'] })).json();
    expect((await t.api('DELETE', `/intel/${theirs.id}`, undefined, await t.as('marketing'))).statusCode).toBe(204);
  });
});
