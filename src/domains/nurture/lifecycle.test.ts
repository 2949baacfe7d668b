// Programs over time: recycled leads re-enter keeping their history, an edited active program keeps
// enrolments in flight on their version, pause holds and resume continues where it was, and the stage-aware
// content step picks by buying stage and skips what was read or sent.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { systemActor, type Ctx } from '../../context.ts';
import { SimClock } from './clock.ts';
import { runDue } from './engine.ts';
import { enrolDue } from './enrol.ts';
import { setProgramStatus, updateProgram } from './programs.ts';
import { activeProgram, emailSetup, makeContacts, q } from './test-helpers.ts';
import { transitionInTx } from '../lifecycle/transition.ts';
import { setEnqueueOverride } from './email-adapter.ts';

let t: TestApp;
let ctx: Ctx;
beforeAll(async () => {
  t = await createTestApp();
  ctx = await t.ctx('marketing');
});
afterAll(() => t.close());
const cohort = () => randomUUID().slice(0, 8);

describe('re-entry', () => {
  it('a recycled lead re-enters (when_recycled) as entry 2 and keeps its first enrolment and step runs', async () => {
    const clock = new SimClock();
    const tag = cohort();
    const [a, b] = await makeContacts(t, 2, { tag, stage: 'marketing_qualified' });
    const p = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tag } }, steps: [{ id: 'mark', type: 'update_property', key: 'seen', value: true }], reentry: { mode: 'when_recycled', cooldownDays: 0 } });
    await runDue({ db: t.db, clock });
    clock.advanceDays(1);
    // Nothing new: both completed, neither recycled.
    expect(await enrolDue({ db: t.db, clock, programId: p.id })).toBe(0);
    // a goes to sales, then is recycled.
    await t.db.transaction(async (tx) => {
      await transitionInTx(tx, systemActor, { contactId: a!, toStage: 'sales_ready', cause: 'api', now: clock.now() });
      await transitionInTx(tx, systemActor, { contactId: a!, toStage: 'recycled', cause: 'handoff', reason: 'not now', now: clock.now() });
    });
    clock.advanceDays(1);
    expect(await enrolDue({ db: t.db, clock, programId: p.id })).toBe(1);
    await runDue({ db: t.db, clock });
    const es = await q(t, 'select contact_id, entry_number, status from nurture_enrolments where program_id = $1 order by contact_id, entry_number', [p.id]);
    expect(es).toEqual([
      { contact_id: a, entry_number: 1, status: 'completed' },
      { contact_id: a, entry_number: 2, status: 'completed' },
      { contact_id: b, entry_number: 1, status: 'completed' },
    ]);
    expect((await q(t, 'select count(*)::int as n from nurture_step_runs where contact_id = $1 and program_id = $2', [a, p.id]))[0].n).toBe(2);
    // The enrolment history through the API.
    const res = await t.api('GET', `/nurture/enrolments?contactId=${a}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((e: any) => e.entryNumber)).toEqual([2, 1]);
  });

  it('never: a contact enters once; after_end: again after the cooldown', async () => {
    const clock = new SimClock();
    const tag = cohort();
    await makeContacts(t, 1, { tag });
    const once = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tag } }, steps: [{ id: 'x', type: 'update_property', key: 'k', value: 1 }], reentry: { mode: 'never' } });
    const again = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tag } }, steps: [{ id: 'x', type: 'update_property', key: 'k', value: 1 }], reentry: { mode: 'after_end', cooldownDays: 7 } });
    await runDue({ db: t.db, clock });
    clock.advanceDays(6);
    expect(await enrolDue({ db: t.db, clock, programId: once.id })).toBe(0);
    expect(await enrolDue({ db: t.db, clock, programId: again.id })).toBe(0);
    clock.advanceDays(2);
    expect(await enrolDue({ db: t.db, clock, programId: once.id })).toBe(0);
    expect(await enrolDue({ db: t.db, clock, programId: again.id })).toBe(1);
  });
});

describe('versions and pause', () => {
  it('an edit of an active program is a new version; enrolments in flight finish on theirs', async () => {
    const clock = new SimClock();
    const tag = cohort();
    const [a] = await makeContacts(t, 1, { tag });
    const v1 = { entry: { property: { key: 'cohort', value: tag } }, steps: [{ id: 'w', type: 'wait', duration: { days: 2 } }, { id: 'old', type: 'update_property', key: 'which', value: 'v1' }] };
    const p = await activeProgram(ctx, clock, v1);
    await runDue({ db: t.db, clock });
    const v2 = { ...v1, steps: [{ id: 'first', type: 'update_property', key: 'which', value: 'v2' }] };
    const edited = await updateProgram({ ctx, id: p.id, input: { definition: v2 } });
    expect(edited.version).toBe(2);
    const [b] = await makeContacts(t, 1, { tag });
    await enrolDue({ db: t.db, clock, programId: p.id });
    clock.advanceDays(2);
    await runDue({ db: t.db, clock });
    const rows = await q(t, `select id, properties->>'which' as which from contacts where id = any($1) order by id`, [[a, b]]);
    expect(rows.map((r) => r.which)).toEqual(['v1', 'v2']);
    expect((await q(t, 'select contact_id, version from nurture_enrolments where program_id = $1 order by contact_id', [p.id])).map((r) => r.version)).toEqual([1, 2]);
    expect((await t.auditOf('nurture_program', p.id)).map((x) => x.action)).toEqual(['nurture.program.created', 'nurture.program.activated', 'nurture.program.updated']);
  });

  it('a paused program runs nothing; resumed, it continues at the step where each contact was', async () => {
    const clock = new SimClock();
    const tag = cohort();
    await makeContacts(t, 3, { tag });
    const p = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tag } }, steps: [{ id: 'w', type: 'wait', duration: { days: 1 } }, { id: 'done', type: 'update_property', key: 'z', value: 1 }] });
    await runDue({ db: t.db, clock });
    await setProgramStatus({ ctx, id: p.id, action: 'pause', clock });
    clock.advanceDays(5);
    expect(await runDue({ db: t.db, clock })).toBe(0);
    expect((await q(t, `select step_id from nurture_enrolments where program_id = $1`, [p.id])).map((r) => r.step_id)).toEqual(['done', 'done', 'done']);
    await setProgramStatus({ ctx, id: p.id, action: 'resume', clock });
    expect(await runDue({ db: t.db, clock })).toBe(3);
    expect((await q(t, `select count(*)::int as n from nurture_enrolments where program_id = $1 and status = 'completed'`, [p.id]))[0].n).toBe(3);
  });
});

describe('send_content', () => {
  it('picks the next live item of the contact’s buying stage, skipping consumed and already-sent items', async () => {
    const clock = new SimClock();
    const tag = cohort();
    const [a, b] = await makeContacts(t, 2, { tag });
    const items = await q<{ id: number; stage: string }>(
      t,
      `insert into content_items (title, type, stage, status, published_at) values
        ($1 || ' consider 1', 'practical', 'consideration', 'published', now() - interval '3 days'),
        ($1 || ' consider 2', 'practical', 'consideration', 'published', now() - interval '2 days'),
        ($1 || ' consider draft', 'practical', 'consideration', 'draft', null),
        ($1 || ' purchase 1', 'practical', 'purchase', 'published', now() - interval '1 day')
       returning id, stage`,
      [`T${tag}`],
    );
    // Restrict picks to this test's items: other tests' items are older / in other stages; a reads item 1.
    await t.database.pool.query(`insert into contact_buying_stages (contact_id, stage) values ($1, 'consideration'), ($2, 'purchase')`, [a, b]);
    await t.database.pool.query(`insert into content_consumption (item_id, contact_id, views, first_at, last_at) values ($1, $2, 1, now(), now())`, [items[0]!.id, a]);
    const sent: { contactId: number; contentItemId?: number; idempotencyKey: string }[] = [];
    setEnqueueOverride(async (_tx, args) => {
      sent.push(args);
      return { status: 'queued', messageId: randomUUID() };
    });
    try {
      const { templateId, topicKey } = await emailSetup(t);
      const p = await activeProgram(ctx, clock, {
        entry: { property: { key: 'cohort', value: tag } },
        steps: [
          { id: 'c1', type: 'send_content', templateId, topicKey },
          { id: 'c2', type: 'send_content', templateId, topicKey },
          { id: 'c3', type: 'send_content', templateId, topicKey },
        ],
      });
      await runDue({ db: t.db, clock });
      const byContact = (id: number) => sent.filter((s) => s.contactId === id).map((s) => s.contentItemId);
      // a: item 1 consumed → item 2, then the purchase item (stage exhausted → next stage), then nothing left.
      const mine = new Set(items.map((i) => i.id));
      expect(byContact(a!).filter((x) => mine.has(x!))).toEqual([items[1]!.id, items[3]!.id]);
      expect(byContact(b!).filter((x) => mine.has(x!))[0]).toBe(items[3]!.id);
      expect(new Set(sent.map((s) => s.idempotencyKey)).size).toBe(sent.length);
      const runs = await q(t, `select contact_id, step_id, content_item_id, outcome from nurture_step_runs where program_id = $1 order by contact_id, seq`, [p.id]);
      expect(runs.filter((r) => r.contact_id === a).length).toBe(3);
    } finally {
      setEnqueueOverride(null);
    }
  });
});
