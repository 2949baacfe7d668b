// The nurture executor on a simulated clock: waits, branches, exits, goals, re-entry of recycled leads,
// versions, pause/resume, stage-aware content, exactly-once under a worker killed before COMMIT and with two
// workers in parallel; the webhook step (subscribers, or the one endpoint it names).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { Ctx } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { SimClock } from './clock.ts';
import { runDue, runDueBatch } from './engine.ts';
import { enrolDue } from './enrol.ts';
import { createProgram, setProgramStatus, updateProgram } from './programs.ts';
import { activeProgram, makeContacts, makeWebhookEndpoint, q, runAll } from './test-helpers.ts';
import { transitionInTx } from '../lifecycle/transition.ts';
import { systemActor } from '../../context.ts';
import { makeSource } from '../tracking/test-helpers.ts';

let t: TestApp;
let ctx: Ctx;
let owner: number;
beforeAll(async () => {
  t = await createTestApp();
  ctx = await t.ctx('marketing');
  owner = (await t.makeUser('sales')).id;
});
afterAll(() => t.close());

const DAY = 86_400_000;
const cohort = () => randomUUID().slice(0, 8);
const entry = (tag: string) => ({ property: { key: 'cohort', value: tag } });

async function enrolments(programId: number) {
  return q(t, 'select * from nurture_enrolments where program_id = $1 order by contact_id, id', [programId]);
}
async function runs(programId: number) {
  return q(t, 'select * from nurture_step_runs where program_id = $1 order by contact_id, seq', [programId]);
}

describe('runDue', () => {
  it('waits, then branches on a property, notifies the owner and completes', async () => {
    const clock = new SimClock();
    const tag = cohort();
    const [a, b] = await makeContacts(t, 2, { tag, ownerId: owner });
    await t.database.pool.query(`update contacts set properties = properties || '{"plan":"pro"}' where id = $1`, [a]);
    const p = await activeProgram(ctx, clock, {
      entry: entry(tag),
      steps: [
        { id: 'mark', type: 'update_property', key: 'nurtured', value: true },
        { id: 'wait', type: 'wait', duration: { days: 2 } },
        { id: 'is-pro', type: 'branch', condition: { kind: 'property_equals', key: 'plan', value: 'pro' }, yes: 'tell', no: null },
        { id: 'tell', type: 'notify_owner', message: 'A pro lead finished the program' },
      ],
    });
    expect(p.counts.active).toBe(2);
    await runDue({ db: t.db, clock });
    // Both set the property and started waiting; nothing more happens before two days pass.
    expect((await enrolments(p.id)).map((e) => e.step_id)).toEqual(['is-pro', 'is-pro']);
    expect((await q(t, 'select properties->>$2 as v from contacts where id = $1', [a, 'nurtured']))[0].v).toBe('true');
    clock.advance(2 * DAY - 60_000);
    expect(await runDue({ db: t.db, clock })).toBe(0);
    clock.advance(60_000);
    await runDue({ db: t.db, clock });
    const es = await enrolments(p.id);
    expect(es.map((e) => [e.contact_id, e.status, e.end_reason])).toEqual([
      [a, 'completed', 'completed'],
      [b, 'completed', 'completed'],
    ]);
    const r = await runs(p.id);
    expect(r.filter((x) => x.contact_id === a).map((x) => `${x.step_id}:${x.outcome.branch ?? ''}`)).toEqual(['mark:', 'wait:', 'is-pro:yes', 'tell:']);
    expect(r.filter((x) => x.contact_id === b).map((x) => `${x.step_id}:${x.outcome.branch ?? ''}`)).toEqual(['mark:', 'wait:', 'is-pro:no']);
    expect((await q(t, `select count(*)::int as n from notifications where user_id = $1 and link = $2`, [owner, `/contacts/${a}`]))[0].n).toBe(1);
  });

  it('exits a contact that became sales-ready (exit criterion) before its next step', async () => {
    const clock = new SimClock();
    const tag = cohort();
    const [a, b] = await makeContacts(t, 2, { tag, stage: 'marketing_qualified' });
    const p = await activeProgram(ctx, clock, { entry: entry(tag), steps: [{ id: 'w', type: 'wait', duration: { days: 1 } }, { id: 'mark', type: 'update_property', key: 'x', value: 1 }] });
    await runDue({ db: t.db, clock });
    await t.db.transaction((tx) => transitionInTx(tx, systemActor, { contactId: a!, toStage: 'sales_ready', cause: 'api', now: clock.now() }));
    clock.advanceDays(1);
    await runDue({ db: t.db, clock });
    const es = await enrolments(p.id);
    expect(es.find((e) => e.contact_id === a)).toMatchObject({ status: 'exited', end_reason: expect.stringContaining('exit criterion: stage is sales_ready') });
    expect(es.find((e) => e.contact_id === b)).toMatchObject({ status: 'completed' });
    expect((await runs(p.id)).filter((r) => r.contact_id === a).map((r) => r.step_id)).toEqual(['w']);
  });

  it('ends with goal_reached when a goal is met, and an exit step ends as exited', async () => {
    const clock = new SimClock();
    const tag = cohort();
    const [a, b] = await makeContacts(t, 2, { tag });
    const p = await activeProgram(ctx, clock, {
      entry: entry(tag),
      goals: [{ name: 'Became MQL', condition: { kind: 'stage_in', stages: ['marketing_qualified'] } }],
      steps: [
        { id: 'w', type: 'wait', duration: { hours: 6 } },
        { id: 'bye', type: 'exit' },
      ],
    });
    await runDue({ db: t.db, clock });
    await t.db.transaction((tx) => transitionInTx(tx, systemActor, { contactId: a!, toStage: 'marketing_qualified', cause: 'rule', now: clock.now() }));
    clock.advance(6 * 3600_000);
    await runDue({ db: t.db, clock });
    const es = await enrolments(p.id);
    expect(es.find((e) => e.contact_id === a)).toMatchObject({ status: 'goal_reached', end_reason: 'goal: Became MQL' });
    expect(es.find((e) => e.contact_id === b)).toMatchObject({ status: 'exited', end_reason: 'exit step' });
  });

  it('waits for an event until it happens, or times out to the timeout branch', async () => {
    const clock = new SimClock();
    const tag = cohort();
    const [a, b] = await makeContacts(t, 2, { tag });
    const ev = `Demo Requested ${tag}`;
    const p = await activeProgram(ctx, clock, {
      entry: entry(tag),
      steps: [
        { id: 'await', type: 'wait_event', event: ev, timeout: { days: 3 }, timeoutNext: 'late' },
        { id: 'hot', type: 'update_property', key: 'path', value: 'hot', next: null },
        { id: 'late', type: 'update_property', key: 'path', value: 'late' },
      ],
    });
    await runDue({ db: t.db, clock }); // starts waiting
    clock.advanceDays(1);
    await t.database.pool.query(
      `insert into events (source_id, type, event, contact_id, anonymous_id, timestamp, received_at, message_id, properties, context)
       values ($5, 'track', $2, $1, 'anon', $3, $3, $4, '{}', '{}')`,
      [a, ev, clock.now(), randomUUID(), (await makeSource(t)).id],
    );
    clock.advance(10 * 60_000);
    await runDue({ db: t.db, clock });
    clock.advanceDays(3);
    await runDue({ db: t.db, clock });
    const props = await q(t, `select id, properties->>'path' as path from contacts where id = any($1) order by id`, [[a, b]]);
    expect(props.map((r) => r.path)).toEqual(['hot', 'late']);
    expect((await runs(p.id)).filter((r) => r.step_id === 'await').map((r) => [r.contact_id, r.outcome.happened])).toEqual([
      [a, true],
      [b, false],
    ]);
  });
});

// The webhook step: to every endpoint subscribed to nurture.step, or to the one endpoint the step names (while it
// is enabled); an endpoint that does not exist is refused when the program is saved.
async function deliveries(programId: number) {
  return q<{ endpoint_id: number; contact_id: number }>(
    t,
    `select d.endpoint_id, d.contact_id from webhook_deliveries d join webhook_events e on e.id = d.event_id
      where e.type = 'nurture.step' and (e.payload->'data'->>'programId')::int = $1 order by d.endpoint_id, d.contact_id`,
    [programId],
  );
}
const stepOutcomes = (programId: number) => q(t, `select contact_id, outcome from nurture_step_runs where program_id = $1 and step_type = 'webhook' order by contact_id`, [programId]);

describe('webhook step', () => {
  it('calls every endpoint subscribed to nurture.step when the step names none', async () => {
    const clock = new SimClock();
    const subscribed = await makeWebhookEndpoint(t, 'CRM sync', ['nurture.step']);
    const other = await makeWebhookEndpoint(t, 'Slack', ['contact.created']);
    const tag = randomUUID().slice(0, 8);
    const [a] = await makeContacts(t, 1, { tag });
    const p = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tag } }, steps: [{ id: 'hook', type: 'webhook', note: 'entered' }] });
    await runAll(t, clock);
    const got = await deliveries(p.id);
    expect(got.filter((d) => d.endpoint_id === subscribed)).toEqual([{ endpoint_id: subscribed, contact_id: a }]);
    expect(got.some((d) => d.endpoint_id === other)).toBe(false);
  });

  it('calls only the endpoint the step names, even one not subscribed to nurture.step, and skips it once disabled', async () => {
    const clock = new SimClock();
    const subscribed = await makeWebhookEndpoint(t, 'CRM sync', ['nurture.step']);
    const named = await makeWebhookEndpoint(t, null, ['contact.created'], 'https://ops.example.org/hooks/nurture?key=s3cret');
    const tag = randomUUID().slice(0, 8);
    const [a] = await makeContacts(t, 1, { tag });
    const p = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tag } }, steps: [{ id: 'hook', type: 'webhook', endpointId: named }] });
    await runAll(t, clock);
    expect(await deliveries(p.id)).toEqual([{ endpoint_id: named, contact_id: a }]);
    expect((await deliveries(p.id)).some((d) => d.endpoint_id === subscribed)).toBe(false);
    expect((await stepOutcomes(p.id))[0].outcome).toEqual({ deliveries: 1, endpointId: named });

    await q(t, 'update webhook_endpoints set enabled = false where id = $1', [named]);
    const [b] = await makeContacts(t, 1, { tag });
    await runAll(t, clock);
    expect(await deliveries(p.id)).toEqual([{ endpoint_id: named, contact_id: a }]);
    const outcomes = await stepOutcomes(p.id);
    expect(outcomes.find((r) => r.contact_id === b)!.outcome).toEqual({ deliveries: 0, endpointId: named, skipped: 'the webhook endpoint is disabled or was deleted' });
  });

  it('rejects a program whose webhook step names an endpoint that does not exist, naming the field', async () => {
    const name = `Hook ${randomUUID().slice(0, 8)}`;
    const err = await createProgram({ ctx, input: { name, definition: { entry: { property: { key: 'cohort', value: 'x' } }, steps: [{ id: 'hook', type: 'webhook', endpointId: 999_999 }] } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details).toEqual([{ field: 'definition.steps.0.endpointId', message: 'webhook endpoint 999999 does not exist' }]);
    expect(await q(t, 'select id from nurture_programs where name = $1', [name])).toEqual([]);
  });
});
