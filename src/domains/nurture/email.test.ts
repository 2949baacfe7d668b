// Programs mail through the email domain's enqueueEmail: only contacts with consent for the step's topic and
// an unsuppressed address get a message; a suppressed or unconsented contact is never mailed (the step run
// records why), a second run of the same step is impossible and its idempotency key is unique. An
// unsubscribed contact leaves the program by the default exit criterion.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { Ctx } from '../../context.ts';
import { SimClock } from './clock.ts';
import { runDue } from './engine.ts';
import { activeProgram, emailSetup, makeContacts, q } from './test-helpers.ts';

let t: TestApp;
let ctx: Ctx;
beforeAll(async () => {
  t = await createTestApp();
  ctx = await t.ctx('marketing');
});
afterAll(() => t.close());

describe('send_email', () => {
  it('mails consented contacts once; suppressed and unconsented contacts never', async () => {
    const clock = new SimClock();
    const tag = randomUUID().slice(0, 8);
    const [ok, noConsent, suppressed] = await makeContacts(t, 3, { tag });
    const { templateId, topicKey } = await emailSetup(t, [ok!, suppressed!]);
    const [{ email }] = await q(t, 'select email from contacts where id = $1', [suppressed]);
    await t.database.pool.query(`insert into email_suppressions (email, reason, created_by) values ($1, 'bounce', 'test')`, [email]);
    const p = await activeProgram(ctx, clock, {
      entry: { property: { key: 'cohort', value: tag } },
      steps: [
        { id: 'hello', type: 'send_email', templateId, topicKey },
        { id: 'w', type: 'wait', duration: { days: 3 } },
        { id: 'again', type: 'send_email', templateId, topicKey },
      ],
      exit: [],
    });
    await runDue({ db: t.db, clock });
    clock.advanceDays(3);
    await runDue({ db: t.db, clock });
    const msgs = await q(t, 'select contact_id, idempotency_key, step_id, program_id from email_messages where contact_id = any($1) order by contact_id, step_id', [[ok, noConsent, suppressed]]);
    expect(msgs.map((m) => [m.contact_id, m.step_id])).toEqual([
      [ok, 'again'],
      [ok, 'hello'],
    ]);
    expect(msgs.every((m) => m.program_id === String(p.id))).toBe(true);
    const runs = await q(t, `select contact_id, step_id, outcome->>'email' as email from nurture_step_runs where program_id = $1 and step_type = 'send_email' order by contact_id, seq`, [p.id]);
    expect(runs.map((r) => [r.contact_id, r.step_id, r.email])).toEqual([
      [ok, 'hello', 'queued'],
      [ok, 'again', 'queued'],
      [noConsent, 'hello', 'no_consent'],
      [noConsent, 'again', 'no_consent'],
      [suppressed, 'hello', 'suppressed'],
      [suppressed, 'again', 'suppressed'],
    ]);
  });

  it('an unsubscribed contact (consent revoked) leaves the program by the default exit criterion', async () => {
    const clock = new SimClock();
    const tag = randomUUID().slice(0, 8);
    const [a, b] = await makeContacts(t, 2, { tag });
    const { templateId, topicKey } = await emailSetup(t, [a!, b!]);
    const p = await activeProgram(ctx, clock, {
      entry: { property: { key: 'cohort', value: tag } },
      steps: [
        { id: 'w', type: 'wait', duration: { days: 1 } },
        { id: 'hello', type: 'send_email', templateId, topicKey },
      ],
    });
    await runDue({ db: t.db, clock });
    await t.database.pool.query(`insert into email_consents (contact_id, topic_id, status, source, recorded_by) select $1, id, 'revoked', 'one-click unsubscribe', 'test' from email_topics where key = $2`, [a, topicKey]);
    clock.advanceDays(1);
    await runDue({ db: t.db, clock });
    const es = await q(t, 'select contact_id, status, end_reason from nurture_enrolments where program_id = $1 order by contact_id', [p.id]);
    expect(es).toEqual([
      { contact_id: a, status: 'exited', end_reason: 'exit criterion: unsubscribed' },
      { contact_id: b, status: 'completed', end_reason: 'completed' },
    ]);
    expect((await q(t, 'select count(*)::int as n from email_messages where contact_id = $1', [a]))[0].n).toBe(0);
  });

  it('a template deleted after save fails only its own steps; the batch’s other emails are queued', async () => {
    const clock = new SimClock();
    const tagA = randomUUID().slice(0, 8);
    const tagB = randomUUID().slice(0, 8);
    const aIds = await makeContacts(t, 2, { tag: tagA });
    const bIds = await makeContacts(t, 2, { tag: tagB });
    const kept = await emailSetup(t, [...aIds, ...bIds]);
    const doomed = await emailSetup(t, bIds);
    const pa = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tagA } }, steps: [{ id: 'hello', type: 'send_email', ...kept }], exit: [] });
    const pb = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tagB } }, steps: [{ id: 'hello', type: 'send_email', ...doomed }], exit: [] });
    await t.database.pool.query('delete from email_templates where id = $1', [doomed.templateId]);
    await runDue({ db: t.db, clock, batchSize: 1000 });
    const runs = await q(t, `select program_id, outcome->>'email' as email, outcome->>'error' as error from nurture_step_runs where program_id = any($1) order by program_id, contact_id`, [[pa.id, pb.id]]);
    expect(runs.map((r) => [r.program_id, r.email])).toEqual([
      [pa.id, 'queued'],
      [pa.id, 'queued'],
      [pb.id, 'error'],
      [pb.id, 'error'],
    ]);
    expect(runs[2].error).toBe(`templateId: email template ${doomed.templateId} does not exist`);
    expect((await q(t, 'select count(*)::int as n from email_messages where contact_id = any($1)', [[...aIds, ...bIds]]))[0].n).toBe(2);
  });
});
