// Attribution on hand-computed fixtures: each model per campaign, a single touch, ties, touches after the close
// excluded, deals without touches, credits summing exactly, rollup = raw, and the route's validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { ATTRIBUTION_MODELS } from '../../contracts/analytics.ts';
import { attribution } from './attribution.ts';
import { refreshAnalyticsRollups } from './rollup.ts';
import { DAY, Fixture } from './test-fixtures.ts';

let t: TestApp;
let fx: Fixture;
beforeAll(async () => {
  t = await createTestApp();
  fx = new Fixture(t);
});
afterAll(async () => t?.close());

type Report = Awaited<ReturnType<typeof attribution>>;
const byKey = (r: Report, key: string) => r.rows.find((x) => x.key === key)?.credits;

describe('attribution', () => {
  // Window: January 2025 (UTC). Campaigns A, B, C.
  const t0 = Date.UTC(2025, 0, 1);
  const at = (d: number) => new Date(t0 + d * DAY);
  let A: number, B: number, C: number;
  let report: Report;

  beforeAll(async () => {
    A = await fx.campaign('attr-a');
    B = await fx.campaign('attr-b');
    C = await fx.campaign('attr-c');
    // Contact 1: A day 1, B day 5, C day 10, A again on day 25 (after the close: excluded). Won 10,000.00 on day 20.
    const c1 = await fx.contact();
    await fx.event(c1, at(1), 'attr-a');
    await fx.event(c1, at(5), 'ATTR-B'); // UTM codes match in any case
    await fx.event(c1, at(10), 'attr-c');
    await fx.event(c1, at(25), 'attr-a');
    await fx.event(c1, at(11), null); // not a touch (no UTM)
    await fx.event(c1, at(12), 'attr-a', { isBot: true }); // bots never touch
    await fx.deal(10_000, 'won', [c1], { createdAt: at(15), wonAt: at(20) });
    // Contact 2: a single touch (B), won 500.00.
    const c2 = await fx.contact();
    await fx.event(c2, at(3), 'attr-b');
    await fx.deal(500, 'won', [c2], { createdAt: at(3), wonAt: at(4) });
    // Contact 3: two touches at the same instant (A then C by event id), won 1.01.
    const c3 = await fx.contact();
    await fx.event(c3, at(2), 'attr-a');
    await fx.event(c3, at(2), 'attr-c');
    await fx.deal(1.01, 'won', [c3], { createdAt: at(2), wonAt: at(6) });
    // Contact 4: won without any touch.
    const c4 = await fx.contact();
    await fx.deal(250, 'won', [c4], { createdAt: at(2), wonAt: at(7) });
    // Not in the window / not won: ignored.
    await fx.deal(999, 'lost', [c1], { createdAt: at(2) });
    await fx.deal(777, 'won', [c2], { createdAt: at(2), wonAt: at(40) });
    report = await attribution({ ctx: t, input: { from: '2025-01-01', to: '2025-01-31', source: 'raw' } });
  });

  it('credits every model with exactly the won revenue', () => {
    expect(report.totalCents).toBe(1_000_000 + 50_000 + 101 + 25_000);
    expect(report.deals).toBe(4);
    expect(report.dealsWithTouches).toBe(3);
    for (const m of ATTRIBUTION_MODELS) expect(report.rows.reduce((s, r) => s + r.credits[m]!, 0)).toBe(report.totalCents);
    expect(byKey(report, '(none)')!.linear).toBe(25_000);
  });

  it('first, last, linear, U, W and time decay match the hand-computed split', () => {
    const a = byKey(report, `campaign:${A}`)!;
    const b = byKey(report, `campaign:${B}`)!;
    const c = byKey(report, `campaign:${C}`)!;
    // Deal 1 (1,000,000 cents over A, B, C) + deal 2 (50,000 all to B) + deal 3 (101 over A, C tied).
    expect([a.first, b.first, c.first]).toEqual([1_000_000 + 101, 50_000, 0]);
    expect([a.last, b.last, c.last]).toEqual([0, 50_000, 1_000_000 + 101]);
    // Linear: 333,334 / 333,333 / 333,333; the tie 51 / 50 (the leftover cent to the earlier touch).
    expect([a.linear, b.linear, c.linear]).toEqual([333_334 + 51, 333_333 + 50_000, 333_333 + 50]);
    expect([a.u_shaped, b.u_shaped, c.u_shaped]).toEqual([400_000 + 51, 200_000 + 50_000, 400_000 + 50]);
    // Three touches: W gives thirds (as linear).
    expect([a.w_shaped, b.w_shaped, c.w_shaped]).toEqual([a.linear, b.linear, c.linear]);
    // Time decay, 7-day half-life, ages 19, 15, 10 days: 2^(-19/7) : 2^(-15/7) : 2^(-10/7) = 0.20309 : 0.30178 : 0.49513.
    // The tie: equal ages → 51 / 50.
    expect([a.time_decay, b.time_decay, c.time_decay]).toEqual([203_086 + 51, 301_785 + 50_000, 495_129 + 50]);
  });

  it('reads the same numbers from the rollup as from the raw events', async () => {
    await refreshAnalyticsRollups(t.db);
    await refreshAnalyticsRollups(t.db); // idempotent
    const fromRollup = await attribution({ ctx: t, input: { from: '2025-01-01', to: '2025-01-31', source: 'rollup' } });
    expect(fromRollup.source).toBe('rollup');
    expect(fromRollup.rows).toEqual(report.rows);
    expect(fromRollup.removalEffects).toEqual(report.removalEffects);
  });

  it('attributes pipeline created by the deal creation date, touches after creation excluded', async () => {
    const r = await attribution({ ctx: t, input: { from: '2025-01-01', to: '2025-01-31', basis: 'pipeline', source: 'raw' } });
    // Deal 1 created day 15 → touches A(1), B(5), C(10); the lost deal (999) counts as pipeline created on day 2 with no touch before.
    expect(r.totalCents).toBe(1_000_000 + 50_000 + 101 + 25_000 + 99_900 + 77_700);
    for (const m of ATTRIBUTION_MODELS) expect(r.rows.reduce((s, x) => s + x.credits[m]!, 0)).toBe(r.totalCents);
  });

  it('groups by channel and by content item', async () => {
    const ch = await attribution({ ctx: t, input: { from: '2025-01-01', to: '2025-01-31', groupBy: 'channel', source: 'raw' } });
    expect(byKey(ch, 'channel:other')!.linear).toBe(report.totalCents - 25_000);
    const content = await attribution({ ctx: t, input: { from: '2025-01-01', to: '2025-01-31', groupBy: 'content', source: 'raw' } });
    // No content was read: everything is unattributed.
    expect(byKey(content, '(none)')!.markov).toBe(report.totalCents);
  });

  it('rejects bad input with the field named, over HTTP', async () => {
    const bad = await t.api('GET', '/analytics/attribution?from=2025-02-01&to=2025-01-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('to');
    const tz = await t.api('GET', '/analytics/attribution?from=2025-01-01&to=2025-01-31&tz=Mars/Base');
    expect(tz.statusCode).toBe(400);
    expect(tz.body).toContain('tz');
    const basis = await t.api('GET', '/analytics/attribution?from=2025-01-01&to=2025-01-31&basis=vibes');
    expect(basis.statusCode).toBe(400);
    const model = await t.api('GET', '/analytics/attribution?from=2025-01-01&to=2025-01-31&model=astrology');
    expect(model.statusCode).toBe(400);
    expect(model.body).toContain('model');
    const one = await t.api('GET', '/analytics/attribution?from=2025-01-01&to=2025-01-31&source=raw&model=u_shaped');
    expect(one.statusCode).toBe(200);
    expect(one.json().rows.find((r: { key: string }) => r.key === `campaign:${A}`).credits).toEqual({ u_shaped: 400_000 + 51 });
    const camp = await t.api('GET', '/analytics/attribution?from=2025-01-01&to=2025-01-31&campaignId=999999');
    expect(camp.statusCode).toBe(404);
    const anon = await t.inject({ method: 'GET', url: '/api/v1/analytics/attribution?from=2025-01-01&to=2025-01-31' });
    expect(anon.statusCode).toBe(401);
    const ok = await t.api('GET', '/analytics/attribution?from=2025-01-01&to=2025-01-31&source=raw', undefined, await t.as('viewer'));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().totalCents).toBe(report.totalCents);
  });
});
