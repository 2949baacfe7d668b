// Entry criteria one by one (lifecycle stages, engagement and fit scores, a recent tracked event, a segment; each
// combined with a cohort property so a test sees only its own contacts), and the wait-until-date step, on the
// simulated clock.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { Ctx } from '../../context.ts';
import { SimClock } from './clock.ts';
import { runDue } from './engine.ts';
import { activeProgram, makeContacts, q } from './test-helpers.ts';
import { makeSource } from '../tracking/test-helpers.ts';
import { ensureDefaultModels } from '../scoring/defaults.ts';

let t: TestApp;
let ctx: Ctx;
beforeAll(async () => {
  t = await createTestApp();
  ctx = await t.ctx('marketing');
});
afterAll(() => t.close());

const DAY = 86_400_000;
const cohort = () => randomUUID().slice(0, 8);
const only = (tag: string) => ({ property: { key: 'cohort', value: tag } });
const steps = [{ id: 'done', type: 'exit' }];
async function entered(programId: number): Promise<number[]> {
  return (await q(t, 'select contact_id from nurture_enrolments where program_id = $1 order by contact_id', [programId])).map((r) => Number(r.contact_id));
}

describe('entry criteria', () => {
  it('lets in only contacts at the listed lifecycle stages', async () => {
    const tag = cohort();
    const [lead] = await makeContacts(t, 1, { tag, stage: 'lead' });
    const [mql] = await makeContacts(t, 1, { tag, stage: 'marketing_qualified' });
    const p = await activeProgram(ctx, new SimClock(), { entry: { ...only(tag), stages: ['marketing_qualified'] }, steps });
    expect(await entered(p.id)).toEqual([mql]);
    expect(lead).toBeDefined();
  });

  it('lets in only contacts at or above the engagement and fit scores of the default models', async () => {
    const tag = cohort();
    const [low, engaged, both] = await makeContacts(t, 3, { tag });
    await ensureDefaultModels(t.db, 1);
    const models = await q(t, `select id, kind from score_models where is_default and kind in ('engagement', 'fit') and workspace_id = 1`);
    const model = (kind: string) => models.find((m) => m.kind === kind)!.id;
    const score = (contact: number, kind: string, value: number) =>
      t.database.pool.query('insert into contact_scores (contact_id, model_id, score, model_version) values ($1, $2, $3, 1) on conflict (contact_id, model_id) do update set score = excluded.score', [contact, model(kind), value]);
    await score(low!, 'engagement', 10);
    await score(engaged!, 'engagement', 60);
    await score(engaged!, 'fit', 20);
    await score(both!, 'engagement', 80);
    await score(both!, 'fit', 70);
    const byEngagement = await activeProgram(ctx, new SimClock(), { entry: { ...only(tag), minEngagementScore: 50 }, steps });
    expect(await entered(byEngagement.id)).toEqual([engaged, both]);
    const byBoth = await activeProgram(ctx, new SimClock(), { entry: { ...only(tag), minEngagementScore: 50, minFitScore: 50 }, steps });
    expect(await entered(byBoth.id)).toEqual([both]);
  });

  it('lets in contacts who did the event within the last N days, not earlier', async () => {
    const tag = cohort();
    const clock = new SimClock();
    const [recent, old, never] = await makeContacts(t, 3, { tag });
    const ev = `Pricing Viewed ${tag}`;
    const source = (await makeSource(t)).id;
    const track = (contact: number, at: Date) =>
      t.database.pool.query(
        `insert into events (source_id, type, event, contact_id, anonymous_id, timestamp, received_at, message_id, properties, context) values ($1, 'track', $2, $3, 'anon', $4, $4, $5, '{}', '{}')`,
        [source, ev, contact, at, randomUUID()],
      );
    await track(recent!, new Date(clock.now().getTime() - 2 * DAY));
    await track(old!, new Date(clock.now().getTime() - 20 * DAY));
    const p = await activeProgram(ctx, clock, { entry: { ...only(tag), event: { name: ev, withinDays: 7 } }, steps });
    expect(await entered(p.id)).toEqual([recent]);
    expect(never).toBeDefined();
  });

  it("lets in a segment's members", async () => {
    const tag = cohort();
    const [member, other] = await makeContacts(t, 2, { tag });
    await t.database.pool.query(`update contacts set first_name = $2 where id = $1`, [member, `Seg${tag}`]);
    const seg = await t.api('POST', '/segments', { name: `Segment ${tag}`, rule: { kind: 'group', match: 'all', conditions: [{ kind: 'property', object: 'contact', field: 'first_name', op: 'eq', value: `Seg${tag}` }] } });
    expect(seg.statusCode).toBe(201);
    expect(seg.json().memberCount).toBe(1);
    const p = await activeProgram(ctx, new SimClock(), { entry: { ...only(tag), segmentId: seg.json().id }, steps });
    expect(await entered(p.id)).toEqual([member]);
    expect(other).toBeDefined();
  });

  it('rejects a program without any entry criterion, naming the field', async () => {
    const res = await t.api('POST', '/nurture/programs', { name: `Empty ${cohort()}`, definition: { entry: {}, steps } });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error)).toMatch(/definition\.entry/);
  });
});

describe('wait_until', () => {
  it('holds every contact until the date, then moves them on together', async () => {
    const tag = cohort();
    const clock = new SimClock();
    const until = new Date(clock.now().getTime() + 3 * DAY).toISOString();
    const contacts = await makeContacts(t, 2, { tag });
    const p = await activeProgram(ctx, clock, {
      entry: only(tag),
      steps: [
        { id: 'launch', type: 'wait_until', until },
        { id: 'mark', type: 'update_property', key: 'launched', value: true },
      ],
    });
    await runDue({ db: t.db, clock });
    clock.advance(3 * DAY - 60_000);
    await runDue({ db: t.db, clock });
    expect((await q(t, `select count(*)::int as n from contacts where id = any($1) and properties ? 'launched'`, [contacts]))[0].n).toBe(0);
    clock.advance(2 * 60_000);
    await runDue({ db: t.db, clock });
    expect((await q(t, `select count(*)::int as n from contacts where id = any($1) and properties->>'launched' = 'true'`, [contacts]))[0].n).toBe(2);
    expect((await q(t, `select status from nurture_enrolments where program_id = $1`, [p.id])).map((r) => r.status)).toEqual(['completed', 'completed']);
  });
});
