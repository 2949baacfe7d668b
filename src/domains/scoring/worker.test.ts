import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { contacts } from '../contacts/schema.ts';
import { eventsOf, makeSource, send, uid } from '../tracking/test-helpers.ts';
import { defaultModel } from './defaults.ts';
import { enqueueEvents } from './inbox.ts';
import { scoreInboxBatch, scoreInboxInTx } from './worker.ts';
import { startScoringLoop } from './worker-loop.ts';

// Scoring without the loop (jobs off): the test drives passes itself with a simulated clock.
let t: TestApp;
let s: { id: number; writeKey: string };
beforeAll(async () => {
  t = await createTestApp();
  s = await makeSource(t);
});
afterAll(() => t.close());

const DAY = 86_400_000;
const drainAll = async (now: Date) => {
  for (let i = 0; i < 20; i++) if ((await scoreInboxBatch(t.db, { now })).inboxRows === 0) return;
};

async function newContact(traits: Record<string, unknown> = {}): Promise<{ id: number; userId: string }> {
  const userId = `u-${uid()}`;
  const email = `w-${uid()}@acme.test`;
  await send(t, s.writeKey, 'identify', { userId, traits: { email, ...traits } });
  const [c] = await t.db.select().from(contacts).where(eq(contacts.email, email));
  return { id: c!.id, userId };
}

async function ledger(contactId: number, modelId: number) {
  const res = await t.db.execute(
    sql`select rule_id, times, capped_times, earned from score_ledger where contact_id = ${contactId} and model_id = ${modelId} order by rule_id`,
  );
  return res.rows as { rule_id: string; times: number; capped_times: number; earned: number }[];
}
const ruleRow = async (contactId: number, modelId: number, ruleId: string) => (await ledger(contactId, modelId)).find((r) => r.rule_id === ruleId);
async function stored(contactId: number, modelId: number) {
  const res = await t.db.execute(sql`select score, grade, breakdown, computed_at from contact_scores where contact_id = ${contactId} and model_id = ${modelId}`);
  return res.rows[0] as { score: number; grade: string | null; breakdown: any; computed_at: Date } | undefined;
}

describe('scoreInboxBatch', () => {
  it('applies caps per calendar window counted from the ledger, across passes, and decays to the clock', async () => {
    const eng = (await defaultModel(t.db, 1, 'engagement'))!;
    const c = await newContact();
    // Monday 2026-11-02 … : five pricing views in one week (cap 3 per week, 10 points each), over two passes.
    const base = Date.UTC(2026, 10, 2, 9);
    const view = (i: number) => ({ type: 'page', userId: c.userId, name: 'Pricing', properties: { path: '/pricing' }, timestamp: new Date(base + i * 3_600_000).toISOString() });
    await send(t, s.writeKey, 'batch', { batch: [view(0), view(1)] });
    const now = new Date(base + 30 * DAY);
    await drainAll(now);
    await send(t, s.writeKey, 'batch', { batch: [view(2), view(3), view(4)] });
    await drainAll(now);
    // one ledger row per rule: 3 views earned 10 each, the cap stopped 2
    expect(await ruleRow(c.id, eng.id, 'pricing-page')).toEqual({ rule_id: 'pricing-page', times: 3, capped_times: 2, earned: 30 });
    // page-view: 1 point each, at most 10 a day → 5
    expect(await ruleRow(c.id, eng.id, 'page-view')).toEqual({ rule_id: 'page-view', times: 5, capped_times: 0, earned: 5 });
    // 35 points about 30 days old (half-life 30): each event decayed by its own age.
    const expected = [0, 1, 2, 3, 4].reduce((sum, i) => sum + ((i < 3 ? 10 : 0) + 1) * 0.5 ** ((now.getTime() - (base + i * 3_600_000)) / DAY / 30), 0);
    const score = await stored(c.id, eng.id);
    expect(score!.score).toBeCloseTo(Math.round(expected * 100) / 100, 2);
    expect(score!.breakdown.rules.find((r: any) => r.ruleId === 'pricing-page')).toMatchObject({ times: 3, cappedTimes: 2, earned: 30 });
    expect(new Date(score!.computed_at).getTime()).toBe(now.getTime());
    // a view the next week earns again (new window)
    await send(t, s.writeKey, 'page', { ...view(0), timestamp: new Date(base + 7 * DAY).toISOString() });
    await drainAll(now);
    expect(await ruleRow(c.id, eng.id, 'pricing-page')).toEqual({ rule_id: 'pricing-page', times: 4, capped_times: 2, earned: 40 });
    // decay stays exact per event: the ledger row's value equals Σ of each earning view decayed by its own age
    const later = new Date(base + 7 * DAY);
    const expected2 = [0, 1, 2].reduce((sum, i) => sum + 10 * 0.5 ** ((now.getTime() - (base + i * 3_600_000)) / DAY / 30), 0) + 10 * 0.5 ** ((now.getTime() - later.getTime()) / DAY / 30);
    const after = await stored(c.id, eng.id);
    expect(after!.breakdown.rules.find((r: any) => r.ruleId === 'pricing-page').current).toBeCloseTo(Math.round(expected2 * 100) / 100, 2);
  });

  it('recomputes fit from the contact fields an identify changed', async () => {
    const fit = (await defaultModel(t.db, 1, 'fit'))!;
    const c = await newContact();
    await drainAll(new Date());
    const before = await stored(c.id, fit.id);
    await send(t, s.writeKey, 'identify', { userId: c.userId, traits: { title: 'VP Marketing', phone: '+1 555 0100' } });
    await drainAll(new Date());
    const after = await stored(c.id, fit.id);
    expect(after!.score).toBeGreaterThan(before?.score ?? 0);
    expect(after!.breakdown.matched.map((m: any) => m.ruleId)).toEqual(expect.arrayContaining(['senior-title', 'has-phone']));
  });

  it('loses nothing when a pass rolls back half-way, and scores the events once afterwards', async () => {
    const eng = (await defaultModel(t.db, 1, 'engagement'))!;
    const c = await newContact();
    await drainAll(new Date());
    await send(t, s.writeKey, 'track', { userId: c.userId, event: 'Demo Requested' });
    const waiting = await t.count('scoring_inbox');
    expect(waiting).toBeGreaterThan(0);
    await t.db
      .transaction(async (tx) => {
        const r = await scoreInboxInTx(tx, new Date());
        expect(r.ledgerRows).toBeGreaterThan(0);
        throw new Error('crash before commit');
      })
      .catch((e) => expect(String(e)).toMatch(/crash before commit/));
    expect(await t.count('scoring_inbox')).toBe(waiting);
    expect(await ledger(c.id, eng.id)).toEqual([]);
    await drainAll(new Date());
    expect((await ledger(c.id, eng.id)).map((r) => [r.rule_id, r.times, r.earned])).toEqual([['demo-request', 1, 40]]);
    expect(await t.count('scoring_inbox')).toBe(0);
  });

  it('scores an event queued twice (ingest, then a merge or back-fill) only once', async () => {
    const eng = (await defaultModel(t.db, 1, 'engagement'))!;
    const c = await newContact();
    await send(t, s.writeKey, 'track', { userId: c.userId, event: 'Demo Requested' });
    await drainAll(new Date());
    const ev = (await eventsOf(t, s.id)).find((e) => e.userId === c.userId && e.event === 'Demo Requested')!;
    await enqueueEvents(t.db, 1, [ev.id], ev.receivedAt, ev.receivedAt);
    await drainAll(new Date());
    expect(await ruleRow(c.id, eng.id, 'demo-request')).toEqual({ rule_id: 'demo-request', times: 1, capped_times: 0, earned: 40 });
    expect((await stored(c.id, eng.id))!.score).toBe(40);
  });

  it('scores a merged contact\'s events for the winner once, with the loser\'s ledger gone with it', async () => {
    const eng = (await defaultModel(t.db, 1, 'engagement'))!;
    const a = await newContact();
    const b = await newContact();
    await send(t, s.writeKey, 'track', { userId: a.userId, event: 'Demo Requested' });
    await send(t, s.writeKey, 'track', { userId: b.userId, event: 'Demo Requested' });
    // b's second demo is still waiting in the inbox when the merge queues b's events again
    await drainAll(new Date());
    await send(t, s.writeKey, 'track', { userId: b.userId, event: 'Demo Requested' });
    await send(t, s.writeKey, 'alias', { previousId: b.userId, userId: a.userId });
    await drainAll(new Date());
    expect(await ruleRow(a.id, eng.id, 'demo-request')).toEqual({ rule_id: 'demo-request', times: 3, capped_times: 0, earned: 120 });
    expect(await ledger(b.id, eng.id)).toEqual([]);
    expect((await stored(a.id, eng.id))!.score).toBe(120);
  });

  it('scores earlier anonymous events once an identify ties them to a contact', async () => {
    const eng = (await defaultModel(t.db, 1, 'engagement'))!;
    const anon = `anon-${uid()}`;
    await send(t, s.writeKey, 'track', { anonymousId: anon, event: 'Demo Requested' });
    await send(t, s.writeKey, 'page', { anonymousId: anon, properties: { path: '/pricing' } });
    await drainAll(new Date());
    const email = `anon-${uid()}@acme.test`;
    await send(t, s.writeKey, 'identify', { anonymousId: anon, traits: { email } });
    await drainAll(new Date());
    const [c] = await t.db.select().from(contacts).where(eq(contacts.email, email));
    expect((await ledger(c!.id, eng.id)).map((r) => r.rule_id).sort()).toEqual(['demo-request', 'page-view', 'pricing-page']);
    expect((await stored(c!.id, eng.id))!.score).toBe(51);
  });

  it('moves the contact through the lifecycle rules in the same pass', async () => {
    const c = await newContact();
    await send(t, s.writeKey, 'track', { userId: c.userId, event: 'Demo Requested' });
    const r = await scoreInboxBatch(t.db, { now: new Date() });
    expect(r.transitions).toBeGreaterThan(0);
    const [row] = await t.db.select({ stage: contacts.lifecycleStage }).from(contacts).where(eq(contacts.id, c.id));
    expect(row!.stage).not.toBe('subscriber');
  });
});

describe('scoring loop (jobs on)', () => {
  let j: TestApp;
  beforeAll(async () => {
    j = await createTestApp({ jobs: true });
  });
  afterAll(() => j.close());

  it('scores a new event within seconds of its acknowledgement: ledger, score and lifecycle', async () => {
    const src = await makeSource(j);
    const userId = `u-${uid()}`;
    const email = `loop-${uid()}@acme.test`;
    await send(j, src.writeKey, 'identify', { userId, traits: { email } });
    const [c] = await j.db.select().from(contacts).where(eq(contacts.email, email));
    const eng = (await defaultModel(j.db, 1, 'engagement'))!;
    const acked = Date.now();
    const res = await send(j, src.writeKey, 'track', { userId, event: 'Demo Requested' });
    expect(res.statusCode).toBe(200);
    let score: number | undefined;
    while (Date.now() - acked < 10_000) {
      const r = await j.db.execute(sql`select score from contact_scores where contact_id = ${c!.id} and model_id = ${eng.id}`);
      score = (r.rows[0] as { score: number } | undefined)?.score;
      if (score && score > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const took = Date.now() - acked;
    expect(score).toBe(40);
    expect(took).toBeLessThan(5000);
    const [row] = await j.db.select({ stage: contacts.lifecycleStage }).from(contacts).where(eq(contacts.id, c!.id));
    expect(row!.stage).toBe('lead');
    const l = await j.db.execute(sql`select rule_id, times, earned from score_ledger where contact_id = ${c!.id}`);
    expect(l.rows).toEqual([{ rule_id: 'demo-request', times: 1, earned: 40 }]);
  });
});

describe('scoring loop with a row that cannot be scored', () => {
  it('keeps scoring everybody else and leaves the bad row in the inbox', async () => {
    const eng = (await defaultModel(t.db, 1, 'engagement'))!;
    await drainAll(new Date());
    const bad = await newContact();
    const good = await newContact();
    await drainAll(new Date());
    // A database-side failure for one contact only (stands in for a bug or bad data).
    await t.db.execute(sql.raw(`create function t_poison() returns trigger language plpgsql as $$ begin
      if new.contact_id = ${bad.id} then raise exception 'poisoned contact'; end if; return new; end $$;
      create trigger t_poison before insert on score_ledger for each row execute function t_poison()`));
    try {
      await send(t, s.writeKey, 'track', { userId: bad.userId, event: 'Demo Requested' });
      await send(t, s.writeKey, 'track', { userId: good.userId, event: 'Demo Requested' });
      const errors: unknown[] = [];
      const loop = startScoringLoop({ db: t.db, log: { info: () => undefined, debug: () => undefined, error: (o: unknown) => errors.push(o) }, pollMs: 50 });
      try {
        for (let i = 0; i < 200 && !(await ledger(good.id, eng.id)).length; i++) await new Promise((r) => setTimeout(r, 25));
      } finally {
        await loop.stop();
      }
      expect((await ledger(good.id, eng.id)).map((r) => r.rule_id)).toEqual(['demo-request']);
      expect(await ledger(bad.id, eng.id)).toEqual([]);
      expect(await t.count('scoring_inbox')).toBe(1);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await t.db.execute(sql`drop trigger t_poison on score_ledger; drop function t_poison()`);
      await drainAll(new Date());
    }
  });
});
