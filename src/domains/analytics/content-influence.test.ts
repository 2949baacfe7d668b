// Content influence: pipeline (deals created in the window) and revenue (deals won in it) touched by each content
// item and by each content stage (a deal counts once per item and once per stage), reads after the deal converted
// excluded; rollup = raw. Hand-computed on a small 2017 fixture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { contentInfluence } from './content-influence.ts';
import { refreshAnalyticsRollups } from './rollup.ts';
import { Fixture } from './test-fixtures.ts';

let t: TestApp;
let fx: Fixture;
beforeAll(async () => {
  t = await createTestApp();
  fx = new Fixture(t);
});
afterAll(async () => t?.close());

const d = (month: number, day: number) => new Date(Date.UTC(2017, month - 1, day, 12));

describe('contentInfluence', () => {
  let i1: number, i2: number, i3: number;
  beforeAll(async () => {
    const item = async (title: string, stage: string) =>
      Number((await t.database.pool.query(`insert into content_items (title, type, stage, status) values ($1, 'practical', $2, 'published') returning id`, [title, stage])).rows[0].id);
    [i1, i2, i3] = [await item('Why now', 'awareness'), await item('Buyer guide', 'consideration'), await item('ROI calculator', 'consideration')];
    const [p, q, r] = [await fx.contact(), await fx.contact(), await fx.contact()];
    const read = (itemId: number, contactId: number, at: Date) =>
      t.database.pool.query(`insert into content_consumption (item_id, contact_id, reads, first_at, last_at) values ($1, $2, 1, $3, $3)`, [itemId, contactId, at]);
    // p reads I1 and I2, q reads I2 and I3 in early January; r reads I3 on 20 March, after its deal was created and won.
    await read(i1, p, d(1, 2));
    await read(i2, p, d(1, 3));
    await read(i2, q, d(1, 4));
    await read(i3, q, d(1, 5));
    await read(i3, r, d(3, 20));
    // D1 $1,000 (p) won; D2 $400 (q) open; D3 $250 (p and q) won; D4 $300 (r) won before r read anything.
    await fx.deal(1000, 'won', [p], { createdAt: d(1, 10), wonAt: d(2, 1) });
    await fx.deal(400, 'intent', [q], { createdAt: d(1, 12) });
    await fx.deal(250, 'won', [p, q], { createdAt: d(1, 15), wonAt: d(3, 1) });
    await fx.deal(300, 'won', [r], { createdAt: d(3, 1), wonAt: d(3, 10) });
  });
  const input = { from: '2017-01-01', to: '2017-03-31', source: 'raw' as const };

  it('sums the pipeline and revenue each item and each stage touched, a deal once', async () => {
    const r = await contentInfluence({ ctx: t, input });
    // I2: D1 + D2 + D3 pipeline = $1,650, D1 + D3 won = $1,250 (p and q); I1: D1 + D3 (p); I3: D2 + D3 pipeline, D3 won
    // (q; r's read came after D4).
    expect(r.rows).toEqual([
      { contentItemId: i2, title: 'Buyer guide', stage: 'consideration', pipelineCents: 165_000, revenueCents: 125_000, deals: 3, contacts: 2 },
      { contentItemId: i1, title: 'Why now', stage: 'awareness', pipelineCents: 125_000, revenueCents: 125_000, deals: 2, contacts: 1 },
      { contentItemId: i3, title: 'ROI calculator', stage: 'consideration', pipelineCents: 65_000, revenueCents: 25_000, deals: 2, contacts: 1 },
    ]);
    // Consideration: D3 was touched by I2 and I3 and counts once: D1 + D2 + D3 pipeline, D1 + D3 revenue.
    expect(r.byStage).toEqual([
      { stage: 'awareness', pipelineCents: 125_000, revenueCents: 125_000, items: 1 },
      { stage: 'consideration', pipelineCents: 165_000, revenueCents: 125_000, items: 2 },
    ]);
  });

  it('gives the same numbers from the rollup', async () => {
    await refreshAnalyticsRollups(t.db);
    expect(await contentInfluence({ ctx: t, input: { ...input, source: 'rollup' } })).toEqual(await contentInfluence({ ctx: t, input }));
  });

  it('counts nothing outside the window', async () => {
    expect(await contentInfluence({ ctx: t, input: { from: '2016-01-01', to: '2016-12-31', source: 'raw' } })).toEqual({ rows: [], byStage: [] });
  });
});
