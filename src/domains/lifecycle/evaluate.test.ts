import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { ScoreSnapshot } from '../scoring/snapshot.ts';
import { apiPut, makeContact, stageOf, transitionsOf } from './test-helpers.ts';

// Scores come from the scoring domain; here each test states them.
const scores = new Map<number, Partial<ScoreSnapshot>>();
vi.mock('../scoring/snapshot.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../scoring/snapshot.ts')>()),
  scoreSnapshots: async (_db: unknown, _ws: number, ids: number[]) =>
    new Map(
      ids.map((id) => [
        id,
        { fitScore: null, fitGrade: null, engagement: 0, buyingStage: null, fitModelId: null, engagementModelId: null, breakdown: { fit: null, engagement: null }, ...scores.get(id) },
      ]),
    ),
}));
const { evaluateLifecycle } = await import('./evaluate.ts');
const { reevaluateStages } = await import('./jobs.ts');

let t: TestApp;
const log = pino({ level: 'silent' });
beforeAll(async () => {
  t = await createTestApp();
  // Active definition v1: grade B or better, engagement ≥ 50, consideration or purchase.
  await t.database.pool.query(
    `insert into sales_ready_definitions (version, rule, status, activated_at) values (1, $1, 'active', now())`,
    [JSON.stringify({ minFitGrade: 'B', minEngagement: 50, buyingStages: ['consideration', 'purchase'], requiredProperties: [], fitModelId: null, engagementModelId: null })],
  );
});
afterAll(() => t.close());
beforeEach(async () => {
  await apiPut(t, '/lifecycle/settings', {});
});

const evaluate = (ids: number[], now?: Date) => evaluateLifecycle({ db: t.db, log, contactIds: ids, now });

describe('evaluateLifecycle', () => {
  it('moves a subscriber that crosses every threshold step by step to sales_ready and opens a handoff', async () => {
    const c = await makeContact(t);
    scores.set(c.id, { fitGrade: 'A', fitScore: 90, engagement: 80, buyingStage: 'purchase' });
    expect(await evaluate([c.id])).toEqual({ transitions: 3 });
    const rows = await transitionsOf(t, c.id);
    expect(rows.map((r) => [r.to_stage, r.cause, r.reason])).toEqual([
      ['lead', 'rule', 'Lead rule'],
      ['marketing_qualified', 'rule', 'MQL rule'],
      ['sales_ready', 'rule', 'Sales-ready definition v1'],
    ]);
    const { rows: h } = await t.database.pool.query(`select status from handoffs where contact_id = $1`, [c.id]);
    expect(h).toEqual([{ status: 'pending' }]);
    // Nothing more to do the second time.
    expect(await evaluate([c.id])).toEqual({ transitions: 0 });
  });

  it('stops where the rules stop: lead rule only, then MQL when fit improves', async () => {
    const c = await makeContact(t);
    scores.set(c.id, { fitGrade: 'D', engagement: 10 });
    await evaluate([c.id]);
    expect(await stageOf(t, c.id)).toBe('lead');
    scores.set(c.id, { fitGrade: 'C', engagement: 35 });
    await evaluate([c.id]);
    expect(await stageOf(t, c.id)).toBe('marketing_qualified');
    // The definition needs consideration or purchase.
    scores.set(c.id, { fitGrade: 'A', engagement: 90, buyingStage: 'awareness' });
    await evaluate([c.id]);
    expect(await stageOf(t, c.id)).toBe('marketing_qualified');
  });

  it('never moves backward or out of sales-owned stages, nor disqualified contacts', async () => {
    const ids: number[] = [];
    for (const stage of ['marketing_qualified', 'sales_accepted', 'opportunity', 'customer', 'disqualified']) {
      const c = await makeContact(t, { lifecycleStage: stage });
      scores.set(c.id, { fitGrade: 'F', engagement: 0 });
      ids.push(c.id);
    }
    const hot = await makeContact(t, { lifecycleStage: 'disqualified' });
    scores.set(hot.id, { fitGrade: 'A', engagement: 500, buyingStage: 'purchase' });
    expect(await evaluate([...ids, hot.id])).toEqual({ transitions: 0 });
    expect(await stageOf(t, hot.id)).toBe('disqualified');
  });

  it('re-qualifies a recycled contact only after the cooldown (simulated clock)', async () => {
    const c = await makeContact(t, { lifecycleStage: 'sales_ready' });
    const recycledAt = new Date('2026-06-01T00:00:00Z');
    await t.db.transaction(async (tx) => {
      const { transitionInTx } = await import('./transition.ts');
      const { systemActor } = await import('../../context.ts');
      await transitionInTx(tx, systemActor, { contactId: c.id, toStage: 'recycled', cause: 'handoff', reason: 'no budget', now: recycledAt });
    });
    scores.set(c.id, { fitGrade: 'B', engagement: 40 });
    expect(await evaluate([c.id], new Date('2026-06-10T00:00:00Z'))).toEqual({ transitions: 0 });
    expect(await stageOf(t, c.id)).toBe('recycled');
    expect(await evaluate([c.id], new Date('2026-06-16T00:00:00Z'))).toEqual({ transitions: 1 });
    expect((await transitionsOf(t, c.id)).at(-1)).toMatchObject({ from_stage: 'recycled', to_stage: 'marketing_qualified', reason: 'Re-qualified: MQL rule' });
  });

  it('skips sales_ready for contacts whose handoff point is self-service', async () => {
    await apiPut(t, '/lifecycle/settings', { handoffPoints: [{ name: 'Starter', match: { field: 'title', op: 'contains', value: 'founder' }, mode: 'self_service' }] });
    const c = await makeContact(t, { title: 'Solo Founder' });
    scores.set(c.id, { fitGrade: 'A', engagement: 99, buyingStage: 'purchase' });
    expect(await evaluate([c.id])).toEqual({ transitions: 2 });
    expect(await stageOf(t, c.id)).toBe('marketing_qualified');
  });

  it('uses the settings: no lead rule means subscribers stay until a person or the MQL rule moves them', async () => {
    await apiPut(t, '/lifecycle/settings', { leadRule: null, mqlRule: { minFitGrade: 'A', minEngagement: null, buyingStages: [], requiredProperties: ['title'] } });
    const a = await makeContact(t);
    const b = await makeContact(t, { title: 'CTO' });
    scores.set(a.id, { fitGrade: 'A', engagement: 100 });
    scores.set(b.id, { fitGrade: 'A', engagement: 0 });
    await evaluate([a.id, b.id]);
    expect(await stageOf(t, a.id)).toBe('subscriber');
    expect(await stageOf(t, b.id)).toBe('marketing_qualified');
    expect((await transitionsOf(t, b.id))[0]!.reason).toBe('MQL rule (a marketing-qualified contact is a lead)');
  });

  it('ignores unknown ids and an empty list', async () => {
    expect(await evaluate([])).toEqual({ transitions: 0 });
    expect(await evaluate([987_654_321])).toEqual({ transitions: 0 });
  });
});

describe('reevaluateStages', () => {
  it('moves the contacts of the given stages that now qualify (after a new definition or settings change), in batches', async () => {
    const ready = await makeContact(t, { lifecycleStage: 'marketing_qualified' });
    const notYet = await makeContact(t, { lifecycleStage: 'marketing_qualified' });
    const sub = await makeContact(t);
    scores.set(ready.id, { fitGrade: 'A', engagement: 70, buyingStage: 'consideration' });
    scores.set(notYet.id, { fitGrade: 'C', engagement: 70, buyingStage: 'consideration' });
    scores.set(sub.id, { fitGrade: 'A', engagement: 70, buyingStage: 'consideration' });
    await reevaluateStages({ db: t.db, log, stages: ['marketing_qualified'] });
    expect(await stageOf(t, ready.id)).toBe('sales_ready');
    expect(await stageOf(t, notYet.id)).toBe('marketing_qualified');
    expect(await stageOf(t, sub.id)).toBe('subscriber');
  });
});
