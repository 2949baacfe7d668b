// Screenshots of the tracking screens (sources, source detail, live events, rejections, contact events) against a
// running revloop on a fresh data dir, for visual review.
// Usage: BASE_URL=http://127.0.0.1:4531 SETUP_URL=<printed setup link> npx node e2e/screenshots-tracking.ts
// PNGs go to screenshots/ (git-ignored).
import { openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4531';
const SETUP_URL = process.env.SETUP_URL;

const { browser, page, shot, step } = await openShots({ failPrefix: 'trk' });


await setupAndSignInAdmin(page, BASE, SETUP_URL);

async function send(writeKey: string, endpoint: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${BASE}/v1/${endpoint}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) console.error(`/v1/${endpoint} → ${res.status} ${text.slice(0, 200)}`);
  return text;
}

let writeKey = '';
await step('sources-empty', async () => {
  await page.goto(`${BASE}/tracking/sources`);
  await page.getByText('No sources yet').waitFor();
  await shot(page, 'trk-01-sources-empty', false);
});
await step('create-source', async () => {
  await page.getByRole('button', { name: 'New source' }).first().click();
  await page.getByRole('button', { name: 'Create source' }).click();
  await shot(page, 'trk-02-new-source-error', false);
  await page.getByLabel('Name').fill('Website');
  await page.getByRole('button', { name: 'Create source' }).click();
  await page.getByTestId('new-write-key').waitFor();
  writeKey = (await page.locator('#new-write-key').textContent()) ?? '';
  await shot(page, 'trk-03-source-created', false);
  await page.getByRole('tab', { name: 'Server (analytics-node)' }).click();
  await shot(page, 'trk-04-source-created-node', false);
  await page.getByRole('button', { name: 'I have copied the key' }).click();
});
await step('live-empty', async () => {
  await page.goto(`${BASE}/tracking/live`);
  await page.getByText('Waiting for the first event').waitFor();
  await shot(page, 'trk-05-live-empty');
});

await step('send-events', async () => {
  const anon = 'anon-123';
  await send(writeKey, 'page', { anonymousId: anon, name: 'Pricing', properties: { title: 'Pricing — Acme', url: 'https://acme.test/pricing?utm_campaign=spring' } });
  await send(writeKey, 'track', { anonymousId: anon, event: 'Viewed Pricing', properties: { plan: 'pro', html: '<img src=x onerror=alert(1)>' } });
  await send(writeKey, 'identify', { anonymousId: anon, userId: 'u-42', traits: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', company: 'Navy' } });
  await send(writeKey, 'track', { userId: 'u-42', event: 'Signed Up', properties: { plan: 'pro' } });
  await send(writeKey, 'track', { anonymousId: 'bot-1', event: 'Crawled', context: { userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' } });
  await send(writeKey, 'batch', {
    batch: [
      { type: 'track', userId: 'u-42', event: 'Downloaded Whitepaper', properties: { title: 'ABM 101' } },
      { type: 'track', userId: 'u-42' },
      { type: 'page', userId: 'u-42', properties: { title: 'Docs', url: 'https://acme.test/docs' } },
    ],
  });
});

await step('sources-list', async () => {
  await page.goto(`${BASE}/tracking/sources`);
  await page.getByTestId('sources-table').waitFor();
  await shot(page, 'trk-06-sources');
});
await step('source-detail', async () => {
  await page.getByRole('link', { name: 'Website' }).click();
  await page.getByTestId('per-minute-chart').waitFor();
  await shot(page, 'trk-07-source-detail');
});
await step('live', async () => {
  await page.goto(`${BASE}/tracking/live`);
  await page.getByTestId('events-table').waitFor();
  await shot(page, 'trk-08-live');
  await send(writeKey, 'track', { userId: 'u-42', event: 'Requested Demo' });
  await page.getByText('Requested Demo').waitFor({ timeout: 5000 });
  await shot(page, 'trk-09-live-new-arrived', false);
  await page.getByRole('row', { name: /Viewed Pricing/ }).click();
  await page.getByTestId('event-json').waitFor();
  await shot(page, 'trk-10-live-expanded');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByLabel('Type').selectOption('identify');
  await shot(page, 'trk-11-live-paused-identify', false);
});
await step('rejected', async () => {
  await page.getByRole('tab', { name: 'Rejected' }).click();
  await page.getByTestId('rejections-table').waitFor();
  await page.getByRole('button', { name: 'Show payload' }).first().click();
  await shot(page, 'trk-12-rejected');
});
await step('contact-events', async () => {
  // More than one page (25) of events for the contact, to exercise "Show older events".
  await send(writeKey, 'batch', { batch: Array.from({ length: 30 }, (_, i) => ({ type: 'track', userId: 'u-42', event: `Read Article ${i + 1}`, timestamp: new Date(Date.now() - (i + 1) * 60_000).toISOString() })) });
  await page.goto(`${BASE}/contacts`);
  await page.getByRole('link', { name: /Grace/ }).first().click();
  await page.getByRole('tab', { name: 'Events' }).click();
  await page.getByTestId('contact-events').waitFor();
  await page.getByRole('button', { name: 'Details' }).first().click();
  await shot(page, 'trk-13-contact-events');
  const before = await page.getByTestId('contact-events').locator('> li').count();
  await page.getByRole('button', { name: 'Show older events' }).click();
  await page.getByText('Read Article 30').waitFor();
  const after = await page.getByTestId('contact-events').locator('> li').count();
  console.log(`contact events: ${before} then ${after} after "Show older"`);
  await shot(page, 'trk-13b-contact-events-older');
});
await step('revoke', async () => {
  await page.goto(`${BASE}/tracking/sources`);
  await page.getByRole('button', { name: 'Revoke Website' }).click();
  await shot(page, 'trk-14-revoke-confirm', false);
  await page.getByRole('button', { name: 'Revoke write key' }).click();
  await page.getByText(/^Revoked/).waitFor();
  await shot(page, 'trk-15-revoked', false);
  const after = await send(writeKey, 'track', { userId: 'u-42', event: 'After revoke' }).catch((e) => String(e));
  console.log('after revoke:', after.slice(0, 120));
});

await step('viewer', async () => {
  const viewer = { name: 'Val Viewer', email: 'val@example.com', role: 'viewer', password: 'a very long password 3' };
  const res = await page.request.post(`${BASE}/api/v1/users`, { data: viewer });
  if (!res.ok()) console.error('create viewer', res.status(), await res.text());
  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p2 = await ctx2.newPage();
  await p2.goto(`${BASE}/login`);
  await p2.getByLabel('Email').fill(viewer.email);
  await p2.getByLabel('Password').fill(viewer.password);
  await p2.getByRole('button', { name: 'Sign in' }).click();
  await p2.waitForURL('**/contacts');
  await p2.goto(`${BASE}/tracking/sources`);
  await p2.getByTestId('sources-table').waitFor();
  if (await p2.getByRole('button', { name: /New source|Revoke/ }).count()) console.error('viewer sees manage buttons');
  await shot(p2, 'trk-16-viewer-sources', false);
  await ctx2.close();
});

await browser.close();
