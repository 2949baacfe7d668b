// The demo's analytics step: touches, deals and offline touches, so the funnel, attribution, CPOD and the board
// report have data for the demo company.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { cliActor } from '../context.ts';
import { noJobs } from '../jobs.ts';
import { boardReport } from '../domains/analytics/board.ts';
import { loadDemo } from './index.ts';

const NOW = new Date('2026-11-20T12:00:00Z');

describe('demo analytics', { timeout: 180_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.makeUser('admin');
    try {
      await loadDemo({ ctx: { db: t.db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: t.config.dataDir }, input: { contacts: 800, seed: 'analytics', now: NOW } });
    } catch (err) {
      console.error((err as { cause?: unknown }).cause ?? err);
      throw err;
    }
  });
  afterAll(() => t?.close());

  it('gives the board report revenue, touches and cost', async () => {
    expect(await t.count('deals')).toBeGreaterThan(5);
    expect(await t.count('offline_touches')).toBeGreaterThan(0);
    const r = await boardReport({ ctx: t, input: { quarter: '2026-Q4', quarters: 4 } });
    const won = r.quarters.reduce((s, q) => s + q.revenueWon, 0);
    expect(won).toBeGreaterThan(0);
    expect(r.quarters.some((q) => q.revenueInfluenced > 0)).toBe(true);
    expect(r.quarters.some((q) => q.topCampaigns.length > 0)).toBe(true);
    expect(r.quarters.some((q) => q.marketingCost > 0)).toBe(true);
  });
});
