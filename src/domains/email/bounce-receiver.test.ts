// The bounce receiver over real SMTP: messages go out with the VERP envelope sender of their bounce domain, a
// DSN mailed back to it suppresses the address (even when it quotes none of the message's headers), anything for
// another address is refused (no relay), and mail that is not a report is accepted and dropped.
import nodemailer from 'nodemailer';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { startBounceReceiver, type BounceReceiver } from './bounce-receiver.ts';
import { enqueueEmail } from './enqueue.ts';
import { sendDue } from './send.ts';
import { startSmtpSink } from './test-helpers.ts';

let t: TestApp;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let receiver: BounceReceiver;
let templateId: number;
let topicKey: string;
let seq = 0;
const BOUNCES = 'bounces.example.test';

beforeAll(async () => {
  t = await createTestApp();
  sink = await startSmtpSink();
  receiver = await startBounceReceiver({ db: t.db, dataDir: t.config.dataDir, port: 0, host: '127.0.0.1', log: pino({ level: 'silent' }) });
  let res = await t.api('PATCH', '/email/settings', { smtpHost: '127.0.0.1', smtpPort: sink.port, fromEmail: 'news@mail.example.test', bounceDomain: BOUNCES, trackingBaseUrl: 'http://track.example.test' });
  expect(res.statusCode).toBe(200);
  topicKey = `bounces_${Date.now()}`;
  res = await t.api('POST', '/email/topics', { key: topicKey, name: 'News' });
  expect(res.statusCode).toBe(201);
  res = await t.api('POST', '/email/templates', { name: 'Bounce test', subject: 'Hi', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hello</mj-text></mj-column></mj-section></mj-body></mjml>' });
  expect(res.statusCode).toBe(201);
  templateId = res.json().id;
});
afterAll(async () => {
  await receiver?.close();
  await sink?.close();
  await t?.close();
});

async function sentTo(local: string) {
  const email = `${local}-${Date.now()}-${++seq}@example.test`;
  const c = (await t.api('POST', '/contacts', { email, firstName: 'Bo' })).json() as { id: number };
  expect((await t.api('POST', '/email/consents', { contactId: c.id, topicKey, status: 'granted', source: 'form', text: 'yes' })).statusCode).toBe(201);
  const r = await t.db.transaction((tx) => enqueueEmail(tx, { workspaceId: 1, contactId: c.id, templateId, topicKey, idempotencyKey: `b-${seq}` }));
  await sendDue({ db: t.db, dataDir: t.config.dataDir });
  return { contactId: c.id, email, messageId: r.messageId! };
}

/** A DSN that, like many, quotes none of the original message's headers. */
const dsn = (recipient: string) =>
  [
    'From: MAILER-DAEMON@mx.example.test',
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.test',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
    '--b1--',
    '',
  ].join('\r\n');

async function mailTo(to: string, raw: string) {
  const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
  try {
    return await mailer.sendMail({ envelope: { from: '', to: [to] }, raw });
  } finally {
    mailer.close();
  }
}

describe('bounce receiver', () => {
  it('sends with the VERP envelope sender and takes the DSN mailed back to it: address suppressed, message bounced', async () => {
    const m = await sentTo('gone');
    expect(sink.to(m.email)[0]!.from).toBe(`bounce+${m.messageId}@${BOUNCES}`);
    await mailTo(`bounce+${m.messageId}@${BOUNCES}`, dsn(m.email));
    const sup = (await t.database.pool.query('select reason, message_id from email_suppressions where email = $1', [m.email])).rows;
    expect(sup).toEqual([{ reason: 'bounce', message_id: m.messageId }]);
    const msg = (await t.database.pool.query('select bounced_at from email_messages where id = $1', [m.messageId])).rows[0];
    expect(msg.bounced_at).not.toBeNull();
    const inbound = (await t.database.pool.query('select kind, status from email_inbound where message_id = $1', [m.messageId])).rows;
    expect(inbound).toEqual([{ kind: 'bounce', status: '5.1.1' }]);
  });

  it('refuses mail for any other address or domain (it relays nothing)', async () => {
    for (const to of [`postmaster@${BOUNCES}`, `bounce@${BOUNCES}`, `bounce+not-a-uuid@${BOUNCES}`, 'bounce@elsewhere.example.test']) {
      const err = await mailTo(to, dsn('x@example.test')).catch((e: unknown) => e as { responseCode?: number });
      expect(err, to).toMatchObject({ responseCode: 550 });
    }
    expect((await t.database.pool.query(`select count(*)::int as n from email_inbound where recipient = 'x@example.test'`)).rows[0].n).toBe(0);
  });

  it('accepts and drops mail that is not a bounce or complaint (an auto-reply), changing nothing', async () => {
    const m = await sentTo('away');
    const reply = ['From: ' + m.email, 'Subject: Out of office', 'Content-Type: text/plain', '', 'I am away until Monday.', ''].join('\r\n');
    const info = await mailTo(`bounce+${m.messageId}@${BOUNCES}`, reply);
    expect(info.response).toMatch(/^250/);
    expect((await t.database.pool.query('select count(*)::int as n from email_suppressions where email = $1', [m.email])).rows[0].n).toBe(0);
    expect((await t.database.pool.query('select count(*)::int as n from email_inbound where message_id = $1', [m.messageId])).rows[0].n).toBe(0);
  });

  it('refuses a message over 2 MB with 552 and records nothing', async () => {
    const m = await sentTo('big');
    const big = dsn(m.email) + `${'y'.repeat(998)}\r\n`.repeat(2200); // ~2.2 MB
    const err = await mailTo(`bounce+${m.messageId}@${BOUNCES}`, big).catch((e: unknown) => e as { responseCode?: number });
    expect(err).toMatchObject({ responseCode: 552 });
    expect((await t.database.pool.query('select count(*)::int as n from email_suppressions where email = $1', [m.email])).rows[0].n).toBe(0);
  });

  it('drops a report that names another recipient than the message it came back for, or a message revloop never sent', async () => {
    const m = await sentTo('kept');
    const victim = `victim-${Date.now()}@example.test`;
    await mailTo(`bounce+${m.messageId}@${BOUNCES}`, dsn(victim));
    await mailTo(`bounce+00000000-0000-4000-8000-000000000000@${BOUNCES}`, dsn(m.email));
    const n = (await t.database.pool.query('select count(*)::int as n from email_suppressions where email = any($1)', [[victim, m.email]])).rows[0].n;
    expect(n).toBe(0);
    expect((await t.database.pool.query('select bounced_at from email_messages where id = $1', [m.messageId])).rows[0].bounced_at).toBeNull();
  });
});

describe('email settings: bounce domain', () => {
  it('shows where the receiver listens, rejects a value that is not a domain name, and clears with an empty string', async () => {
    let res = await t.api('GET', '/email/settings');
    expect(res.json()).toMatchObject({ bounceDomain: BOUNCES, bounceReceiver: receiver.address });
    res = await t.api('PATCH', '/email/settings', { bounceDomain: 'not a domain' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'body.bounceDomain', message: 'must be a domain name such as mail.example.com' }]);
    expect((await t.api('GET', '/email/settings')).json().bounceDomain).toBe(BOUNCES);
    res = await t.api('PATCH', '/email/settings', { bounceDomain: '' });
    expect(res.json().bounceDomain).toBeNull();
    const m = await sentTo('plain');
    expect(sink.to(m.email)[0]!.from).toBe('news@mail.example.test');
    expect((await t.api('PATCH', '/email/settings', { bounceDomain: BOUNCES })).statusCode).toBe(200);
  });
});
