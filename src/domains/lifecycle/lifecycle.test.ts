import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { systemActor } from '../../context.ts';
import { transitionInTx } from './transition.ts';
import { apiPut, makeContact, move, stageOf, transitionsOf } from './test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function put(id: number, toStage: Parameters<typeof transitionInTx>[2]['toStage'], cause: Parameters<typeof transitionInTx>[2]['cause'] = 'api', reason = 'setup') {
  return t.db.transaction((tx) => transitionInTx(tx, systemActor, { contactId: id, toStage, cause, reason }));
}

describe('transitionInTx', () => {
  it('walks the whole funnel by rule, handoff and deal, storing every step with cause and actor', async () => {
    const c = await makeContact(t);
    expect(await put(c.id, 'lead', 'rule')).toMatchObject({ from: 'subscriber', to: 'lead' });
    await put(c.id, 'marketing_qualified', 'rule');
    await put(c.id, 'sales_ready', 'rule');
    await put(c.id, 'sales_accepted', 'handoff');
    await put(c.id, 'opportunity', 'deal');
    await put(c.id, 'customer', 'deal');
    expect(await stageOf(t, c.id)).toBe('customer');
    const rows = await transitionsOf(t, c.id);
    expect(rows.map((r) => `${r.from_stage}>${r.to_stage}:${r.cause}`)).toEqual([
      'subscriber>lead:rule',
      'lead>marketing_qualified:rule',
      'marketing_qualified>sales_ready:rule',
      'sales_ready>sales_accepted:handoff',
      'sales_accepted>opportunity:deal',
      'opportunity>customer:deal',
    ]);
    // Entering sales_ready opened a handoff.
    const { rows: h } = await t.database.pool.query('select status from handoffs where contact_id = $1', [c.id]);
    expect(h).toHaveLength(1);
  });

  it('returns null when the contact is already in the stage and writes nothing', async () => {
    const c = await makeContact(t);
    expect(await put(c.id, 'subscriber', 'manual')).toBeNull();
    expect(await transitionsOf(t, c.id)).toEqual([]);
  });

  it('rejects a forbidden move by rule (rules never move backward or out of sales stages)', async () => {
    const c = await makeContact(t, { lifecycleStage: 'sales_accepted' });
    await expect(put(c.id, 'lead', 'rule')).rejects.toThrow(/sales_accepted → lead is not allowed for cause rule/);
    await expect(put(c.id, 'customer', 'handoff')).rejects.toThrow(/not allowed/);
    expect(await stageOf(t, c.id)).toBe('sales_accepted');
  });

  it('throws NotFound for an unknown contact', async () => {
    await expect(put(999_999_999, 'lead', 'rule')).rejects.toThrow(/Contact 999999999 not found/);
  });

  it('needs a reason to disqualify, whatever the cause', async () => {
    const c = await makeContact(t, { lifecycleStage: 'sales_ready' });
    await expect(t.db.transaction((tx) => transitionInTx(tx, systemActor, { contactId: c.id, toStage: 'disqualified', cause: 'handoff' }))).rejects.toThrow(/reason/);
    expect(await stageOf(t, c.id)).toBe('sales_ready');
  });

  it('recycles and re-qualifies (recycled → lead / marketing-qualified) by rule, keeping the history', async () => {
    const c = await makeContact(t, { lifecycleStage: 'sales_ready' });
    await put(c.id, 'recycled', 'handoff', 'not now, budget next year');
    await put(c.id, 'marketing_qualified', 'rule');
    await put(c.id, 'sales_ready', 'rule');
    const d = await makeContact(t, { lifecycleStage: 'recycled' });
    await put(d.id, 'lead', 'rule');
    expect((await transitionsOf(t, c.id)).map((r) => r.to_stage)).toEqual(['recycled', 'marketing_qualified', 'sales_ready']);
    expect(await stageOf(t, d.id)).toBe('lead');
  });

  it('does not put a self-service contact in sales_ready (its handoff point skips sales)', async () => {
    const put1 = await apiPut(t, '/lifecycle/settings', {
      handoffPoints: [{ name: 'Self-serve plan', match: { field: 'properties.plan', op: 'eq', value: 'starter' }, mode: 'self_service' }],
    });
    expect(put1.statusCode).toBe(200);
    await t.api('POST', '/properties', { objectType: 'contact', key: 'plan', label: 'Plan', type: 'text' });
    const c = await makeContact(t, { lifecycleStage: 'marketing_qualified', properties: { plan: 'starter' } });
    await expect(put(c.id, 'sales_ready', 'rule')).rejects.toThrow(/self-service/);
    const res = await move(t, c.id, 'sales_ready', 'looks hot');
    expect(res.statusCode).toBe(400);
    expect((await t.api('GET', `/contacts/${c.id}/lifecycle`)).json()).toMatchObject({ handoffPoint: { name: 'Self-serve plan', mode: 'self_service' } });
    // A won deal still makes it a customer, without sales.
    await put(c.id, 'customer', 'self_service', 'bought the starter plan');
    expect(await stageOf(t, c.id)).toBe('customer');
    await apiPut(t, '/lifecycle/settings', {});
  });
});

describe('moveContact (POST /contacts/:id/lifecycle)', () => {
  it('moves by hand with a reason, stores the actor and shows the move in the contact timeline', async () => {
    const c = await makeContact(t);
    const res = await move(t, c.id, 'lead', 'met at the trade fair', await t.as('marketing'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.moved).toBe(true);
    expect(body.transition).toMatchObject({ fromStage: 'subscriber', toStage: 'lead', cause: 'manual', reason: 'met at the trade fair', actor: 'API key "marketing test key"' });
    expect(body.lifecycle.stage).toBe('lead');
    const timeline = (await t.api('GET', `/contacts/${c.id}/timeline`)).json();
    expect(timeline.items[0]).toMatchObject({ kind: 'lifecycle.transition', title: 'Stage Subscriber → Lead (by hand): met at the trade fair' });
  });

  it('answers moved: false when the contact is already there', async () => {
    const c = await makeContact(t, { lifecycleStage: 'lead' });
    const res = await move(t, c.id, 'lead', 'again');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ moved: false, transition: null });
  });

  it('rejects a move without a reason, naming the field, and writes nothing', async () => {
    const c = await makeContact(t);
    for (const reason of [null, '', '   ']) {
      const res = await move(t, c.id, 'lead', reason);
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json().error)).toContain('reason');
    }
    expect(await stageOf(t, c.id)).toBe('subscriber');
    expect(await transitionsOf(t, c.id)).toEqual([]);
  });

  it.each([
    ['subscriber', 'customer', /customers when a linked deal is won/],
    ['lead', 'sales_ready', /only marketing-qualified contacts/],
    ['marketing_qualified', 'sales_accepted', /sales accepts leads in the handoff queue/],
    ['sales_ready', 'lead', /handoff queue/],
    ['lead', 'opportunity', /only sales-accepted contacts/],
    ['customer', 'lead', /one step at a time/],
    ['lead', 'subscriber', /only the first stage/],
  ])('forbids %s → %s with a 400 naming the rule', async (from, to, why) => {
    const c = await makeContact(t, { lifecycleStage: from });
    const res = await move(t, c.id, to, 'try it');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(why);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'toStage' })]);
    expect(await stageOf(t, c.id)).toBe(from);
    expect(await transitionsOf(t, c.id)).toEqual([]);
  });

  it('allows the manual paths: disqualify with a reason, un-disqualify to recycled, re-qualify from recycled', async () => {
    const c = await makeContact(t, { lifecycleStage: 'lead' });
    expect((await move(t, c.id, 'disqualified', 'student, no budget')).statusCode).toBe(200);
    expect((await move(t, c.id, 'recycled', 'graduated, now at a customer-fit company')).statusCode).toBe(200);
    expect((await move(t, c.id, 'marketing_qualified', 'asked for a demo')).statusCode).toBe(200);
    expect((await move(t, c.id, 'sales_ready', 'meets the definition')).statusCode).toBe(200);
    expect((await transitionsOf(t, c.id)).map((r) => r.to_stage)).toEqual(['disqualified', 'recycled', 'marketing_qualified', 'sales_ready']);
  });

  it('rejects an unknown stage, an unknown contact, malformed JSON and extra fields', async () => {
    const c = await makeContact(t);
    expect((await move(t, c.id, 'champion', 'x')).statusCode).toBe(400);
    expect((await move(t, 999_999_999, 'lead', 'x')).statusCode).toBe(404);
    const bad = await t.inject({ method: 'POST', url: `/api/v1/contacts/${c.id}/lifecycle`, headers: { ...(await t.as('admin')), 'content-type': 'application/json' }, payload: '{"toStage":' });
    expect(bad.statusCode).toBe(400);
    expect((await t.api('POST', `/contacts/${c.id}/lifecycle`, { toStage: 'lead', reason: 'x', extra: 1 })).statusCode).toBe(400);
    expect(await transitionsOf(t, c.id)).toEqual([]);
  });

  it('does not let a viewer move a contact, but lets them read the lifecycle', async () => {
    const c = await makeContact(t);
    const viewer = await t.as('viewer');
    expect((await move(t, c.id, 'lead', 'x', viewer)).statusCode).toBe(403);
    expect((await t.api('GET', `/contacts/${c.id}/lifecycle`, undefined, viewer)).statusCode).toBe(200);
    expect(await stageOf(t, c.id)).toBe('subscriber');
  });
});

describe('stage set through the contacts API (PATCH /contacts/:id)', () => {
  it('is stored as a transition with cause api and the actor, like every other move', async () => {
    const c = await makeContact(t);
    const res = await t.api('PATCH', `/contacts/${c.id}`, { lifecycleStage: 'lead' }, await t.as('marketing'));
    expect(res.statusCode).toBe(200);
    expect(res.json().lifecycleStage).toBe('lead');
    expect(await transitionsOf(t, c.id)).toEqual([expect.objectContaining({ from_stage: 'subscriber', to_stage: 'lead', cause: 'api' })]);
  });
});

describe('getContactLifecycle (GET /contacts/:id/lifecycle)', () => {
  it('gives history newest first, time in each stage and the allowed moves', async () => {
    const c = await makeContact(t);
    await t.database.pool.query(`update contacts set created_at = now() - interval '10 days' where id = $1`, [c.id]);
    await move(t, c.id, 'lead', 'first');
    await t.database.pool.query(`update lifecycle_transitions set occurred_at = now() - interval '4 days' where contact_id = $1`, [c.id]);
    await move(t, c.id, 'marketing_qualified', 'second');
    const res = await t.api('GET', `/contacts/${c.id}/lifecycle`);
    expect(res.statusCode).toBe(200);
    const lc = res.json();
    expect(lc.stage).toBe('marketing_qualified');
    expect(lc.history.map((h: { toStage: string }) => h.toStage)).toEqual(['marketing_qualified', 'lead']);
    const time = Object.fromEntries(lc.timeInStage.map((s: { stage: string; seconds: number }) => [s.stage, Math.round(s.seconds / 86400)]));
    expect(time).toEqual({ subscriber: 6, lead: 4, marketing_qualified: 0 });
    expect(lc.allowedMoves).toEqual(['sales_ready', 'lead', 'recycled', 'disqualified']);
    expect(lc.opportunityCycle).toBeNull();
    expect((await t.api('GET', '/contacts/999999999/lifecycle')).statusCode).toBe(404);
  });
});
