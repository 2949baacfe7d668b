import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { buildApp } from '../../app.ts';
import { noJobs } from '../../jobs.ts';
import { enqueueEmail, enqueueEmails } from './enqueue.ts';
import { sendDue } from './send.ts';
import { flushEmailEvents } from './tracking.ts';
import { startSmtpSink, verifyDkim } from './test-helpers.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let seq = 0;
let topicKey: string;
let templateId: number;
let domainPublicKey: string;
const FROM_DOMAIN = 'mail.example.test';

const MJML = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Hello {{ contact.first_name }} at {{ account.name | default: "your company" }}</mj-text>
        <mj-text>{% if content %}Read {{ content.title }}{% endif %}</mj-text>
        <mj-button href="https://docs.example.test/guide?x=1&amp;y=2">Read the guide</mj-button>
        <mj-text><a href="https://example.test/pricing">Pricing</a> · <a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

/** A header of the raw message, unfolded. */
const header = (raw: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t]+.*)*)`, 'im').exec(raw)?.[1]!.replace(/\r?\n[ \t]+/g, ' ').trim();
const send = () => sendDue({ db: t.db, dataDir: t.config.dataDir });

async function contact(firstName = 'Ada') {
  const res = await t.api('POST', '/contacts', { email: `mail-${Date.now()}-${++seq}@example.test`, firstName });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number; email: string };
}
async function consent(contactId: number, status: 'granted' | 'revoked' = 'granted', key = topicKey) {
  const res = await t.api('POST', '/email/consents', { contactId, topicKey: key, status, source: 'signup form', text: 'Send me the product newsletter' });
  expect(res.statusCode).toBe(201);
}
async function enqueue(contactId: number, key = `k-${++seq}`, extra: Record<string, string> = {}) {
  return t.db.transaction((tx) => enqueueEmail(tx, { workspaceId: 1, contactId, templateId, topicKey, idempotencyKey: key, ...extra }));
}

/** A message sent over SMTP to a new consenting contact, with its tracked click paths and open pixel path. */
async function sentMessage(firstName = 'Grace', extra: Record<string, string> = { campaignId: 'camp-1', programId: 'prog-1', stepId: 'step-1' }) {
  const c = await contact(firstName);
  await consent(c.id);
  const r = await enqueue(c.id, `trk-${++seq}`, extra);
  await send();
  const html = smtp.to(c.email)[0]!.parsed.html as string;
  const clicks = [...html.matchAll(/href="http:\/\/track\.example\.test(\/e\/c\/[^"]+)"/g)].map((m) => m[1]!);
  const open = /src="http:\/\/track\.example\.test(\/e\/o\/[^"]+)"/.exec(html)![1]!;
  return { c, id: r.messageId!, clicks, open };
}

beforeAll(async () => {
  t = await createTestApp();
  smtp = await startSmtpSink({ reject: (to) => (to.startsWith('refused-') ? '5.1.1 No such user here' : null) });
  let res = await t.api('PATCH', '/email/settings', { smtpHost: '127.0.0.1', smtpPort: smtp.port, fromEmail: `news@${FROM_DOMAIN}`, fromName: 'Example News', trackingBaseUrl: 'http://track.example.test' });
  expect(res.statusCode).toBe(200);
  res = await t.api('POST', '/email/domains', { domain: FROM_DOMAIN, dkimSelector: 'rl1' });
  expect(res.statusCode).toBe(201);
  domainPublicKey = res.json().records.dkim.expected.split('p=')[1];
  topicKey = `news_${Date.now()}`;
  res = await t.api('POST', '/email/topics', { key: topicKey, name: 'Product news' });
  expect(res.statusCode).toBe(201);
  res = await t.api('POST', '/email/templates', { name: 'Welcome', subject: 'Hi {{ contact.first_name }}', mjml: MJML });
  expect(res.statusCode).toBe(201);
  templateId = res.json().id;
});
afterAll(async () => {
  await smtp?.close();
  await t?.close();
});

describe('send over SMTP', () => {
  it('delivers a personalised, DKIM-signed message whose signature covers List-Unsubscribe', async () => {
    const c = await contact('<b>Ada</b>');
    await consent(c.id);
    const r = await enqueue(c.id);
    expect(r.status).toBe('queued');
    expect(await send()).toBe(1);
    const [m] = smtp.to(c.email);
    expect(m).toBeDefined();
    const p = m!.parsed;
    expect(p.subject).toBe('Hi <b>Ada</b>');
    expect(p.from?.value[0]?.address).toBe(`news@${FROM_DOMAIN}`);
    // escaped by default
    expect(p.html).toContain('Hello &lt;b&gt;Ada&lt;/b&gt;');
    expect(p.html).not.toContain('<b>Ada</b>');
    expect(p.text).toContain('Hello <b>Ada</b>');
    const unsub = header(m!.raw, 'List-Unsubscribe')!;
    expect(unsub).toMatch(new RegExp(`^<http://track\\.example\\.test/e/u/${r.messageId}/[A-Za-z0-9_-]{22}>$`));
    expect(header(m!.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(p.messageId).toBe(`<${r.messageId}@${FROM_DOMAIN}>`);
    const dkim = verifyDkim(m!.raw, domainPublicKey);
    expect(dkim).toMatchObject({ ok: true, bodyOk: true, domain: FROM_DOMAIN, selector: 'rl1' });
    expect(dkim.signed).toEqual(expect.arrayContaining(['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']));
    // tracked links, open pixel
    expect(p.html).toMatch(/href="http:\/\/track\.example\.test\/e\/c\/[0-9a-f-]{36}\/0\/[A-Za-z0-9_-]{22}"/);
    expect(p.html).not.toContain('https://docs.example.test/guide');
    expect(p.html).toMatch(/src="http:\/\/track\.example\.test\/e\/o\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{22}\.gif"/);
    const row = (await t.database.pool.query('select status, transport from email_messages where id = $1', [r.messageId])).rows[0];
    expect(row).toEqual({ status: 'sent', transport: 'smtp' });
  });

  it('sends one message per idempotency key', async () => {
    const c = await contact();
    await consent(c.id);
    const a = await enqueue(c.id, `same-${c.id}`);
    const b = await enqueue(c.id, `same-${c.id}`);
    expect(a.status).toBe('queued');
    expect(b).toEqual({ status: 'duplicate', messageId: a.messageId });
    await send();
    await send();
    expect(smtp.to(c.email)).toHaveLength(1);
  });

  it("renders the message's own content item (a program's pick) in {{ content }}, not its template's", async () => {
    const item = async (title: string) => {
      const res = await t.api('POST', '/content/items', { title, type: 'practical', stage: 'epiphany' });
      expect(res.statusCode).toBe(201);
      return { id: (res.json() as { id: number }).id, title };
    };
    const templates = await item(`Template pick ${Date.now()}-${++seq}`);
    const program = await item(`Program pick ${Date.now()}-${++seq}`);
    const res = await t.api('POST', '/email/templates', { name: `With content ${seq}`, subject: 'Read {{ content.title }}', mjml: MJML, contentItemId: templates.id });
    expect(res.statusCode).toBe(201);
    const c = await contact();
    await consent(c.id);
    const base = { workspaceId: 1, contactId: c.id, templateId: res.json().id as number, topicKey };
    const [own, plain] = await t.db.transaction((tx) =>
      enqueueEmails(tx, [{ ...base, idempotencyKey: `k-${++seq}`, contentItemId: program.id }, { ...base, idempotencyKey: `k-${++seq}` }]),
    );
    expect([own!.status, plain!.status]).toEqual(['queued', 'queued']);
    expect(await send()).toBe(2);
    const byId = (id: string) => smtp.to(c.email).find((m) => m.parsed.messageId === `<${id}@${FROM_DOMAIN}>`)!.parsed;
    const mine = byId(own!.messageId!);
    expect(mine.subject).toBe(`Read ${program.title}`);
    expect(mine.html).toContain(`Read ${program.title}`);
    expect(mine.html).not.toContain(templates.title);
    expect(mine.text).toContain(`Read ${program.title}`);
    // without a pick of its own, the template's item
    expect(byId(plain!.messageId!).html).toContain(`Read ${templates.title}`);
  });

  it('sends every message exactly once over several rounds (each claimed while the previous one is sent)', async () => {
    const cs = await Promise.all(Array.from({ length: 7 }, () => contact()));
    for (const c of cs) await consent(c.id);
    for (const c of cs) expect((await enqueue(c.id)).status).toBe('queued');
    expect(await sendDue({ db: t.db, dataDir: t.config.dataDir }, { batch: 2 })).toBe(7);
    expect(await send()).toBe(0);
    for (const c of cs) expect(smtp.to(c.email)).toHaveLength(1);
  });

  it('never sends again a message interrupted mid-send (marks it failed instead)', async () => {
    const c = await contact();
    await consent(c.id);
    const r = await enqueue(c.id);
    await t.database.pool.query(`update email_messages set status = 'sending', transport = 'smtp', locked_until = now() - interval '1 second' where id = $1`, [r.messageId]);
    await send();
    expect(smtp.to(c.email)).toHaveLength(0);
    const row = (await t.database.pool.query('select status, error from email_messages where id = $1', [r.messageId])).rows[0];
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/Interrupted/);
  });
});

describe('consent and suppression', () => {
  it('rejects a contact without consent at enqueue and never mails them', async () => {
    const c = await contact();
    expect((await enqueue(c.id)).status).toBe('no_consent');
    await consent(c.id, 'revoked');
    expect((await enqueue(c.id)).status).toBe('no_consent');
    await send();
    expect(smtp.to(c.email)).toHaveLength(0);
  });

  it('rejects a suppressed address at enqueue, and blocks at send a message queued before the suppression', async () => {
    const c = await contact();
    await consent(c.id);
    const before = await enqueue(c.id);
    expect(before.status).toBe('queued');
    const res = await t.api('POST', '/email/suppressions', { email: c.email, reason: 'manual', detail: 'asked by phone' });
    expect(res.statusCode).toBe(201);
    expect((await t.api('POST', '/email/suppressions', { email: c.email })).statusCode).toBe(409);
    expect((await enqueue(c.id)).status).toBe('suppressed');
    await send();
    expect(smtp.to(c.email)).toHaveLength(0);
    const row = (await t.database.pool.query('select status, error from email_messages where id = $1', [before.messageId])).rows[0];
    expect(row.status).toBe('blocked');
  });

  it('rejects unknown topics and templates with the field named', async () => {
    const c = await contact();
    await expect(t.db.transaction((tx) => enqueueEmail(tx, { workspaceId: 1, contactId: c.id, templateId, topicKey: 'nope', idempotencyKey: 'x' }))).rejects.toThrow(/topicKey/);
    await expect(t.db.transaction((tx) => enqueueEmail(tx, { workspaceId: 1, contactId: c.id, templateId: 999999, topicKey, idempotencyKey: 'y' }))).rejects.toThrow(/templateId/);
    expect((await t.db.transaction((tx) => enqueueEmail(tx, { workspaceId: 1, contactId: 99999999, templateId, topicKey, idempotencyKey: 'z' }))).status).toBe('no_email');
  });
});

describe('tracking', () => {

  it('redirects a click to the URL of that message and records it as a tracked event of the contact', async () => {
    const { c, id, clicks } = await sentMessage();
    expect(clicks).toHaveLength(2);
    const res = await t.inject({ method: 'GET', url: clicks[0]! });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://docs.example.test/guide?x=1&y=2');
    await flushEmailEvents(t.db);
    const ev = (await t.database.pool.query(`select event, contact_id, properties, utm_source from events where event = 'Email Link Clicked' and properties->>'emailMessageId' = $1`, [id])).rows;
    expect(ev).toHaveLength(1);
    expect(Number(ev[0].contact_id)).toBe(c.id);
    expect(ev[0].properties).toMatchObject({ url: 'https://docs.example.test/guide?x=1&y=2', campaignId: 'camp-1', programId: 'prog-1', templateId });
    const row = (await t.database.pool.query('select first_clicked_at, first_opened_at from email_messages where id = $1', [id])).rows[0];
    expect(row.first_clicked_at).not.toBeNull();
  });

  it('answers 404, never a redirect, for a URL index not in the message or an altered signature', async () => {
    const { id, clicks } = await sentMessage();
    const sig = clicks[0]!.split('/').pop()!;
    for (const url of [`/e/c/${id}/7/${sig}`, `/e/c/${id}/0/${sig.slice(0, -1)}A`, `/e/c/${id}/0/${sig}?u=https://evil.example`, `/e/c/00000000-0000-0000-0000-000000000000/0/${sig}`]) {
      const res = await t.inject({ method: 'GET', url });
      if (url.includes('?u=')) {
        expect(res.headers.location).toBe('https://docs.example.test/guide?x=1&y=2');
        continue;
      }
      expect(res.statusCode, url).toBe(404);
      expect(res.headers.location).toBeUndefined();
    }
  });

  it('serves the open pixel and records the open once per message', async () => {
    const { id, open } = await sentMessage();
    const res = await t.inject({ method: 'GET', url: open, headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/gif');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    await flushEmailEvents(t.db);
    const row = (await t.database.pool.query('select first_opened_at from email_messages where id = $1', [id])).rows[0];
    expect(row.first_opened_at).not.toBeNull();
    expect((await t.inject({ method: 'GET', url: open.replace(/[A-Za-z0-9_-]{22}\.gif$/, 'AAAAAAAAAAAAAAAAAAAAAA.gif') })).statusCode).toBe(404);
  });
});

describe('tracked event values', () => {
  it('stores a user agent with quotes, backslashes, commas, braces and non-ASCII exactly as sent', async () => {
    const { id, open, clicks } = await sentMessage('Ada', {});
    const ua = 'Mozilla/5.0 "Quoted" \\back\\slash, {braces} NULL Ünïcødé ☃';
    expect((await t.inject({ method: 'GET', url: open, headers: { 'user-agent': ua } })).statusCode).toBe(200);
    expect((await t.inject({ method: 'GET', url: clicks[1]!, headers: { 'user-agent': 'NULL' } })).statusCode).toBe(302);
    await flushEmailEvents(t.db);
    const rows = (await t.database.pool.query(`select event, user_agent, page_url from events where properties->>'emailMessageId' = $1 order by event`, [id])).rows;
    expect(rows).toEqual([
      { event: 'Email Link Clicked', user_agent: 'NULL', page_url: 'https://example.test/pricing' },
      { event: 'Email Opened', user_agent: ua, page_url: null },
    ]);
  });
});

describe('tracking fast path (a real socket: cached messages are answered before Fastify)', () => {
  it('answers a cached message\'s pixel and click like the routes, records each, and refuses altered tokens', async () => {
    const { id, clicks, open } = await sentMessage('Linus', {});
    const click = clicks[0]!;
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const get = (p: string) => fetch(base + p, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 Chrome/120.0' } });
    // First request: a cache miss, answered by the Fastify route (which caches the facts); then the fast path.
    for (let i = 0; i < 2; i++) {
      const px = await get(open);
      expect(px.status).toBe(200);
      expect(px.headers.get('content-type')).toBe('image/gif');
      expect(px.headers.get('x-content-type-options')).toBe('nosniff');
      expect(px.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(px.headers.get('cache-control')).toBe('no-store, private');
      expect((await px.arrayBuffer()).byteLength).toBe(42);
      const cl = await get(click);
      expect(cl.status).toBe(302);
      expect(cl.headers.get('location')).toBe('https://docs.example.test/guide?x=1&y=2');
      expect(cl.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const sig = click.split('/').pop()!;
    const altered = [`${click.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, click.replace(/\/0\//, '/7/'), open.replace(/[A-Za-z0-9_-]{22}\.gif$/, 'AAAAAAAAAAAAAAAAAAAAAA.gif')];
    for (const p of altered) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
    await flushEmailEvents(t.db);
    const n = (await t.database.pool.query(`select event, count(*)::int as n from events where properties->>'emailMessageId' = $1 group by event order by event`, [id])).rows;
    expect(n).toEqual([{ event: 'Email Link Clicked', n: 2 }, { event: 'Email Opened', n: 2 }]);
  });
});

describe('shutdown', () => {
  it('writes the opens and clicks still in the group-commit buffer when the app closes', async () => {
    const { id, open } = await sentMessage('Edsger', {});
    // A second app on the same database, closed right after answering (its buffer flushes only every 50 ms).
    const app = await buildApp({ db: t.db, jobs: noJobs, config: t.config });
    expect((await app.inject({ method: 'GET', url: open })).statusCode).toBe(200);
    await app.close();
    const n = (await t.database.pool.query(`select count(*)::int as n from events where event = 'Email Opened' and properties->>'emailMessageId' = $1`, [id])).rows[0].n;
    expect(n).toBe(1);
  });
});

describe('unsubscribe', () => {
  it('one-click POST without cookies or login unsubscribes, never redirects, and stops the next send', async () => {
    const c = await contact();
    await consent(c.id);
    const first = await enqueue(c.id);
    await send();
    const m = smtp.to(c.email)[0]!;
    const url = new URL(header(m.raw, 'List-Unsubscribe')!.slice(1, -1));
    const queuedBefore = await enqueue(c.id); // already queued when the person unsubscribes
    const res = await t.inject({ method: 'POST', url: url.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toMatch(/unsubscribed from Product news/);
    await send();
    expect(smtp.to(c.email)).toHaveLength(1);
    expect((await enqueue(c.id)).status).toBe('no_consent');
    const blocked = (await t.database.pool.query('select status from email_messages where id = $1', [queuedBefore.messageId])).rows[0];
    expect(blocked.status).toBe('blocked');
    const sent = (await t.database.pool.query('select unsubscribed_at from email_messages where id = $1', [first.messageId])).rows[0];
    expect(sent.unsubscribed_at).not.toBeNull();
    const consents = (await t.api('GET', `/email/consents?contactId=${c.id}`)).json();
    expect(consents.items[0]).toMatchObject({ status: 'revoked', source: 'one-click unsubscribe (List-Unsubscribe-Post)' });
    // a second POST is harmless
    expect((await t.inject({ method: 'POST', url: url.pathname })).statusCode).toBe(200);
  });

  it('does not refuse the one-click POSTs of many people sent from one IP (limited per message, not per IP)', async () => {
    const people = [];
    for (let i = 0; i < 65; i++) {
      const c = await contact(`Bulk${i}`);
      await consent(c.id);
      await enqueue(c.id);
      people.push(c);
    }
    await send();
    const urls = people.map((c) => new URL(header(smtp.to(c.email)[0]!.raw, 'List-Unsubscribe')!.slice(1, -1)).pathname);
    // A mailbox provider posting all of them from one address (as app.inject does: 127.0.0.1).
    const codes = [];
    for (const u of urls) codes.push((await t.inject({ method: 'POST', url: u, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })).statusCode);
    expect(codes.filter((c) => c !== 200)).toEqual([]);
    const revoked = await t.database.pool.query(`select count(*)::int as n from email_consents where contact_id = any($1::int8[]) and status = 'revoked'`, [people.map((c) => c.id)]);
    expect(revoked.rows[0].n).toBe(65);
    // One message hammered is limited: 60 a minute.
    const again = [];
    for (let i = 0; i < 60; i++) again.push((await t.inject({ method: 'POST', url: urls[0]! })).statusCode);
    expect(again.slice(0, 59).every((c) => c === 200)).toBe(true);
    expect(again[59]).toBe(429);
  });

  it('shows a preference page per topic and saves it', async () => {
    const c = await contact();
    await consent(c.id);
    await enqueue(c.id);
    await send();
    const url = new URL(header(smtp.to(c.email)[0]!.raw, 'List-Unsubscribe')!.slice(1, -1));
    const page = await t.inject({ method: 'GET', url: url.pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Product news');
    expect(page.body).toMatch(/type="checkbox" name="topic" value="\d+" checked/);
    const saved = await t.inject({ method: 'POST', url: `${url.pathname}/preferences`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(saved.statusCode).toBe(200);
    expect((await enqueue(c.id)).status).toBe('no_consent');
  });
});

describe('templates', () => {
  it('rejects bad MJML with the line named', async () => {
    const res = await t.api('POST', '/email/templates', { name: `bad-${++seq}`, subject: 'x', mjml: '<mjml>\n<mj-body>\n<mj-section>\n<mj-colum><mj-text>x</mj-text></mj-colum>\n</mj-section>\n</mj-body>\n</mjml>' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^mjml: MJML error on line 4/);
  });

  it('rejects bad Liquid with the line named, in the body or the subject', async () => {
    const before = await t.count('email_templates');
    let res = await t.api('POST', '/email/templates', { name: `bad-${++seq}`, subject: 'x', mjml: '<mjml>\n<mj-body>\n<mj-section><mj-column>\n<mj-text>{% if contact.first_name %}hi</mj-text>\n</mj-column></mj-section>\n</mj-body>\n</mjml>' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^mjml: Liquid error on line 4/);
    res = await t.api('POST', '/email/templates', { name: `bad-${++seq}`, subject: 'Hi {{ contact.first_name | nosuchfilter }}', mjml: MJML });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^subject: Liquid error on line 1/);
    expect(await t.count('email_templates')).toBe(before);
  });

  it('previews a template against a real contact, with a plain-text part', async () => {
    const c = await contact('Linus');
    const res = await t.api('POST', `/email/templates/${templateId}/preview`, { contactId: c.id });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.subject).toBe('Hi Linus');
    expect(p.text).toContain('Hello Linus at your company');
    expect(p.text).toContain('Read the guide (https://docs.example.test/guide?x=1&y=2)');
    expect((await t.api('POST', `/email/templates/${templateId}/preview`, { contactId: 99999999 })).statusCode).toBe(400);
  });
});

describe('test send', () => {
  it('delivers to the tester rendered as the contact, records no opens or clicks, and its unsubscribe link changes nothing', async () => {
    const c = await contact('Grace'); // no consent: a test is not sent to them
    const res = await t.api('POST', `/email/templates/${templateId}/test`, { contactId: c.id, to: 'Tester@Example.test' });
    expect(res.statusCode).toBe(202);
    expect(res.json().to).toBe('tester@example.test');
    await send();
    expect(smtp.to(c.email)).toHaveLength(0);
    const m = smtp.to('tester@example.test').at(-1)!;
    expect(m.parsed.html).toContain('Hello Grace');
    const click = /href="http:\/\/track\.example\.test(\/e\/c\/[^"]+)"/.exec(m.parsed.html as string)![1]!;
    expect((await t.inject({ method: 'GET', url: click })).statusCode).toBe(302);
    await flushEmailEvents(t.db);
    expect((await t.database.pool.query(`select count(*)::int as n from events where properties->>'emailMessageId' = $1`, [res.json().messageId])).rows[0].n).toBe(0);
    const unsub = new URL(header(m.raw, 'List-Unsubscribe')!.slice(1, -1)).pathname;
    const u = await t.inject({ method: 'POST', url: unsub, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(u.statusCode).toBe(200);
    expect(u.body).toBe('This was a test message: its unsubscribe link changes nothing.');
    expect((await t.inject({ method: 'GET', url: unsub })).body).toContain('This was a test message');
    expect((await t.database.pool.query('select count(*)::int as n from email_consents where contact_id = $1', [c.id])).rows[0].n).toBe(0);
    expect((await t.database.pool.query(`select count(*)::int as n from email_suppressions where email = 'tester@example.test'`)).rows[0].n).toBe(0);
  });

  it("rejects a test to a contact's own address without their consent, and a key without `to`", async () => {
    const c = await contact();
    const before = await t.count('email_messages');
    const res = await t.api('POST', `/email/templates/${templateId}/test`, { contactId: c.id, to: c.email });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'conflict', details: { field: 'to' } });
    expect(res.json().error.message).toMatch(/has not consented/);
    const noTo = await t.api('POST', `/email/templates/${templateId}/test`, { contactId: c.id });
    expect(noTo.statusCode).toBe(400);
    expect(noTo.json().error.details).toEqual([{ field: 'to', message: 'required for API keys' }]);
    expect(await t.count('email_messages')).toBe(before);
  });
});

describe('bounces and complaints', () => {
  it('suppresses the address of a hard bounce (DSN) and marks the message', async () => {
    const c = await contact();
    await consent(c.id);
    const r = await enqueue(c.id);
    await send();
    const dsn = [
      'From: MAILER-DAEMON@mx.example.test',
      `To: news@${FROM_DOMAIN}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'The mail could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.test',
      '',
      `Final-Recipient: rfc822; ${c.email}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      `X-Revloop-Message-Id: ${r.messageId}`,
      '--b1--',
    ].join('\r\n');
    const res = await t.inject({ method: 'POST', url: '/api/v1/email/inbound', headers: { ...(await t.as('admin')), 'content-type': 'message/rfc822' }, payload: dsn });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'bounce', recipient: c.email, status: '5.1.1', messageId: r.messageId, suppressed: true });
    expect((await enqueue(c.id)).status).toBe('suppressed');
    const row = (await t.database.pool.query('select bounced_at from email_messages where id = $1', [r.messageId])).rows[0];
    expect(row.bounced_at).not.toBeNull();
  });

  it('suppresses an address the receiving server refuses at send (5xx at RCPT TO) and counts it as a bounce', async () => {
    const res = await t.api('POST', '/contacts', { email: `refused-${Date.now()}@example.test`, firstName: 'Nobody' });
    const c = res.json() as { id: number; email: string };
    await consent(c.id);
    const r = await enqueue(c.id, `refused-${++seq}`, { programId: 'bounce-prog' });
    await send();
    const m = (await t.database.pool.query('select status, error, sent_at, bounced_at from email_messages where id = $1', [r.messageId])).rows[0];
    expect(m.status).toBe('failed');
    expect(m.error).toMatch(/No such user/);
    expect(m.bounced_at).not.toBeNull();
    const sup = (await t.api('GET', `/email/suppressions?q=${encodeURIComponent(c.email)}`)).json();
    expect(sup.items).toHaveLength(1);
    expect(sup.items[0]).toMatchObject({ email: c.email, reason: 'bounce' });
    expect((await enqueue(c.id)).status).toBe('suppressed');
    const health = (await t.api('GET', '/email/health?programId=bounce-prog')).json();
    expect(health.totals).toMatchObject({ sent: 1, delivered: 0, bounces: 1 });
  });

  it('suppresses on a complaint (ARF) and rejects a body that is neither', async () => {
    const c = await contact();
    const arf = ['Content-Type: multipart/report; report-type=feedback-report; boundary="x"', '', '--x', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', `Original-Rcpt-To: ${c.email}`, '--x--'].join('\r\n');
    let res = await t.inject({ method: 'POST', url: '/api/v1/email/inbound', headers: { ...(await t.as('admin')), 'content-type': 'text/plain' }, payload: arf });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'complaint', recipient: c.email, suppressed: true });
    res = await t.inject({ method: 'POST', url: '/api/v1/email/inbound', headers: { ...(await t.as('admin')), 'content-type': 'text/plain' }, payload: 'hello' });
    expect(res.statusCode).toBe(400);
    res = await t.inject({ method: 'POST', url: '/api/v1/email/inbound', headers: { ...(await t.as('viewer')), 'content-type': 'text/plain' }, payload: arf });
    expect(res.statusCode).toBe(403);
  });
});
