// CPOD with a segment / product / owner filter: revenue, cost share and the contacts reaching sales-ready /
// opportunity / customer (cost per X) are all the filtered contacts'. Hand-computed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { cpod } from './cpod.ts';
import { Fixture } from './test-fixtures.ts';

let t: TestApp;
let fx: Fixture;
beforeAll(async () => {
  t = await createTestApp();
  fx = new Fixture(t);
});
afterAll(async () => t?.close());

const at = (month: number, day: number) => new Date(Date.UTC(2019, month - 1, day, 12));

describe('cpod with filters', () => {
  let camp: number, owner: number, segment: number;
  beforeAll(async () => {
    owner = (await t.makeUser('sales')).id;
    camp = await fx.campaign('cpod-filters', 'paid_search');
    // a (product A, owned (and its deal), in the segment) and b (product B) both clicked the campaign's ad in January.
    const a = await fx.contact({ product: 'A', ownerId: owner });
    const b = await fx.contact({ product: 'B' });
    const { rows } = await t.database.pool.query(`insert into segments (name, rule) values ('CPOD A', '{}'::jsonb) returning id`);
    segment = Number(rows[0].id);
    await t.database.pool.query(`insert into segment_members (segment_id, contact_id) values ($1, $2)`, [segment, a]);
    for (const c of [a, b]) await fx.event(c, at(1, 5), 'cpod-filters');
    // a: sales-ready, opportunity, customer; b: sales-ready only. Both win a deal in February: a $3,000, b $1,000.
    await fx.transition(a, 'marketing_qualified', 'sales_ready', at(1, 10));
    await fx.transition(a, 'sales_ready', 'opportunity', at(1, 20));
    await fx.transition(a, 'opportunity', 'customer', at(2, 10));
    await fx.transition(b, 'marketing_qualified', 'sales_ready', at(1, 12));
    const dealA = await fx.deal(3000, 'won', [a], { createdAt: at(1, 20), wonAt: at(2, 10) });
    await t.database.pool.query(`update deals set owner_id = $1 where id = $2`, [owner, dealA]);
    await fx.deal(1000, 'won', [b], { createdAt: at(1, 21), wonAt: at(2, 11) });
    // Costs: $800 media on the campaign (January), $200 sales cost on no campaign (February).
    await fx.cost('2019-01-01', 'media', 800, camp);
    await fx.cost('2019-02-01', 'sales', 200);
  });
  const base = { from: '2019-01-01', to: '2019-03-31', source: 'raw' as const, interval: 'month' as const };

  it('without a filter: cost per sales-ready 800 / 2, per opportunity and customer 800 / 1', async () => {
    const r = await cpod({ ctx: t, input: base });
    expect(r.totals).toEqual({ period: '2019-01-01..2019-03-31', marketingCost: 800, salesCost: 200, revenue: 4000, cpod: 0.25 });
    expect(r.periods).toEqual([
      { period: '2019-01', marketingCost: 800, salesCost: 0, revenue: 0, cpod: null },
      { period: '2019-02', marketingCost: 0, salesCost: 200, revenue: 4000, cpod: 0.05 },
    ]);
    expect(r.campaigns).toEqual([
      expect.objectContaining({ campaignId: camp, cost: 800, attributedRevenue: 4000, roi: 4, cpod: 0.2, salesReady: 2, opportunities: 1, customers: 1, costPerSalesReady: 400, costPerOpportunity: 800, costPerCustomer: 800 }),
    ]);
  });

  // a carries $3,000 of the campaign's $4,000 (every model: one touch each): 75 % of its $800 = $600, and 75 % of the
  // unassigned $200 sales cost = $150; only a reached a stage: $600 per sales-ready / opportunity / customer.
  const filtered = async (input: Record<string, unknown>) => {
    const r = await cpod({ ctx: t, input: { ...base, ...input } });
    expect(r.totals).toEqual({ period: '2019-01-01..2019-03-31', marketingCost: 600, salesCost: 150, revenue: 3000, cpod: 0.25 });
    expect(r.campaigns).toEqual([
      expect.objectContaining({ campaignId: camp, cost: 600, attributedRevenue: 3000, salesReady: 1, opportunities: 1, customers: 1, costPerSalesReady: 600, costPerOpportunity: 600, costPerCustomer: 600 }),
    ]);
  };
  it('applies a product filter to revenue, cost and the contacts reaching each stage', async () => filtered({ product: 'A' }));
  it('applies an owner filter the same way', async () => filtered({ ownerId: owner }));
  it('applies a segment filter the same way', async () => filtered({ segmentId: segment }));

  it('has nothing per stage for a filter no contact matches, and says "no revenue"', async () => {
    const r = await cpod({ ctx: t, input: { ...base, product: 'Z' } });
    expect(r.totals.revenue).toBe(0);
    expect(r.totals.cpod).toBeNull();
    expect(r.campaigns).toEqual([]);
  });

  it('rejects an unknown segment over HTTP with the field named', async () => {
    const res = await t.api('GET', '/analytics/cpod?from=2019-01-01&to=2019-03-31&segmentId=999999');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toContain('Segment');
  });
});
