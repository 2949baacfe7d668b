import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { makeContact, makeLead, resetPointer, setRouting, userWithKey } from './test-helpers.ts';
import { systemActor } from '../../../context.ts';
import { openHandoff } from './open.ts';

let t: TestApp;
let s1: Awaited<ReturnType<typeof userWithKey>>;
let s2: Awaited<ReturnType<typeof userWithKey>>;
let s3: Awaited<ReturnType<typeof userWithKey>>;
let mkt: Awaited<ReturnType<typeof userWithKey>>;
let viewer: Awaited<ReturnType<typeof userWithKey>>;
let admin: Awaited<ReturnType<typeof userWithKey>>;

beforeAll(async () => {
  t = await createTestApp();
  s1 = await userWithKey(t, 'sales');
  s2 = await userWithKey(t, 'sales');
  s3 = await userWithKey(t, 'sales');
  mkt = await userWithKey(t, 'marketing');
  viewer = await userWithKey(t, 'viewer');
  admin = await userWithKey(t, 'admin');
});
afterAll(() => t.close());

const stageOf = async (contactId: number) =>
  (await t.database.pool.query('select lifecycle_stage from contacts where id = $1', [contactId])).rows[0].lifecycle_stage as string;
const transitionsOf = async (contactId: number) =>
  (await t.database.pool.query('select from_stage, to_stage, cause, reason, details from lifecycle_transitions where contact_id = $1 order by occurred_at, id', [contactId])).rows;
const handoffRow = async (id: number) => (await t.database.pool.query('select * from handoffs where id = $1', [id])).rows[0];

describe('routing', () => {
  it('round-robins over the pool in order, continuing after the last one who got a lead', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id, s2.id, s3.id] });
    await resetPointer(t);
    const owners: (number | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const lead = await makeLead(t);
      expect(lead.routedBy).toBe('round_robin');
      owners.push(lead.ownerId);
    }
    expect(owners).toEqual([s1.id, s2.id, s3.id, s1.id]);
  });

  it('gives leads opened at the same time to different people (pointer is concurrency safe)', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id, s2.id, s3.id] });
    const leads = await Promise.all(Array.from({ length: 6 }, () => makeLead(t)));
    const per = new Map<number | null, number>();
    for (const l of leads) per.set(l.ownerId, (per.get(l.ownerId) ?? 0) + 1);
    expect([...per.entries()].sort()).toEqual([[s1.id, 2], [s2.id, 2], [s3.id, 2]].sort());
  });

  it('skips disabled users in the pool', async () => {
    const gone = await userWithKey(t, 'sales');
    await t.database.pool.query('update users set disabled_at = now() where id = $1', [gone.id]);
    await setRouting(t, { mode: 'round_robin', pool: [gone.id, s2.id] });
    await resetPointer(t);
    expect((await makeLead(t)).ownerId).toBe(s2.id);
    expect((await makeLead(t)).ownerId).toBe(s2.id);
  });

  it('routes to the account owner, else the contact owner, else round-robin', async () => {
    await setRouting(t, { mode: 'account_owner', pool: [s1.id] });
    const byAccount = await makeLead(t, { ownerId: s3.id, account: { ownerId: s2.id } });
    expect(byAccount).toMatchObject({ ownerId: s2.id, routedBy: 'account_owner' });
    const byContact = await makeLead(t, { ownerId: s3.id, account: { ownerId: null } });
    expect(byContact).toMatchObject({ ownerId: s3.id, routedBy: 'account_owner' });
    // A marketing owner cannot work the queue: falls back to the pool.
    const fallback = await makeLead(t, { ownerId: mkt.id });
    expect(fallback).toMatchObject({ ownerId: s1.id, routedBy: 'round_robin' });
  });

  it('routes by the first matching territory and falls back to round-robin', async () => {
    await setRouting(t, {
      mode: 'territory',
      pool: [s1.id],
      territories: [
        { name: 'DACH', match: { field: 'account.country', op: 'in', value: ['DE', 'AT', 'CH'] }, ownerId: s2.id },
        { name: 'Banks', match: { field: 'account.industry', op: 'eq', value: 'Banking' }, ownerId: s3.id },
      ],
    });
    expect(await makeLead(t, { account: { country: 'de', industry: 'Banking' } })).toMatchObject({ ownerId: s2.id, routedBy: 'territory:DACH' });
    expect(await makeLead(t, { account: { country: 'FR', industry: 'banking' } })).toMatchObject({ ownerId: s3.id, routedBy: 'territory:Banks' });
    expect(await makeLead(t, { account: { country: 'FR' } })).toMatchObject({ ownerId: s1.id, routedBy: 'round_robin' });
    expect(await makeLead(t)).toMatchObject({ ownerId: s1.id, routedBy: 'round_robin' });
  });

  it('leaves the lead unassigned when nobody can take it', async () => {
    const gone = await userWithKey(t, 'sales');
    await t.database.pool.query('update users set disabled_at = now() where id = $1', [gone.id]);
    await setRouting(t, { mode: 'round_robin', pool: [gone.id] });
    expect(await makeLead(t)).toMatchObject({ ownerId: null, routedBy: 'unassigned' });
  });
});

describe('openHandoff', () => {
  it('sets the SLA due time from settings, records the why and notifies the owner', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s3.id] }, { salesReadyAcceptHours: 8 });
    const now = new Date('2026-03-02T09:00:00Z');
    const lead = await makeLead(t, { now });
    const row = await handoffRow(lead.handoffId);
    expect(row.due_at.toISOString()).toBe('2026-03-02T17:00:00.000Z');
    expect(row.why).toMatchObject({ definitionVersion: 1, consumedContent: [], fieldNotes: [] });
    const notes = (await t.api('GET', '/notifications', undefined, s3.headers)).json();
    expect(notes.items[0]).toMatchObject({ kind: 'handoff.assigned', link: `/handoff?id=${lead.handoffId}` });
    expect(notes.items[0].title).toContain('Lead');
    expect((await t.auditOf('handoff', lead.handoffId)).map((a) => a.action)).toEqual(['handoff.opened']);
  });

  it('returns the open handoff instead of a second one for the same contact', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id] });
    const lead = await makeLead(t);
    const again = await t.db.transaction((tx) => openHandoff(tx, systemActor, { contactId: lead.contactId }));
    expect(again.handoffId).toBe(lead.handoffId);
    const { rows } = await t.database.pool.query('select count(*)::int as n from handoffs where contact_id = $1', [lead.contactId]);
    expect(rows[0].n).toBe(1);
  });
});

describe('decisions', () => {
  it('accept makes the contact sales-accepted; a second decision is a 409 and changes nothing', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id] });
    const lead = await makeLead(t);
    const res = await t.api('POST', `/handoffs/${lead.handoffId}/accept`, {}, s1.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted', decidedBy: { id: s1.id }, contact: { lifecycleStage: 'sales_accepted' } });
    expect(await stageOf(lead.contactId)).toBe('sales_accepted');
    const again = await t.api('POST', `/handoffs/${lead.handoffId}/accept`, {}, s1.headers);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('already accepted');
    const reject = await t.api('POST', `/handoffs/${lead.handoffId}/reject`, { reason: 'changed my mind' }, s2.headers);
    expect(reject.statusCode).toBe(409);
    expect(await stageOf(lead.contactId)).toBe('sales_accepted');
    expect((await handoffRow(lead.handoffId)).reason).toBeNull();
    const tr = await transitionsOf(lead.contactId);
    expect(tr.map((r) => [r.to_stage, r.cause])).toEqual([['sales_ready', 'rule'], ['sales_accepted', 'handoff']]);
    expect(tr[1].details.handoffId).toBe(lead.handoffId);
    expect((await t.auditOf('handoff', lead.handoffId)).map((a) => a.action)).toEqual(['handoff.opened', 'handoff.accepted']);
  });

  it('lets exactly one of two simultaneous decisions win; the other gets a 409', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id] });
    const lead = await makeLead(t);
    const [a, b] = await Promise.all([
      t.api('POST', `/handoffs/${lead.handoffId}/accept`, {}, s1.headers),
      t.api('POST', `/handoffs/${lead.handoffId}/recycle`, { reason: 'not now' }, s2.headers),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const won = a.statusCode === 200 ? 'sales_accepted' : 'recycled';
    expect(await stageOf(lead.contactId)).toBe(won);
    expect((await transitionsOf(lead.contactId)).filter((r) => r.cause === 'handoff')).toHaveLength(1);
  });

  it('accepts without a body', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id] });
    const lead = await makeLead(t);
    const res = await t.inject({ method: 'POST', url: `/api/v1/handoffs/${lead.handoffId}/accept`, headers: s1.headers });
    expect(res.json()).toMatchObject({ status: 'accepted' });
  });

  it('reject recycles the contact with the reason by default', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s2.id] });
    const lead = await makeLead(t);
    const res = await t.api('POST', `/handoffs/${lead.handoffId}/reject`, { reason: 'Student, no budget' }, s2.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', reason: 'Student, no budget' });
    expect(await stageOf(lead.contactId)).toBe('recycled');
    expect((await transitionsOf(lead.contactId)).at(-1)).toMatchObject({ to_stage: 'recycled', cause: 'handoff', reason: 'Student, no budget' });
  });

  it('reject with disqualify disqualifies the contact with the reason', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s2.id] });
    const lead = await makeLead(t);
    const res = await t.api('POST', `/handoffs/${lead.handoffId}/reject`, { reason: 'Competitor', disqualify: true }, s2.headers);
    expect(res.statusCode).toBe(200);
    expect(await stageOf(lead.contactId)).toBe('disqualified');
    expect((await transitionsOf(lead.contactId)).at(-1)).toMatchObject({ from_stage: 'sales_ready', to_stage: 'disqualified', reason: 'Competitor' });
  });

  it('rejects a decision without a reason, naming the field, and leaves the lead pending', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s2.id] });
    const lead = await makeLead(t);
    for (const [path, body] of [['reject', {}], ['reject', { reason: '   ' }], ['recycle', {}], ['reject', { reason: 'x', disqualify: 'yes' }], ['recycle', { reason: 'x', extra: 1 }]] as const) {
      const res = await t.api('POST', `/handoffs/${lead.handoffId}/${path}`, body, s2.headers);
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json().error)).toMatch(/reason|disqualify|extra/);
    }
    const malformed = await t.inject({ method: 'POST', url: `/api/v1/handoffs/${lead.handoffId}/reject`, headers: { ...s2.headers, 'content-type': 'application/json' }, payload: '{"reason":' });
    expect(malformed.statusCode).toBe(400);
    expect((await handoffRow(lead.handoffId)).status).toBe('pending');
    expect(await stageOf(lead.contactId)).toBe('sales_ready');
  });

  it('recycle sends the contact back to nurture, keeps the full history, and re-qualifying opens a new handoff', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s3.id] });
    const lead = await makeLead(t);
    const res = await t.api('POST', `/handoffs/${lead.handoffId}/recycle`, { reason: 'Not now, budget next quarter' }, s3.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'recycled', reason: 'Not now, budget next quarter', contact: { lifecycleStage: 'recycled' } });
    // Re-qualification: recycled → MQL by rule → sales-ready again → a second handoff; the first stays recycled.
    const { transitionInTx } = await import('../transition.ts');
    await t.db.transaction(async (tx) => {
      await transitionInTx(tx, systemActor, { contactId: lead.contactId, toStage: 'marketing_qualified', cause: 'rule' });
      await transitionInTx(tx, systemActor, { contactId: lead.contactId, toStage: 'sales_ready', cause: 'rule' });
    });
    const list = (await t.api('GET', `/handoffs?contactId=${lead.contactId}`, undefined, s3.headers)).json();
    expect(list.items.map((h: { status: string }) => h.status)).toEqual(['pending', 'recycled']);
    expect((await transitionsOf(lead.contactId)).map((r) => r.to_stage)).toEqual(['sales_ready', 'recycled', 'marketing_qualified', 'sales_ready']);
  });

  it('404s an unknown handoff and 400s a bad id', async () => {
    expect((await t.api('POST', '/handoffs/999999/accept', {}, s1.headers)).statusCode).toBe(404);
    expect((await t.api('POST', '/handoffs/abc/accept', {}, s1.headers)).statusCode).toBe(400);
    expect((await t.api('GET', '/handoffs/999999', undefined, s1.headers)).statusCode).toBe(404);
  });
});

describe('reassignHandoff', () => {
  it('moves a pending lead to another sales user and notifies them', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id] });
    const lead = await makeLead(t);
    const res = await t.api('POST', `/handoffs/${lead.handoffId}/reassign`, { ownerId: s2.id }, s1.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ owner: { id: s2.id }, routedBy: 'manual' });
    const notes = (await t.api('GET', '/notifications', undefined, s2.headers)).json();
    expect(notes.items[0]).toMatchObject({ kind: 'handoff.assigned', link: `/handoff?id=${lead.handoffId}` });
  });

  it('rejects a marketing user or unknown user as owner, naming ownerId', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id] });
    const lead = await makeLead(t);
    for (const ownerId of [mkt.id, 999999]) {
      const res = await t.api('POST', `/handoffs/${lead.handoffId}/reassign`, { ownerId }, s1.headers);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('ownerId');
    }
    expect((await handoffRow(lead.handoffId)).owner_id).toBe(s1.id);
  });
});

describe('permissions', () => {
  it('lets sales and admins decide; viewers and marketing get 403 and nothing changes', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id] });
    const lead = await makeLead(t);
    for (const who of [viewer, mkt]) {
      for (const [path, body] of [['accept', {}], ['reject', { reason: 'r' }], ['recycle', { reason: 'r' }], ['reassign', { ownerId: s2.id }]] as const) {
        const res = await t.api('POST', `/handoffs/${lead.handoffId}/${path}`, body, who.headers);
        expect(res.statusCode).toBe(403);
      }
      // Reading the queue is fine for both.
      expect((await t.api('GET', '/handoffs', undefined, who.headers)).statusCode).toBe(200);
    }
    expect((await handoffRow(lead.handoffId)).status).toBe('pending');
    expect(await stageOf(lead.contactId)).toBe('sales_ready');
    expect((await t.api('POST', `/handoffs/${lead.handoffId}/accept`, {}, admin.headers)).statusCode).toBe(200);
    expect((await t.inject({ method: 'GET', url: '/api/v1/handoffs' })).statusCode).toBe(401);
  });
});

describe('listHandoffs', () => {
  it('filters by owner=me and status, most urgent first, and pages with a cursor', async () => {
    const rep = await userWithKey(t, 'sales');
    await setRouting(t, { mode: 'round_robin', pool: [rep.id] });
    const a = await makeLead(t, { now: new Date(Date.now() - 3 * 3600_000) });
    const b = await makeLead(t, { now: new Date(Date.now() - 5 * 3600_000) });
    const c = await makeLead(t, { now: new Date(Date.now() - 1 * 3600_000) });
    const first = (await t.api('GET', '/handoffs?owner=me&status=pending&limit=2', undefined, rep.headers)).json();
    expect(first.items.map((h: { id: number }) => h.id)).toEqual([b.handoffId, a.handoffId]);
    expect(first.counts.pendingMine).toBe(3);
    const second = (await t.api('GET', `/handoffs?owner=me&status=pending&limit=2&cursor=${first.nextCursor}`, undefined, rep.headers)).json();
    expect(second.items.map((h: { id: number }) => h.id)).toEqual([c.handoffId]);
    expect(second.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ owner: { id: rep.id }, overdue: false, why: { consumedContent: [], fieldNotes: [] } });
  });

  it('filters by an owner id and by breached=false', async () => {
    const rep = await userWithKey(t, 'sales');
    await setRouting(t, { mode: 'round_robin', pool: [rep.id] });
    const lead = await makeLead(t);
    const byId = (await t.api('GET', `/handoffs?owner=${rep.id}&breached=false`, undefined, viewer.headers)).json();
    expect(byId.items.map((h: { id: number }) => h.id)).toEqual([lead.handoffId]);
  });

  it('rejects bad filters naming them', async () => {
    for (const q of ['status=open', 'owner=someone', 'breached=maybe', 'cursor=zzz&status=pending', 'limit=0']) {
      const res = await t.api('GET', `/handoffs?${q}`, undefined, s1.headers);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/status|owner|breached|cursor|limit/);
    }
  });
});

describe('getHandoff', () => {
  it('shows a handoff whose stored why is malformed instead of failing', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [s1.id] });
    const lead = await makeLead(t);
    await t.database.pool.query(`update handoffs set why = '{"consumedContent": "oops", "note": "kept"}' where id = $1`, [lead.handoffId]);
    const res = await t.api('GET', `/handoffs/${lead.handoffId}`, undefined, s1.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json().why).toMatchObject({ consumedContent: [], fieldNotes: [], note: 'kept' });
  });
});
