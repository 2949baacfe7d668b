// revloop demo's spend step: campaigns with costs (some unlinked), tools on the job map with gaps and overlaps, and
// the random-acts report, planning view and fitness test all have something to show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { cliActor, type Ctx } from '../context.ts';
import { noJobs } from '../jobs.ts';
import { loadDemo } from './index.ts';

const NOW = new Date('2026-11-01T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.makeUser('admin');
  const ctx: Ctx = { db: t.db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: t.config.dataDir };
  await loadDemo({ ctx, input: { contacts: 200, seed: 'spend', now: NOW } });
}, 120_000);
afterAll(() => t.close());

describe('demo spend step', () => {
  it('loads costs (some unlinked), tools with gaps and overlaps, and content tied to objectives', async () => {
    const res = await t.api('GET', '/costs?from=2026-01&to=2027-06');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const costs = res.json();
    expect(costs.items.length).toBeGreaterThan(20);
    const acts = (await t.api('GET', '/plan/random-acts?from=2026-01&to=2027-06')).json();
    expect(acts.unlinkedSpend).toBeGreaterThan(0);
    expect(acts.unlinkedShare).toBeLessThan(0.5);
    expect(acts.counts.campaign).toBeGreaterThanOrEqual(2);
    expect(acts.counts.tool).toBeGreaterThanOrEqual(2);
    const fs = (await t.api('GET', '/job-map/frankenstack')).json();
    expect(fs.gaps).toEqual(['Modify']);
    expect(fs.overlaps.map((o: { step: string }) => o.step)).toEqual(['Execute', 'Monitor', 'Conclude']);
    expect(fs.unmappedTools.map((x: { name: string }) => x.name)).toContain('Gong');
    const card = (await t.api('GET', '/plan/fitness')).json();
    expect(card.questions).toHaveLength(4);
  });
});
