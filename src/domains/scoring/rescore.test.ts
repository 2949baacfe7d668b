import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { EngagementRule, FitRule } from '../../contracts/scoring.ts';
import { accounts, contacts } from '../contacts/schema.ts';
import { makeSource, send, uid } from '../tracking/test-helpers.ts';
import { ensureDefaultModels } from './defaults.ts';
import { runRescore } from './rescore.ts';
import { rescoreRuns, scoreModels } from './schema.ts';
import { scoreInboxBatch } from './worker.ts';

const DAY = 86_400_000;
const NOW = new Date(Date.UTC(2026, 10, 20, 12));

// Rules that exercise every operator and path kind, so the SQL compilation is checked against rules.ts.
const EXTRA_ENGAGEMENT: EngagementRule[] = [
  { id: 'blog-glob', label: 'Blog post', match: { type: 'page', urlPattern: '/blog/*', conditions: [] }, points: 2, cap: { maxPoints: 5, period: 'day' } },
  { id: 'full-url', label: 'Docs on the docs site', match: { urlPattern: 'https://docs.acme.test/*', conditions: [] }, points: 3, cap: null },
  {
    id: 'plan-in',
    label: 'Trial of a paid plan',
    match: { type: 'track', event: 'trial started', conditions: [{ path: 'properties.plan', op: 'in', value: ['Pro', 'enterprise'] }] },
    points: 12,
    cap: { maxTimes: 1, period: 'ever' },
  },
  {
    id: 'mixed',
    label: 'Webinar with conditions',
    match: {
      event: 'Webinar',
      conditions: [
        { path: 'properties.topic', op: 'contains', value: 'pricing' },
        { path: 'properties.minutes', op: 'between', value: [10, 90] },
        { path: 'properties.tags', op: 'eq', value: 'live' },
        { path: 'context.campaign.name', op: 'starts_with', value: ['q4', 'q1'] },
        { path: 'properties.cancelled', op: 'not_exists' },
        { path: 'utm_source', op: 'neq', value: 'spam' },
      ],
    },
    points: 7,
    cap: { maxPoints: 10, period: 'month' },
  },
  { id: 'negative', label: 'Unsubscribed', match: { type: 'track', event: 'Unsubscribed', conditions: [] }, points: -15, cap: { maxPoints: 20, period: 'week' } },
];
const EXTRA_FIT: FitRule[] = [
  { id: 'industry', label: 'Software', field: 'account.industry', op: 'eq', value: 'software', points: 20 },
  { id: 'country', label: 'DACH', field: 'account.country', op: 'in', value: ['DE', 'AT', 'CH'], points: 10 },
  { id: 'prop-seats', label: 'Seats ≥ 10', field: 'prop.seats', op: 'gte', value: 10, points: 15 },
  { id: 'acct-prop', label: 'Uses a CRM', field: 'account.prop.crm', op: 'exists', points: 5 },
  { id: 'not-student', label: 'Not a student', field: 'title', op: 'neq', value: 'student', points: 5 },
  { id: 'domain', label: 'Competitor', field: 'email_domain', op: 'starts_with', value: 'rival', points: -30 },
];

let t: TestApp;
let s: { id: number; writeKey: string };
let extraEng: number;
let extraFit: number;
beforeAll(async () => {
  t = await createTestApp();
  s = await makeSource(t);
  await ensureDefaultModels(t.db, 1);
  const [e] = await t.db.insert(scoreModels).values({ kind: 'engagement', name: 'Extra', rules: EXTRA_ENGAGEMENT, halfLifeDays: 14 }).returning();
  const [f] = await t.db.insert(scoreModels).values({ kind: 'fit', name: 'Extra fit', rules: EXTRA_FIT, grades: { A: 70, B: 50, C: 30, D: 10 } }).returning();
  extraEng = e!.id;
  extraFit = f!.id;
});
afterAll(() => t.close());

async function person(i: number) {
  const userId = `u-${uid()}`;
  const email = i % 4 === 0 ? `p${i}-${uid()}@gmail.com` : i % 7 === 0 ? `p${i}-${uid()}@rivalcorp.test` : `p${i}-${uid()}@acme.test`;
  const traits: Record<string, unknown> = { email, title: ['VP Sales', 'Chief Revenue Officer', 'student', 'Engineer', ''][i % 5], phone: i % 3 ? '+49 30 1234' : null };
  await send(t, s.writeKey, 'identify', { userId, traits });
  const [c] = await t.db.select().from(contacts).where(eq(contacts.email, email));
  if (i % 2 === 0) {
    const [a] = await t.db
      .insert(accounts)
      .values({ name: `Acct ${uid()}`, industry: i % 4 ? 'Software' : 'Retail', employeeCount: [20, 80, 6000, null][i % 4], country: ['DE', 'US', 'CH'][i % 3], properties: i % 3 ? { crm: 'hubspot' } : {} })
      .returning();
    await t.db.update(contacts).set({ accountId: a!.id, properties: { seats: i % 3 === 0 ? '12' : 4 } }).where(eq(contacts.id, c!.id));
  }
  return { id: c!.id, userId };
}

function activity(userId: string, i: number): object[] {
  const at = (d: number, h = 0) => new Date(NOW.getTime() - d * DAY + h * 3_600_000).toISOString();
  const out: object[] = [];
  for (let k = 0; k < 6; k++) out.push({ type: 'page', userId, properties: { path: k % 2 ? '/pricing' : '/pricing/enterprise?x=1' }, timestamp: at(10 + (k % 2) * 8, k) });
  for (let k = 0; k < 4; k++) out.push({ type: 'page', userId, properties: { url: `https://acme.test/blog/post-${k}` }, timestamp: at(3, k) });
  out.push({ type: 'page', userId, properties: { url: 'https://docs.acme.test/start' }, timestamp: at(2) });
  out.push({ type: 'page', userId, properties: { path: '/pricing-old' }, timestamp: at(2, 1) });
  for (let k = 0; k < 4; k++) out.push({ type: 'track', userId, event: 'Form Submitted', timestamp: at(5, k) });
  for (let k = 0; k < 7; k++) out.push({ type: 'track', userId, event: 'Content Read', properties: { percent: [40, 60, '75', 90, null, 'x', 61][k] }, timestamp: at(1, k) });
  for (let k = 0; k < 7; k++) out.push({ type: 'track', userId, event: 'email link clicked', timestamp: at(0, -k - 1) });
  if (i % 2) out.push({ type: 'track', userId, event: 'Demo Requested', timestamp: at(40) });
  out.push({ type: 'track', userId, event: ' Trial Started ', properties: { plan: i % 3 ? 'PRO' : 'free' }, timestamp: at(6) });
  out.push({ type: 'track', userId, event: ' Trial Started ', properties: { plan: 'enterprise' }, timestamp: at(4) });
  for (let k = 0; k < 3; k++)
    out.push({
      type: 'track',
      userId,
      event: 'webinar',
      properties: { topic: 'Pricing deep-dive', minutes: [30, 120, 45][k], tags: ['recorded', 'live'], ...(k === 2 && i % 2 ? { cancelled: true } : {}) },
      context: { campaign: { name: 'Q4 launch', source: i % 5 === 0 ? 'spam' : 'news' } },
      timestamp: at(7, k),
    });
  for (let k = 0; k < 3; k++) out.push({ type: 'track', userId, event: 'Unsubscribed', timestamp: at(9, k) });
  return out;
}

async function snapshotScores(ids: number[]) {
  // decay sums to 9 significant digits: the worker rescales them pass by pass, the rescore sums in one go
  const ledger = await t.db.execute(sql`
    select contact_id, model_id, rule_id, times, capped_times, earned, (case when decay_sum = 0 then 0 else round((decay_sum / 10 ^ floor(log(abs(decay_sum::numeric))))::numeric, 8) * 10 ^ floor(log(abs(decay_sum::numeric))) end)::float8 as decay_sum,
           first_at, last_at
    from score_ledger where contact_id = any(${sql.raw(`'{${ids.join(',')}}'::bigint[]`)})
    order by contact_id, model_id, rule_id`);
  const scores = await t.db.execute(sql`
    select contact_id, model_id, score, grade, breakdown from contact_scores where contact_id = any(${sql.raw(`'{${ids.join(',')}}'::bigint[]`)})
    order by contact_id, model_id`);
  return { ledger: ledger.rows, scores: scores.rows };
}

describe('runRescore', () => {
  it('rebuilds the same ledger and scores as incremental scoring, for every operator, cap and decay', async () => {
    const people = [];
    for (let i = 0; i < 12; i++) people.push(await person(i));
    for (const [i, p] of people.entries()) {
      const res = await send(t, s.writeKey, 'batch', { batch: activity(p.userId, i) });
      expect(res.json().stored).toBeGreaterThan(30);
    }
    while ((await scoreInboxBatch(t.db, { now: NOW })).inboxRows > 0);
    const ids = people.map((p) => p.id);
    const incremental = await snapshotScores(ids);
    // one ledger row per contact × model × rule
    expect(incremental.ledger.length).toBeGreaterThan(80);
    expect(incremental.ledger.length).toBeLessThanOrEqual(12 * 11);
    expect(new Set(incremental.ledger.map((r) => r.rule_id))).toEqual(
      new Set(['pricing-page', 'page-view', 'form-submitted', 'content-read-60', 'email-click', 'demo-request', 'blog-glob', 'full-url', 'plan-in', 'mixed', 'negative']),
    );
    // wipe the ledger and the scores, then rebuild everything in chunks of 5 contacts
    await t.db.execute(sql`delete from score_ledger; delete from contact_scores`);
    const [run] = await t.db.insert(rescoreRuns).values({}).returning();
    await runRescore(t.db, run!.id, { now: () => NOW, chunk: 5, parallel: 1 });
    const rebuilt = await snapshotScores(ids);
    expect(rebuilt.ledger).toEqual(incremental.ledger);
    expect(rebuilt.scores.length).toBe(incremental.scores.length);
    for (const [k, row] of rebuilt.scores.entries()) {
      const inc = incremental.scores[k]!;
      expect({ c: row.contact_id, m: row.model_id, grade: row.grade }).toEqual({ c: inc.contact_id, m: inc.model_id, grade: inc.grade });
      expect(row.score as number).toBeCloseTo(inc.score as number, 6);
      expect(row.breakdown).toEqual(inc.breakdown);
    }
    // the same with the per-row foreign-key checks on (a database role that is not a superuser), two chunks at a time
    await t.db.execute(sql`delete from score_ledger; delete from contact_scores`);
    const [run2] = await t.db.insert(rescoreRuns).values({}).returning();
    await runRescore(t.db, run2!.id, { now: () => NOW, chunk: 4, parallel: 2, keepRowChecks: true });
    const checked = await snapshotScores(ids);
    expect(checked.ledger).toEqual(incremental.ledger);
    expect(checked.scores.map((r) => [r.contact_id, r.model_id, r.grade, r.breakdown])).toEqual(rebuilt.scores.map((r) => [r.contact_id, r.model_id, r.grade, r.breakdown]));
    const [done] = await t.db.select().from(rescoreRuns).where(eq(rescoreRuns.id, run!.id));
    expect(done).toMatchObject({ status: 'completed', processed: done!.total, error: null });
    expect(done!.total).toBeGreaterThanOrEqual(12);
    // the extra models were part of it
    expect(rebuilt.scores.some((r) => r.model_id === extraFit) && rebuilt.ledger.some((r) => r.model_id === extraEng)).toBe(true);
  });

  it('rebuilds one model only when asked, and a model change shows in the new scores', async () => {
    const p = await person(1);
    await send(t, s.writeKey, 'track', { userId: p.userId, event: 'Demo Requested', timestamp: NOW.toISOString() });
    while ((await scoreInboxBatch(t.db, { now: NOW })).inboxRows > 0);
    const [eng] = await t.db.select().from(scoreModels).where(eq(scoreModels.isDefault, true)).then((r) => r.filter((m) => m.kind === 'engagement'));
    const rules = (eng!.rules as EngagementRule[]).map((r) => (r.id === 'demo-request' ? { ...r, points: 50 } : r));
    await t.db.update(scoreModels).set({ rules, version: eng!.version + 1 }).where(eq(scoreModels.id, eng!.id));
    const fitBefore = await t.db.execute(sql`select computed_at from contact_scores where contact_id = ${p.id} and model_id = ${extraFit}`);
    const [run] = await t.db.insert(rescoreRuns).values({ modelId: eng!.id }).returning();
    await runRescore(t.db, run!.id, { now: () => NOW });
    const after = await t.db.execute(sql`select score, model_version from contact_scores where contact_id = ${p.id} and model_id = ${eng!.id}`);
    expect(after.rows[0]).toEqual({ score: 50, model_version: eng!.version + 1 });
    const fitAfter = await t.db.execute(sql`select computed_at from contact_scores where contact_id = ${p.id} and model_id = ${extraFit}`);
    expect(fitAfter.rows).toEqual(fitBefore.rows);
  });
});

describe('runRescore and the scoring inbox', () => {
  it('leaves events still waiting in the inbox to the worker, which scores them once, as a later rescore would', async () => {
    const people = [await person(21), await person(22)];
    const ids = people.map((p) => p.id);
    const at = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();
    for (const p of people) await send(t, s.writeKey, 'batch', { batch: [{ type: 'page', userId: p.userId, properties: { path: '/pricing' }, timestamp: at(3) }] });
    while ((await scoreInboxBatch(t.db, { now: NOW })).inboxRows > 0);
    // new events are waiting in the inbox when the rescore runs
    for (const p of people)
      await send(t, s.writeKey, 'batch', {
        batch: [
          { type: 'page', userId: p.userId, properties: { path: '/pricing' }, timestamp: at(2) },
          { type: 'track', userId: p.userId, event: 'Demo Requested', timestamp: at(1) },
        ],
      });
    expect(await t.count('scoring_inbox')).toBeGreaterThan(0);
    const [run] = await t.db.insert(rescoreRuns).values({}).returning();
    await runRescore(t.db, run!.id, { now: () => NOW, chunk: 50 });
    const waiting = (await snapshotScores(ids)).ledger.filter((r) => r.rule_id === 'demo-request');
    expect(waiting).toEqual([]);
    while ((await scoreInboxBatch(t.db, { now: NOW })).inboxRows > 0);
    const incremental = await snapshotScores(ids);
    expect(incremental.ledger.filter((r) => r.rule_id === 'pricing-page').map((r) => [r.times, r.earned])).toEqual([
      [2, 20],
      [2, 20],
    ]);
    // the same events queued once more earn nothing again
    const evs = await t.db.execute(sql`select id, received_at from events where contact_id = any(${sql.raw(`'{${ids.join(',')}}'::bigint[]`)})`);
    const evIds = evs.rows.map((r) => Number(r.id));
    await t.db.execute(sql`insert into scoring_inbox (event_ids, received_from, received_to) select array_agg(id), min(received_at), max(received_at) from events where id = any(${sql.param(evIds)}::int8[])`);
    while ((await scoreInboxBatch(t.db, { now: NOW })).inboxRows > 0);
    expect(await snapshotScores(ids)).toEqual(incremental);
    const [again] = await t.db.insert(rescoreRuns).values({}).returning();
    await runRescore(t.db, again!.id, { now: () => NOW });
    expect(await snapshotScores(ids)).toEqual(incremental);
  });
});

describe('decay far past the float range', () => {
  it('scores points thousands of half-lives old as 0 (no underflow error), the same incrementally and rebuilt', async () => {
    const [m] = await t.db
      .insert(scoreModels)
      .values({ kind: 'engagement', name: 'Hours', halfLifeDays: 0.01, rules: [{ id: 'demo', label: 'Demo', match: { event: 'Demo Requested', conditions: [] }, points: 40, cap: null }] })
      .returning();
    const p = await person(31);
    const at = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();
    await send(t, s.writeKey, 'batch', { batch: [at(800), at(30), at(0)].map((timestamp) => ({ type: 'track', userId: p.userId, event: 'Demo Requested', timestamp })) });
    while ((await scoreInboxBatch(t.db, { now: NOW })).inboxRows > 0);
    const score = async () => (await t.db.execute(sql`select score, breakdown from contact_scores where contact_id = ${p.id} and model_id = ${m!.id}`)).rows[0] as { score: number; breakdown: any };
    const incremental = await snapshotScores([p.id]);
    expect(await score()).toMatchObject({ score: 40, breakdown: { earned: 120, rules: [{ ruleId: 'demo', times: 3, earned: 120, current: 40 }] } });
    const [run] = await t.db.insert(rescoreRuns).values({ modelId: m!.id }).returning();
    await runRescore(t.db, run!.id, { now: () => new Date(NOW.getTime() + 5 * 365 * DAY) });
    expect((await t.db.select().from(rescoreRuns).where(eq(rescoreRuns.id, run!.id)))[0]).toMatchObject({ status: 'completed', error: null });
    expect((await score()).score).toBe(0);
    const [back] = await t.db.insert(rescoreRuns).values({ modelId: m!.id }).returning();
    await runRescore(t.db, back!.id, { now: () => NOW });
    expect(await score()).toMatchObject({ score: 40 });
    expect((await snapshotScores([p.id])).ledger).toEqual(incremental.ledger);
    await t.db.update(scoreModels).set({ active: false }).where(eq(scoreModels.id, m!.id));
  });
});

describe('POST /scoring/rescore', () => {
  let j: TestApp;
  beforeAll(async () => {
    j = await createTestApp({ jobs: true });
  });
  afterAll(() => j.close());

  it('starts a background rescore whose progress reaches completed', async () => {
    const src = await makeSource(j);
    for (let i = 0; i < 3; i++) await send(j, src.writeKey, 'identify', { userId: `u-${uid()}`, traits: { email: `r${i}-${uid()}@acme.test` } });
    const res = await j.api('POST', '/scoring/rescore', {}, await j.as('marketing'));
    expect(res.statusCode).toBe(202);
    const run = res.json();
    expect(run).toMatchObject({ status: 'queued', processed: 0, modelId: null });
    let body = run;
    for (let k = 0; k < 200 && body.status !== 'completed' && body.status !== 'failed'; k++) {
      await new Promise((r) => setTimeout(r, 50));
      body = (await j.api('GET', `/scoring/rescore/${run.id}`, undefined, await j.as('viewer'))).json();
    }
    expect(body).toMatchObject({ status: 'completed', total: 3, processed: 3, error: null });
    expect(body.finishedAt).not.toBeNull();
    expect((await j.api('GET', '/scoring/rescore')).json().items[0].id).toBe(run.id);
    expect((await j.auditOf('rescore_run', run.id)).map((a) => a.action)).toEqual(['scoring.rescore_started']);
  });

  it('rejects callers without scoring:manage, unknown models and bad bodies, starting nothing', async () => {
    const before = await j.count('rescore_runs');
    const viewer = await j.api('POST', '/scoring/rescore', {}, await j.as('viewer'));
    expect(viewer.statusCode).toBe(403);
    const sales = await j.api('POST', '/scoring/rescore', {}, await j.as('sales'));
    expect(sales.statusCode).toBe(403);
    const anon = await j.inject({ method: 'POST', url: '/api/v1/scoring/rescore', payload: {} });
    expect(anon.statusCode).toBe(401);
    const unknown = await j.api('POST', '/scoring/rescore', { modelId: 999999 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/modelId/);
    const bad = await j.api('POST', '/scoring/rescore', { modelId: 'all' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error)).toMatch(/modelId/);
    const extra = await j.api('POST', '/scoring/rescore', { everything: true });
    expect(extra.statusCode).toBe(400);
    expect(await j.count('rescore_runs')).toBe(before);
    const missing = await j.api('GET', '/scoring/rescore/999999');
    expect(missing.statusCode).toBe(404);
  });
});
