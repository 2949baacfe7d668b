import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const u = () => randomUUID().slice(0, 8);
const item = (over: Record<string, unknown> = {}) => ({ title: `Guide ${u()}`, type: 'practical', stage: 'interest', ...over });
const create = async (over: Record<string, unknown> = {}, role: 'admin' | 'marketing' = 'admin') => {
  const res = await t.api('POST', '/content/items', item(over), await t.as(role));
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
};

describe('createItem', () => {
  it('creates an item with URLs, tags, SMEs, a history row and an audit row', async () => {
    const sme = (await t.api('POST', '/content/smes', { name: `Dr ${u()}`, topics: ['AI', 'ai'] })).json();
    expect(sme.topics).toEqual(['ai']);
    const host = `${u()}.example.com`;
    const res = await t.api('POST', '/content/items', item({ format: 'paper', topics: ['Pricing'], segments: ['mid-market'], products: ['core'], urls: [{ url: `https://${host}/papers/x/?utm_source=a` }, { url: `https://${host}/papers/x/part`, kind: 'prefix' }], smes: [{ smeId: sme.id, role: 'interview' }] }), await t.as('marketing'));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'idea', format: 'paper', topics: ['pricing'], overdue: false, smes: [{ id: sme.id, role: 'interview' }] });
    expect(body.urls.map((x: any) => [x.normalized, x.kind, x.canonical])).toEqual([[`${host}/papers/x`, 'exact', true], [`${host}/papers/x/part`, 'prefix', false]]);
    expect((await t.auditOf('content_item', body.id)).map((a) => a.action)).toEqual(['content_item.created']);
    const detail = (await t.api('GET', `/content/items/${body.id}`, undefined, await t.as('viewer'))).json();
    expect(detail.history).toMatchObject([{ fromStatus: null, toStatus: 'idea' }]);
    expect(detail.consumption).toEqual({ views: 0, anonymousViews: 0, readers: 0, avgDepthPct: null, activeSeconds: 0, lastViewedAt: null });
    expect((await t.api('GET', `/content/smes/${sme.id}`)).json().items).toMatchObject([{ id: body.id, role: 'interview' }]);
  });

  it('rejects bad input with the field named, and writes nothing', async () => {
    const before = await t.count('content_items');
    const cases: [unknown, string][] = [
      [{ type: 'practical', stage: 'interest' }, 'title'],
      [item({ stage: 'shortlist' }), 'stage'],
      [item({ type: 'inspiring' }), 'type'],
      [item({ urls: [{ url: 'not a url' }] }), 'urls'],
      [item({ publishDate: '2026-02-30' }), 'publishDate'],
      [item({ ownerId: 999999 }), 'ownerId'],
      [item({ smes: [{ smeId: 999999 }] }), 'smes'],
      [item({ bogus: 1 }), 'bogus'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('POST', '/content/items', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.body).toContain(field);
    }
    const raw = await t.inject({ method: 'POST', url: '/api/v1/content/items', headers: { ...(await t.as('admin')), 'content-type': 'application/json' }, payload: '{"title":' });
    expect(raw.statusCode).toBe(400);
    expect(await t.count('content_items')).toBe(before);
  });

  it('refuses a URL another item already has (409 naming it), after normalisation', async () => {
    const host = `${u()}.example.com`;
    const a = await create({ urls: [{ url: `https://${host}/a` }] });
    const res = await t.api('POST', '/content/items', item({ urls: [{ url: `HTTP://WWW.${host.toUpperCase()}/a/?x=1` }] }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain(`item ${a.id}`);
  });

  it('lets only admins create an item already published (skipping review)', async () => {
    expect((await t.api('POST', '/content/items', item({ status: 'published' }), await t.as('marketing'))).statusCode).toBe(403);
    expect((await create({ status: 'published' })).publishedAt).not.toBeNull();
  });
});

describe('permissions', () => {
  it('sales and viewers read content but cannot create, change or move it', async () => {
    const it1 = await create();
    for (const role of ['sales', 'viewer'] as const) {
      const h = await t.as(role);
      expect((await t.api('GET', '/content/items', undefined, h)).statusCode).toBe(200);
      expect((await t.api('POST', '/content/items', item(), h)).statusCode).toBe(403);
      expect((await t.api('PATCH', `/content/items/${it1.id}`, { title: 'x' }, h)).statusCode).toBe(403);
      expect((await t.api('POST', `/content/items/${it1.id}/transition`, { to: 'research' }, h)).statusCode).toBe(403);
      expect((await t.api('POST', '/content/smes', { name: 'x' }, h)).statusCode).toBe(403);
    }
    expect((await t.inject({ method: 'GET', url: '/api/v1/content/items' })).statusCode).toBe(401);
  });
});

describe('updateItem / listItems', () => {
  it('changes fields with an audit diff, replaces URLs and filters the list', async () => {
    const topic = `t${u()}`;
    const a = await create({ topics: [topic], stage: 'awareness', type: 'aspirational' });
    await create({ topics: [topic], stage: 'purchase' });
    const res = await t.api('PATCH', `/content/items/${a.id}`, { title: 'Renamed', urls: [{ url: `https://${u()}.example.com/r` }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().title).toBe('Renamed');
    const audit = await t.auditOf('content_item', a.id);
    expect(audit.at(-1)!.changes).toHaveProperty('title');
    expect(audit.at(-1)!.changes).toHaveProperty('urls');
    const list = (await t.api('GET', `/content/items?topic=${topic}&stage=awareness,interest`)).json();
    expect(list.items.map((i: any) => i.id)).toEqual([a.id]);
    expect((await t.api('GET', `/content/items?topic=${topic}`)).json().total.count).toBe(2);
    expect((await t.api('GET', `/content/items?stage=nope`)).statusCode).toBe(400);
    expect((await t.api('PATCH', `/content/items/999999`, { title: 'x' })).statusCode).toBe(404);
    expect((await t.api('PATCH', `/content/items/${a.id}`, {})).statusCode).toBe(400);
  });
});

describe('transitionItem', () => {
  it('moves one step at a time with history, overdue flags, and refuses skips', async () => {
    const a = await create({ dueDate: '2020-01-01', dueStatus: 'research' });
    expect(a.overdue).toBe(true);
    expect((await t.api('GET', '/content/items?overdue=true')).json().items.map((i: any) => i.id)).toContain(a.id);
    const bad = await t.api('POST', `/content/items/${a.id}/transition`, { to: 'draft' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('skips research, sme_interview');
    const r = await t.api('POST', `/content/items/${a.id}/transition`, { to: 'research', note: 'target: CFOs' }, await t.as('marketing'));
    expect(r.json()).toMatchObject({ status: 'research', overdue: false, dueDate: null });
    for (const to of ['sme_interview', 'draft']) expect((await t.api('POST', `/content/items/${a.id}/transition`, { to })).statusCode).toBe(200);
    // marketing cannot skip review; admin can (content:publish), recorded as skippedReview
    const skip = await t.api('POST', `/content/items/${a.id}/transition`, { to: 'published' }, await t.as('marketing'));
    expect(skip.statusCode).toBe(403);
    expect(skip.json().error.message).toContain('content:publish');
    expect((await t.api('POST', `/content/items/${a.id}/transition`, { to: 'review' }, await t.as('marketing'))).statusCode).toBe(200);
    expect((await t.api('POST', `/content/items/${a.id}/transition`, { to: 'scheduled' }, await t.as('marketing'))).statusCode).toBe(400); // no publish date
    await t.api('PATCH', `/content/items/${a.id}/schedule`, { date: '2030-01-15' });
    expect((await t.api('POST', `/content/items/${a.id}/transition`, { to: 'scheduled' }, await t.as('marketing'))).statusCode).toBe(200);
    const pub = await t.api('POST', `/content/items/${a.id}/transition`, { to: 'published' }, await t.as('marketing'));
    expect(pub.json().status).toBe('published');
    expect(pub.json().publishDate).toBe(new Date().toISOString().slice(0, 10));
    expect((await t.api('POST', `/content/items/${a.id}/transition`, { to: 'published' })).statusCode).toBe(409);
    const b = await create();
    for (const to of ['research', 'sme_interview', 'draft']) await t.api('POST', `/content/items/${b.id}/transition`, { to });
    const adminSkip = await t.api('POST', `/content/items/${b.id}/transition`, { to: 'published' });
    expect(adminSkip.statusCode).toBe(200);
    const hist = (await t.api('GET', `/content/items/${b.id}`)).json().history;
    expect(hist[0]).toMatchObject({ fromStatus: 'draft', toStatus: 'published', skippedReview: true });
    expect((await t.auditOf('content_item', b.id)).at(-1)!.changes).toMatchObject({ skippedReview: { to: true } });
  });
});

describe('calendar', () => {
  it('lists publish and due dates in the range and reschedules by drag', async () => {
    const a = await create({ publishDate: '2031-03-10', dueDate: '2031-03-02' });
    const cal = (await t.api('GET', '/content/calendar?from=2031-03-01&to=2031-03-31', undefined, await t.as('sales'))).json();
    expect(cal.entries.filter((e: any) => e.itemId === a.id).map((e: any) => [e.kind, e.date])).toEqual([['due', '2031-03-02'], ['publish', '2031-03-10']]);
    const moved = await t.api('PATCH', `/content/items/${a.id}/schedule`, { date: '2031-04-02' }, await t.as('marketing'));
    expect(moved.json().publishDate).toBe('2031-04-02');
    expect((await t.api('GET', '/content/calendar?from=2031-03-01&to=2031-03-31')).json().entries.filter((e: any) => e.itemId === a.id)).toHaveLength(1);
    expect((await t.api('GET', '/content/calendar?from=2031-03-01&to=2031-09-01')).statusCode).toBe(400);
    expect((await t.api('PATCH', `/content/items/${a.id}/schedule`, { date: 'tomorrow' })).statusCode).toBe(400);
  });
});

describe('smes', () => {
  it('refuses duplicate names and unknown users', async () => {
    const name = `Ada ${u()}`;
    expect((await t.api('POST', '/content/smes', { name })).statusCode).toBe(201);
    expect((await t.api('POST', '/content/smes', { name: name.toUpperCase() })).statusCode).toBe(409);
    const res = await t.api('POST', '/content/smes', { name: `x${u()}`, userId: 999999 });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('userId');
  });
});
