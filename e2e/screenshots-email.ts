// Screenshots of Email (templates list, editor with a live preview against a real contact, a refused MJML
// error, outbox without SMTP and a rendered message, topics & consent, suppressions, sending domain, health)
// against a running revloop on a fresh data dir. The data is made through the API, plus enqueueEmail called
// on the server's embedded database (as a nurture program would) and opens / clicks / unsubscribes / a bounce
// made through the public endpoints; sent_at is then spread over the last two weeks for the health chart.
// Usage: BASE_URL=http://127.0.0.1:4571 SETUP_URL=<printed setup link> DATA_DIR=<its data dir> npx node e2e/screenshots-email.ts
import { sql } from 'drizzle-orm';
import { connect } from '../src/db/client.ts';
import { runningEmbeddedUrl } from '../src/db/embedded.ts';
import { enqueueEmail } from '../src/domains/email/enqueue.ts';
import { openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4571';
const SETUP_URL = process.env.SETUP_URL;
const DATA_DIR = process.env.DATA_DIR!;
const { browser, page, shot, step } = await openShots({ failPrefix: 'email' });
await setupAndSignInAdmin(page, BASE, SETUP_URL, '/email/templates');
const api = async (method: 'POST' | 'PATCH' | 'GET', url: string, data?: unknown) => {
  const res = await page.request.fetch(`${BASE}/api/v1${url}`, { method, ...(data ? { data } : {}) });
  if (!res.ok()) console.error(method, url, res.status(), await res.text());
  return res.json();
};

await step('empty', async () => {
  await page.getByText('No email templates yet').waitFor();
  await shot(page, 'email-01-templates-empty', false);
});

// data
await api('PATCH', '/email/settings', { fromName: 'Northwind Marketing', fromEmail: 'news@mail.northwind.example', trackingBaseUrl: BASE, bounceDomain: 'bounces.northwind.example' });
await api('POST', '/email/domains', { domain: 'mail.northwind.example', spfInclude: 'include:_spf.mailrelay.example', throttlePerMinute: 600 });
const news = await api('POST', '/email/topics', { key: 'product_news', name: 'Product news', description: 'New features and guides, about twice a month' });
await api('POST', '/email/topics', { key: 'events', name: 'Events and webinars', description: 'Invitations to webinars and meetups' });
const people = [['Grace', 'Hopper'], ['Alan', 'Turing'], ['Ada', 'Lovelace'], ['Edsger', 'Dijkstra'], ['Barbara', 'Liskov'], ['Donald', 'Knuth'], ['Frances', 'Allen'], ['Ken', 'Thompson'], ['Radia', 'Perlman'], ['John', 'Backus']];
const contactIds: number[] = [];
for (const [i, [firstName, lastName]] of people.entries()) {
  const c = await api('POST', '/contacts', { email: `${firstName!.toLowerCase()}@customer${i % 3}.example`, firstName, lastName, title: 'Head of Operations' });
  contactIds.push(c.id);
  if (i < 9) await api('POST', '/email/consents', { contactId: c.id, topicKey: 'product_news', status: 'granted', source: i % 2 ? 'webinar signup form' : 'pricing page form', text: 'Yes, send me product news and practical guides.' });
  if (i % 3 === 0) await api('POST', '/email/consents', { contactId: c.id, topicKey: 'events', status: 'granted', source: 'event badge scan', text: 'Invite me to future events.' });
}
const MJML = `<mjml>
  <mj-body background-color="#f4f5f7">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="20px" font-weight="bold" color="#1f2937">Hi {{ contact.first_name | default: "there" }},</mj-text>
        <mj-text font-size="15px" line-height="1.5" color="#374151">Teams like yours tell us the hardest part of rolling out revenue operations is the handoff between marketing and sales. We wrote a practical guide on exactly that.</mj-text>
        <mj-button background-color="#4c5fd5" href="https://northwind.example/guides/handoff?utm_campaign=q4-nurture">Read the handoff guide</mj-button>
        <mj-text font-size="13px" color="#6b7280">Or see <a href="https://northwind.example/pricing">pricing</a>. You get this because you subscribed to product news. <a href="{{ unsubscribe_url }}">Unsubscribe or change preferences</a>.</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
const tpl = await api('POST', '/email/templates', { name: 'Nurture 1 — handoff guide', subject: '{{ contact.first_name }}, a practical guide to the sales handoff', mjml: MJML, topicId: news.id });
await api('POST', '/email/templates', { name: 'Webinar invitation', subject: 'Join us: pipeline reviews that work', mjml: MJML.replace('Read the handoff guide', 'Save my seat'), topicId: null });

await step('list', async () => {
  await page.goto(`${BASE}/email/templates`);
  await page.getByTestId('email-templates').waitFor();
  await shot(page, 'email-02-templates', false);
});
await step('editor', async () => {
  await page.goto(`${BASE}/email/templates/${tpl.id}`);
  await page.getByTitle('Email preview').waitFor();
  await page.waitForTimeout(1500);
  await shot(page, 'email-03-editor-preview', false);
  await page.getByRole('button', { name: 'Plain text' }).click();
  await shot(page, 'email-04-editor-text', false);
  await page.getByRole('button', { name: 'HTML' }).click();
  const src = page.getByLabel('MJML');
  await src.fill(MJML.replace('<mj-column>', '<mj-colum>').replace('</mj-column>', '</mj-colum>'));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/MJML error on line/).first().waitFor();
  await shot(page, 'email-05-editor-mjml-error', false);
});

// messages, sent through the outbox (no SMTP configured)
const db = connect(runningEmbeddedUrl(DATA_DIR)!);
for (const [i, id] of contactIds.entries()) {
  for (const wave of [1, 2]) {
    await db.db.transaction((tx) => enqueueEmail(tx, { workspaceId: 1, contactId: id, templateId: tpl.id, topicKey: 'product_news', idempotencyKey: `shot:${wave}:${id}`, programId: wave === 1 ? 'welcome' : 'q4-nurture', stepId: `s${wave}`, campaignId: i % 2 ? '1' : undefined }));
  }
}
await page.waitForTimeout(2500);
const { rows } = await db.db.execute<{ id: string; html: string; to_email: string }>(sql`select id::text, html, to_email from email_messages where status = 'sent' and not is_test order by to_email`);
for (const [i, m] of rows.entries()) {
  const open = /src="[^"]*(\/e\/o\/[^"]+)"/.exec(m.html)?.[1];
  const click = /href="[^"]*(\/e\/c\/[^"]+)"/.exec(m.html)?.[1];
  if (open && i % 4 !== 3) await page.request.get(`${BASE}${open}`);
  if (click && i % 3 === 0) await page.request.get(`${BASE}${click}`, { maxRedirects: 0 });
  if (i === 5 || i === 11) {
    const u = /href="[^"]*(\/e\/u\/[^"]+)"/.exec(m.html)?.[1];
    if (u) await page.request.post(`${BASE}${u}`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: 'List-Unsubscribe=One-Click' });
  }
}
const bounceTo = rows[rows.length - 1]!;
await page.request.post(`${BASE}/api/v1/email/inbound`, {
  headers: { 'content-type': 'message/rfc822' },
  data: ['Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '', '--b', 'Content-Type: message/delivery-status', '', `Final-Recipient: rfc822; ${bounceTo.to_email}`, 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 mailbox unknown', '--b', 'Content-Type: text/rfc822-headers', '', `X-Revloop-Message-Id: ${bounceTo.id}`, '--b--'].join('\r\n'),
});
await api('POST', '/email/suppressions', { email: 'former.customer@example.org', reason: 'manual', detail: 'Asked by phone not to be emailed' });
await page.waitForTimeout(500);
// spread the history over two weeks for the health chart
await db.db.execute(sql`update email_messages set sent_at = sent_at - ((abs(hashtext(id::text)) % 14) || ' days')::interval, queued_at = queued_at - ((abs(hashtext(id::text)) % 14) || ' days')::interval where not is_test`);
const testMsg = await api('POST', `/email/templates/${tpl.id}/test`, { contactId: contactIds[0] });
await page.waitForTimeout(1500);
await db.close();

await step('outbox', async () => {
  await page.goto(`${BASE}/email/outbox`);
  await page.getByTestId('outbox-table').waitFor();
  await shot(page, 'email-06-outbox', false);
  await page.getByTestId('outbox-table').getByRole('button').first().click();
  await page.getByTitle('Rendered message').waitFor();
  await page.waitForTimeout(800);
  await shot(page, 'email-07-outbox-message', false);
  await page.getByRole('button', { name: 'Headers & links' }).click();
  await shot(page, 'email-08-outbox-headers', false);
  void testMsg;
});
await step('topics', async () => {
  await page.goto(`${BASE}/email/topics`);
  await page.getByTestId('consents-table').waitFor();
  await shot(page, 'email-09-topics-consent');
});
await step('suppressions', async () => {
  await page.goto(`${BASE}/email/suppressions`);
  await page.getByTestId('suppressions-table').waitFor();
  await shot(page, 'email-10-suppressions', false);
});
await step('domain', async () => {
  await page.goto(`${BASE}/email/domain`);
  await page.getByTestId('sending-domain').waitFor();
  await page.getByRole('button', { name: 'Check DNS now' }).click();
  await page.waitForTimeout(2500);
  await shot(page, 'email-11-domain');
});
await step('health', async () => {
  await page.goto(`${BASE}/email/health`);
  await page.getByTestId('email-health-chart').waitFor();
  await shot(page, 'email-12-health');
});
await step('preferences', async () => {
  const m = rows[0]!;
  const u = /href="[^"]*(\/e\/u\/[^"]+)"/.exec(m.html)?.[1];
  await page.goto(`${BASE}${u}`);
  await shot(page, 'email-13-preference-page', false);
});
await browser.close();
