// The webhook step: to every endpoint subscribed to nurture.step, or to the one endpoint the step names (while
// it is enabled); an endpoint that does not exist is refused when the program is saved; the builder lists the
// endpoints a step can call without their URLs' paths.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { Ctx } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { SimClock } from './clock.ts';
import { createProgram } from './programs.ts';
import { activeProgram, makeContacts, q, runAll } from './test-helpers.ts';

let t: TestApp;
let ctx: Ctx;
beforeAll(async () => {
  t = await createTestApp();
  ctx = await t.ctx('marketing');
});
afterAll(() => t.close());

async function endpoint(description: string | null, eventTypes: string[], url = `https://hooks.example.com/in/${randomUUID()}?token=secret`): Promise<number> {
  const [row] = await q(t, `insert into webhook_endpoints (url, description, event_types, secret_enc) values ($1, $2, $3, 'not-used') returning id`, [url, description, eventTypes]);
  return row.id;
}
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
    const subscribed = await endpoint('CRM sync', ['nurture.step']);
    const other = await endpoint('Slack', ['contact.created']);
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
    const subscribed = await endpoint('CRM sync', ['nurture.step']);
    const named = await endpoint(null, ['contact.created'], 'https://ops.example.org/hooks/nurture?key=s3cret');
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

describe('GET /nurture/webhook-targets', () => {
  it('lists endpoints by name and host for a marketer, without paths, queries or secrets', async () => {
    const named = await endpoint('Ops hook', ['nurture.step'], 'https://ops.example.net/hooks/abc?token=zzz');
    const unnamed = await endpoint(null, [], 'https://bare.example.net/x/y');
    const res = await t.api('GET', '/nurture/webhook-targets', undefined, await t.as('marketing'));
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: number }[];
    expect(items.find((i) => i.id === named)).toEqual({ id: named, name: 'Ops hook', host: 'ops.example.net', enabled: true, subscribed: true });
    expect(items.find((i) => i.id === unnamed)).toEqual({ id: unnamed, name: 'bare.example.net', host: 'bare.example.net', enabled: true, subscribed: false });
    expect(res.body).not.toMatch(/token=|\/hooks\/|secret/);
  });

  it('refuses a caller without credentials', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/nurture/webhook-targets' });
    expect(res.statusCode).toBe(401);
  });
});
