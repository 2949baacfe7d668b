// Score models and buying-stage rules through the API: defaults on first use, create/update/archive/default,
// versions and audit rows, bad rule definitions rejected with the field named (and nothing written),
// permissions, unknown ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const fitBody = (over: Record<string, unknown> = {}) => ({
  kind: 'fit',
  name: 'Product line B',
  rules: [
    { id: 'vp', label: 'VP', field: 'title', op: 'contains', value: 'vp', points: 60 },
    { id: 'saas', label: 'SaaS', field: 'account.industry', op: 'eq', value: 'software', points: 40 },
  ],
  ...over,
});

async function modelCount(): Promise<number> {
  return t.count('score_models');
}

describe('listModels', () => {
  it('creates the default fit and engagement models on first use, once', async () => {
    const [a, b] = await Promise.all([t.api('GET', '/scoring/models'), t.api('GET', '/scoring/models')]);
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    const items = a.json().items as { kind: string; isDefault: boolean; rules: { id: string }[]; halfLifeDays: number | null }[];
    expect(items.map((m) => [m.kind, m.isDefault])).toEqual([
      ['engagement', true],
      ['fit', true],
    ]);
    expect(items[0]!.halfLifeDays).toBe(30);
    expect(items[0]!.rules.map((r) => r.id)).toContain('pricing-page');
    expect(items[1]!.rules.map((r) => r.id)).toContain('senior-title');
    expect(await modelCount()).toBe(2);
  });

  it('viewers can read models', async () => {
    const res = await t.api('GET', '/scoring/models?kind=fit', undefined, await t.as('viewer'));
    expect(res.statusCode).toBe(200);
    expect(res.json().items.every((m: { kind: string }) => m.kind === 'fit')).toBe(true);
  });
});

describe('createModel', () => {
  it('creates a fit model with default grades and records an audit row', async () => {
    const res = await t.api('POST', '/scoring/models', fitBody());
    expect(res.statusCode).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({ kind: 'fit', version: 1, isDefault: false, active: true, grades: { A: 80, B: 60, C: 40, D: 20 }, halfLifeDays: null });
    expect((await t.auditOf('score_model', m.id)).map((a) => a.action)).toEqual(['score_model.created']);
  });

  it('rejects bad rule definitions naming the field, and writes nothing', async () => {
    const before = await modelCount();
    const cases: [unknown, string][] = [
      [fitBody({ rules: [...fitBody().rules, { id: 'x', label: 'X', field: 'title', op: 'like', value: 'a', points: 1 }] }), 'rules.2.op'],
      [fitBody({ rules: [{ id: 'x', label: 'X', field: 'salary', op: 'exists', points: 1 }] }), 'rules.0.field'],
      [fitBody({ rules: [{ id: 'x', label: 'X', field: 'title', op: 'between', value: [9, 1], points: 1 }] }), 'rules.0.value'],
      [fitBody({ rules: [fitBody().rules[0], fitBody().rules[0]] }), 'rules.1.id'],
      [fitBody({ grades: { A: 50, B: 60, C: 40, D: 20 } }), 'grades.B'],
      [{ kind: 'engagement', name: 'E', rules: [{ id: 'e', label: 'E', match: { event: 'x' }, points: 1, cap: { period: 'fortnight', maxTimes: 1 } }] }, 'rules.0.cap.period'],
      [{ kind: 'engagement', name: 'E', rules: [{ id: 'e', label: 'E', match: { conditions: [{ path: 'properties.percent', op: 'gte', value: 'x' }] }, points: 1 }] }, 'rules.0.match.conditions.0.value'],
      [{ kind: 'engagement', name: 'E', rules: [], halfLifeDays: -1 }, 'halfLifeDays'],
      [{ kind: 'score', name: 'E', rules: [] }, 'kind'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('POST', '/scoring/models', body);
      expect(res.statusCode, field).toBe(400);
      const fields = (res.json().error.details as { field: string }[]).map((d) => d.field.replace(/^body\.?/, ''));
      expect(fields, JSON.stringify(res.json())).toContain(field);
    }
    expect(await modelCount()).toBe(before);
  });

  it('rejects more than 200 rules, naming the field', async () => {
    const before = await modelCount();
    const rules = Array.from({ length: 201 }, (_, i) => ({ id: `r${i}`, label: `R${i}`, field: 'title', op: 'exists', points: 1 }));
    const res = await t.api('POST', '/scoring/models', fitBody({ rules }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain('body.rules');
    expect(await modelCount()).toBe(before);
  });

  it('rejects malformed JSON and missing auth', async () => {
    const bad = await t.inject({ method: 'POST', url: '/api/v1/scoring/models', headers: { ...(await t.as('admin')), 'content-type': 'application/json' }, payload: '{"kind":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_json');
    const anon = await t.inject({ method: 'GET', url: '/api/v1/scoring/models' });
    expect(anon.statusCode).toBe(401);
  });

  it('viewers and sales cannot create models', async () => {
    const before = await modelCount();
    for (const role of ['viewer', 'sales'] as const) {
      const res = await t.api('POST', '/scoring/models', fitBody(), await t.as(role));
      expect(res.statusCode).toBe(403);
    }
    expect(await modelCount()).toBe(before);
  });
});

describe('updateModel', () => {
  it('bumps the version when rules change, not when only the name does; audits both', async () => {
    const m = (await t.api('POST', '/scoring/models', fitBody({ name: 'Versioned' }))).json();
    const renamed = await t.api('PATCH', `/scoring/models/${m.id}`, { name: 'Versioned 2' });
    expect(renamed.json()).toMatchObject({ name: 'Versioned 2', version: 1 });
    const changed = await t.api('PATCH', `/scoring/models/${m.id}`, { rules: [{ id: 'ceo', label: 'CEO', field: 'title', op: 'eq', value: 'CEO', points: 10 }] });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, rules: [{ id: 'ceo' }] });
    const graded = await t.api('PATCH', `/scoring/models/${m.id}`, { grades: { A: 90, B: 70, C: 50, D: 30 } });
    expect(graded.json().version).toBe(3);
    const same = await t.api('PATCH', `/scoring/models/${m.id}`, { grades: { A: 90, B: 70, C: 50, D: 30 } });
    expect(same.json().version).toBe(3);
    // The same rules sent back (as the editor does, keys in another order) are not a change.
    const stored = (await t.api('GET', `/scoring/models/${m.id}`)).json();
    const reordered = stored.rules.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).reverse()));
    const resent = await t.api('PATCH', `/scoring/models/${m.id}`, { name: 'Versioned 3', rules: reordered });
    expect(resent.json()).toMatchObject({ name: 'Versioned 3', version: 3 });
    const audit = await t.auditOf('score_model', m.id);
    expect(audit.map((a) => a.action)).toEqual(['score_model.created', 'score_model.updated', 'score_model.updated', 'score_model.updated', 'score_model.updated']);
    expect(Object.keys(audit[4]!.changes)).toEqual(['name']);
    expect(audit[2]!.changes).toMatchObject({ version: { from: 1, to: 2 } });
  });

  it('checks rules against the model kind and leaves the model unchanged on a rejected update', async () => {
    const m = (await t.api('POST', '/scoring/models', fitBody({ name: 'Kept' }))).json();
    const res = await t.api('PATCH', `/scoring/models/${m.id}`, {
      name: 'Should not stick',
      rules: [...m.rules, { id: 'bad', label: 'Bad', field: 'title', op: 'gte', value: 'x', points: 1 }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain('rules.2.value');
    const halfLife = await t.api('PATCH', `/scoring/models/${m.id}`, { halfLifeDays: 10 });
    expect(halfLife.statusCode).toBe(400);
    const engagementRule = await t.api('PATCH', `/scoring/models/${m.id}`, { rules: [{ id: 'e', label: 'E', match: { event: 'x' }, points: 1 }] });
    expect(engagementRule.statusCode).toBe(400);
    const after = (await t.api('GET', `/scoring/models/${m.id}`)).json();
    expect(after).toEqual(m);
    expect((await t.auditOf('score_model', m.id)).length).toBe(1);
  });

  it('404s for unknown ids', async () => {
    expect((await t.api('PATCH', '/scoring/models/999999', { name: 'x' })).statusCode).toBe(404);
    expect((await t.api('GET', '/scoring/models/999999')).statusCode).toBe(404);
    expect((await t.api('POST', '/scoring/models/999999/archive')).statusCode).toBe(404);
    expect((await t.api('POST', '/scoring/models/999999/default')).statusCode).toBe(404);
  });

  it('marketing can change models; viewers cannot', async () => {
    const m = (await t.api('POST', '/scoring/models', fitBody({ name: 'Perm' }))).json();
    expect((await t.api('PATCH', `/scoring/models/${m.id}`, { name: 'Perm 2' }, await t.as('viewer'))).statusCode).toBe(403);
    expect((await t.api('POST', `/scoring/models/${m.id}/archive`, undefined, await t.as('viewer'))).statusCode).toBe(403);
    expect((await t.api('PATCH', `/scoring/models/${m.id}`, { name: 'Perm 3' }, await t.as('marketing'))).statusCode).toBe(200);
    expect((await t.api('GET', `/scoring/models/${m.id}`)).json().name).toBe('Perm 3');
  });
});

describe('archive and default', () => {
  it('moves the default, refuses to archive the default, archives and restores others', async () => {
    const list = (await t.api('GET', '/scoring/models?kind=fit')).json().items as { id: number; isDefault: boolean }[];
    const oldDefault = list.find((m) => m.isDefault)!;
    const m = (await t.api('POST', '/scoring/models', fitBody({ name: 'New default' }))).json();
    const refused = await t.api('POST', `/scoring/models/${oldDefault.id}/archive`);
    expect(refused.statusCode).toBe(409);
    const made = await t.api('POST', `/scoring/models/${m.id}/default`);
    expect(made.json()).toMatchObject({ isDefault: true });
    const defaults = ((await t.api('GET', '/scoring/models?kind=fit')).json().items as { id: number; isDefault: boolean }[]).filter((x) => x.isDefault);
    expect(defaults.map((x) => x.id)).toEqual([m.id]);
    const archived = await t.api('POST', `/scoring/models/${oldDefault.id}/archive`);
    expect(archived.json()).toMatchObject({ active: false, isDefault: false });
    const active = (await t.api('GET', '/scoring/models?kind=fit')).json().items.map((x: { id: number }) => x.id);
    expect(active).not.toContain(oldDefault.id);
    const all = (await t.api('GET', '/scoring/models?kind=fit&archived=true')).json().items.map((x: { id: number }) => x.id);
    expect(all).toContain(oldDefault.id);
    expect((await t.api('POST', `/scoring/models/${oldDefault.id}/default`)).statusCode).toBe(409);
    expect((await t.api('POST', `/scoring/models/${oldDefault.id}/restore`)).json().active).toBe(true);
    // Back to the original default for the other test files' expectations.
    expect((await t.api('POST', `/scoring/models/${oldDefault.id}/default`)).json().isDefault).toBe(true);
    expect((await t.auditOf('score_model', m.id)).map((a) => a.action)).toEqual(['score_model.created', 'score_model.default_set']);
  });
});

describe('stage rules', () => {
  it('creates, lists in order, changes and removes rules; audits each', async () => {
    const a = (await t.api('POST', '/scoring/stage-rules', { pattern: '/pricing', stage: 'purchase' })).json();
    const b = (await t.api('POST', '/scoring/stage-rules', { pattern: '/blog/*', stage: 'awareness' })).json();
    expect([a.position, b.position]).toEqual([0, 1]);
    const moved = await t.api('PATCH', `/scoring/stage-rules/${b.id}`, { stage: 'interest' });
    expect(moved.json()).toMatchObject({ stage: 'interest', pattern: '/blog/*' });
    const list = (await t.api('GET', '/scoring/stage-rules', undefined, await t.as('viewer'))).json().items;
    expect(list.map((r: { pattern: string }) => r.pattern)).toEqual(['/pricing', '/blog/*']);
    expect((await t.api('DELETE', `/scoring/stage-rules/${a.id}`)).statusCode).toBe(204);
    expect((await t.api('DELETE', `/scoring/stage-rules/${a.id}`)).statusCode).toBe(404);
    expect((await t.auditOf('buying_stage_rule', b.id)).map((x) => x.action)).toEqual(['buying_stage_rule.created', 'buying_stage_rule.updated']);
    expect((await t.auditOf('buying_stage_rule', a.id)).map((x) => x.action)).toEqual(['buying_stage_rule.created', 'buying_stage_rule.deleted']);
  });

  it('rejects bad rules naming the field; viewers cannot change them', async () => {
    const before = await t.count('buying_stage_rules');
    const bad = await t.api('POST', '/scoring/stage-rules', { pattern: '/x', stage: 'buying' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { field: string }) => d.field)).toContain('body.stage');
    const spaces = await t.api('POST', '/scoring/stage-rules', { pattern: '/a b', stage: 'interest' });
    expect(spaces.statusCode).toBe(400);
    expect((await t.api('POST', '/scoring/stage-rules', { pattern: '/x', stage: 'interest' }, await t.as('viewer'))).statusCode).toBe(403);
    expect(await t.count('buying_stage_rules')).toBe(before);
    expect((await t.api('PATCH', '/scoring/stage-rules/999999', { stage: 'interest' })).statusCode).toBe(404);
  });
});
