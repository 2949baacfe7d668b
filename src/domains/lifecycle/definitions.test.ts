import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { apiPut, session } from './test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const rule = { minFitGrade: 'B', minEngagement: 40, buyingStages: ['consideration', 'purchase'], requiredProperties: ['title'] };

async function propose(headers?: Record<string, string>, body: unknown = { rule, notes: 'v next' }) {
  return t.api('POST', '/lifecycle/definitions', body, headers);
}
async function decide(id: number, decision: 'approve' | 'reject', headers: Record<string, string>, comment?: string) {
  return t.api('POST', `/lifecycle/definitions/${id}/${decision}`, comment ? { comment } : {}, headers);
}
async function activeCount() {
  const { rows } = await t.database.pool.query(`select count(*)::int as n from sales_ready_definitions where status = 'active'`);
  return rows[0].n as number;
}

describe('proposeDefinition', () => {
  it('stores a pending version with the next number and notifies the approvers', async () => {
    const m = await session(t, 'marketing');
    const s = await session(t, 'sales');
    const res = await propose(m.headers);
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ status: 'pending', rule: { ...rule, fitModelId: null, engagementModelId: null }, approvedBy: { marketing: false, sales: false }, approvals: [] });
    const next = (await propose(m.headers)).json();
    expect(next.version).toBe(d.version + 1);
    const { rows } = await t.database.pool.query(`select kind from notifications where user_id = $1`, [s.id]);
    expect(rows.map((r) => r.kind)).toContain('definition.approval_needed');
  });

  it.each([
    [{ rule: { ...rule, minFitGrade: 'Z' } }, 'rule.minFitGrade'],
    [{ rule: { ...rule, minEngagement: -5 } }, 'rule.minEngagement'],
    [{ rule: { ...rule, buyingStages: ['hype'] } }, 'rule.buyingStages'],
    [{ rule: { ...rule, requiredProperties: ['no_such_property'] } }, 'rule.requiredProperties.0'],
    [{ rule: { ...rule, fitModelId: 987654 } }, 'rule.fitModelId'],
    [{ rule: { minFitGrade: null, minEngagement: null, buyingStages: [], requiredProperties: [] } }, 'rule'],
    [{ rule: { ...rule, shoeSize: 9 } }, 'rule'],
    [{}, 'rule'],
  ])('rejects a bad rule %j with a 400 naming %s, writing nothing', async (body, field) => {
    const before = await t.count('sales_ready_definitions');
    const res = await propose(undefined, body);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error)).toContain(field);
    expect(await t.count('sales_ready_definitions')).toBe(before);
  });

  it('does not let a viewer propose', async () => {
    expect((await propose(await t.as('viewer'))).statusCode).toBe(403);
  });
});

describe('decideDefinition', () => {
  it('activates only when one marketing and one sales user approved; the previous active one is superseded', async () => {
    const m1 = await session(t, 'marketing');
    const m2 = await session(t, 'marketing');
    const s1 = await session(t, 'sales');
    const first = (await propose(m1.headers)).json();
    expect((await decide(first.id, 'approve', m1.headers)).json()).toMatchObject({ status: 'pending', approvedBy: { marketing: true, sales: false } });
    // A second marketing approval does not count as sales.
    const again = await decide(first.id, 'approve', m2.headers);
    expect(again.json()).toMatchObject({ status: 'pending', approvedBy: { marketing: true, sales: false } });
    expect(again.json().approvals).toHaveLength(2);
    const on = await decide(first.id, 'approve', s1.headers, 'sales agrees');
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ status: 'active', approvedBy: { marketing: true, sales: true } });
    expect(on.json().activatedAt).not.toBeNull();

    const second = (await propose(s1.headers)).json();
    await decide(second.id, 'approve', s1.headers);
    expect((await t.api('GET', '/lifecycle/definitions')).json().active.id).toBe(first.id);
    await decide(second.id, 'approve', m2.headers);
    const list = (await t.api('GET', '/lifecycle/definitions', undefined, await t.as('viewer'))).json();
    expect(list.active.id).toBe(second.id);
    expect(list.items.find((d: { id: number }) => d.id === first.id)).toMatchObject({ status: 'superseded' });
    expect(await activeCount()).toBe(1);
    const audit = await t.auditOf('sales_ready_definition', second.id);
    expect(audit.map((a) => a.action)).toEqual(['definition.proposed', 'definition.approved', 'definition.approved', 'definition.activated']);
  });

  it('one side alone can never activate, however many of its users approve', async () => {
    const d = (await propose()).json();
    for (let i = 0; i < 3; i++) await decide(d.id, 'approve', (await session(t, 'sales')).headers);
    const got = (await t.api('GET', `/lifecycle/definitions/${d.id}`)).json();
    expect(got).toMatchObject({ status: 'pending', approvedBy: { marketing: false, sales: true } });
  });

  it('a rejection by either side closes the version; it can no longer be approved', async () => {
    const d = (await propose()).json();
    const m = await session(t, 'marketing');
    const s = await session(t, 'sales');
    await decide(d.id, 'approve', m.headers);
    const rej = await decide(d.id, 'reject', s.headers, 'engagement 40 is too low for our reps');
    expect(rej.statusCode).toBe(200);
    expect(rej.json()).toMatchObject({ status: 'rejected', approvals: [{ decision: 'approve', side: 'marketing' }, { decision: 'reject', side: 'sales', comment: 'engagement 40 is too low for our reps' }] });
    const late = await decide(d.id, 'approve', (await session(t, 'sales')).headers);
    expect(late.statusCode).toBe(409);
    expect((await t.api('GET', `/lifecycle/definitions/${d.id}`)).json().status).toBe('rejected');
  });

  it('admins and API keys cannot approve for a side (403 with a clear message); nothing is recorded', async () => {
    const d = (await propose()).json();
    const admin = await session(t, 'admin');
    const res = await decide(d.id, 'approve', admin.headers);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/admin cannot approve or reject for a side/);
    const key = await decide(d.id, 'approve', await t.as('marketing'));
    expect(key.statusCode).toBe(403);
    expect(key.json().error.message).toMatch(/not an API key/);
    expect((await decide(d.id, 'approve', (await session(t, 'viewer')).headers)).statusCode).toBe(403);
    const { rows } = await t.database.pool.query('select count(*)::int as n from sales_ready_approvals where definition_id = $1', [d.id]);
    expect(rows[0].n).toBe(0);
  });

  it('the same user cannot decide twice; unknown versions are 404', async () => {
    const d = (await propose()).json();
    const m = await session(t, 'marketing');
    await decide(d.id, 'approve', m.headers);
    expect((await decide(d.id, 'approve', m.headers)).statusCode).toBe(409);
    expect((await decide(99_999, 'approve', m.headers)).statusCode).toBe(404);
  });

  it('two concurrent final approvals of two versions leave exactly one active', async () => {
    const a = (await propose()).json();
    const b = (await propose()).json();
    const m = await session(t, 'marketing');
    await decide(a.id, 'approve', m.headers);
    await decide(b.id, 'approve', m.headers);
    const [s1, s2] = [await session(t, 'sales'), await session(t, 'sales')];
    const res = await Promise.all([decide(a.id, 'approve', s1.headers), decide(b.id, 'approve', s2.headers)]);
    expect(res.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(await activeCount()).toBe(1);
  });
});

describe('lifecycle settings', () => {
  it('gives defaults, saves a change (audited) and reads it back', async () => {
    const got = (await t.api('GET', '/lifecycle/settings', undefined, await t.as('viewer'))).json();
    expect(got.settings).toMatchObject({ sla: { salesReadyAcceptHours: 24 }, routing: { mode: 'round_robin' }, lostDealStage: 'recycled' });
    const owner = await t.makeUser('sales');
    const next = {
      ...got.settings,
      mqlRule: { minFitGrade: 'B', minEngagement: 25, buyingStages: [], requiredProperties: [] },
      handoffPoints: [{ name: 'Enterprise', match: { field: 'account.employeeCount', op: 'gte', value: 500 }, mode: 'sales' }],
      routing: { mode: 'territory', pool: [owner.id], territories: [{ name: 'DACH', match: { field: 'account.country', op: 'in', value: ['DE', 'AT', 'CH'] }, ownerId: owner.id }] },
      sla: { salesReadyAcceptHours: 8 },
    };
    const res = await apiPut(t, '/lifecycle/settings', next, await t.as('marketing'));
    expect(res.statusCode).toBe(200);
    expect(res.json().settings).toMatchObject({ sla: { salesReadyAcceptHours: 8 }, routing: { mode: 'territory' } });
    expect((await t.api('GET', '/lifecycle/settings')).json().settings.mqlRule.minFitGrade).toBe('B');
    expect((await t.auditOf('lifecycle_settings', 1)).at(-1)!.action).toBe('lifecycle.settings_updated');
  });

  it.each([
    [{ sla: { salesReadyAcceptHours: -1 } }, 'sla.salesReadyAcceptHours'],
    [{ routing: { mode: 'lottery' } }, 'routing.mode'],
    [{ routing: { mode: 'round_robin', pool: [987654] } }, 'routing.pool'],
    [{ handoffPoints: [{ name: 'x', match: { field: 'shoe', op: 'eq', value: 1 }, mode: 'sales' }] }, 'handoffPoints.0.match.field'],
    [{ handoffPoints: [{ name: 'x', match: { field: 'title', op: 'in', value: 'CEO' }, mode: 'sales' }] }, 'handoffPoints.0.match.value'],
    [{ handoffPoints: [{ name: 'x', mode: 'sales' }, { name: 'X', mode: 'self_service' }] }, 'handoffPoints.1.name'],
    [{ mqlRule: { minFitGrade: 'Q' } }, 'mqlRule.minFitGrade'],
    [{ lostDealStage: 'customer' }, 'lostDealStage'],
  ])('rejects %j naming %s and keeps the saved settings', async (body, field) => {
    const before = (await t.api('GET', '/lifecycle/settings')).json();
    const res = await apiPut(t, '/lifecycle/settings', body);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error)).toContain(field);
    expect((await t.api('GET', '/lifecycle/settings')).json()).toEqual(before);
  });

  it('does not let sales or viewers change the settings', async () => {
    expect((await apiPut(t, '/lifecycle/settings', {}, await t.as('sales'))).statusCode).toBe(403);
    expect((await apiPut(t, '/lifecycle/settings', {}, await t.as('viewer'))).statusCode).toBe(403);
  });
});
