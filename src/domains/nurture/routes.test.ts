// The nurture API: create / change / status moves / stats / dry run / test send / enrolments, and every
// bad input is a 4xx naming the field with nothing written.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { emailSetup, makeContacts, makeWebhookEndpoint } from './test-helpers.ts';
import { testSend as testSendNurture } from './dry-run.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const def = (tag: string, extra: Record<string, unknown> = {}) => ({
  entry: { property: { key: 'cohort', value: tag } },
  steps: [
    { id: 'mark', type: 'update_property', key: 'nurtured', value: true },
    { id: 'wait', type: 'wait', duration: { days: 2 } },
    { id: 'fork', type: 'branch', condition: { kind: 'stage_in', stages: ['lead'] }, yes: 'promote', no: null },
    { id: 'promote', type: 'update_stage', stage: 'marketing_qualified' },
  ],
  ...extra,
});

describe('POST /nurture/programs', () => {
  it('creates a draft, audits it, and lists it', async () => {
    const res = await t.api('POST', '/nurture/programs', { name: `Welcome ${randomUUID().slice(0, 6)}`, definition: def('x') });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'draft', version: 1, counts: { total: 0 } });
    expect(res.json().definition.reentry).toEqual({ mode: 'when_recycled', cooldownDays: 0 });
    expect((await t.auditOf('nurture_program', res.json().id)).map((a) => a.action)).toEqual(['nurture.program.created']);
    const list = await t.api('GET', '/nurture/programs');
    expect(list.json().items.some((p: any) => p.id === res.json().id)).toBe(true);
  });

  it('rejects bad definitions with the field named and writes nothing', async () => {
    const before = await t.count('nurture_programs');
    const cases: [unknown, string][] = [
      [{ definition: def('x') }, 'name'],
      [{ name: 'x', definition: { ...def('x'), entry: {} } }, 'definition.entry'],
      [{ name: 'x', definition: { ...def('x'), steps: [] } }, 'definition.steps'],
      [{ name: 'x', definition: { ...def('x'), steps: [{ id: 'a', type: 'teleport' }] } }, 'definition.steps.0.type'],
      [{ name: 'x', definition: { ...def('x'), steps: [{ id: 'a', type: 'wait', duration: { days: 0 } }] } }, 'definition.steps.0.duration'],
      [{ name: 'x', definition: { ...def('x'), steps: [{ id: 'a', type: 'branch', condition: { kind: 'stage_in', stages: ['lead'] }, yes: 'nowhere', no: null }] } }, 'definition.steps.0.yes'],
      [{ name: 'x', definition: { ...def('x'), steps: [{ id: 'a', type: 'exit' }, { id: 'a', type: 'exit' }] } }, 'definition.steps.1.id'],
      [{ name: 'x', definition: { ...def('x'), steps: [{ id: 'Bad Id', type: 'exit' }] } }, 'definition.steps.0.id'],
      [{ name: 'x', definition: { ...def('x'), steps: [{ id: 's', type: 'update_stage', stage: 'vip' }] } }, 'definition.steps.0.stage'],
      [{ name: 'x', definition: { ...def('x'), steps: [{ id: 's', type: 'send_email', templateId: 999999, topicKey: 'nope' }] } }, 'definition.steps.0.templateId'],
      [{ name: 'x', definition: { ...def('x'), entry: { segmentId: 999999 } } }, 'definition.entry.segmentId'],
      [{ name: 'x', definition: { ...def('x'), reentry: { mode: 'sometimes' } } }, 'definition.reentry.mode'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('POST', '/nurture/programs', body);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(JSON.stringify(res.json().error), field).toContain(field);
    }
    const bad = await t.inject({ method: 'POST', url: '/api/v1/nurture/programs', headers: { ...(await t.as('admin')), 'content-type': 'application/json' }, payload: '{"name":' });
    expect(bad.statusCode).toBe(400);
    expect(await t.count('nurture_programs')).toBe(before);
  });

  it('rejects a template that exists but a topic that does not', async () => {
    const { templateId } = await emailSetup(t);
    const res = await t.api('POST', '/nurture/programs', { name: `E ${randomUUID()}`, definition: { ...def('x'), steps: [{ id: 'm', type: 'send_email', templateId, topicKey: 'no_such_topic' }] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'definition.steps.0.topicKey', message: 'email topic "no_such_topic" does not exist' }]);
  });

  it('409 on a duplicate name (any case); 403 for viewer and sales; 404 for an unknown id; 401 without auth', async () => {
    const name = `Dup ${randomUUID().slice(0, 6)}`;
    expect((await t.api('POST', '/nurture/programs', { name, definition: def('x') })).statusCode).toBe(201);
    const dup = await t.api('POST', '/nurture/programs', { name: name.toUpperCase(), definition: def('x') });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details).toEqual([{ field: 'name', message: 'already used by another program' }]);
    expect((await t.api('POST', '/nurture/programs', { name: 'v', definition: def('x') }, await t.as('viewer'))).statusCode).toBe(403);
    expect((await t.api('POST', '/nurture/programs', { name: 's', definition: def('x') }, await t.as('sales'))).statusCode).toBe(403);
    expect((await t.api('GET', '/nurture/programs', undefined, await t.as('viewer'))).statusCode).toBe(200);
    expect((await t.api('GET', '/nurture/programs/999999')).statusCode).toBe(404);
    expect((await t.api('POST', '/nurture/programs/999999/activate')).statusCode).toBe(404);
    expect((await t.inject({ method: 'GET', url: '/api/v1/nurture/programs' })).statusCode).toBe(401);
  });
});

describe('program lifecycle over the API', () => {
  it('dry run, activate, stats per step, pause / resume conflicts, versioned edit, delete only drafts', async () => {
    const tag = randomUUID().slice(0, 8);
    const ids = await makeContacts(t, 4, { tag });
    await t.database.pool.query(`update contacts set lifecycle_stage = 'subscriber' where id = $1`, [ids[0]]);
    const p = (await t.api('POST', '/nurture/programs', { name: `Flow ${tag}`, definition: def(tag) })).json();

    const dry = await t.api('POST', `/nurture/programs/${p.id}/dry-run`, { days: 1 });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ entering: 4, simulated: 4, positions: [{ stepId: 'wait', count: 4 }] });
    const dry3 = (await t.api('POST', `/nurture/programs/${p.id}/dry-run`, { days: 3 })).json();
    expect(dry3.positions.map((x: any) => [x.label, x.count]).sort()).toEqual([['Completed', 4]]);
    expect(dry3.sample.find((s: any) => s.contact.id === ids[0]).path).toEqual(['mark', 'wait', 'fork']);
    expect(dry3.sample.find((s: any) => s.contact.id === ids[1]).path).toEqual(['mark', 'wait', 'fork', 'promote']);
    expect((await t.api('POST', `/nurture/programs/${p.id}/dry-run`, { days: 'many' })).json().error.details[0].field).toContain('days');
    expect(await t.count('nurture_enrolments')).toBe(0);

    const act = await t.api('POST', `/nurture/programs/${p.id}/activate`);
    expect(act.statusCode).toBe(200);
    expect(act.json()).toMatchObject({ status: 'active', counts: { active: 4 } });
    expect((await t.api('POST', `/nurture/programs/${p.id}/activate`)).statusCode).toBe(409);
    expect((await t.api('POST', `/nurture/programs/${p.id}/resume`)).statusCode).toBe(409);
    expect((await t.api('DELETE', `/nurture/programs/${p.id}`)).statusCode).toBe(409);

    const stats = (await t.api('GET', `/nurture/programs/${p.id}/stats`)).json();
    expect(stats.steps.map((s: any) => [s.stepId, s.waiting])).toEqual([['mark', 4], ['wait', 0], ['fork', 0], ['promote', 0]]);
    expect(stats.versions).toEqual([{ version: 1, active: 4 }]);

    const edited = await t.api('PATCH', `/nurture/programs/${p.id}`, { definition: { ...def(tag), steps: [{ id: 'only', type: 'exit' }] } });
    expect(edited.json().version).toBe(2);
    const enrols = (await t.api('GET', `/nurture/enrolments?programId=${p.id}&stepId=mark`)).json().items;
    expect(enrols.length).toBe(4);
    expect(enrols.every((e: any) => e.version === 1)).toBe(true);
    const one = (await t.api('GET', `/nurture/enrolments/${enrols[0].id}`)).json();
    expect(one).toMatchObject({ status: 'active', runs: [] });

    expect((await t.api('POST', `/nurture/programs/${p.id}/pause`)).json().status).toBe('paused');
    expect((await t.api('POST', `/nurture/programs/${p.id}/pause`)).statusCode).toBe(409);
    expect((await t.api('POST', `/nurture/programs/${p.id}/resume`)).json().status).toBe('active');

    const draft = (await t.api('POST', '/nurture/programs', { name: `Draft ${tag}`, definition: def(tag) })).json();
    expect((await t.api('DELETE', `/nurture/programs/${draft.id}`)).statusCode).toBe(204);
  });

  it('test send: goes to the tester (rendered as the contact, who needs no consent), never to a contact without consent, rejects non-email steps', async () => {
    const [c, other] = await makeContacts(t, 2);
    const { templateId, topicKey } = await emailSetup(t, [c!]);
    const p = (await t.api('POST', '/nurture/programs', { name: `Send ${randomUUID()}`, definition: { ...def('x'), steps: [{ id: 'hello', type: 'send_email', templateId, topicKey }, { id: 'w', type: 'wait', duration: { days: 1 } }] } })).json();
    const url = `/nurture/programs/${p.id}/test-send`;
    const otherEmail = (await t.database.pool.query('select email from contacts where id = $1', [other])).rows[0].email as string;
    const ok = await t.api('POST', url, { stepId: 'hello', contactId: other, to: 'marketer@example.test' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'queued', note: `Test queued to marketer@example.test, rendered as ${otherEmail}. See it in the Outbox.` });
    const m = (await t.database.pool.query('select to_email, contact_id::int, is_test, program_id, step_id from email_messages where id = $1', [ok.json().messageId])).rows[0];
    expect(m).toEqual({ to_email: 'marketer@example.test', contact_id: other, is_test: true, program_id: String(p.id), step_id: 'hello' });
    // To a contact's own address only with their consent, like any mail; nothing is queued.
    const before = await t.count('email_messages');
    const refused = await t.api('POST', url, { stepId: 'hello', contactId: other, to: otherEmail });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'conflict', details: { field: 'to' } });
    expect(refused.json().error.message).toMatch(/has not consented/);
    expect(await t.count('email_messages')).toBe(before);
    // A signed-in user's own address is the default; an API key has none.
    const mine = await testSendNurture({ ctx: await t.ctx('admin'), id: p.id, input: { stepId: 'hello', contactId: c } });
    expect(mine.note).toMatch(/^Test queued to .+@.+, rendered as /);
    const noTo = await t.api('POST', url, { stepId: 'hello', contactId: c });
    expect(noTo.statusCode).toBe(400);
    expect(noTo.json().error.details).toEqual([{ field: 'to', message: 'required for API keys' }]);
    const notEmail = await t.api('POST', url, { stepId: 'w', contactId: c, to: 'marketer@example.test' });
    expect(notEmail.statusCode).toBe(400);
    expect(notEmail.json().error.details).toEqual([{ field: 'stepId', message: 'not an email step' }]);
    expect((await t.api('POST', url, { stepId: 'hello', contactId: 99999999, to: 'marketer@example.test' })).statusCode).toBe(404);
    expect((await t.api('POST', url, { stepId: 'hello', contactId: c, to: 'marketer@example.test' }, await t.as('viewer'))).statusCode).toBe(403);
  });
});

describe('GET /nurture/webhook-targets', () => {
  it('lists endpoints by name and host for a marketer, without paths, queries or secrets', async () => {
    const named = await makeWebhookEndpoint(t, 'Ops hook', ['nurture.step'], 'https://ops.example.net/hooks/abc?token=zzz');
    const unnamed = await makeWebhookEndpoint(t, null, [], 'https://bare.example.net/x/y');
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
