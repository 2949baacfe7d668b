// Explained scores: a contact's fit (matched rules), engagement (ledger rows per rule and entries per rule and
// cap window, earned vs decayed now, caps that stopped points), buying stage; account roll-ups; stored fit following contact/account edits;
// snapshots for the lifecycle rules.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { explainAccountScores, explainContactScores } from './explain.ts';
import { scoreSnapshots } from './snapshot.ts';
import { refreshBuyingStages } from './buying-stage.ts';
import { refreshAllBuyingStages } from './stage-refresh.ts';
import { makeSource } from '../tracking/test-helpers.ts';
import { enqueueEvents } from './inbox.ts';
import { scoreInboxBatch } from './worker.ts';

let t: TestApp;
let engModelId: number;
let fitModelId: number;
const NOW = new Date('2026-11-23T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

beforeAll(async () => {
  t = await createTestApp();
  const models = (await t.api('GET', '/scoring/models')).json().items as { id: number; kind: string }[];
  engModelId = models.find((m) => m.kind === 'engagement')!.id;
  fitModelId = models.find((m) => m.kind === 'fit')!.id;
});
afterAll(async () => t?.close());

let seq = 0;
async function contact(body: Record<string, unknown> = {}): Promise<number> {
  const res = await t.api('POST', '/contacts', { email: `p${++seq}-${Date.now()}@example.com`, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
async function account(body: Record<string, unknown>): Promise<number> {
  const res = await t.api('POST', '/accounts', { name: `Acme ${++seq}`, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
let eventSource: number | undefined;
/** Stores an event of the contact at `at` and queues it for the scoring worker. */
async function event(contactId: number, e: { type: 'page' | 'track'; event?: string; path?: string; properties?: Record<string, unknown> }, at: Date) {
  eventSource ??= (await makeSource(t)).id;
  const res = await t.db.execute(sql`insert into events (source_id, message_id, type, event, contact_id, timestamp, received_at, page_path, properties)
    values (${eventSource}, ${`e-${++seq}`}, ${e.type}, ${e.event ?? null}, ${contactId}, ${at.toISOString()}, ${at.toISOString()}, ${e.path ?? null}, ${JSON.stringify(e.properties ?? {})}::jsonb)
    returning id`);
  await enqueueEvents(t.db, 1, [Number((res.rows[0] as { id: number }).id)], at, at);
}
const demo = (id: number, at: Date) => event(id, { type: 'track', event: 'Demo Requested' }, at);
const pricing = (id: number, at: Date) => event(id, { type: 'page', path: '/pricing' }, at);
const drain = async () => {
  while ((await scoreInboxBatch(t.db, { now: NOW })).inboxRows > 0);
};
async function storedFit(contactId: number) {
  const res = await t.db.execute(sql`select score, grade from contact_scores where contact_id = ${contactId} and model_id = ${fitModelId}`);
  return res.rows[0] as { score: number; grade: string } | undefined;
}

describe('explainContactScores', () => {
  it('explains fit by matched rules and engagement entry by entry, decayed to now', async () => {
    const acc = await account({ employeeCount: 200 });
    const id = await contact({ title: 'VP Marketing', phone: '+1 555 0100', accountId: acc });
    await demo(id, daysAgo(30));
    await pricing(id, daysAgo(0));
    for (let k = 0; k < 4; k++) await pricing(id, daysAgo(60)); // 3 a week: a cap stops the 4th
    await event(id, { type: 'track', event: 'Content Read', properties: { percent: 80 } }, daysAgo(60));
    await event(id, { type: 'track', event: 'Content Read', properties: { percent: 20 } }, daysAgo(60)); // not past 60 %
    await drain();
    const ctx = await t.ctx('viewer');
    const s = await explainContactScores({ ctx, id, now: NOW });
    // senior-title 25 + company 50–5000 25 + phone 10 = 60 of Σ positive 105 → 57 → C
    expect(s.fit).toMatchObject({ score: 57, grade: 'C', matchedPoints: 60, maxPoints: 105 });
    expect(s.fit!.matched.map((m) => [m.ruleId, m.points])).toEqual([
      ['senior-title', 25],
      ['company-50-5000', 25],
      ['has-phone', 10],
    ]);
    expect(s.fit!.unmatched.map((m) => m.ruleId)).toContain('free-email');
    expect(s.fit!.matched[0]).toMatchObject({ field: 'title', actual: 'VP Marketing' });
    expect(s.fit!.matched[1]).toMatchObject({ field: 'account.employee_count', actual: '200' });
    // demo 40 → 20 (one half-life); pricing today 10 → 10 and its page view 1 → 1; 60 days ago (two half-lives):
    // pricing 3 × 10 → 7.5 (the cap stopped the 4th), their page views 4 × 1 → 1, content read 8 → 2
    expect(s.engagement).toMatchObject({ score: 41.5, earned: 93, asOf: NOW.toISOString() });
    expect(s.engagement!.rules).toEqual([
      { ruleId: 'demo-request', label: 'Requested a demo', times: 1, earned: 40, current: 20, cappedTimes: 0, cap: null },
      { ruleId: 'pricing-page', label: 'Viewed the pricing page', times: 4, earned: 40, current: 17.5, cappedTimes: 1, cap: { maxTimes: 3, period: 'week' } },
      { ruleId: 'content-read-60', label: 'Read content past 60 %', times: 1, earned: 8, current: 2, cappedTimes: 0, cap: { maxPoints: 40, period: 'week' } },
      { ruleId: 'page-view', label: 'Viewed a page', times: 5, earned: 5, current: 2, cappedTimes: 0, cap: { maxPoints: 10, period: 'day' } },
    ]);
    // per rule and cap window, newest first, adding up to the rules above
    expect(s.engagement!.entries.map((e) => [e.ruleId, e.period, e.count, e.times, e.cappedTimes, e.earned, e.current, e.capped])).toEqual([
      ['page-view', 'day', 1, 1, 0, 1, 1, false],
      ['pricing-page', 'week', 1, 1, 0, 10, 10, false],
      ['demo-request', 'day', 1, 1, 0, 40, 20, false],
      ['content-read-60', 'week', 1, 1, 0, 8, 2, false],
      ['page-view', 'day', 4, 4, 0, 4, 1, false],
      ['pricing-page', 'week', 4, 3, 1, 30, 7.5, true],
    ]);
    // NOW is a Monday: the week window of today's view starts today; 60 days before is in the week of Monday 21 September
    expect(s.engagement!.entries[1]).toMatchObject({ windowStart: '2026-11-23T00:00:00.000Z', windowEnd: '2026-11-30T00:00:00.000Z', eventName: 'page' });
    expect(s.engagement!.entries[5]).toMatchObject({ windowStart: '2026-09-21T00:00:00.000Z', windowEnd: '2026-09-28T00:00:00.000Z' });
    expect(s.engagement!.entries[2]).toMatchObject({ eventName: 'Demo Requested', windowStart: '2026-10-24T00:00:00.000Z', windowEnd: '2026-10-25T00:00:00.000Z' });
    const snap = (await scoreSnapshots(t.db, 1, [id, 999_999], { now: NOW })).get(id)!;
    expect(snap).toMatchObject({ fitScore: 57, fitGrade: 'C', engagement: 41.5, fitModelId, engagementModelId: engModelId, buyingStage: null });
    expect((await scoreSnapshots(t.db, 1, [999_999])).size).toBe(0);
  });

  it('infers the buying stage from page views of the last 90 days', async () => {
    const id = await contact();
    await t.api('POST', '/scoring/stage-rules', { pattern: '/pricing', stage: 'purchase' });
    await t.api('POST', '/scoring/stage-rules', { pattern: '/blog/*', stage: 'awareness' });
    const sourceId = (await makeSource(t)).id;
    const view = (path: string, at: Date) =>
      t.db.execute(sql`insert into events (source_id, message_id, type, contact_id, timestamp, received_at, page_path)
        values (${sourceId}, ${`m-${++seq}`}, 'page', ${id}, ${at.toISOString()}, ${at.toISOString()}, ${path})`);
    await view('/blog/why-loops', daysAgo(3));
    await view('/pricing', daysAgo(100));
    let s = await explainContactScores({ ctx: await t.ctx(), id, now: NOW });
    expect(s.buyingStage).toMatchObject({ stage: 'awareness', windowDays: 90, evidence: [{ stage: 'awareness', count: 1 }] });
    await view('/pricing', daysAgo(1));
    s = await explainContactScores({ ctx: await t.ctx(), id, now: NOW });
    expect(s.buyingStage.stage).toBe('purchase');
    expect((await refreshBuyingStages(t.db, 1, [id], NOW)).get(id)).toBe('purchase');
    expect((await scoreSnapshots(t.db, 1, [id], { now: NOW })).get(id)!.buyingStage).toBe('purchase');
    // A change of the rules reaches stored stages through the refresh (queued by the verbs, and daily).
    const pricing = (await t.api('GET', '/scoring/stage-rules')).json().items.find((r: { pattern: string }) => r.pattern === '/pricing');
    expect((await t.api('PATCH', `/scoring/stage-rules/${pricing.id}`, { stage: 'consideration' })).statusCode).toBe(200);
    expect(await refreshAllBuyingStages(t.db, 1, NOW)).toBeGreaterThanOrEqual(1);
    expect((await scoreSnapshots(t.db, 1, [id], { now: NOW })).get(id)!.buyingStage).toBe('consideration');
    // 120 days later every view is outside the window: the stored stage is removed.
    await refreshAllBuyingStages(t.db, 1, new Date(NOW.getTime() + 120 * 86_400_000));
    expect((await scoreSnapshots(t.db, 1, [id], { now: NOW })).get(id)!.buyingStage).toBeNull();
  });

  it('is readable by viewers over HTTP, 404s for unknown contacts and models', async () => {
    const id = await contact({ title: 'CEO' });
    const res = await t.api('GET', `/contacts/${id}/scores`, undefined, await t.as('viewer'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ contactId: id, fit: { grade: expect.any(String) }, engagement: { score: 0, entries: [] } });
    expect((await t.api('GET', '/contacts/999999/scores')).statusCode).toBe(404);
    expect((await t.api('GET', `/contacts/${id}/scores?fitModelId=999999`)).statusCode).toBe(404);
    expect((await t.api('GET', `/contacts/${id}/scores?fitModelId=${engModelId}`)).statusCode).toBe(404);
    const bad = await t.api('GET', `/contacts/${id}/scores?fitModelId=abc`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { field: string }) => d.field)).toContain('querystring.fitModelId');
    expect((await t.api('GET', '/contacts/abc/scores')).statusCode).toBe(400);
    expect((await t.inject({ method: 'GET', url: `/api/v1/contacts/${id}/scores` })).statusCode).toBe(401);
  });
});

describe('scoreSnapshots', () => {
  it('uses the models it is given instead of the defaults', async () => {
    const m = (
      await t.api('POST', '/scoring/models', {
        kind: 'fit',
        name: 'Only CEOs',
        rules: [{ id: 'ceo', label: 'CEO', field: 'title', op: 'eq', value: 'ceo', points: 5 }],
        grades: { A: 90, B: 70, C: 50, D: 30 },
      })
    ).json();
    const id = await contact({ title: 'CEO' });
    const snap = (await scoreSnapshots(t.db, 1, [id], { fitModelId: m.id, now: NOW })).get(id)!;
    expect(snap).toMatchObject({ fitScore: 100, fitGrade: 'A', fitModelId: m.id, engagement: 0, engagementModelId: engModelId });
    expect(snap.breakdown.fit).toMatchObject({ matched: [{ ruleId: 'ceo', points: 5 }], maxPoints: 5 });
    const missing = (await scoreSnapshots(t.db, 1, [id], { fitModelId: 999_999 })).get(id)!;
    expect(missing).toMatchObject({ fitScore: null, fitGrade: null, fitModelId: null });
  });
});

describe('stored fit follows edits', () => {
  it('recomputes when the contact or its account changes, or the account is deleted', async () => {
    const acc = await account({ employeeCount: 10 });
    const id = await contact({ title: 'Analyst', accountId: acc });
    expect(await storedFit(id)).toEqual({ score: 0, grade: 'F' });
    await t.api('PATCH', `/contacts/${id}`, { title: 'Director of Sales' });
    expect(await storedFit(id)).toEqual({ score: 24, grade: 'D' }); // 25 / 105
    await t.api('PATCH', `/accounts/${acc}`, { employeeCount: 300 });
    expect(await storedFit(id)).toEqual({ score: 48, grade: 'C' }); // 50 / 105
    await t.api('DELETE', `/accounts/${acc}`);
    expect(await storedFit(id)).toEqual({ score: 24, grade: 'D' });
  });
});

describe('explainAccountScores', () => {
  it('takes the best contact fit and sums contact engagement', async () => {
    const acc = await account({ employeeCount: 1000 });
    const a = await contact({ title: 'CEO', accountId: acc });
    const b = await contact({ title: 'Intern', accountId: acc });
    await demo(a, daysAgo(30));
    await pricing(b, daysAgo(0));
    await drain();
    const s = await explainAccountScores({ ctx: await t.ctx('viewer'), id: acc, now: NOW });
    // CEO: 30 + 25 = 55 / 105 → 52 → C
    expect(s.fit).toMatchObject({ score: 52, grade: 'C', contactId: a });
    expect(s.engagement).toMatchObject({ score: 31, contacts: 2 });
    expect(s.contacts.map((c) => [c.id, c.fitScore, c.engagement])).toEqual([
      [a, 52, 20],
      [b, 24, 11],
    ]);
    const http = await t.api('GET', `/accounts/${acc}/scores`, undefined, await t.as('viewer'));
    expect(http.statusCode).toBe(200);
    expect((await t.api('GET', '/accounts/999999/scores')).statusCode).toBe(404);
  });
});
