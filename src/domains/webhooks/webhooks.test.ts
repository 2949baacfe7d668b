import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { checkSlaBreaches } from '../lifecycle/handoff/sla.ts';
import { makeLead, setRouting } from '../lifecycle/handoff/test-helpers.ts';
import { dispatchDue, pruneWebhookLog } from './dispatch.ts';
import { webhookRuntime } from './runtime.ts';
import { forbiddenRange } from './ssrf.ts';
import { startReceiver } from './test-receiver.ts';
import { uploadOk } from '../contacts/import/test-helpers.ts';
import { runImport } from '../contacts/import/run.ts';
import { startImport } from '../contacts/import/service.ts';
import pino from 'pino';

let t: TestApp;
let rx: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  t = await createTestApp({ config: { WEBHOOKS_ALLOW_PRIVATE: true } });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
  await t.close();
});
beforeEach(() => rx.reset());

const rt = () => webhookRuntime(t.db, t.config.dataDir);
const dispatch = (now = new Date()) => dispatchDue({ db: t.db, rt: rt(), now });
let seq = 0;
const email = () => `wh-${Date.now()}-${++seq}@example.test`;

async function endpoint(eventTypes: string[], path = `/hook-${++seq}`) {
  const res = await t.api('POST', '/webhooks', { url: rx.url(path), description: 'test receiver', eventTypes });
  expect(res.statusCode).toBe(201);
  const body = res.json();
  return { id: body.endpoint.id as number, secret: body.secret as string, path };
}
const deliveryRow = async (endpointId: number) =>
  (await t.database.pool.query('select * from webhook_deliveries where endpoint_id = $1 order by id desc limit 1', [endpointId])).rows[0];
const fromPath = (p: string) => rx.received.filter((r) => r.path === p);

/** A contacts CSV import run to the end in this process (no job queue). */
async function importCsv(csv: string) {
  const preview = await uploadOk(t, csv);
  const id = preview.import.id;
  await startImport({ ctx: await t.ctx('marketing'), id, input: { mapping: preview.suggestedMapping, options: {} }, enqueue: false });
  return { done: await runImport({ db: t.db, importId: id, log: pino({ level: 'silent' }) }) };
}

describe('createEndpoint', () => {
  it('returns a whsec_ secret once and stores it encrypted, never in plaintext', async () => {
    const ep = await endpoint(['contact.created']);
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(ep.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const list = (await t.api('GET', '/webhooks')).json();
    expect(JSON.stringify(list)).not.toContain(ep.secret);
    expect(list.eventTypes.map((e: { type: string }) => e.type)).toContain('handoff.sla_breached');
    const dump = JSON.stringify((await t.database.pool.query('select * from webhook_endpoints')).rows);
    expect(dump).not.toContain(ep.secret);
    expect(dump).not.toContain(ep.secret.slice(6));
    expect(readdirSync(t.config.dataDir)).toContain('webhook-secret.key');
    expect((await t.auditOf('webhook_endpoint', ep.id)).map((a) => a.action)).toEqual(['webhook.created']);
  });

  it('rejects bad input with the field named and writes nothing', async () => {
    const before = await t.count('webhook_endpoints');
    const bad = [
      [{ url: 'ftp://example.com/x', eventTypes: ['contact.created'] }, 'url'],
      [{ url: 'not a url', eventTypes: ['contact.created'] }, 'url'],
      [{ url: rx.url(), eventTypes: ['contact.exploded'] }, 'eventTypes'],
      [{ url: rx.url(), eventTypes: [] }, 'eventTypes'],
      [{ url: rx.url(), eventTypes: ['deal.won', 'deal.won'] }, 'eventTypes'],
      [{ url: rx.url() }, 'eventTypes'],
      [{ url: rx.url(), eventTypes: ['deal.won'], secret: 'mine' }, ''],
    ] as const;
    for (const [payload, field] of bad) {
      const res = await t.api('POST', '/webhooks', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      if (field) expect(JSON.stringify(res.json().error)).toContain(field);
    }
    const malformed = await t.inject({ method: 'POST', url: '/api/v1/webhooks', headers: { ...(await t.as('admin')), 'content-type': 'application/json' }, payload: '{"url":' });
    expect(malformed.statusCode).toBe(400);
    expect((await t.api('PATCH', '/webhooks/999999', { enabled: false })).statusCode).toBe(404);
    expect((await t.api('DELETE', '/webhooks/999999')).statusCode).toBe(404);
    expect((await t.api('POST', '/webhooks/999999/rotate-secret')).statusCode).toBe(404);
    expect(await t.count('webhook_endpoints')).toBe(before);
  });

  it('is for admins only', async () => {
    const ep = await endpoint(['deal.won']);
    for (const role of ['marketing', 'sales', 'viewer'] as const) {
      const h = await t.as(role);
      expect((await t.api('GET', '/webhooks', undefined, h)).statusCode).toBe(403);
      expect((await t.api('POST', '/webhooks', { url: rx.url(), eventTypes: ['deal.won'] }, h)).statusCode).toBe(403);
      expect((await t.api('GET', `/webhooks/${ep.id}/deliveries`, undefined, h)).statusCode).toBe(403);
      expect((await t.api('POST', `/webhooks/${ep.id}/rotate-secret`, undefined, h)).statusCode).toBe(403);
    }
    expect((await t.inject({ method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(401);
  });
});

describe('delivery', () => {
  it('sends contact.created signed per Standard Webhooks, verified by the standardwebhooks library', async () => {
    const ep = await endpoint(['contact.created', 'contact.updated']);
    const res = await t.api('POST', '/contacts', { email: email(), firstName: 'Ada' });
    expect(res.statusCode).toBe(201);
    const contactId = res.json().id;
    expect((await t.api('PATCH', `/contacts/${contactId}`, { title: 'CTO' })).statusCode).toBe(200);
    await dispatch();
    const got = fromPath(ep.path);
    expect(got).toHaveLength(2);
    const wh = new Webhook(ep.secret);
    const first = wh.verify(got[0]!.body, got[0]!.headers) as { type: string; data: { contact: { id: number; firstName: string } } };
    expect(first.type).toBe('contact.created');
    expect(first.data.contact).toMatchObject({ id: contactId, firstName: 'Ada' });
    const second = wh.verify(got[1]!.body, got[1]!.headers) as { type: string; data: { changes: Record<string, unknown> } };
    expect(second.type).toBe('contact.updated');
    expect(second.data.changes).toMatchObject({ title: { from: null, to: 'CTO' } });
    expect(got[0]!.headers['webhook-id']).toMatch(/^msg_/);
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).verify(got[0]!.body, got[0]!.headers)).toThrow();
    expect((await deliveryRow(ep.id)).status).toBe('succeeded');
  });

  it('sends contact.created and contact.updated for the rows of a CSV import (new contacts, then updated ones)', async () => {
    const ep = await endpoint(['contact.created', 'contact.updated']);
    const known = email();
    await t.api('POST', '/contacts', { email: known, firstName: 'Old' });
    await dispatch();
    rx.reset();
    const fresh = [email(), email()];
    const csv = `email,first_name,title\n${fresh[0]},Ann,CMO\n${known},New,VP\n${fresh[1]},Bo,\nnot-an-email,X,Y\n`;
    const { done } = await importCsv(csv);
    expect(done).toMatchObject({ status: 'completed', insertedRows: 2, updatedRows: 1, rejectedRows: 1 });
    await dispatch();
    const wh = new Webhook(ep.secret);
    const events = fromPath(ep.path).map((r) => wh.verify(r.body, r.headers) as { type: string; data: { contact: { email: string; firstName: string }; source: string; importId: number } });
    const created = events.slice(0, 2).map((e) => [e.type, e.data.contact.email, e.data.contact.firstName]);
    expect(created.sort()).toEqual([
      ['contact.created', fresh[0], 'Ann'],
      ['contact.created', fresh[1], 'Bo'],
    ].sort());
    expect(events.slice(2).map((e) => [e.type, e.data.contact.email, e.data.contact.firstName])).toEqual([['contact.updated', known, 'New']]);
    expect(events.every((e) => e.data.source === 'import' && e.data.importId > 0)).toBe(true);
  });

  it('writes nothing to the outbox when the change fails (same transaction)', async () => {
    await endpoint(['contact.created']);
    const dup = email();
    expect((await t.api('POST', '/contacts', { email: dup })).statusCode).toBe(201);
    const before = await t.count('webhook_events');
    expect((await t.api('POST', '/contacts', { email: dup })).statusCode).toBe(409);
    expect(await t.count('webhook_events')).toBe(before);
  });

  it('retries a failure with backoff and jitter, with the same webhook-id', async () => {
    const ep = await endpoint(['contact.created']);
    rx.answer(ep.path, { status: 500, body: 'boom' }, { status: 502 });
    await t.api('POST', '/contacts', { email: email() });
    const t0 = new Date();
    await dispatch(t0);
    let d = await deliveryRow(ep.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
    const delay = new Date(d.next_attempt_at).getTime() - t0.getTime();
    expect(delay).toBeGreaterThanOrEqual(4000);
    expect(delay).toBeLessThanOrEqual(6000);
    await dispatch(new Date(t0.getTime() + 2000)); // not due yet
    expect(fromPath(ep.path)).toHaveLength(1);
    const t1 = new Date(t0.getTime() + 7000);
    await dispatch(t1);
    d = await deliveryRow(ep.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 2, last_status_code: 502 });
    const delay2 = new Date(d.next_attempt_at).getTime() - t1.getTime();
    expect(delay2).toBeGreaterThanOrEqual(240_000);
    expect(delay2).toBeLessThanOrEqual(360_000);
    await dispatch(new Date(t1.getTime() + 400_000));
    expect((await deliveryRow(ep.id)).status).toBe('succeeded');
    const ids = fromPath(ep.path).map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    const log = (await t.api('GET', `/webhooks/${ep.id}/deliveries`)).json();
    expect(log.items[0].attemptLog.map((a: { responseCode: number }) => a.responseCode)).toEqual([200, 502, 500]);
    expect(log.items[0].attemptLog[2]).toMatchObject({ responseBody: 'boom', nextRetryAt: expect.any(String) });
    expect(log.items[0].attemptLog[0].requestBody).toContain('contact.created');
  });

  it('honours Retry-After', async () => {
    const ep = await endpoint(['contact.created']);
    rx.answer(ep.path, { status: 429, headers: { 'retry-after': '120' } });
    await t.api('POST', '/contacts', { email: email() });
    const t0 = new Date();
    await dispatch(t0);
    const d = await deliveryRow(ep.id);
    expect(new Date(d.next_attempt_at).getTime()).toBe(t0.getTime() + 120_000);
  });

  it('disables the endpoint on 410 Gone and queues nothing more for it', async () => {
    const ep = await endpoint(['contact.created']);
    rx.answer(ep.path, { status: 410 });
    await t.api('POST', '/contacts', { email: email() });
    await dispatch();
    expect(await deliveryRow(ep.id)).toMatchObject({ status: 'failed', last_status_code: 410 });
    const e = (await t.api('GET', `/webhooks/${ep.id}`)).json();
    expect(e).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });
    const before = (await t.database.pool.query('select count(*)::int n from webhook_deliveries where endpoint_id = $1', [ep.id])).rows[0].n;
    await t.api('POST', '/contacts', { email: email() });
    expect((await t.database.pool.query('select count(*)::int n from webhook_deliveries where endpoint_id = $1', [ep.id])).rows[0].n).toBe(before);
  });

  it('does not follow redirects', async () => {
    const ep = await endpoint(['contact.created']);
    rx.answer(ep.path, { status: 302, headers: { location: rx.url('/elsewhere') } });
    await t.api('POST', '/contacts', { email: email() });
    await dispatch();
    expect(await deliveryRow(ep.id)).toMatchObject({ status: 'pending', last_status_code: 302, last_error: expect.stringContaining('not followed') });
    expect(fromPath('/elsewhere')).toHaveLength(0);
  });

  it('signs with both secrets for 24 hours after a rotation', async () => {
    const ep = await endpoint(['contact.created']);
    const rot = (await t.api('POST', `/webhooks/${ep.id}/rotate-secret`)).json();
    expect(rot.secret).not.toBe(ep.secret);
    expect(rot.endpoint.previousSecretExpiresAt).toEqual(expect.any(String));
    await t.api('POST', '/contacts', { email: email() });
    await dispatch();
    const [req] = fromPath(ep.path);
    expect(req!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(ep.secret).verify(req!.body, req!.headers)).not.toThrow();
    expect(() => new Webhook(rot.secret).verify(req!.body, req!.headers)).not.toThrow();
    // After the overlap only the new secret signs.
    rx.reset();
    await t.api('POST', '/contacts', { email: email() });
    await dispatch(new Date(Date.now() + 25 * 3600_000));
    const [late] = fromPath(ep.path);
    expect(late!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(() => new Webhook(rot.secret).verify(late!.body, late!.headers)).not.toThrow();
    expect(() => new Webhook(ep.secret).verify(late!.body, late!.headers)).toThrow();
  });

  it('redelivers by hand with the same webhook-id and sends a test event', async () => {
    const ep = await endpoint(['contact.created']);
    await t.api('POST', '/contacts', { email: email() });
    await dispatch();
    const d = await deliveryRow(ep.id);
    const again = await t.api('POST', `/webhooks/${ep.id}/deliveries/${d.id}/redeliver`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'succeeded', attempts: 2, msgId: d.msg_id });
    expect(again.json().attemptLog[0]).toMatchObject({ manual: true, responseCode: 200 });
    expect(new Set(fromPath(ep.path).map((r) => r.headers['webhook-id']))).toEqual(new Set([d.msg_id]));
    const test = await t.api('POST', `/webhooks/${ep.id}/test`);
    expect(test.json()).toMatchObject({ eventType: 'webhook.test', status: 'succeeded' });
    expect((await t.api('POST', `/webhooks/${ep.id}/deliveries/999999/redeliver`)).statusCode).toBe(404);
  });

  it('delivers lifecycle.sales_ready and handoff.sla_breached after the SLA passes on a simulated clock', async () => {
    const ep = await endpoint(['lifecycle.sales_ready', 'handoff.sla_breached']);
    const rep = await t.makeUser('sales');
    await setRouting(t, { mode: 'round_robin', pool: [rep.id] }, { salesReadyAcceptHours: 24 });
    const t0 = new Date(Date.now() + 3600_000);
    const lead = await makeLead(t, { now: t0 });
    await dispatch(t0);
    const breaches = await checkSlaBreaches({ db: t.db, now: new Date(t0.getTime() + 25 * 3600_000) });
    expect(breaches.map((b) => b.handoffId)).toContain(lead.handoffId);
    await dispatch(new Date(t0.getTime() + 25 * 3600_000));
    const wh = new Webhook(ep.secret);
    const events = fromPath(ep.path).map((r) => wh.verify(r.body, r.headers) as { type: string; data: Record<string, unknown> });
    const mine = events.filter((e) => e.data.contactId === lead.contactId);
    expect(mine.map((e) => e.type)).toEqual(['lifecycle.sales_ready', 'handoff.sla_breached']);
    expect(mine[1]!.data).toMatchObject({ handoffId: lead.handoffId, ownerId: rep.id, kind: 'accept' });
  });

  it('delivers handoff.follow_up_breached when an accepted lead is not followed up in time', async () => {
    const ep = await endpoint(['handoff.follow_up_breached']);
    const rep = await t.makeUser('sales');
    await setRouting(t, { mode: 'round_robin', pool: [rep.id] }, { salesReadyAcceptHours: 24, salesAcceptedFollowUpHours: 48 });
    const t0 = new Date(Date.now() + 3600_000);
    const lead = await makeLead(t, { now: t0 });
    const ctx = { ...(await t.ctx('sales')), actor: { type: 'user' as const, id: String(rep.id), label: rep.email, role: 'sales' as const, userId: rep.id } };
    const { acceptHandoff } = await import('../lifecycle/handoff/decide.ts');
    await acceptHandoff({ ctx, id: lead.handoffId, input: {}, now: t0 });
    const later = new Date(t0.getTime() + 49 * 3600_000);
    await checkSlaBreaches({ db: t.db, now: later });
    await dispatch(later);
    const evs = fromPath(ep.path).map((r) => new Webhook(ep.secret).verify(r.body, r.headers) as { type: string; data: Record<string, unknown> });
    expect(evs.filter((e) => e.data.handoffId === lead.handoffId)).toMatchObject([{ type: 'handoff.follow_up_breached', data: { kind: 'follow_up', contactId: lead.contactId } }]);
  });

  it('delivers deal.won', async () => {
    const ep = await endpoint(['deal.won']);
    const c = (await t.api('POST', '/contacts', { email: email() })).json();
    const res = await t.api('POST', '/deals', { name: 'Big one', amount: 1000, currency: 'EUR', stage: 'won', contacts: [{ id: c.id }] });
    expect(res.statusCode).toBe(201);
    await dispatch();
    const [req] = fromPath(ep.path);
    const ev = new Webhook(ep.secret).verify(req!.body, req!.headers) as { type: string; data: Record<string, unknown> };
    expect(ev).toMatchObject({ type: 'deal.won', data: { name: 'Big one', amount: 1000, contactIds: [c.id] } });
  });
});

describe('SSRF guard', () => {
  it('classifies loopback, private, link-local, CGNAT, multicast and metadata addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '224.0.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '::ffff:127.0.0.1', 'ff02::1']) {
      expect(forbiddenRange(a), a).not.toBeNull();
    }
    expect(forbiddenRange('169.254.169.254')).toBe('metadata');
    expect(forbiddenRange('fd00:ec2::254')).toBe('metadata');
    expect(forbiddenRange('93.184.216.34')).toBeNull();
    expect(forbiddenRange('2606:4700::1111')).toBeNull();
  });

  it('refuses private endpoints at create when private addresses are not allowed, and on delivery', async () => {
    const strict = await createTestApp();
    try {
      const before = await strict.count('webhook_endpoints');
      for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://10.0.0.5/x', 'http://[fd00:ec2::254]/x', 'http://100.64.1.1/']) {
        const res = await strict.api('POST', '/webhooks', { url, eventTypes: ['contact.created'] });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error.message).toMatch(/^url: /);
      }
      expect(await strict.count('webhook_endpoints')).toBe(before);
    } finally {
      await strict.close();
    }
    // Metadata addresses stay refused even with WEBHOOKS_ALLOW_PRIVATE=true.
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://[fd00:ec2::254]/']) {
      expect((await t.api('POST', '/webhooks', { url, eventTypes: ['contact.created'] })).statusCode, url).toBe(400);
    }
    // An endpoint stored while private addresses were allowed is refused on delivery once they are not.
    const ep = await endpoint(['contact.created']);
    await t.api('POST', '/contacts', { email: email() });
    await dispatchDue({ db: t.db, rt: { ...rt(), allowPrivate: false } });
    expect(fromPath(ep.path)).toHaveLength(0);
    expect(await deliveryRow(ep.id)).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('may not reach') });
  });
});

describe('dispatchDue ordering and timeouts', () => {
  it('sends the first attempts of one contact in order, and a failed one does not hold later ones back', async () => {
    const ep = await endpoint(['contact.updated']);
    const c = (await t.api('POST', '/contacts', { email: email() })).json();
    for (const title of ['A', 'B', 'C']) await t.api('PATCH', `/contacts/${c.id}`, { title });
    await dispatch();
    const titles = () => fromPath(ep.path).map((r) => (JSON.parse(r.body) as { data: { contact: { title: string } } }).data.contact.title);
    expect(titles()).toEqual(['A', 'B', 'C']);
    rx.reset();
    rx.answer(ep.path, { status: 500 });
    await t.api('PATCH', `/contacts/${c.id}`, { title: 'D' });
    await t.api('PATCH', `/contacts/${c.id}`, { title: 'E' });
    const now = new Date();
    await dispatch(now);
    expect(titles()).toEqual(['D', 'E']); // D failed (retry later), E went anyway
    await dispatch(new Date(now.getTime() + 10_000));
    expect(titles()).toEqual(['D', 'E', 'D']);
  });

  it('gives up an attempt after the timeout and retries it', async () => {
    const http = await import('node:http');
    const hang = http.createServer(() => undefined);
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    try {
      const port = (hang.address() as { port: number }).port;
      const id = (await t.api('POST', '/webhooks', { url: `http://127.0.0.1:${port}/slow`, eventTypes: ['contact.created'] })).json().endpoint.id;
      await t.api('POST', '/contacts', { email: email() });
      const started = Date.now();
      await dispatchDue({ db: t.db, rt: { ...rt(), timeoutMs: 300 } });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await deliveryRow(id)).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: expect.stringMatching(/timed out/) });
      await t.api('PATCH', `/webhooks/${id}`, { enabled: false });
    } finally {
      hang.closeAllConnections();
      hang.close();
    }
  });
});

describe('pruneWebhookLog', () => {
  it('deletes finished events after 30 days and keeps pending ones', async () => {
    const ep = await endpoint(['contact.created']);
    rx.answer(ep.path, { status: 500 });
    await t.api('POST', '/contacts', { email: email() });
    await t.api('POST', '/contacts', { email: email() });
    await dispatch();
    const rows = (await t.database.pool.query('select status from webhook_deliveries where endpoint_id = $1 order by id', [ep.id])).rows.map((r) => r.status);
    expect(rows.sort()).toEqual(['pending', 'succeeded']);
    expect(await pruneWebhookLog({ db: t.db, now: new Date(Date.now() + 29 * 86_400_000) })).toBe(0);
    await pruneWebhookLog({ db: t.db, now: new Date(Date.now() + 31 * 86_400_000) });
    const left = (await t.database.pool.query('select status from webhook_deliveries where endpoint_id = $1', [ep.id])).rows.map((r) => r.status);
    expect(left).toEqual(['pending']);
  });
});

describe('updateEndpoint / deleteEndpoint', () => {
  it('disables, re-enables (clearing the 410 reason), changes events, and deletes with the log', async () => {
    const ep = await endpoint(['contact.created']);
    await t.database.pool.query("update webhook_endpoints set enabled = false, disabled_reason = 'The receiver answered 410 Gone' where id = $1", [ep.id]);
    const on = await t.api('PATCH', `/webhooks/${ep.id}`, { enabled: true, eventTypes: ['contact.created', 'deal.won'] });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ enabled: true, disabledReason: null, eventTypes: ['contact.created', 'deal.won'] });
    await t.api('POST', '/contacts', { email: email() });
    await dispatch();
    expect((await t.api('GET', `/webhooks/${ep.id}/deliveries`)).json().items).toHaveLength(1);
    expect((await t.api('PATCH', `/webhooks/${ep.id}`, { secret: 'x' })).statusCode).toBe(400);
    expect((await t.api('PATCH', `/webhooks/${ep.id}`, { description: 'x'.repeat(501) })).statusCode).toBe(400);
    expect((await t.api('PATCH', `/webhooks/${ep.id}`, { url: 'http://169.254.169.254/' })).statusCode).toBe(400);
    expect((await t.api('GET', `/webhooks/${ep.id}`)).json().url).toBe(rx.url(ep.path));
    const del = await t.api('DELETE', `/webhooks/${ep.id}`);
    expect(del.statusCode).toBe(204);
    expect((await t.api('GET', `/webhooks/${ep.id}`)).statusCode).toBe(404);
    expect((await t.database.pool.query('select count(*)::int n from webhook_deliveries where endpoint_id = $1', [ep.id])).rows[0].n).toBe(0);
    expect((await t.auditOf('webhook_endpoint', ep.id)).map((a) => a.action)).toEqual(['webhook.created', 'webhook.updated', 'webhook.deleted']);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/webhooks', '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver']));
  });
});
