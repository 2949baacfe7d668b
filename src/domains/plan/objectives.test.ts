import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { objectiveTree } from './objectives-tree.ts';

let t: TestApp;
let ownerId: number;
beforeAll(async () => {
  t = await createTestApp();
  ownerId = (await t.makeUser('marketing')).id;
});
afterAll(() => t.close());

const post = async (url: string, body: unknown) => {
  const r = await t.api('POST', url, body);
  if (r.statusCode !== 201) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
  return r.json();
};
const objective = async (body: Record<string, unknown>) => (await post('/objectives', { ownerId, periodStart: '2026-01-01', periodEnd: '2026-03-31', ...body })).objective;
const manualKpi = async (objectiveId: number, baseline: number, target: number, values: number[], direction = 'up') => {
  const { id } = await post(`/objectives/${objectiveId}/kpis`, { name: `Manual ${target}`, source: 'manual', unit: 'points', baseline, target, direction });
  for (const [i, v] of values.entries()) await post(`/objectives/kpis/${id}/checkins`, { value: v, at: `2026-01-${String(10 + i).padStart(2, '0')}T10:00:00Z` });
  return id as number;
};
const fieldOf = (r: { json(): { error: { message: string; details?: { field: string }[] } } }) => r.json().error.details?.[0]?.field ?? r.json().error.message;

describe('createObjective', () => {
  it('creates an objective, returns its page with the SMART check, and audits it', async () => {
    const o = await objective({ level: 'company', title: 'Grow revenue', periodEnd: '2026-12-31' });
    expect(o).toMatchObject({ level: 'company', title: 'Grow revenue', owner: { id: ownerId }, children: [], kpis: [] });
    expect(o.smart.criteria.map((c: { key: string; ok: boolean }) => [c.key, c.ok])).toEqual([
      ['specific', false],
      ['measurable', false],
      ['time_bound', true],
      ['owned', true],
      ['relevant', true],
      ['target', false],
    ]);
    expect((await t.auditOf('objective', o.id)).map((a) => a.action)).toEqual(['objective.created']);
  });

  it('rejects bad input with the field named and writes nothing', async () => {
    const root = await objective({ level: 'marketing', title: 'Root' });
    const before = await t.count('objectives');
    const cases: [unknown, string][] = [
      [{ title: 'x' }, 'level'],
      [{ level: 'company' }, 'title'],
      [{ level: 'company', title: '  ' }, 'title'],
      [{ level: 'boss', title: 'x' }, 'level'],
      [{ level: 'team', title: 'x', periodStart: '2026-02-30' }, 'periodStart'],
      [{ level: 'team', title: 'x', periodStart: '2026-03-01', periodEnd: '2026-02-01' }, 'periodEnd'],
      [{ level: 'team', title: 'x', ownerId: 9_999_999 }, 'ownerId'],
      [{ level: 'team', title: 'x', ownerId: 'me' }, 'ownerId'],
      [{ level: 'team', title: 'x', parentId: 9_999_999 }, 'parentId'],
      [{ level: 'company', title: 'x', parentId: root.id }, 'parentId'],
      [{ level: 'team', title: 'x', status: 'done' }, 'status'],
      [{ level: 'team', title: 'x', color: 'red' }, 'color'],
    ];
    for (const [body, field] of cases) {
      const r = await t.api('POST', '/objectives', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.json().error), JSON.stringify(body)).toContain(field);
    }
    const bad = await t.inject({ method: 'POST', url: '/api/v1/objectives', headers: { ...(await t.as('admin')), 'content-type': 'application/json' }, payload: '{"level":' });
    expect(bad.statusCode).toBe(400);
    expect(await t.count('objectives')).toBe(before);
  });

  it('keeps the level order: a marketing objective cannot sit under a team objective', async () => {
    const team = await objective({ level: 'team', title: 'Team' });
    const r = await t.api('POST', '/objectives', { level: 'marketing', title: 'x', parentId: team.id });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('parentId: a marketing objective cannot sit under a team objective');
  });
});

describe('updateObjective', () => {
  it('rejects a cycle and a level above a child, naming the field', async () => {
    const a = await objective({ level: 'marketing', title: 'A' });
    const b = await objective({ level: 'team', title: 'B', parentId: a.id });
    const c = await objective({ level: 'individual', title: 'C', parentId: b.id });
    let r = await t.api('PATCH', `/objectives/${a.id}`, { parentId: c.id });
    expect(r.statusCode).toBe(400);
    expect(fieldOf(r)).toBe('parentId');
    r = await t.api('PATCH', `/objectives/${b.id}`, { parentId: b.id });
    expect(fieldOf(r)).toBe('parentId');
    r = await t.api('PATCH', `/objectives/${c.id}`, { level: 'company' });
    expect(r.statusCode).toBe(400);
    r = await t.api('PATCH', `/objectives/${a.id}`, { level: 'individual' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('child objective "B" is a team objective');
    r = await t.api('PATCH', `/objectives/${b.id}`, { title: 'B2', periodEnd: '2025-01-01' });
    expect(fieldOf(r)).toBe('periodEnd');
    r = await t.api('PATCH', `/objectives/${b.id}`, { title: 'B2' });
    expect(r.statusCode).toBe(200);
    expect(r.json().objective.title).toBe('B2');
    expect((await t.auditOf('objective', b.id)).map((x) => x.action)).toEqual(['objective.created', 'objective.updated']);
    expect((await t.api('PATCH', '/objectives/9999999', { title: 'x' })).statusCode).toBe(404);
  });
});

describe('deleteObjective', () => {
  it('refuses while children exist (409), then deletes with its KPIs', async () => {
    const a = await objective({ level: 'marketing', title: 'Parent' });
    const b = await objective({ level: 'team', title: 'Child', parentId: a.id });
    await manualKpi(a.id, 0, 10, [1]);
    const r = await t.api('DELETE', `/objectives/${a.id}`);
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain('"Child"');
    expect((await t.api('DELETE', `/objectives/${b.id}`)).statusCode).toBe(204);
    const kpisBefore = await t.count('objective_kpis');
    expect((await t.api('DELETE', `/objectives/${a.id}`)).statusCode).toBe(204);
    expect(await t.count('objective_kpis')).toBe(kpisBefore - 1);
    expect((await t.api('GET', `/objectives/${a.id}`)).statusCode).toBe(404);
  });
});

describe('createKpi', () => {
  it('binds a KPI to a catalog metric or makes it manual, and rejects bad bindings with the field named', async () => {
    const o = await objective({ level: 'marketing', title: 'Leads' });
    const { id } = await post(`/objectives/${o.id}/kpis`, { name: 'New leads', source: 'metric', metricKey: 'leads.new', baseline: 100, target: 150 });
    expect(id).toBeGreaterThan(0);
    const before = await t.count('objective_kpis');
    const cases: [unknown, string][] = [
      [{ name: 'x', source: 'metric' }, 'metricKey'],
      [{ name: 'x', source: 'metric', metricKey: 'email.vibes' }, 'metricKey'],
      [{ name: 'x', source: 'metric', metricKey: 'content.coverage', filters: { campaignId: 1 } }, 'filters.campaignId'],
      [{ name: 'x', source: 'metric', metricKey: 'leads.new', filters: { campaignId: 9_999_999 } }, 'filters.campaignId'],
      [{ name: 'x', source: 'metric', metricKey: 'leads.new', filters: { segmentId: 9_999_999 } }, 'filters.segmentId'],
      [{ name: 'x', source: 'metric', metricKey: 'leads.new', filters: { colour: 'red' } }, 'colour'],
      [{ name: 'x', source: 'manual', metricKey: 'leads.new' }, 'metricKey'],
      [{ name: 'x', source: 'manual', filters: { product: 'a' } }, 'filters'],
      [{ name: 'x', source: 'robot' }, 'source'],
      [{ name: 'x', source: 'manual', target: 'lots' }, 'target'],
      [{ name: 'x', source: 'manual', direction: 'sideways' }, 'direction'],
      [{ source: 'manual' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const r = await t.api('POST', `/objectives/${o.id}/kpis`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.json().error), JSON.stringify(body)).toContain(field);
    }
    expect((await t.api('POST', '/objectives/9999999/kpis', { name: 'x', source: 'manual' })).statusCode).toBe(404);
    expect(await t.count('objective_kpis')).toBe(before);
  });
});

describe('addCheckin', () => {
  it('takes check-ins on manual KPIs only, not in the future', async () => {
    const o = await objective({ level: 'marketing', title: 'NPS' });
    const manual = await manualKpi(o.id, 30, 50, []);
    const metric = (await post(`/objectives/${o.id}/kpis`, { name: 'Leads', source: 'metric', metricKey: 'leads.new', baseline: 1, target: 2 })).id;
    let r = await t.api('POST', `/objectives/kpis/${metric}/checkins`, { value: 3 });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('only manual KPIs take check-ins');
    r = await t.api('POST', `/objectives/kpis/${manual}/checkins`, { value: 3, at: '2999-01-01T00:00:00Z' });
    expect(fieldOf(r)).toBe('at');
    r = await t.api('POST', `/objectives/kpis/${manual}/checkins`, { value: 'high' });
    expect(fieldOf(r)).toContain('value');
    expect((await t.api('POST', '/objectives/kpis/9999999/checkins', { value: 1 })).statusCode).toBe(404);
    r = await t.api('POST', `/objectives/kpis/${manual}/checkins`, { value: 40, at: '2026-02-01T00:00:00Z', note: 'survey' });
    expect(r.statusCode).toBe(201);
    const page = (await t.api('GET', `/objectives/${o.id}`)).json();
    const k = page.kpis.find((x: { id: number }) => x.id === manual);
    expect(k).toMatchObject({ actual: 40, progress: 0.5, checkins: 1 });
    expect(k.checkinList[0]).toMatchObject({ value: 40, note: 'survey' });
    expect(k.trend.at(-1)).toEqual({ weekEnd: '2026-03-31', value: 40 });
    expect(k.trend[0]).toEqual({ weekEnd: '2026-01-07', value: null });
  });
});

describe('objectiveTree', () => {
  it('rolls progress up the tree, each KPI and child weighted equally, and flags objectives behind time', async () => {
    const company = await objective({ level: 'company', title: 'Roll-up company' });
    const mkt = await objective({ level: 'marketing', title: 'Roll-up marketing', parentId: company.id });
    const teamA = await objective({ level: 'team', title: 'Team A', parentId: mkt.id });
    const teamB = await objective({ level: 'team', title: 'Team B', parentId: mkt.id });
    const person = await objective({ level: 'individual', title: 'Person', parentId: teamA.id });
    await manualKpi(person.id, 0, 100, [20]); // 0.2
    await manualKpi(teamA.id, 0, 10, [10]); // 1.0 → team A = mean(1.0, 0.2) = 0.6
    await manualKpi(teamB.id, 50, 40, [45], 'down'); // 0.5 → team B = 0.5
    await manualKpi(mkt.id, 0, 4, [0]); // 0 → marketing = mean(0, 0.6, 0.5) = 0.3667
    const tree = await objectiveTree({ ctx: { db: t.db }, input: { period: '2026-Q1' }, now: new Date('2026-02-15T00:00:00Z') });
    const root = tree.roots.find((r) => r.id === company.id)!;
    const m = root.children[0]!;
    const [a, b] = m.children;
    expect(a!.progress).toBeCloseTo(0.6);
    expect(b!.progress).toBeCloseTo(0.5);
    expect(m.progress).toBeCloseTo((0 + 0.6 + 0.5) / 3);
    expect(root.progress).toBeCloseTo(m.progress!); // no KPI of its own: its only child
    // Half of Q1 gone at Feb 15: the person (20 %) is 30 points behind; marketing (37 %) 13, within the 15-point threshold.
    expect(a!.children[0]).toMatchObject({ title: 'Person', atRisk: true, atRiskReason: '20 % done with 50 % of the period gone (behind by 30 %, threshold 15 %)' });
    expect(m.atRisk).toBe(false);
    expect(a!.atRisk).toBe(false);
    expect(root.atRiskBelow).toBe(1);
    expect(tree.period).toEqual({ code: '2026-Q1', from: '2026-01-01', to: '2026-03-31' });
    // Another quarter shows no Q1 objective.
    const q3 = await objectiveTree({ ctx: { db: t.db }, input: { period: '2026-Q3' } });
    expect(q3.roots.find((r) => r.id === company.id)).toBeUndefined();
    expect((await t.api('GET', '/objectives?period=2026-Q5')).json().error.message).toContain('period');
  });

  it('computes catalog KPIs over the objective period from live data', async () => {
    const parent = await objective({ level: 'company', title: 'Live company' });
    const o = await objective({ level: 'marketing', title: 'Live leads', parentId: parent.id });
    await post(`/objectives/${o.id}/kpis`, { name: 'New leads', source: 'metric', metricKey: 'leads.new', baseline: 1, target: 4 });
    const r = await t.db.execute(sql`insert into contacts (email) values ('live1@obj.test'), ('live2@obj.test') returning id`);
    for (const row of r.rows as { id: number }[]) {
      await t.db.execute(sql`insert into lifecycle_transitions (contact_id, to_stage, cause, actor_type, actor_label, occurred_at) values (${row.id}, 'lead', 'manual', 'system', 'test', '2026-02-02T00:00:00Z')`);
    }
    const page = (await t.api('GET', `/objectives/${o.id}`)).json();
    expect(page.kpis[0]).toMatchObject({ metricLabel: 'New leads', unit: 'contacts', kind: 'flow', actual: 2, progress: 0.5 });
    expect(page.kpis[0].trend.find((p: { weekEnd: string }) => p.weekEnd === '2026-02-04').value).toBe(2);
    expect(page.objective.smart.ok).toBe(true);
  });
});

describe('permissions', () => {
  it('lets every role read and only admin and marketing change', async () => {
    const o = await objective({ level: 'company', title: 'Perm' });
    for (const role of ['viewer', 'sales', 'marketing'] as const) {
      expect((await t.api('GET', '/objectives', undefined, await t.as(role))).statusCode).toBe(200);
      expect((await t.api('GET', `/objectives/${o.id}`, undefined, await t.as(role))).statusCode).toBe(200);
      expect((await t.api('GET', '/metrics', undefined, await t.as(role))).statusCode).toBe(200);
    }
    for (const role of ['viewer', 'sales'] as const) {
      expect((await t.api('POST', '/objectives', { level: 'company', title: 'x' }, await t.as(role))).statusCode).toBe(403);
      expect((await t.api('POST', '/initiatives', { name: 'x' }, await t.as(role))).statusCode).toBe(403);
    }
    expect((await t.api('POST', '/objectives', { level: 'company', title: 'By marketing' }, await t.as('marketing'))).statusCode).toBe(201);
    expect((await t.inject({ method: 'GET', url: '/api/v1/objectives' })).statusCode).toBe(401);
  });
});

describe('initiatives and campaigns', () => {
  it('links initiatives and campaigns to an objective; an initiative alone gives the campaign its objective', async () => {
    const o = await objective({ level: 'marketing', title: 'Pipeline' });
    const other = await objective({ level: 'marketing', title: 'Other' });
    const init = await post('/initiatives', { objectiveId: o.id, name: 'Webinar series', ownerId, startDate: '2026-01-10', endDate: '2026-03-10' });
    expect(init).toMatchObject({ objectiveId: o.id, name: 'Webinar series', owner: { id: ownerId }, campaigns: 0 });
    for (const [body, field] of [
      [{ name: 'x', objectiveId: 9_999_999 }, 'objectiveId'],
      [{ name: 'x', startDate: '2026-02-01', endDate: '2026-01-01' }, 'endDate'],
      [{ objectiveId: o.id }, 'name'],
    ] as const) {
      expect(JSON.stringify((await t.api('POST', '/initiatives', body)).json().error)).toContain(field);
    }
    const camp = await post('/campaigns', { name: 'Webinar 1', utmCampaign: 'obj-webinar-1', initiativeId: init.id });
    expect(camp).toMatchObject({ objective: { id: o.id, title: 'Pipeline' }, initiative: { id: init.id, name: 'Webinar series' } });
    let r = await t.api('POST', '/campaigns', { name: 'Bad', utmCampaign: 'obj-bad', objectiveId: other.id, initiativeId: init.id });
    expect(fieldOf(r)).toBe('initiativeId');
    r = await t.api('POST', '/campaigns', { name: 'Bad', utmCampaign: 'obj-bad', objectiveId: 9_999_999 });
    expect(fieldOf(r)).toBe('objectiveId');
    r = await t.api('PATCH', `/campaigns/${camp.id}`, { initiativeId: null, objectiveId: other.id });
    expect(r.json()).toMatchObject({ objective: { id: other.id }, initiative: null });
    r = await t.api('PATCH', `/campaigns/${camp.id}`, { initiativeId: init.id, objectiveId: o.id });
    expect(r.statusCode).toBe(200);
    const page = (await t.api('GET', `/objectives/${o.id}`)).json();
    expect(page.initiatives).toEqual([expect.objectContaining({ id: init.id, campaigns: 1 })]);
    expect(page.campaigns).toEqual([expect.objectContaining({ id: camp.id, initiativeId: init.id })]);
    expect((await t.api('PATCH', `/initiatives/${init.id}`, { name: 'Webinars' })).json().name).toBe('Webinars');
    expect((await t.api('DELETE', `/initiatives/${init.id}`)).statusCode).toBe(204);
    expect((await t.api('GET', `/campaigns/${camp.id}`)).json()).toMatchObject({ objective: { id: o.id }, initiative: null });
  });
});
