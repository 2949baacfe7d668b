// Funnel (conversion, velocity, flows, time zones and period boundaries, rollup = raw), CPOD (zero revenue is
// "no revenue"), offline touches (API and all-or-report CSV) and the board report CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { attribution } from './attribution.ts';
import { cpod } from './cpod.ts';
import { getMetric } from '../plan/metrics/registry.ts';
import './metrics.ts';
import { funnel } from './funnel.ts';
import { refreshAnalyticsRollups } from './rollup.ts';
import { DAY, Fixture } from './test-fixtures.ts';

let t: TestApp;
let fx: Fixture;
beforeAll(async () => {
  t = await createTestApp();
  fx = new Fixture(t);
});
afterAll(async () => t?.close());

describe('funnel', () => {
  // March 2024, UTC.
  const t0 = Date.UTC(2024, 2, 1);
  const at = (d: number) => new Date(t0 + d * DAY);
  beforeAll(async () => {
    // Three leads on day 0; two become MQL (after 2 and 4 days), one of them sales-ready after 10 more days,
    // then recycled; the third lead is disqualified on day 1.
    const [a, b, c] = [await fx.contact({ createdAt: at(0) }), await fx.contact({ createdAt: at(0) }), await fx.contact({ createdAt: at(0) })];
    for (const x of [a, b, c]) await fx.transition(x, null, 'lead', at(0));
    await fx.transition(a, 'lead', 'marketing_qualified', at(2));
    await fx.transition(b, 'lead', 'marketing_qualified', at(4));
    await fx.transition(c, 'lead', 'disqualified', at(1));
    await fx.transition(a, 'marketing_qualified', 'sales_ready', at(12));
    await fx.transition(a, 'sales_ready', 'recycled', at(13));
    // A transition at 23:30 UTC on 31 March: 1 April in Berlin (UTC+2 in summer time, +1 before 31 March 02:00).
    const late = await fx.contact({ createdAt: at(0) });
    await fx.transition(late, null, 'lead', new Date(Date.UTC(2024, 2, 31, 23, 30)));
  });

  it('computes entries, conversion and velocity for the activity cohort', async () => {
    const r = await funnel({ ctx: t, input: { from: '2024-03-01', to: '2024-03-31', source: 'raw' } });
    const lead = r.stages.find((s) => s.stage === 'lead')!;
    expect(lead.entered).toBe(4);
    expect(lead.converted).toBe(2);
    expect(lead.conversionRate).toBe(0.5);
    // Days as a lead of the three who left: 2, 4, 1 → median 2; p90 = 2 + 0.8 × (4 − 2) = 3.6.
    expect(lead.medianDays).toBeCloseTo(2, 9);
    expect(lead.p90Days).toBeCloseTo(3.6, 9);
    const mql = r.stages.find((s) => s.stage === 'marketing_qualified')!;
    expect([mql.entered, mql.converted]).toEqual([2, 1]);
    expect(mql.medianDays).toBeCloseTo(10, 9);
    expect(r.flows).toContainEqual({ from: 'sales_ready', to: 'recycled', n: 1 });
    expect(r.flows).toContainEqual({ from: 'lead', to: 'disqualified', n: 1 });
    // Nurture: created day 0 → sales-ready day 12.
    expect(r.nurture.contacts).toBe(1);
    expect(r.nurture.medianDays).toBeCloseTo(12, 9);
  });

  it('follows the entry cohort wherever it went', async () => {
    const r = await funnel({ ctx: t, input: { from: '2024-03-01', to: '2024-03-01', cohort: 'entry', source: 'raw' } });
    const lead = r.stages.find((s) => s.stage === 'lead')!;
    expect([lead.entered, lead.converted]).toEqual([3, 2]);
    expect(lead.yieldRate).toBe(0);
  });

  it('puts a late-evening transition in the period of the time zone asked for', async () => {
    const utc = await funnel({ ctx: t, input: { from: '2024-04-01', to: '2024-04-30', source: 'raw' } });
    expect(utc.stages.find((s) => s.stage === 'lead')!.entered).toBe(0);
    const berlin = await funnel({ ctx: t, input: { from: '2024-04-01', to: '2024-04-30', tz: 'Europe/Berlin', source: 'raw' } });
    expect(berlin.stages.find((s) => s.stage === 'lead')!.entered).toBe(1);
    expect(berlin.trend).toEqual([{ period: '2024-04', stage: 'lead', entered: 1 }]);
  });

  it('reads the same flows and trend from the rollup as from the transitions', async () => {
    await refreshAnalyticsRollups(t.db);
    for (const interval of ['week', 'month', 'quarter'] as const) {
      const raw = await funnel({ ctx: t, input: { from: '2024-03-01', to: '2024-04-30', interval, source: 'raw' } });
      const roll = await funnel({ ctx: t, input: { from: '2024-03-01', to: '2024-04-30', interval, source: 'rollup' } });
      expect(roll.source).toBe('rollup');
      expect({ ...roll, source: 'raw' }).toEqual(raw);
    }
    // A new transition is picked up incrementally; a second refresh changes nothing.
    const d = await fx.contact();
    await fx.transition(d, null, 'lead', at(20));
    await refreshAnalyticsRollups(t.db);
    await refreshAnalyticsRollups(t.db);
    const raw = await funnel({ ctx: t, input: { from: '2024-03-01', to: '2024-04-30', source: 'raw' } });
    const roll = await funnel({ ctx: t, input: { from: '2024-03-01', to: '2024-04-30', source: 'rollup' } });
    expect(roll.flows).toEqual(raw.flows);
    expect(raw.stages.find((s) => s.stage === 'lead')!.entered).toBe(5);
  });

  it('refuses the rollup for a time zone other than UTC (days are UTC days)', async () => {
    const res = await t.api('GET', '/analytics/funnel?from=2024-03-01&to=2024-03-31&tz=Europe/Berlin&source=rollup');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('source');
  });
});

describe('cpod', () => {
  it('divides marketing + sales cost by won revenue, and says "no revenue" (null) instead of infinity', async () => {
    const c = await fx.contact();
    const camp = await fx.campaign('cpod-q1');
    await fx.event(c, new Date(Date.UTC(2023, 0, 5)), 'cpod-q1');
    await fx.deal(20_000, 'won', [c], { createdAt: new Date(Date.UTC(2023, 0, 10)), wonAt: new Date(Date.UTC(2023, 1, 10)) });
    await fx.cost('2023-01-01', 'media', 3_000, camp);
    await fx.cost('2023-02-01', 'sales', 1_000);
    await fx.cost('2023-04-01', 'media', 500); // Q2: cost, no revenue
    const r = await cpod({ ctx: t, input: { from: '2023-01-01', to: '2023-06-30', source: 'raw' } });
    expect(r.periods).toEqual([
      { period: '2023-Q1', marketingCost: 3000, salesCost: 1000, revenue: 20000, cpod: 0.2 },
      { period: '2023-Q2', marketingCost: 500, salesCost: 0, revenue: 0, cpod: null },
    ]);
    expect(r.totals.cpod).toBeCloseTo(4500 / 20000, 9);
    const row = r.campaigns.find((x) => x.campaignId === camp)!;
    expect(row.cost).toBe(3000);
    expect(row.attributedRevenue).toBe(20000);
    expect(row.roi).toBeCloseTo((20000 - 3000) / 3000, 9);
    const empty = await cpod({ ctx: t, input: { from: '2022-01-01', to: '2022-03-31' } });
    expect(empty.totals.cpod).toBeNull();
    // The same figure as a KPI metric of the objectives' catalog.
    const metric = getMetric('cpod')!;
    expect(await metric.compute({ ctx: t, from: '2023-01-01', to: '2023-06-30', filters: {} })).toBe(0.225);
    expect(await metric.compute({ ctx: t, from: '2022-01-01', to: '2022-03-31', filters: {} })).toBeNull();
  });
});

describe('offline touches', () => {
  it('records a touch by email and attributes to its campaign at once', async () => {
    const c = await fx.contact();
    const { rows } = await t.database.pool.query('select email from contacts where id = $1', [c]);
    const camp = await fx.campaign('trade-show-22');
    const res = await t.api('POST', '/analytics/offline-touches', { email: rows[0].email, campaignId: camp, kind: 'event', occurredAt: '2022-05-03T10:00:00Z' });
    expect(res.statusCode).toBe(201);
    await fx.deal(100, 'won', [c], { createdAt: new Date(Date.UTC(2022, 4, 4)), wonAt: new Date(Date.UTC(2022, 4, 20)) });
    await refreshAnalyticsRollups(t.db);
    const r = await attribution({ ctx: t, input: { from: '2022-05-01', to: '2022-05-31', source: 'rollup' } });
    expect(r.rows.find((x) => x.campaignId === camp)!.credits.first).toBe(10_000);
    expect((await t.auditOf('offline_touch', res.json().id)).map((a) => a.action)).toEqual(['offline_touch.recorded']);
    const bad = await t.api('POST', '/analytics/offline-touches', { email: 'nobody@example.test', kind: 'event', occurredAt: '2022-05-03T10:00:00Z' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('email');
    const wrongRole = await t.api('POST', '/analytics/offline-touches', { contactId: c, kind: 'call', occurredAt: '2022-05-03T10:00:00Z' }, await t.as('viewer'));
    expect(wrongRole.statusCode).toBe(403);
  });

  it('imports a CSV all or nothing, listing every rejected row', async () => {
    const c = await fx.contact();
    const before = await t.count('offline_touches');
    const bad = [
      'external_id,contact_id,kind,occurred_at,note',
      `x1,${c},call,2022-06-01T09:00:00Z,ok`,
      `x2,${c},teleport,2022-06-01T09:00:00Z,bad kind`,
      `x3,999999999,call,2022-06-01T09:00:00Z,unknown contact`,
      `x4,${c},call,yesterday,bad date`,
      `x1,${c},call,2022-06-02T09:00:00Z,duplicate id`,
    ].join('\n');
    const res = await t.inject({ method: 'POST', url: '/api/v1/analytics/offline-touches/import', headers: { ...(await t.as('marketing')), 'content-type': 'text/csv' }, payload: bad });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.message).toContain('nothing imported');
    expect(body.error.details.map((r: { line: number; field: string }) => [r.line, r.field])).toEqual([
      [3, 'kind'],
      [4, 'contact_id'],
      [5, 'occurred_at'],
      [6, 'external_id'],
    ]);
    expect(await t.count('offline_touches')).toBe(before);
    const good = `external_id,contact_id,kind,occurred_at\ny1,${c},call,2022-06-01T09:00:00Z\ny2,${c},meeting,2022-06-02T09:00:00Z\n`;
    const ok = await t.inject({ method: 'POST', url: '/api/v1/analytics/offline-touches/import', headers: { ...(await t.as('marketing')), 'content-type': 'text/csv' }, payload: good });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().imported).toBe(2);
    // Re-importing the same external ids updates, never duplicates.
    await t.inject({ method: 'POST', url: '/api/v1/analytics/offline-touches/import', headers: { ...(await t.as('marketing')), 'content-type': 'text/csv' }, payload: good });
    expect(await t.count('offline_touches')).toBe(before + 2);
  });
});

describe('board report', () => {
  it('exports one CSV block per quarter with "no revenue" for an empty quarter', async () => {
    const res = await t.api('GET', '/analytics/board.csv?quarter=2021-Q4&quarters=2');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body).toContain('2021-Q3,cpod,,no revenue');
    expect(res.body).toContain('2021-Q4,revenue_won,,0');
    const bad = await t.api('GET', '/analytics/board?quarter=2021-Q5');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('quarter');
  });
});
