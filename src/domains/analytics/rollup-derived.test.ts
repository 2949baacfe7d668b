// The path and span rollups on generated data: incremental refreshes leave them equal to a full rebuild, every
// model read through them (alone or all seven, per campaign and per channel, whole and partial windows) gives the
// raw path's numbers, a campaign change is seen before and after the next refresh, and the funnel's velocity and
// nurture period from the spans / paths equal the transitions'.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { ATTRIBUTION_MODELS } from '../../contracts/analytics.ts';
import { attribution } from './attribution.ts';
import { funnel } from './funnel.ts';
import { refreshAnalyticsRollups } from './rollup.ts';
import { DAY, Fixture } from './test-fixtures.ts';

let t: TestApp;
let fx: Fixture;
const t0 = Date.UTC(2025, 0, 1);
const at = (d: number) => new Date(t0 + d * DAY);
let seed = 42;
const rnd = (n: number) => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed % n;
};
const codes = ['der-a', 'der-b', 'der-c', 'der-d', 'der-e'];
const contacts: number[] = [];
let campaignA = 0;

beforeAll(async () => {
  t = await createTestApp();
  fx = new Fixture(t);
  const channels = ['email', 'paid_search', 'webinar', 'event', 'email'];
  for (let i = 0; i < codes.length; i++) {
    const id = await fx.campaign(codes[i]!, channels[i]);
    if (i === 0) campaignA = id;
  }
  // 30 contacts; touches from 2024-11 (straddling a window with lookback) to 2025-12; transitions; a third win deals.
  for (let i = 0; i < 30; i++) {
    const c = await fx.contact({ createdAt: at(-60) });
    contacts.push(c);
    for (let k = rnd(6); k > 0; k--) await fx.event(c, at(rnd(420) - 60 + rnd(1000) / 1000), rnd(5) === 0 ? 'der-unknown' : codes[rnd(5)]!);
    await fx.transition(c, null, 'lead', at(-50 + rnd(30)));
    if (rnd(2)) await fx.transition(c, 'lead', 'marketing_qualified', at(rnd(100)));
    if (rnd(3) === 0) await fx.transition(c, 'marketing_qualified', 'sales_ready', at(100 + rnd(100)));
    if (i % 3 === 0) await fx.deal(100 + rnd(10_000) / 100, 'won', [c], { createdAt: at(150), wonAt: at(150 + rnd(200)) });
  }
});
afterAll(async () => t?.close());

async function snapshot() {
  const paths = await t.database.pool.query(`select * from analytics_paths order by contact_id`);
  const spans = await t.database.pool.query(`select * from analytics_spans order by transition_id`);
  const nurture = await t.database.pool.query(`select * from analytics_nurture order by contact_id`);
  const edges = await t.database.pool.query(`select * from analytics_path_edges order by path_kind, first_month, last_month, from_state, to_state`);
  return { paths: paths.rows, spans: spans.rows, nurture: nurture.rows, edges: edges.rows };
}

async function expectRollupEqualsRaw(windows: ([string, string] | [string, string, string])[]) {
  for (const [from, to, tz = 'UTC'] of windows) {
    for (const groupBy of ['campaign', 'channel', 'content'] as const) {
      const raw = await attribution({ ctx: t, input: { from, to, tz, groupBy, source: 'raw' } });
      const roll = await attribution({ ctx: t, input: { from, to, tz, groupBy, source: 'rollup' } });
      expect({ ...roll, source: 'raw' }).toEqual(raw);
      // Each model alone: the same credits as side by side (markov included).
      // (first and last alone are credited in SQL: the same rows, deals and touches as the journeys give.)
      for (const model of ['markov', 'w_shaped', 'first', 'last'] as const) {
        const one = await attribution({ ctx: t, input: { from, to, tz, groupBy, source: 'rollup', model } });
        const row = (r: (typeof raw.rows)[number], credits: Record<string, number>) => [r.key, { credits, deals: r.deals, touches: r.touches, label: r.label }];
        expect(Object.fromEntries(one.rows.map((r) => row(r, r.credits)))).toEqual(Object.fromEntries(raw.rows.map((r) => row(r, { [model]: r.credits[model]! }))));
        expect([one.totalCents, one.deals, one.dealsWithTouches]).toEqual([raw.totalCents, raw.deals, raw.dealsWithTouches]);
      }
    }
  }
}

describe('path and span rollups', () => {
  it('stay equal to a full rebuild after incremental refreshes', async () => {
    await refreshAnalyticsRollups(t.db);
    expect((await snapshot()).paths.length).toBeGreaterThan(10);
    expect((await snapshot()).nurture.length).toBeGreaterThan(2);
    // New touches (received now), a new transition for a contact with earlier ones, an offline touch, a contact
    // becoming sales-ready after its first touch moved earlier.
    const now = new Date();
    for (const c of contacts.slice(0, 5)) await fx.event(c, at(200), codes[1]!, { receivedAt: new Date(now.getTime() - 10_000) });
    await fx.transition(contacts[1]!, 'marketing_qualified', 'recycled', at(300));
    await fx.transition(contacts[4]!, 'lead', 'sales_ready', at(250));
    await fx.event(contacts[4]!, at(-100), codes[2]!, { receivedAt: new Date(now.getTime() - 10_000) });
    await t.database.pool.query(`insert into offline_touches (contact_id, campaign_id, kind, occurred_at) values ($1, $2, 'call', $3)`, [contacts[2], campaignA, at(120)]);
    const r = await refreshAnalyticsRollups(t.db);
    expect(r.paths).toBeGreaterThanOrEqual(5);
    expect(r.paths).toBeLessThan(contacts.length);
    const incremental = await snapshot();
    await refreshAnalyticsRollups(t.db); // idempotent
    expect(await snapshot()).toEqual(incremental);
    await refreshAnalyticsRollups(t.db, { full: true });
    expect(await snapshot()).toEqual(incremental);
  });

  it('give every model the raw numbers, whole year and partial windows, alone or side by side', async () => {
    await refreshAnalyticsRollups(t.db);
    await expectRollupEqualsRaw([
      ['2025-01-01', '2025-12-31'],
      ['2025-03-01', '2025-06-30'],
      // Windows the months of the path-edge counts do not align with (paths of the cut months read one by one).
      ['2025-03-17', '2025-08-12', 'America/New_York'],
      ['2025-05-02', '2025-05-20', 'Asia/Kolkata'],
      ['2025-02-10', '2026-01-05'],
    ]);
    // A short lookback: the window's start cuts the first-touch months too.
    await t.database.pool.query(`insert into analytics_settings (workspace_id, settings) values (1, '{"lookbackDays": 40}')`);
    await expectRollupEqualsRaw([
      ['2025-03-17', '2025-08-12', 'America/New_York'],
      ['2025-01-01', '2025-12-31'],
    ]);
    await t.database.pool.query(`delete from analytics_settings where workspace_id = 1`);
    // A contact filter reads the filtered contacts' paths instead of the counts.
    for (const model of ['markov', 'first'] as const) {
      const input = { from: '2025-02-10', to: '2025-11-20', channel: 'email', model } as const;
      const raw = await attribution({ ctx: t, input: { ...input, source: 'raw' } });
      expect({ ...(await attribution({ ctx: t, input: { ...input, source: 'rollup' } })), source: 'raw' }).toEqual(raw);
      expect(raw.deals).toBeGreaterThan(0);
    }
    const one = await attribution({ ctx: t, input: { from: '2025-01-01', to: '2025-12-31', source: 'rollup', model: 'first' } });
    expect(Object.keys(one.rows[0]!.credits)).toEqual(['first']);
    expect(one.removalEffects).toEqual([]);
    expect(one.rows.reduce((s, r) => s + r.credits.first!, 0)).toBe(one.totalCents);
    const all = await attribution({ ctx: t, input: { from: '2025-01-01', to: '2025-12-31', source: 'rollup' } });
    for (const m of ATTRIBUTION_MODELS) expect(all.rows.reduce((s, r) => s + r.credits[m]!, 0)).toBe(all.totalCents);
  });

  it('follow a campaign change: touches until the next refresh, the rebuilt paths after', async () => {
    await t.database.pool.query(`update campaigns set channel = 'content' where id = $1`, [campaignA]);
    await expectRollupEqualsRaw([['2025-01-01', '2025-12-31']]);
    const r = await refreshAnalyticsRollups(t.db);
    expect(r.paths).toBeGreaterThan(10); // every path rebuilt
    await expectRollupEqualsRaw([['2025-01-01', '2025-12-31']]);
  });

  it('give the funnel the velocity and nurture period of the transitions', async () => {
    await fx.transition(contacts[3]!, 'lead', 'disqualified', at(310));
    await refreshAnalyticsRollups(t.db);
    const input = (cohort: 'activity' | 'entry', source: 'raw' | 'rollup') => ({ from: '2025-01-01', to: '2025-12-31', interval: 'month', cohort, source });
    const roll = [await funnel({ ctx: t, input: input('activity', 'rollup') }), await funnel({ ctx: t, input: input('entry', 'rollup') })];
    // As if spans and paths were never built: spans from the transitions, first touches from the touches.
    await t.database.pool.query(`update analytics_state set campaigns_key = null`);
    const raw = [await funnel({ ctx: t, input: input('activity', 'raw') }), await funnel({ ctx: t, input: input('entry', 'raw') })];
    await refreshAnalyticsRollups(t.db);
    expect(roll.map((r) => ({ ...r, source: 'raw' }))).toEqual(raw);
    expect(raw[0]!.stages.some((s) => s.medianDays !== null)).toBe(true);
    expect(raw[0]!.nurture.contacts).toBeGreaterThan(0);
  });
});
