// Tools, the job map, the Frankenstack report (gaps / overlaps), random acts and the planning view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { DEFAULT_JOB_MAP } from './job-map-template.ts';
import { quarterBounds } from './planning.ts';
import { objectives } from './schema-objectives.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const uid = () => randomUUID().slice(0, 8);
async function objective(title = `Obj ${uid()}`) {
  const [o] = await t.db.insert(objectives).values({ level: 'company', title }).returning();
  return o!;
}
async function campaign(opts: { objectiveId?: number; start?: string; end?: string; budget?: number } = {}) {
  const res = await t.api('POST', '/campaigns', { name: `Camp ${uid()}`, utmCampaign: `c-${uid()}`, startDate: opts.start ?? null, endDate: opts.end ?? null, budget: opts.budget ?? null });
  expect(res.statusCode).toBe(201);
  if (opts.objectiveId) await t.db.execute(sql`update campaigns set objective_id = ${opts.objectiveId} where id = ${res.json().id}`);
  return res.json() as { id: number; name: string };
}

describe('job map', () => {
  it('starts from the default template: Step 0 apart, then define … conclude, each with outcome statements', async () => {
    const res = await t.api('GET', '/job-map');
    expect(res.statusCode).toBe(200);
    const { job, steps } = res.json();
    expect(job).toBe('Create a qualified lead');
    expect(steps.map((s: { key: string }) => s.key)).toEqual(['discover', 'define', 'locate', 'prepare', 'confirm', 'execute', 'monitor', 'modify', 'conclude']);
    expect(steps.filter((s: { isStepZero: boolean }) => s.isStepZero).map((s: { key: string }) => s.key)).toEqual(['discover']);
    for (const s of steps) expect(s.outcomes.length).toBeGreaterThanOrEqual(3);
  });

  it('edits a step, rejects empty outcomes and unknown steps, and resets to the template', async () => {
    const res = await t.api('PATCH', '/job-map/steps/monitor', { outcomes: ['Minimize the time it takes to spot a stalled lead'] });
    expect(res.statusCode).toBe(200);
    expect(res.json().outcomes).toEqual(['Minimize the time it takes to spot a stalled lead']);
    const bad = await t.api('PATCH', '/job-map/steps/monitor', { outcomes: [''] });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error)).toContain('outcomes');
    expect((await t.api('PATCH', '/job-map/steps/nope', { name: 'x' })).statusCode).toBe(404);
    expect((await t.api('PATCH', '/job-map/steps/monitor', { name: 'x' }, await t.as('viewer'))).statusCode).toBe(403);
    const reset = await t.api('POST', '/job-map/reset');
    expect(reset.json().steps.find((s: { key: string }) => s.key === 'monitor').outcomes).toEqual(DEFAULT_JOB_MAP.find((s) => s.key === 'monitor')!.outcomes);
  });
});

describe('tools and the Frankenstack report', () => {
  it('shows gaps (no tool) and overlaps (several tools with their combined cost); Step 0 is not a gap', async () => {
    const before = (await t.api('GET', '/job-map/frankenstack')).json();
    expect(before.gaps).toEqual(['Define', 'Locate', 'Prepare', 'Confirm', 'Execute', 'Monitor', 'Modify', 'Conclude']);
    expect(before.stepZero.key).toBe('discover');
    const a = await t.api('POST', '/tools', { name: 'MAP One', vendor: 'Acme', annualCost: 12000, steps: ['execute', 'monitor'] });
    expect(a.statusCode).toBe(201);
    expect(a.json().steps).toEqual(['execute', 'monitor']);
    await t.api('POST', '/tools', { name: 'Email Blaster', annualCost: 3000.5, steps: ['execute'] });
    await t.api('POST', '/tools', { name: 'BI Suite', annualCost: 8000, steps: ['monitor', 'modify'] });
    await t.api('POST', '/tools', { name: 'Shelfware', annualCost: 500 });
    const r = (await t.api('GET', '/job-map/frankenstack')).json();
    expect(r.gaps).toEqual(['Define', 'Locate', 'Prepare', 'Confirm', 'Conclude']);
    expect(r.overlaps).toEqual([
      { step: 'Execute', tools: ['Email Blaster', 'MAP One'], annualCost: 15000.5 },
      { step: 'Monitor', tools: ['BI Suite', 'MAP One'], annualCost: 20000 },
    ]);
    expect(r.steps.find((s: { key: string }) => s.key === 'modify').status).toBe('covered');
    expect(r.unmappedTools.map((x: { name: string }) => x.name)).toEqual(['Shelfware']);
    expect(r.totalAnnualCost).toBe(23500.5);
  });

  it('rejects bad tools with the field named and writes nothing', async () => {
    await t.api('POST', '/tools', { name: 'Unique Tool' });
    const before = await t.count('tools');
    const cases: [unknown, string, number][] = [
      [{}, 'name', 400],
      [{ name: 'x', annualCost: -1 }, 'annualCost', 400],
      [{ name: 'x', steps: ['teleport'] }, 'steps', 400],
      [{ name: 'x', objectiveId: 999999 }, 'objectiveId', 400],
      [{ name: 'x', ownerId: 999999 }, 'ownerId', 400],
      [{ name: 'UNIQUE tool' }, 'name', 409],
    ];
    for (const [body, field, status] of cases) {
      const res = await t.api('POST', '/tools', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(res.json().error)).toContain(field);
    }
    expect(await t.count('tools')).toBe(before);
  });

  it('changes the steps of a tool and audits it; deleting keeps its cost lines, unlinked', async () => {
    const tool = (await t.api('POST', '/tools', { name: `T ${uid()}`, steps: ['define'] })).json();
    const res = await t.api('PATCH', `/tools/${tool.id}`, { steps: ['locate', 'define'], annualCost: 10 });
    expect(res.json()).toMatchObject({ steps: ['define', 'locate'], annualCost: 10 });
    expect((await t.auditOf('tool', tool.id)).map((a) => a.action)).toEqual(['tool.created', 'tool.updated']);
    const line = (await t.api('POST', '/costs', { toolId: tool.id, month: '2026-01', category: 'tools', planned: 10 })).json();
    expect((await t.api('GET', `/tools/${tool.id}`)).json().spend).toBe(10);
    expect((await t.api('DELETE', `/tools/${tool.id}`)).statusCode).toBe(204);
    expect((await t.api('GET', `/costs/${line.id}`)).json().tool).toBeNull();
  });
});

describe('randomActs', () => {
  it('lists every campaign, cost line, content item and tool linked to no objective, with spend and share of total', async () => {
    const o = await objective('Win mid-market');
    const linked = await campaign({ objectiveId: o.id });
    const orphan = await campaign();
    const goodTool = (await t.api('POST', '/tools', { name: `Good ${uid()}`, objectiveId: o.id })).json();
    const badTool = (await t.api('POST', '/tools', { name: `Bad ${uid()}`, annualCost: 900 })).json();
    const m = '2040-01';
    await t.api('POST', '/costs', { campaignId: linked.id, month: m, category: 'media', planned: 500, actual: 600 });
    await t.api('POST', '/costs', { campaignId: orphan.id, month: m, category: 'media', planned: 200 });
    await t.api('POST', '/costs', { toolId: goodTool.id, month: m, category: 'tools', planned: 100 });
    await t.api('POST', '/costs', { toolId: badTool.id, month: m, category: 'tools', planned: 50, actual: 40 });
    const loose = (await t.api('POST', '/costs', { month: m, category: 'events', planned: 160 })).json();
    const item = await t.api('POST', '/content/items', { title: `Orphan guide ${uid()}`, type: 'practical', stage: 'epiphany' });
    const linkedItem = await t.api('POST', '/content/items', { title: `Linked guide ${uid()}`, type: 'practical', stage: 'epiphany' });
    expect([item.statusCode, linkedItem.statusCode]).toEqual([201, 201]);
    const put = await t.inject({ method: 'PUT', url: `/api/v1/content/items/${linkedItem.json().id}/objective`, payload: { objectiveId: o.id }, headers: await t.as('marketing') });
    expect(put.statusCode).toBe(200);
    expect(put.json().objective.title).toBe('Win mid-market');

    const res = await t.api('GET', `/plan/random-acts?from=${m}&to=${m}`);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    // total 600 + 200 + 100 + 40 + 160 = 1100; unlinked 200 + 40 + 160 = 400
    expect(r.totalSpend).toBe(1100);
    expect(r.unlinkedSpend).toBe(400);
    expect(r.unlinkedShare).toBeCloseTo(400 / 1100, 4);
    const find = (kind: string, id: number) => r.items.find((x: { kind: string; id: number }) => x.kind === kind && x.id === id);
    expect(find('campaign', orphan.id)).toMatchObject({ spend: 200, share: Math.round((200 / 1100) * 10000) / 10000 });
    expect(find('campaign', linked.id)).toBeUndefined();
    expect(find('tool', badTool.id)).toMatchObject({ spend: 40 });
    expect(find('tool', goodTool.id)).toBeUndefined();
    expect(find('cost_line', loose.id)).toMatchObject({ spend: 160, why: 'Linked to neither a campaign nor a tool' });
    expect(r.items.filter((x: { kind: string }) => x.kind === 'cost_line')).toHaveLength(3);
    expect(find('content_item', item.json().id)).toMatchObject({ spend: 0 });
    expect(find('content_item', linkedItem.json().id)).toBeUndefined();
    expect((await t.api('GET', '/plan/random-acts?from=2040-02&to=2040-01')).statusCode).toBe(400);
  });

  it('rejects an unknown objective or item when linking content', async () => {
    const item = (await t.api('POST', '/content/items', { title: `G ${uid()}`, type: 'practical', stage: 'epiphany' })).json();
    const bad = await t.inject({ method: 'PUT', url: `/api/v1/content/items/${item.id}/objective`, payload: { objectiveId: 999999 }, headers: await t.as('admin') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('objectiveId');
    expect((await t.inject({ method: 'PUT', url: '/api/v1/content/items/999999/objective', payload: { objectiveId: null }, headers: await t.as('admin') })).statusCode).toBe(404);
    expect((await t.inject({ method: 'PUT', url: `/api/v1/content/items/${item.id}/objective`, payload: { objectiveId: null }, headers: await t.as('viewer') })).statusCode).toBe(403);
  });
});

describe('planningView', () => {
  it("groups the quarter's campaigns by objective with budget, planned and actual", async () => {
    expect(quarterBounds('2041-Q2')).toEqual({ quarter: '2041-Q2', from: '2041-04-01', to: '2041-06-30' });
    const o = await objective('Expand EMEA');
    const a = await campaign({ objectiveId: o.id, start: '2041-03-15', end: '2041-04-10', budget: 1000 });
    const b = await campaign({ start: '2041-05-01', end: '2041-05-31', budget: 500 });
    const outside = await campaign({ start: '2041-08-01', end: '2041-08-31', budget: 9 });
    await t.api('POST', '/costs', { campaignId: a.id, month: '2041-04', category: 'media', planned: 300, actual: 250 });
    await t.api('POST', '/costs', { campaignId: a.id, month: '2041-03', category: 'media', planned: 999 });
    await t.api('POST', '/costs', { campaignId: b.id, month: '2041-05', category: 'events', planned: 400 });
    const res = await t.api('GET', '/plan/planning?quarter=2041-Q2');
    expect(res.statusCode).toBe(200);
    const v = res.json();
    expect(v.groups.map((g: { objective: { title: string } | null }) => g.objective?.title ?? null)).toEqual(['Expand EMEA', null]);
    expect(v.groups[0]).toMatchObject({ budget: 1000, planned: 300, actual: 250, campaigns: [{ id: a.id, planned: 300, actual: 250 }] });
    expect(v.groups[1].campaigns.map((c: { id: number }) => c.id)).toEqual([b.id]);
    expect(JSON.stringify(v)).not.toContain(`"id":${outside.id},`);
    expect(v.totals).toEqual({ budget: 1500, planned: 700, actual: 250 });
    expect((await t.api('GET', '/plan/planning?quarter=2041-Q5')).statusCode).toBe(400);
  });
});
