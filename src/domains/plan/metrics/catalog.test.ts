// The built-in metrics on seeded data (Q1 2026): lifecycle transitions, deals and content items written directly
// with known dates, and campaign touches sent through the tracking API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { makeSource, send } from '../../tracking/test-helpers.ts';
import type { KpiFilters } from '../../../contracts/objectives.ts';
import './catalog.ts';
import { getMetric, listMetrics } from './registry.ts';

let t: TestApp;
let campaignId: number;
const ids: Record<string, number> = {};
const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const value = (key: string, filters: KpiFilters = {}, period = Q1) => getMetric(key)!.compute({ ctx: { db: t.db }, ...period, filters });

beforeAll(async () => {
  t = await createTestApp();
  const { writeKey } = await makeSource(t);
  // c1 and c2 are identified by the tracker and touched by the campaign.
  campaignId = (await t.api('POST', '/campaigns', { name: 'Winter webinar', utmCampaign: 'winter-webinar' })).json().id;
  for (const n of ['c1', 'c2']) {
    expect((await send(t, writeKey, 'identify', { userId: `u-${n}`, traits: { email: `${n}@metrics.test` } })).statusCode).toBe(200);
    const page = await send(t, writeKey, 'page', { userId: `u-${n}`, context: { page: { url: 'https://acme.test/webinar?utm_campaign=Winter-Webinar&utm_source=x', path: '/webinar' } } });
    expect(page.statusCode).toBe(200);
  }
  for (const n of ['c3', 'c4', 'c5', 'c6']) await t.db.execute(sql`insert into contacts (email) values (${`${n}@metrics.test`})`);
  const rows = (await t.db.execute(sql`select id, split_part(email, '@', 1) as n from contacts where email like '%@metrics.test'`)).rows as { id: number; n: string }[];
  for (const r of rows) ids[r.n] = Number(r.id);
  expect(Object.keys(ids).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
  const moves: [string, string, string][] = [
    ['c1', 'lead', '2026-01-10'], ['c1', 'marketing_qualified', '2026-01-20'], ['c1', 'sales_ready', '2026-02-01'], ['c1', 'sales_accepted', '2026-02-03'], ['c1', 'opportunity', '2026-02-10'],
    ['c2', 'lead', '2026-01-15'], ['c2', 'marketing_qualified', '2026-02-14'],
    ['c3', 'lead', '2026-02-01'],
    ['c4', 'lead', '2025-12-20'], ['c4', 'marketing_qualified', '2026-01-05'],
    ['c5', 'lead', '2026-04-02'],
    ['c6', 'lead', '2026-03-01'], ['c6', 'customer', '2026-03-20'],
  ];
  for (const [c, stage, day] of moves) {
    await t.db.execute(sql`insert into lifecycle_transitions (contact_id, to_stage, cause, actor_type, actor_label, occurred_at) values (${ids[c]}, ${stage}, 'manual', 'system', 'test', ${`${day}T12:00:00Z`})`);
  }
  const deal = async (name: string, amount: number, stage: string, created: string, wonAt: string | null, contact: string | null) => {
    const r = await t.db.execute(sql`insert into deals (name, amount, stage, created_at, won_at) values (${name}, ${amount}, ${stage}, ${`${created}T09:00:00Z`}, ${wonAt ? `${wonAt}T09:00:00Z` : null}) returning id`);
    if (contact) await t.db.execute(sql`insert into deal_contacts (deal_id, contact_id) values (${(r.rows[0] as { id: number }).id}, ${ids[contact]})`);
  };
  await deal('d1', 10_000, 'intent', '2026-02-10', null, 'c1');
  await deal('d2', 5_000, 'won', '2026-03-01', '2026-03-20', 'c6');
  await deal('d3', 7_000, 'won', '2025-11-01', '2026-01-15', null);
  await deal('d4', 999, 'intent', '2026-04-05', null, 'c5');
  const item = async (stage: string, type: string, status: string, publishedAt: string | null, products: string[]) =>
    t.db.execute(sql`insert into content_items (title, stage, type, status, published_at, products) values (${`${stage} ${type}`}, ${stage}, ${type}, ${status}, ${publishedAt ? `${publishedAt}T00:00:00Z` : null}, ${sql.param(products)}::text[])`);
  await item('awareness', 'aspirational', 'published', '2026-02-01', ['alpha']);
  await item('awareness', 'aspirational', 'published', '2026-02-02', []);
  await item('interest', 'practical', 'audited', '2026-03-15', ['beta']);
  await item('purchase', 'practical', 'draft', null, ['alpha']);
  await item('consideration', 'practical', 'published', '2026-05-01', []);
});
afterAll(() => t.close());

describe('metric catalog', () => {
  it('registers only metrics computed from existing data, with units and directions', () => {
    const keys = listMetrics().map((m) => m.key);
    expect(keys).toEqual(expect.arrayContaining(['leads.new', 'leads.mql', 'leads.sales_ready', 'deals.opportunities', 'deals.pipeline_value', 'deals.won_revenue', 'conversion.lead_to_mql', 'velocity.lead_to_mql', 'velocity.opportunity_to_customer', 'content.coverage']));
    expect(getMetric('velocity.lead_to_mql')).toMatchObject({ unit: 'days', better: 'down', kind: 'level' });
    expect(getMetric('leads.new')).toMatchObject({ unit: 'contacts', better: 'up', kind: 'flow' });
  });

  it('counts contacts entering a stage in the period', async () => {
    expect(await value('leads.new')).toBe(4); // c1 c2 c3 c6 (c4 before, c5 after)
    expect(await value('leads.mql')).toBe(3); // c1 c2 c4
    expect(await value('leads.sales_ready')).toBe(1);
    expect(await value('customers.new')).toBe(1);
    expect(await value('leads.new', {}, { from: '2026-01-01', to: '2026-01-31' })).toBe(2);
  });

  it('filters by campaign: contacts the campaign touched', async () => {
    expect(await value('leads.new', { campaignId })).toBe(2);
    expect(await value('leads.mql', { campaignId })).toBe(2);
    expect(await value('deals.pipeline_value', { campaignId })).toBe(10_000);
    await expect(value('leads.new', { campaignId: 999_999 })).rejects.toThrow(/filters.campaignId: campaign 999999 does not exist/);
  });

  it('filters by segment: its current members', async () => {
    const seg = await t.db.execute(sql`insert into segments (name, rule) values ('Finance leaders', '{"all": []}'::jsonb) returning id`);
    const segmentId = Number((seg.rows[0] as { id: number }).id);
    for (const c of ['c2', 'c3', 'c6']) await t.db.execute(sql`insert into segment_members (segment_id, contact_id) values (${segmentId}, ${ids[c]})`);
    expect(await value('leads.new', { segmentId })).toBe(3);
    expect(await value('conversion.lead_to_mql', { segmentId })).toBe(66.7); // c2, c6 of c2 c3 c6
    expect(await value('deals.won_revenue', { segmentId })).toBe(5_000); // d2 through c6
    await expect(value('leads.new', { segmentId: 999_999 })).rejects.toThrow(/filters.segmentId: segment 999999 does not exist/);
  });

  it('filters by product: contacts whose product property is that product', async () => {
    for (const c of ['c1', 'c6']) await t.db.execute(sql`update contacts set properties = properties || '{"product": "analytics"}'::jsonb where id = ${ids[c]}`);
    expect(await value('leads.new', { product: 'analytics' })).toBe(2); // c1 c6
    expect(await value('customers.new', { product: 'analytics' })).toBe(1);
    expect(await value('deals.won_revenue', { product: 'analytics' })).toBe(5_000); // d2 through c6
    expect(await value('leads.new', { product: 'nothing-has-this' })).toBe(0);
    for (const c of ['c1', 'c6']) await t.db.execute(sql`update contacts set properties = properties - 'product' where id = ${ids[c]}`);
  });

  it('sums deals: opportunities and pipeline created, revenue won in the period', async () => {
    expect(await value('deals.opportunities')).toBe(2);
    expect(await value('deals.pipeline_value')).toBe(15_000);
    expect(await value('deals.won_revenue')).toBe(12_000); // d2 (Mar) + d3 (created 2025, won Jan)
  });

  it('computes conversion per stage over the cohort entering the first stage', async () => {
    expect(await value('conversion.lead_to_mql')).toBe(75); // c1, c2, c6 (customer is later) of c1 c2 c3 c6
    expect(await value('conversion.mql_to_sales_ready')).toBe(33.3);
    expect(await value('conversion.lead_to_mql', {}, { from: '2027-01-01', to: '2027-03-31' })).toBeNull();
  });

  it('computes velocity per stage as the median days', async () => {
    expect(await value('velocity.lead_to_mql')).toBe(16); // 10 (c1), 30 (c2), 16 (c4)
    expect(await value('velocity.sales_ready_to_sales_accepted')).toBe(2);
    expect(await value('velocity.mql_to_sales_ready', {}, { from: '2027-01-01', to: '2027-03-31' })).toBeNull();
  });

  it('computes content coverage as published stage × type cells, by product', async () => {
    expect(await value('content.coverage')).toBe(16.7); // 2 of 12 cells
    expect(await value('content.coverage', { product: 'alpha' })).toBe(8.3);
    expect(await value('content.coverage', {}, { from: '2026-01-01', to: '2026-12-31' })).toBe(25);
  });
});
