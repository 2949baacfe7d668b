import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { AuditSettings } from '../../contracts/content-insights.ts';
import { auditFlag } from './audit.ts';
import { coverageCells } from './coverage.ts';
import { consume, daily, deal, makeContact, makeItem, transition, uniq } from './insights-test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const refresh = async () => {
  const r = await t.api('POST', '/content/insights/refresh');
  expect(r.statusCode, r.body).toBe(200);
};
type Cell = { stage: string; type: string; items: number; live: number; views: number; readers: number; avgDepthPct: number | null; influencedContacts: number; influencedPipeline: number; gap: boolean; top: { id: number }[] };
const cell = (cells: Cell[], stage: string, type: string) => cells.find((c) => c.stage === stage && c.type === type)!;

describe('coverageMap', () => {
  it('gives every stage × type cell with counts; cells without a live item are gaps; filters by segment, topic and product', async () => {
    const seg = uniq('seg');
    await makeItem(t, { stage: 'awareness', type: 'aspirational', segments: [seg], topics: ['ai'] });
    await makeItem(t, { stage: 'awareness', type: 'aspirational', segments: [seg], products: ['crm'] });
    await makeItem(t, { stage: 'purchase', type: 'practical', segments: [seg], status: 'draft' });
    await makeItem(t, { stage: 'interest', type: 'practical', segments: [seg], status: 'retired' });
    await makeItem(t, { stage: 'epiphany', type: 'practical', segments: ['other'] });
    const res = await t.api('GET', `/content/coverage?segment=${seg}`, undefined, await t.as('viewer'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.cells).toHaveLength(12);
    expect(cell(body.cells, 'awareness', 'aspirational')).toMatchObject({ items: 2, live: 2, gap: false });
    expect(cell(body.cells, 'purchase', 'practical')).toMatchObject({ items: 1, live: 0, gap: true });
    expect(cell(body.cells, 'interest', 'practical')).toMatchObject({ items: 0, gap: true });
    expect(cell(body.cells, 'epiphany', 'practical')).toMatchObject({ items: 0, gap: true });
    expect(body.totals).toMatchObject({ items: 3, live: 2, gaps: 11 });
    expect(body.facets.segments).toEqual(expect.arrayContaining([seg, 'other']));
    const byProduct = (await t.api('GET', `/content/coverage?segment=${seg}&product=crm`)).json();
    expect(cell(byProduct.cells, 'awareness', 'aspirational').items).toBe(1);
    const byTopic = (await t.api('GET', `/content/coverage?segment=${seg}&topic=AI`)).json();
    expect(byTopic.totals.items).toBe(1);
  });

  it('shows per-cell performance after the refresh: views, readers, depth, influenced contacts and pipeline (distinct deals)', async () => {
    const seg = uniq('perf');
    const a = await makeItem(t, { stage: 'consideration', type: 'practical', segments: [seg] });
    const b = await makeItem(t, { stage: 'consideration', type: 'practical', segments: [seg] });
    await daily(t, a, { views: 40, anonymousViews: 30, reads: 4, depthSum: 240 });
    await daily(t, b, { views: 10, reads: 1, depthSum: 100 });
    const reader = await makeContact(t, 'lead');
    const buyer = await makeContact(t, 'opportunity');
    const early = await makeContact(t, 'opportunity');
    await consume(t, a, reader, { daysAgo: 20 });
    await consume(t, a, buyer, { daysAgo: 20 });
    await consume(t, b, buyer, { daysAgo: 15 });
    await consume(t, a, early, { daysAgo: 5 });
    await transition(t, buyer, 'sales_ready', 12);
    await transition(t, buyer, 'opportunity', 10);
    await transition(t, early, 'opportunity', 8); // before they read: not influenced
    await deal(t, [buyer], 1000);
    await deal(t, [buyer, early], 500, 'won');
    await deal(t, [buyer], 9999, 'lost'); // lost deals carry no pipeline
    await deal(t, [early], 7000);

    const before = (await t.api('GET', `/content/coverage?segment=${seg}`)).json();
    expect(cell(before.cells, 'consideration', 'practical')).toMatchObject({ items: 2, views: 0, influencedPipeline: 0 });
    await refresh();
    const body = (await t.api('GET', `/content/coverage?segment=${seg}`)).json();
    expect(body.refreshedAt).not.toBeNull();
    expect(cell(body.cells, 'consideration', 'practical')).toMatchObject({
      items: 2,
      views: 50,
      readers: 4, // reader, buyer and early of a; buyer of b
      avgDepthPct: 68, // (240 + 100) / 5 reads
      influencedContacts: 1,
      influencedPipeline: 1500, // 1000 + 500, counted once though the buyer read both items
      gap: false,
    });
    expect(cell(body.cells, 'consideration', 'practical').top.map((x) => x.id)).toEqual([a, b]);
    expect(body.totals.influencedPipeline).toBe(1500);

    const inf = (await t.api('GET', `/content/items/${a}/influence`, undefined, await t.as('sales'))).json();
    expect(inf).toMatchObject({ itemId: a, readers: 3, influencedContacts: 1, influencedPipeline: 1500, byStage: { sales_ready: 0, opportunity: 1, customer: 0 } });
    expect(inf.contacts).toEqual([expect.objectContaining({ contactId: buyer, reachedStage: 'opportunity', pipeline: 1500 })]);
    expect((await t.api('GET', '/content/items/99999999/influence')).statusCode).toBe(404);
  });

  it('answers influence from the cells precomputed by the refresh, identical to counting live, and counts live while the items changed since', async () => {
    const seg = uniq('pre');
    const topic = uniq('top');
    const a = await makeItem(t, { stage: 'purchase', type: 'aspirational', segments: [seg], topics: [topic] });
    const b = await makeItem(t, { stage: 'purchase', type: 'practical', segments: [seg] });
    const c1 = await makeContact(t, 'opportunity');
    const c2 = await makeContact(t, 'customer');
    for (const [item, contact] of [[a, c1], [a, c2], [b, c1]] as const) await consume(t, item, contact, { daysAgo: 30 });
    await transition(t, c1, 'opportunity', 20);
    await transition(t, c2, 'customer', 20);
    await deal(t, [c1, c2], 800);
    await deal(t, [c2], 200, 'won');
    await refresh();
    const pre = await t.db.execute(sql`select count(*)::int as n from content_coverage_cells where facet = ${'segment:' + seg}`);
    expect((pre.rows[0] as { n: number }).n).toBe(3); // two cells and the total
    for (const q of [{ segment: seg }, { topic }, {}]) {
      const fast = await coverageCells(t.db, q);
      const live = await coverageCells(t.db, q, { live: true });
      const strip = (rows: typeof fast) => rows.map((r) => ({ ...r, top: null })).sort((x, y) => `${x.stage}${x.type}`.localeCompare(`${y.stage}${y.type}`));
      expect(strip(fast)).toEqual(strip(live));
    }
    const body = (await t.api('GET', `/content/coverage?segment=${seg}`)).json();
    expect(cell(body.cells, 'purchase', 'aspirational')).toMatchObject({ influencedContacts: 2, influencedPipeline: 1000 });
    expect(cell(body.cells, 'purchase', 'practical')).toMatchObject({ influencedContacts: 1, influencedPipeline: 800 });
    expect(body.totals.influencedPipeline).toBe(1000);

    // An item moved to another cell shows there at once, before the next refresh.
    expect((await t.api('PATCH', `/content/items/${b}`, { stage: 'epiphany' })).statusCode).toBe(200);
    const moved = (await t.api('GET', `/content/coverage?segment=${seg}`)).json();
    expect(cell(moved.cells, 'epiphany', 'practical')).toMatchObject({ items: 1, influencedContacts: 1, influencedPipeline: 800 });
    expect(cell(moved.cells, 'purchase', 'practical')).toMatchObject({ items: 0, influencedContacts: 0 });
  });

  it('rejects bad filters with 400 naming the field; refresh needs content:write', async () => {
    const res = await t.api('GET', `/content/coverage?segment=${'x'.repeat(61)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toContain('segment');
    expect((await t.api('POST', '/content/insights/refresh', undefined, await t.as('sales'))).statusCode).toBe(403);
    expect((await t.api('POST', '/content/insights/refresh', undefined, await t.as('marketing'))).statusCode).toBe(200);
    expect((await t.inject({ method: 'GET', url: '/api/v1/content/coverage' })).statusCode).toBe(401);
  });
});

describe('contentAudit', () => {
  it('flags stale live items for refresh or retirement with the reasons, and filters by flag', async () => {
    const stage = 'post_sale';
    const fresh = await makeItem(t, { stage, title: 'Fresh', publishedDaysAgo: 20 });
    const old = await makeItem(t, { stage, title: 'Old but read', publishedDaysAgo: 700, updatedDaysAgo: 400 });
    const dead = await makeItem(t, { stage, title: 'Nobody reads', publishedDaysAgo: 800 });
    const draft = await makeItem(t, { stage, title: 'Draft', status: 'draft', publishedDaysAgo: 900, updatedDaysAgo: 900 });
    await daily(t, old, { views: 50, daysAgo: 3 });
    await daily(t, dead, { views: 500, daysAgo: 200 });
    await refresh();
    const res = await t.api('GET', `/content/audit?stage=${stage}`, undefined, await t.as('viewer'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const row = (id: number) => body.rows.find((r: { id: number }) => r.id === id);
    expect(row(dead)).toMatchObject({ flag: 'retire', views: 500, views90d: 0 });
    expect(row(dead).reasons[0]).toContain('views in the last 90 days');
    expect(row(old)).toMatchObject({ flag: 'refresh', views90d: 50 });
    expect(row(old).reasons[0]).toMatch(/not updated for 400 days/);
    expect(row(fresh)).toMatchObject({ flag: null, ageDays: 20 });
    expect(row(draft).flag).toBeNull();
    expect(body.rows[0].id).toBe(dead); // retire first, then refresh
    expect(body.counts).toMatchObject({ items: 4, retire: 1, refresh: 1 });
    const flagged = (await t.api('GET', `/content/audit?stage=${stage}&flag=flagged`)).json();
    expect(flagged.rows.map((r: { id: number }) => r.id)).toEqual([dead, old]);
    expect((await t.api('GET', '/content/audit?flag=stale')).statusCode).toBe(400);
  });

  it('uses the workspace thresholds: defaults, changed by marketing (audited), not by sales; bad values name the field', async () => {
    expect((await t.api('GET', '/content/audit/settings')).json()).toEqual(AuditSettings.parse({}));
    const sales = await t.api('PATCH', '/content/audit/settings', { refreshAfterDays: 10 }, await t.as('sales'));
    expect(sales.statusCode).toBe(403);
    const bad = await t.api('PATCH', '/content/audit/settings', { refreshAfterDays: 0 }, await t.as('marketing'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toContain('refreshAfterDays');
    expect((await t.api('PATCH', '/content/audit/settings', { minRating: 'low' })).statusCode).toBe(400);
    expect((await t.api('PATCH', '/content/audit/settings', {})).statusCode).toBe(400);
    expect((await t.api('PATCH', '/content/audit/settings', { retire: 3 })).statusCode).toBe(400);
    expect(await t.count('content_audit_settings')).toBe(0);
    const ok = await t.api('PATCH', '/content/audit/settings', { refreshAfterDays: 10 }, await t.as('marketing'));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ refreshAfterDays: 10, retireAfterDays: 540 });
    expect((await t.auditOf('content_audit_settings', 1)).map((a) => a.action)).toEqual(['content.audit_settings.updated']);
    const item = await makeItem(t, { stage: 'purchase', type: 'aspirational', publishedDaysAgo: 15 });
    await refresh();
    const row = (await t.api('GET', '/content/audit?stage=purchase&type=aspirational')).json().rows.find((r: { id: number }) => r.id === item);
    expect(row.flag).toBe('refresh');
    await t.api('PATCH', '/content/audit/settings', { refreshAfterDays: 365 });
  });

  it('exports the audit as formula-safe CSV', async () => {
    const item = await makeItem(t, { stage: 'interest', type: 'aspirational', title: '=HYPERLINK("http://evil.test","click")' });
    const res = await t.api('GET', '/content/audit/export?stage=interest&type=aspirational');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="content-audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    const row = rows.find((r) => Number(r.id) === item)!;
    expect(row.title).toBe(`'=HYPERLINK("http://evil.test","click")`);
    expect(row.stage).toBe('interest');
  });
});

describe('auditFlag', () => {
  const s = AuditSettings.parse({});
  const base = { status: 'published' as const, ageDays: 100, daysSinceUpdate: 10, views90d: 100, avgRating: null, ratings: 0, reads: 0, avgDepthPct: null, stageFit: null, stageKnownReaders: 0 };
  it('does not flag items that are not live', () => {
    expect(auditFlag({ ...base, status: 'draft', daysSinceUpdate: 5000 }, s).flag).toBeNull();
  });
  it('asks for a refresh on low ratings, shallow reads or a stage mismatch, only with enough evidence', () => {
    expect(auditFlag({ ...base, ratings: 3, avgRating: 2.3 }, s)).toMatchObject({ flag: 'refresh', reasons: ['average rating 2.3 below 3'] });
    expect(auditFlag({ ...base, ratings: 2, avgRating: 1 }, s).flag).toBeNull();
    expect(auditFlag({ ...base, reads: 5, avgDepthPct: 12 }, s).reasons[0]).toContain('readers stop at 12 %');
    expect(auditFlag({ ...base, stageKnownReaders: 10, stageFit: 0.2 }, s).reasons[0]).toContain('20 %');
  });
  it('retires old items nobody reads any more', () => {
    expect(auditFlag({ ...base, ageDays: 600, views90d: 3 }, s).flag).toBe('retire');
    expect(auditFlag({ ...base, ageDays: 600, views90d: 30 }, s).flag).toBeNull();
  });
});
