import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { enqueueEmail } from './enqueue.ts';
import { sendDue } from './send.ts';
import { setTxtResolver } from './domains.ts';
import { checkHealthAlerts } from './health.ts';

let t: TestApp;
let seq = 0;
let templateId: number;
const MJML = '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{ contact.first_name }}</mj-text><mj-button href="https://example.test/a">Go</mj-button></mj-column></mj-section></mj-body></mjml>';

async function contactWithConsent(key = 'updates') {
  const c = (await t.api('POST', '/contacts', { email: `adm-${Date.now()}-${++seq}@example.test`, firstName: 'Kim' })).json();
  expect((await t.api('POST', '/email/consents', { contactId: c.id, topicKey: key, status: 'granted', source: 'form' })).statusCode).toBe(201);
  return c as { id: number; email: string };
}
const enqueue = (contactId: number, extra: Record<string, string> = {}) =>
  t.db.transaction((tx) => enqueueEmail(tx, { workspaceId: 1, contactId, templateId, topicKey: 'updates', idempotencyKey: `adm-${++seq}`, ...extra }));

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.api('POST', '/email/topics', { key: 'updates', name: 'Updates' })).statusCode).toBe(201);
  const res = await t.api('POST', '/email/templates', { name: 'Plain', subject: 'Hello {{ contact.first_name }}', mjml: MJML });
  expect(res.statusCode).toBe(201);
  templateId = res.json().id;
});
afterAll(() => t?.close());

describe('embedded outbox', () => {
  it('keeps rendered messages in the outbox when no SMTP server is configured', async () => {
    const c = await contactWithConsent();
    const r = await enqueue(c.id);
    await sendDue({ db: t.db, dataDir: t.config.dataDir });
    const page = (await t.api('GET', '/email/outbox')).json();
    expect(page.smtpConfigured).toBe(false);
    const m = page.items.find((i: { id: string }) => i.id === r.messageId);
    expect(m).toMatchObject({ status: 'sent', transport: 'outbox', subject: 'Hello Kim' });
    const detail = (await t.api('GET', `/email/outbox/${r.messageId}`)).json();
    expect(detail.html).toContain('Hi Kim');
    expect(detail.links).toEqual([{ idx: 0, url: 'https://example.test/a' }]);
    expect(detail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect((await t.api('GET', '/email/outbox/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
    expect((await t.api('GET', '/email/outbox/not-a-uuid')).statusCode).toBe(400);
  });
});

describe('throttle', () => {
  it('sends no more than the sending domain allows per minute', async () => {
    expect((await t.api('PATCH', '/email/settings', { fromEmail: 'news@throttle.example.test' })).statusCode).toBe(200);
    expect((await t.api('POST', '/email/domains', { domain: 'throttle.example.test', throttlePerMinute: 2 })).statusCode).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await enqueue((await contactWithConsent()).id)).messageId!);
    await sendDue({ db: t.db, dataDir: t.config.dataDir });
    const { rows } = await t.database.pool.query(`select status, count(*)::int as n from email_messages where id = any($1::uuid[]) group by status order by status`, [ids]);
    expect(rows).toEqual([{ status: 'queued', n: 3 }, { status: 'sent', n: 2 }]);
  });

  it('holds when each round is claimed while the previous one is being sent (batch of 1)', async () => {
    expect((await t.api('PATCH', '/email/settings', { fromEmail: 'news@throttle3.example.test' })).statusCode).toBe(200);
    expect((await t.api('POST', '/email/domains', { domain: 'throttle3.example.test', throttlePerMinute: 3 })).statusCode).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await enqueue((await contactWithConsent()).id)).messageId!);
    await sendDue({ db: t.db, dataDir: t.config.dataDir }, { batch: 1 });
    const { rows } = await t.database.pool.query(`select status, count(*)::int as n from email_messages where id = any($1::uuid[]) group by status order by status`, [ids]);
    expect(rows).toEqual([{ status: 'queued', n: 2 }, { status: 'sent', n: 3 }]);
  });
});

describe('throttle with several senders', () => {
  it('holds when the send loop, the minute job and another worker claim at the same moment', async () => {
    expect((await t.api('PATCH', '/email/settings', { fromEmail: 'news@throttle4.example.test' })).statusCode).toBe(200);
    expect((await t.api('POST', '/email/domains', { domain: 'throttle4.example.test', throttlePerMinute: 4 })).statusCode).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await enqueue((await contactWithConsent()).id)).messageId!);
    await Promise.all([1, 2, 3].map(() => sendDue({ db: t.db, dataDir: t.config.dataDir })));
    const { rows } = await t.database.pool.query(`select status, count(*)::int as n from email_messages where id = any($1::uuid[]) group by status order by status`, [ids]);
    expect(rows).toEqual([{ status: 'queued', n: 6 }, { status: 'sent', n: 4 }]);
  });
});

describe('sending domain check', () => {
  it('verifies SPF, DKIM and DMARC from DNS and names what is wrong', async () => {
    const d = (await t.api('POST', '/email/domains', { domain: 'dns.example.test', spfInclude: 'include:_spf.relay.test' })).json();
    const dkim = d.records.dkim.expected;
    const records: Record<string, string[][]> = {
      'dns.example.test': [['v=spf1 include:_spf.relay.test ~all']],
      'revloop._domainkey.dns.example.test': [[dkim.slice(0, 200), dkim.slice(200)]],
    };
    const prev = setTxtResolver(async (name) => {
      if (records[name]) return records[name]!;
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    });
    try {
      let res = (await t.api('POST', `/email/domains/${d.id}/check`)).json();
      expect(res.records.spf).toMatchObject({ ok: true, problem: null });
      expect(res.records.dkim).toMatchObject({ ok: true });
      expect(res.records.dmarc).toMatchObject({ ok: false, problem: 'No TXT record found' });
      expect(res.verified).toBe(false);
      records['_dmarc.dns.example.test'] = [['v=DMARC1; p=reject']];
      records['revloop._domainkey.dns.example.test'] = [['v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwrong']];
      res = (await t.api('POST', `/email/domains/${d.id}/check`)).json();
      expect(res.records.dkim.problem).toMatch(/not this domain's key/);
      records['revloop._domainkey.dns.example.test'] = [[dkim]];
      res = (await t.api('POST', `/email/domains/${d.id}/check`)).json();
      expect(res.verified).toBe(true);
    } finally {
      setTxtResolver(prev);
    }
    expect((await t.api('POST', '/email/domains', { domain: 'dns.example.test' })).statusCode).toBe(409);
    expect((await t.api('POST', '/email/domains', { domain: 'not a domain' })).json().error.message).toMatch(/domain/);
  });
});

describe('health and alerts', () => {
  it('counts per campaign and notifies admins once when opt-outs cross the threshold', async () => {
    await t.api('PATCH', '/email/settings', { fromEmail: 'news@health.example.test' });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await enqueue((await contactWithConsent()).id, { campaignId: 'health-1' })).messageId!);
    await sendDue({ db: t.db, dataDir: t.config.dataDir });
    await t.database.pool.query(`update email_messages set unsubscribed_at = now() where id = any($1::uuid[])`, [ids.slice(0, 3)]);
    await t.database.pool.query(`update email_messages set first_opened_at = now() where id = any($1::uuid[])`, [ids.slice(0, 10)]);
    const h = (await t.api('GET', '/email/health?campaignId=health-1')).json();
    expect(h.totals).toMatchObject({ sent: 20, delivered: 20, opens: 10, optOuts: 3, openRate: 50, optOutRate: 15 });
    expect(h.scopes[0]).toMatchObject({ scope: 'campaign', id: 'health-1', alert: true });
    const admin = await t.makeUser('admin');
    expect(await checkHealthAlerts({ db: t.db })).toBeGreaterThanOrEqual(1);
    expect(await checkHealthAlerts({ db: t.db })).toBe(0);
    const { rows } = await t.database.pool.query(`select title from notifications where user_id = $1 and kind = 'email.health'`, [admin.id]);
    expect(rows.map((r: { title: string }) => r.title)).toContain('Opt-outs at 15.0% for campaign health-1 (threshold 2%)');
  });
});

describe('health scope names', () => {
  it("shows a campaign's name and alerts with it, and keeps the id for a campaign revloop does not know", async () => {
    const camp = await t.api('POST', '/campaigns', { name: 'Spring webinar series', utmCampaign: `spring-${++seq}` });
    expect(camp.statusCode).toBe(201);
    const id = String(camp.json().id);
    await t.api('PATCH', '/email/settings', { fromEmail: 'news@health2.example.test' });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await enqueue((await contactWithConsent()).id, { campaignId: id })).messageId!);
    await enqueue((await contactWithConsent()).id, { campaignId: 'external-7' });
    await sendDue({ db: t.db, dataDir: t.config.dataDir });
    await t.database.pool.query(`update email_messages set unsubscribed_at = now() where id = any($1::uuid[])`, [ids.slice(0, 4)]);
    const h = (await t.api('GET', '/email/health')).json();
    expect(h.scopes.find((x: { id: string }) => x.id === id)).toMatchObject({ scope: 'campaign', name: 'Spring webinar series' });
    expect(h.scopes.find((x: { id: string }) => x.id === 'external-7')).toMatchObject({ scope: 'campaign', name: null });
    const admin = await t.makeUser('admin');
    await checkHealthAlerts({ db: t.db });
    const { rows } = await t.database.pool.query(`select title from notifications where user_id = $1 and kind = 'email.health'`, [admin.id]);
    expect(rows.map((r: { title: string }) => r.title)).toContain('Opt-outs at 20.0% for campaign "Spring webinar series" (threshold 2%)');
  });
});

describe('validation and permissions', () => {
  it('names the field of bad input and writes nothing', async () => {
    const before = await t.count('email_templates');
    let res = await t.api('POST', '/email/templates', { name: '', subject: 'x', mjml: MJML });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('name');
    res = await t.api('POST', '/email/templates', { name: 'Plain', subject: 'x', mjml: MJML });
    expect(res.statusCode).toBe(409);
    res = await t.api('POST', '/email/templates', { name: 'x', subject: 'x', mjml: MJML, topicId: 999999 });
    expect(res.json().error.message).toMatch(/^topicId/);
    res = await t.inject({ method: 'POST', url: '/api/v1/email/templates', headers: { ...(await t.as('admin')), 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(res.statusCode).toBe(400);
    res = await t.api('POST', '/email/consents', { contactId: 99999999, topicKey: 'updates', status: 'granted', source: 'x' });
    expect(res.json().error.message).toMatch(/^contactId/);
    res = await t.api('POST', '/email/consents', { contactId: 1, topicKey: 'Bad Key', status: 'granted', source: 'x' });
    expect(res.statusCode).toBe(400);
    res = await t.api('POST', '/email/topics', { key: 'updates', name: 'Again' });
    expect(res.statusCode).toBe(409);
    expect(await t.count('email_templates')).toBe(before);
  });

  it('lets every role read and only admin and marketing change', async () => {
    for (const role of ['viewer', 'sales', 'marketing'] as const) expect((await t.api('GET', '/email/templates', undefined, await t.as(role))).statusCode).toBe(200);
    expect((await t.api('POST', '/email/topics', { key: 'viewer_try', name: 'x' }, await t.as('viewer'))).statusCode).toBe(403);
    expect((await t.api('POST', '/email/suppressions', { email: 'x@example.test' }, await t.as('sales'))).statusCode).toBe(403);
    expect((await t.api('POST', '/email/topics', { key: 'marketing_ok', name: 'Marketing topic' }, await t.as('marketing'))).statusCode).toBe(201);
    expect((await t.inject({ method: 'GET', url: '/api/v1/email/templates' })).statusCode).toBe(401);
    const settings = (await t.api('PATCH', '/email/settings', { smtpPassword: 's3cret-pass' })).json();
    expect(settings.smtpPasswordSet).toBe(true);
    expect(JSON.stringify(settings)).not.toContain('s3cret');
    const { rows } = await t.database.pool.query('select smtp_pass_enc from email_settings');
    expect(rows[0].smtp_pass_enc).not.toContain('s3cret');
  });
});
