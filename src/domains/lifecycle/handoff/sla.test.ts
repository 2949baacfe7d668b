import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { systemActor } from '../../../context.ts';
import { transitionInTx } from '../transition.ts';
import { acceptHandoff } from './decide.ts';
import { checkSlaBreaches, settleStaleHandoffs } from './sla.ts';
import { getSymptoms } from './symptoms.ts';
import { makeLead, setRouting, userWithKey } from './test-helpers.ts';

let t: TestApp;
let rep: Awaited<ReturnType<typeof userWithKey>>;
let other: Awaited<ReturnType<typeof userWithKey>>;
let admin: Awaited<ReturnType<typeof userWithKey>>;
let mkt: Awaited<ReturnType<typeof userWithKey>>;

beforeAll(async () => {
  t = await createTestApp();
  rep = await userWithKey(t, 'sales');
  other = await userWithKey(t, 'sales');
  admin = await userWithKey(t, 'admin');
  mkt = await userWithKey(t, 'marketing');
});
afterAll(() => t.close());

const H = 3_600_000;
const notes = async (who: { headers: Record<string, string> }, q = '') => (await t.api('GET', `/notifications${q}`, undefined, who.headers)).json();

describe('checkSlaBreaches', () => {
  it('flags a lead only once its SLA has passed on the simulated clock, notifies owner and admins, writes the event', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [rep.id] }, { salesReadyAcceptHours: 24 });
    const t0 = new Date('2030-01-10T08:00:00Z');
    const lead = await makeLead(t, { now: t0 });
    const accepted = await makeLead(t, { now: t0 });
    await t.api('POST', `/handoffs/${accepted.handoffId}/accept`, {}, rep.headers);
    const before = (await notes(rep)).unread;

    expect(await checkSlaBreaches({ db: t.db, now: new Date(t0.getTime() + 23 * H) })).toEqual([]);
    expect((await t.database.pool.query('select breached_at from handoffs where id = $1', [lead.handoffId])).rows[0].breached_at).toBeNull();

    const at = new Date(t0.getTime() + 24 * H + 60_000);
    const flagged = await checkSlaBreaches({ db: t.db, now: at });
    expect(flagged.map((b) => b.handoffId)).toEqual([lead.handoffId]);
    expect(flagged[0]).toMatchObject({ ownerId: rep.id, dueAt: '2030-01-11T08:00:00.000Z', breachedAt: at.toISOString() });
    // Flagged once: a later run finds nothing new.
    expect(await checkSlaBreaches({ db: t.db, now: new Date(at.getTime() + H) })).toEqual([]);

    const { rows } = await t.database.pool.query('select breached_at, status from handoffs where id = $1', [lead.handoffId]);
    expect(rows[0]).toMatchObject({ status: 'pending', breached_at: at });
    const mine = await notes(rep);
    expect(mine.unread).toBe(before + 1);
    expect(mine.items[0]).toMatchObject({ kind: 'handoff.sla_breached', link: `/handoff?id=${lead.handoffId}`, readAt: null });
    expect((await notes(admin)).items.map((n: { kind: string }) => n.kind)).toContain('handoff.sla_breached');
    expect((await notes(mkt)).items).toEqual([]);
    expect((await notes(other)).items.filter((n: { kind: string }) => n.kind === 'handoff.sla_breached')).toEqual([]);
    const audit = await t.auditOf('handoff', lead.handoffId);
    expect(audit.map((a) => a.action)).toEqual(['handoff.opened', 'handoff.sla_breached']);
    expect(audit[1]!.changes).toMatchObject({ handoffId: lead.handoffId, contactId: lead.contactId, ownerId: rep.id });

    const list = (await t.api('GET', '/handoffs?breached=true', undefined, rep.headers)).json();
    expect(list.items.map((h: { id: number }) => h.id)).toEqual([lead.handoffId]);
    expect(list.items[0]).toMatchObject({ overdue: true, breachedAt: at.toISOString() });
  });
});

describe('notifications', () => {
  it('lists only my own, marks one read (404 for someone else\'s) and all read', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [other.id] });
    await makeLead(t);
    await makeLead(t);
    const mine = await notes(other);
    expect(mine.unread).toBeGreaterThanOrEqual(2);
    const id = mine.items[0].id;
    expect((await t.api('POST', `/notifications/${id}/read`, undefined, rep.headers)).statusCode).toBe(404);
    const read = await t.api('POST', `/notifications/${id}/read`, undefined, other.headers);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    expect((await notes(other)).unread).toBe(mine.unread - 1);
    expect((await notes(other, '?unread=true')).items.map((n: { id: number }) => n.id)).not.toContain(id);
    const all = await t.api('POST', '/notifications/read-all', undefined, other.headers);
    expect(all.json()).toEqual({ marked: mine.unread - 1 });
    expect((await notes(other)).unread).toBe(0);
    expect((await t.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);
    expect((await t.api('GET', '/notifications?unread=perhaps', undefined, other.headers)).statusCode).toBe(400);
  });
});

describe('getSymptoms', () => {
  it('counts leads not followed up and breaches per rep, reasons, and the sales-ready → opportunity trend exactly', async () => {
    const t2 = await createTestApp();
    try {
      const a = await userWithKey(t2, 'sales');
      const b = await userWithKey(t2, 'sales');
      await setRouting(t2, { mode: 'round_robin', pool: [a.id, b.id] }, { salesReadyAcceptHours: 24 });
      const now = new Date('2030-06-15T12:00:00Z');
      const may = new Date('2030-05-10T12:00:00Z');
      // May: 4 leads (a, b, a, b). One accepted then became an opportunity, one recycled, one rejected, one left pending.
      const l1 = await makeLead(t2, { now: may });
      const l2 = await makeLead(t2, { now: may });
      const l3 = await makeLead(t2, { now: may });
      const l4 = await makeLead(t2, { now: may });
      expect([l1.ownerId, l2.ownerId, l3.ownerId, l4.ownerId]).toEqual([a.id, b.id, a.id, b.id]);
      await acceptHandoff({ ctx: await t2.ctx('sales'), id: l1.handoffId, input: {}, now: new Date('2030-05-11T00:00:00Z') });
      await t2.db.transaction((tx) => transitionInTx(tx, systemActor, { contactId: l1.contactId, toStage: 'opportunity', cause: 'deal', now: new Date('2030-05-20T00:00:00Z') }));
      await t2.api('POST', `/handoffs/${l2.handoffId}/recycle`, { reason: 'Too early' }, b.headers);
      await t2.api('POST', `/handoffs/${l3.handoffId}/reject`, { reason: 'Too early ' }, a.headers);
      // June: 2 leads, both pending; the SLA check runs at `now`: l4 (May) and one June lead are past due.
      const l5 = await makeLead(t2, { now: new Date('2030-06-01T00:00:00Z') });
      const l6 = await makeLead(t2, { now: new Date('2030-06-15T00:00:00Z') });
      await checkSlaBreaches({ db: t2.db, now });
      const s = await getSymptoms({ ctx: { db: t2.db }, input: { months: 3 }, now });
      expect(s.notFollowedUp.total).toBe(2);
      expect(s.notFollowedUp.byRep.map((r) => [r.id, r.count, r.oldestDueAt]).sort()).toEqual(
        [[a.id, 1, '2030-06-02T00:00:00.000Z'], [b.id, 1, '2030-05-11T12:00:00.000Z']].sort(),
      );
      expect(l5.ownerId).toBe(a.id);
      expect(l6.ownerId).toBe(b.id);
      expect(s.breachesByRep.map((r) => [r.id, r.breaches, r.stillPending]).sort()).toEqual([[a.id, 1, 1], [b.id, 1, 1]].sort());
      expect(s.outcomes).toEqual({ accepted: 1, rejected: 1, recycled: 1, pending: 3 });
      expect(s.reasons).toEqual([
        { status: 'recycled', reason: 'Too early', count: 1 },
        { status: 'rejected', reason: 'Too early', count: 1 },
      ]);
      expect(s.recentDecisions).toHaveLength(3);
      expect(s.conversionTrend).toEqual([
        { month: '2030-04', salesReady: 0, accepted: 0, opportunity: 0, rate: null },
        { month: '2030-05', salesReady: 4, accepted: 1, opportunity: 1, rate: 0.25 },
        { month: '2030-06', salesReady: 2, accepted: 0, opportunity: 0, rate: 0 },
      ]);
      const viaApi = await t2.api('GET', '/lifecycle/symptoms?months=3', undefined, (await userWithKey(t2, 'viewer')).headers);
      expect(viaApi.statusCode).toBe(200);
      expect((await t2.api('GET', '/lifecycle/symptoms?months=99')).statusCode).toBe(400);
    } finally {
      await t2.close();
    }
  });
});

describe('settleStaleHandoffs', () => {
  it('closes a pending handoff whose contact left sales-ready without a transition, and never flags it as breached', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [rep.id] });
    const t0 = new Date('2031-02-01T08:00:00Z');
    const lead = await makeLead(t, { now: t0 });
    const gone = await makeLead(t, { now: t0 });
    // A stage written around the lifecycle verbs (an old import path, a manual SQL fix).
    await t.database.pool.query(`update contacts set lifecycle_stage = 'customer' where id = $1`, [lead.contactId]);
    await t.database.pool.query(`update contacts set lifecycle_stage = 'disqualified' where id = $1`, [gone.contactId]);
    const later = new Date(t0.getTime() + 48 * H);
    expect((await checkSlaBreaches({ db: t.db, now: later })).map((b) => b.handoffId)).not.toContain(lead.handoffId);
    expect(await settleStaleHandoffs({ db: t.db, now: later })).toEqual(expect.arrayContaining([lead.handoffId, gone.handoffId]));
    const { rows } = await t.database.pool.query('select id, status, reason, breached_at from handoffs where id = any($1) order by id', [[lead.handoffId, gone.handoffId]]);
    expect(rows).toMatchObject([
      { status: 'accepted', reason: 'Contact moved to customer outside the queue', breached_at: null },
      { status: 'rejected', reason: 'Contact moved to disqualified outside the queue', breached_at: null },
    ]);
    expect((await t.api('POST', `/handoffs/${lead.handoffId}/accept`, {}, rep.headers)).statusCode).toBe(409);
    expect(await settleStaleHandoffs({ db: t.db, now: later })).toEqual([]);
  });

  it('leaves nothing to settle when a deal moves the contact on (the transition closes the handoff)', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [rep.id] });
    const lead = await makeLead(t);
    await t.db.transaction((tx) => transitionInTx(tx, systemActor, { contactId: lead.contactId, toStage: 'opportunity', cause: 'deal' }));
    const { rows } = await t.database.pool.query('select status from handoffs where id = $1', [lead.handoffId]);
    expect(rows[0].status).toBe('accepted');
  });
});

describe('checkFollowUpBreaches', () => {
  it('flags an accepted lead not followed up within the follow-up SLA, once, and not one that became an opportunity', async () => {
    const closer = await userWithKey(t, 'sales');
    await setRouting(t, { mode: 'round_robin', pool: [closer.id] }, { salesReadyAcceptHours: 24, salesAcceptedFollowUpHours: 72 });
    const ctx = { ...(await t.ctx('sales')), actor: { type: 'user' as const, id: String(closer.id), label: closer.email, role: 'sales' as const, userId: closer.id } };
    const t0 = new Date('2032-03-01T08:00:00Z');
    const stalled = await makeLead(t, { now: t0 });
    const worked = await makeLead(t, { now: t0 });
    const accepted = await acceptHandoff({ ctx, id: stalled.handoffId, input: {}, now: new Date(t0.getTime() + 2 * H) });
    expect(accepted.followUpDueAt).toBe('2032-03-04T10:00:00.000Z');
    await acceptHandoff({ ctx, id: worked.handoffId, input: {}, now: new Date(t0.getTime() + 2 * H) });
    await t.db.transaction((tx) => transitionInTx(tx, systemActor, { contactId: worked.contactId, toStage: 'opportunity', cause: 'deal', now: new Date(t0.getTime() + 40 * H) }));

    const early = await checkSlaBreaches({ db: t.db, now: new Date(t0.getTime() + 73 * H) });
    expect(early.filter((b) => b.kind === 'follow_up')).toEqual([]);
    const at = new Date(t0.getTime() + 75 * H);
    const flagged = (await checkSlaBreaches({ db: t.db, now: at })).filter((b) => b.kind === 'follow_up');
    expect(flagged).toEqual([expect.objectContaining({ handoffId: stalled.handoffId, ownerId: closer.id, dueAt: '2032-03-04T10:00:00.000Z' })]);
    expect((await checkSlaBreaches({ db: t.db, now: new Date(at.getTime() + H) })).filter((b) => b.kind === 'follow_up')).toEqual([]);

    expect((await notes(closer)).items[0]).toMatchObject({ kind: 'handoff.follow_up_breached', link: `/handoff?id=${stalled.handoffId}` });
    expect((await t.auditOf('handoff', stalled.handoffId)).map((a) => a.action)).toEqual(['handoff.opened', 'handoff.accepted', 'handoff.follow_up_breached']);
    const one = (await t.api('GET', `/handoffs/${stalled.handoffId}`, undefined, closer.headers)).json();
    expect(one).toMatchObject({ status: 'accepted', followUpBreachedAt: at.toISOString() });

    const s = await getSymptoms({ ctx: { db: t.db }, input: {}, now: at });
    expect(s.notFollowedUp.byRep.find((r) => r.id === closer.id)).toMatchObject({ count: 0, stalled: 1 });
    expect(s.breachesByRep.find((r) => r.id === closer.id)).toMatchObject({ breaches: 0, followUpBreaches: 1 });
  });

  it('sets no follow-up deadline when the workspace has no follow-up SLA', async () => {
    await setRouting(t, { mode: 'round_robin', pool: [rep.id] });
    const lead = await makeLead(t);
    const res = await t.api('POST', `/handoffs/${lead.handoffId}/accept`, {}, rep.headers);
    expect(res.json()).toMatchObject({ status: 'accepted', followUpDueAt: null });
  });
});
