// Funnel per period (conversion, velocity, yield for the activity and the entry cohort), breakdowns and each
// filter once, hand-computed on a small 2018 fixture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { funnel } from './funnel.ts';
import { refreshAnalyticsRollups } from './rollup.ts';
import { Fixture } from './test-fixtures.ts';

let t: TestApp;
let fx: Fixture;
let owner: number, segment: number, camp: number;
const d = (month: number, day: number) => new Date(Date.UTC(2018, month - 1, day, 12));
beforeAll(async () => {
  t = await createTestApp();
  fx = new Fixture(t);
  owner = (await t.makeUser('sales')).id;
  // a, b: product X (a owned); c, d, e: product Y (c, d in the segment); e clicked the paid-search campaign.
  const a = await fx.contact({ product: 'X', ownerId: owner });
  const b = await fx.contact({ product: 'X' });
  const [c, dd, e] = [await fx.contact({ product: 'Y' }), await fx.contact({ product: 'Y' }), await fx.contact({ product: 'Y' })];
  const { rows } = await t.database.pool.query(`insert into segments (name, rule) values ('Funnel seg', '{}'::jsonb) returning id`);
  segment = Number(rows[0].id);
  for (const x of [c, dd]) await t.database.pool.query(`insert into segment_members (segment_id, contact_id) values ($1, $2)`, [segment, x]);
  camp = await fx.campaign('funnel-ads', 'paid_search');
  await fx.event(e, d(2, 1), 'funnel-ads');
  // January: a, b, c, d become leads on the 5th; a → MQL on the 9th (4 days), b on the 15th (10 days), c disqualified
  // on the 7th (2 days). February: a → sales-ready on the 8th (30 days as MQL) → customer on the 18th (10 days);
  // b disqualified on the 4th (20 days as MQL); e lead on the 3rd → MQL on the 5th (2 days).
  for (const x of [a, b, c, dd]) await fx.transition(x, null, 'lead', d(1, 5));
  await fx.transition(a, 'lead', 'marketing_qualified', d(1, 9));
  await fx.transition(b, 'lead', 'marketing_qualified', d(1, 15));
  await fx.transition(c, 'lead', 'disqualified', d(1, 7));
  await fx.transition(b, 'marketing_qualified', 'disqualified', d(2, 4));
  await fx.transition(a, 'marketing_qualified', 'sales_ready', d(2, 8));
  await fx.transition(a, 'sales_ready', 'customer', d(2, 18));
  await fx.transition(e, null, 'lead', d(2, 3));
  await fx.transition(e, 'lead', 'marketing_qualified', d(2, 5));
});
afterAll(async () => t?.close());

const range = { from: '2018-01-01', to: '2018-02-28', interval: 'month' as const, source: 'raw' as const };
const row = (r: Awaited<ReturnType<typeof funnel>>, period: string, stage: string) => r.periods.find((p) => p.period === period && p.stage === stage);

describe('funnel per period', () => {
  it('gives conversion, velocity and yield per period by activity date', async () => {
    const r = await funnel({ ctx: t, input: range });
    // January: 4 leads, 2 moved on to MQL; lead spans that ended in January: 2, 4, 10 days → median 4, p90 4 + 0.8 × 6.
    expect(row(r, '2018-01', 'lead')).toEqual({ period: '2018-01', stage: 'lead', entered: 4, converted: 2, conversionRate: 0.5, yieldRate: 0, medianDays: 4, p90Days: expect.closeTo(8.8, 9) });
    expect(row(r, '2018-01', 'marketing_qualified')).toMatchObject({ entered: 2, converted: 0, conversionRate: 0, medianDays: null });
    // February: 1 lead (e) moved on; MQL spans ended: 30 and 20 days → median 25, p90 29; one customer won.
    expect(row(r, '2018-02', 'lead')).toEqual({ period: '2018-02', stage: 'lead', entered: 1, converted: 1, conversionRate: 1, yieldRate: 1, medianDays: 2, p90Days: 2 });
    expect(row(r, '2018-02', 'marketing_qualified')).toMatchObject({ entered: 1, converted: 1, conversionRate: 1, medianDays: 25, p90Days: expect.closeTo(29, 9) });
    expect(row(r, '2018-02', 'sales_ready')).toMatchObject({ entered: 1, converted: 1, medianDays: 10 });
    expect(row(r, '2018-02', 'customer')).toMatchObject({ entered: 1, conversionRate: null, yieldRate: 1 });
    // The totals are the sums of the periods' counts.
    expect(r.stages.find((s) => s.stage === 'lead')).toMatchObject({ entered: 5, converted: 3, conversionRate: 0.6 });
    expect([...new Set(r.periods.map((p) => p.period))]).toEqual(['2018-01', '2018-02']);
  });

  it('gives them per period of entry for the entry cohort', async () => {
    const r = await funnel({ ctx: t, input: { ...range, cohort: 'entry' } });
    // January's 4 leads: a and b moved on, a became a customer; their lead spans 4, 10, 2 days (d still a lead).
    expect(row(r, '2018-01', 'lead')).toMatchObject({ entered: 4, converted: 2, conversionRate: 0.5, yieldRate: 0.25, medianDays: 4 });
    // January's 2 MQLs: a went on to sales-ready and customer; MQL spans begun in January: 30 and 20 days.
    expect(row(r, '2018-01', 'marketing_qualified')).toMatchObject({ entered: 2, converted: 1, yieldRate: 0.5, medianDays: 25 });
    expect(row(r, '2018-02', 'lead')).toMatchObject({ entered: 1, converted: 1, yieldRate: 0, medianDays: 2 });
    expect(row(r, '2018-02', 'sales_ready')).toMatchObject({ entered: 1, converted: 1, yieldRate: 1, medianDays: 10 });
    expect(r.stages.find((s) => s.stage === 'lead')).toMatchObject({ entered: 5, converted: 3 });
  });

  it('reads the same periods from the rollup as from the transitions', async () => {
    await refreshAnalyticsRollups(t.db);
    for (const cohort of ['activity', 'entry'] as const) {
      const raw = await funnel({ ctx: t, input: { ...range, cohort } });
      const roll = await funnel({ ctx: t, input: { ...range, cohort, source: 'rollup' } });
      expect(roll.source).toBe('rollup');
      expect(roll.periods).toEqual(raw.periods);
    }
  });
});

describe('funnel breakdowns and filters', () => {
  const lead = (stages: { stage: string; entered: number; converted: number }[]) => stages.find((s) => s.stage === 'lead')!;

  it('breaks the stages down by product, one row per value, most contacts first', async () => {
    const r = await funnel({ ctx: t, input: { ...range, breakdown: 'product' } });
    expect(r.breakdown!.dimension).toBe('product');
    expect(r.breakdown!.rows.map((x) => [x.value, x.label])).toEqual([['Y', 'Y'], ['X', 'X']]);
    const [y, x] = r.breakdown!.rows;
    // Y: c, d, e became leads, only e moved on; X: a and b both moved on, one of the 2 MQLs reached sales-ready.
    expect(lead(y!.stages)).toMatchObject({ entered: 3, converted: 1, conversionRate: 1 / 3 });
    expect(lead(x!.stages)).toMatchObject({ entered: 2, converted: 2, conversionRate: 1 });
    expect(x!.stages.find((s) => s.stage === 'marketing_qualified')).toMatchObject({ entered: 2, converted: 1, medianDays: 25 });
    // Without ?breakdown= there is none.
    expect((await funnel({ ctx: t, input: range })).breakdown).toBeNull();
  });

  it('breaks down by campaign, channel, segment and owner', async () => {
    const by = async (breakdown: string) => (await funnel({ ctx: t, input: { ...range, breakdown } })).breakdown!.rows.map((x) => [x.label, lead(x.stages).entered]);
    expect(await by('campaign')).toEqual([['Campaign funnel-ads', 1]]);
    expect(await by('channel')).toEqual([['Paid search', 1]]);
    expect(await by('segment')).toEqual([['Funnel seg', 2]]);
    const [u] = (await t.database.pool.query('select name from users where id = $1', [owner])).rows;
    expect(await by('owner')).toEqual([[u.name, 1]]);
  });

  it('applies each filter', async () => {
    const entered = async (f: Record<string, unknown>) => lead((await funnel({ ctx: t, input: { ...range, ...f } })).stages).entered;
    expect(await entered({ product: 'X' })).toBe(2);
    expect(await entered({ ownerId: owner })).toBe(1);
    expect(await entered({ segmentId: segment })).toBe(2);
    expect(await entered({ campaignId: camp })).toBe(1);
    expect(await entered({ channel: 'paid_search' })).toBe(1);
  });

  it('rejects an unknown breakdown with the field named', async () => {
    const res = await t.api('GET', '/analytics/funnel?from=2018-01-01&to=2018-02-28&breakdown=weather');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('breakdown');
    const ok = await t.api('GET', '/analytics/funnel?from=2018-01-01&to=2018-02-28&breakdown=owner');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().breakdown.rows).toHaveLength(1);
  });
});
