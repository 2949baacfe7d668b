// Screenshots of the content items screens (issue 6, C1): empty list, new item form (and its field errors), list with
// items across stages, item page with consumption from tracked views, workflow moves, calendar month / week and a
// drag to reschedule, the CSV inventory import report, and the item page as a sales user (read-only).
// Usage: BASE_URL=http://127.0.0.1:4561 SETUP_URL=<printed setup link> npx node e2e/screenshots-content-items.ts
// PNGs go to screenshots/ (git-ignored), named content-*.png.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN, openShots } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4561';
const SETUP_URL = process.env.SETUP_URL;
const MIA = { name: 'Mia Marketing', email: 'mia@example.com', role: 'marketing', password: 'a very long password 1' };
const SAM = { name: 'Sam Sales', email: 'sam@example.com', role: 'sales', password: 'a very long password 2' };
const { browser, page, shot, step } = await openShots({ failPrefix: 'content', settleMs: 500 });

async function signIn(p: Page, who: { email: string; password: string }) {
  await p.goto(`${BASE}/content`);
  await p.getByLabel('Email').or(p.getByRole('navigation', { name: 'Main' })).first().waitFor();
  if (!(await p.getByLabel('Email').count())) return;
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL('**/content');
}
async function api(method: string, url: string, data?: unknown) {
  const res = await page.request.fetch(`${BASE}/api/v1${url}`, { method, data: data as object });
  if (!res.ok()) console.error(method, url, res.status(), (await res.text()).slice(0, 300));
  return res.ok() ? res.json().catch(() => null) : null;
}
const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

if (SETUP_URL) {
  const token = new URL(SETUP_URL).searchParams.get('token');
  const res = await page.request.post(`${BASE}/api/v1/setup`, { data: { token, ...ADMIN } });
  if (!res.ok()) console.error('setup', res.status(), await res.text());
}
await signIn(page, ADMIN);
await api('POST', '/users', MIA);
await api('POST', '/users', SAM);

await step('empty', async () => {
  await page.goto(`${BASE}/content`);
  await page.getByTestId('empty-state').waitFor();
  await shot(page, 'content-01-list-empty');
});

const ada = await api('POST', '/content/smes', { name: 'Dr. Ada Park', title: 'Chief economist', topics: ['pricing', 'revenue'] });
await api('POST', '/content/smes', { name: 'Luis Ortega', title: 'Customer CFO, Globex', topics: ['finance'] });
const users = (await api('GET', '/users'))?.items ?? [];
const mia = users.find((u: { email: string }) => u.email === MIA.email);

await step('new-item-form', async () => {
  await page.getByRole('button', { name: 'New item' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel('Title').fill('Pricing in a downturn: what CFOs cut last');
  await dlg.getByLabel('Buying stage').selectOption('interest');
  await dlg.getByLabel('Topics').fill('pricing, finance');
  await dlg.getByLabel('URLs').fill('not a link');
  await dlg.getByRole('button', { name: 'Create item' }).click();
  await dlg.getByRole('alert').first().waitFor();
  await shot(page, 'content-02-form-errors', false);
  await dlg.getByLabel('URLs').fill('https://www.acme-analytics.com/insights/pricing-downturn/');
  await dlg.getByLabel('Target reader').fill('CFOs of mid-market SaaS companies');
  await dlg.getByText('Dr. Ada Park').click();
  await shot(page, 'content-03-new-item-form', false);
  await dlg.getByRole('button', { name: 'Create item' }).click();
  await page.getByTestId('content-title').waitFor();
});

// Items across stages, with dates around today.
const specs = [
  { title: 'The end of the annual budget cycle', type: 'aspirational', stage: 'epiphany', format: 'paper', status: 'published', publishDate: day(-20), topics: ['finance', 'planning'], url: '/insights/annual-budget' },
  { title: 'Five signals your forecast is lying', type: 'aspirational', stage: 'awareness', format: 'article', status: 'published', publishDate: day(-1), topics: ['forecasting'], url: '/blog/forecast-signals' },
  { title: 'ROI calculator walkthrough', type: 'practical', stage: 'consideration', format: 'video', publishDate: day(4), dueDate: day(1), dueStatus: 'review', topics: ['roi'], url: '/videos/roi-walkthrough' },
  { title: 'Globex case study', type: 'practical', stage: 'purchase', format: 'case_study', publishDate: day(9), topics: ['case study'], url: '/customers/globex' },
  { title: 'Webinar: planning with AI', type: 'aspirational', stage: 'interest', format: 'webinar', publishDate: day(-2), dueDate: day(-4), dueStatus: 'draft', topics: ['ai', 'planning'], url: '/webinars/ai-planning' },
  { title: 'Onboarding playbook', type: 'practical', stage: 'post_sale', format: 'ebook', publishDate: day(15), dueDate: day(2), dueStatus: 'research', topics: ['onboarding'], url: '/ebooks/onboarding' },
];
const created: Record<string, { id: number }> = {};
for (const s of specs) {
  const { url, status, ...rest } = s;
  const it = await api('POST', '/content/items', { ...rest, status: status ?? 'idea', ownerId: mia?.id ?? null, urls: [{ url: `https://acme-analytics.com${url}` }], smes: ada ? [{ smeId: ada.id, role: 'interview' }] : [] });
  if (it) created[s.title] = it;
}
const roi = created['ROI calculator walkthrough'];
if (roi) for (const to of ['research', 'sme_interview', 'draft']) await api('POST', `/content/items/${roi.id}/transition`, { to, note: to === 'research' ? 'Reader: RevOps leads comparing tools' : undefined });

// Tracked views: a source, identified readers, read depth, and anonymous visitors.
const src = await api('POST', '/sources', { name: 'Website' });
if (src) {
  const auth = { authorization: `Basic ${Buffer.from(`${src.writeKey}:`).toString('base64')}` };
  const batch: unknown[] = [];
  const readers = ['grace@globex.com', 'linus@initech.com', 'ana@umbrella.io', 'raj@hooli.com'];
  readers.forEach((email, i) => {
    batch.push({ type: 'identify', userId: `u${i}`, traits: { email, firstName: email.split('@')[0]!.replace(/^./, (c) => c.toUpperCase()) } });
    for (const [path, depth, secs] of [['/blog/forecast-signals', 90 - i * 15, 120 - i * 20], ['/insights/annual-budget', 60 + i * 5, 200], ['/webinars/ai-planning', 30, 40]] as const) {
      const url = `https://acme-analytics.com${path}${i % 2 ? '?utm_source=newsletter' : '/'}`;
      batch.push({ type: 'page', userId: `u${i}`, properties: { url, path }, timestamp: new Date(Date.now() - (i + 1) * 3_600_000).toISOString() });
      batch.push({ type: 'track', event: 'Content Read', userId: `u${i}`, properties: { url, path, maxScrollPercent: depth, activeSeconds: secs } });
    }
  });
  for (let k = 0; k < 7; k++) batch.push({ type: 'page', anonymousId: `anon-${k}`, properties: { url: 'https://acme-analytics.com/blog/forecast-signals', path: '/blog/forecast-signals' } });
  const res = await page.request.post(`${BASE}/v1/batch`, { headers: { ...auth, 'content-type': 'application/json' }, data: { batch } });
  if (!res.ok()) console.error('batch', res.status(), await res.text());
}
await page.waitForTimeout(2500);

await step('list', async () => {
  await page.goto(`${BASE}/content`);
  await page.getByTestId('content-table').waitFor();
  await shot(page, 'content-04-list');
  await page.getByLabel('Overdue only').click();
  await page.waitForURL('**overdue=true');
  await page.waitForTimeout(400);
  await shot(page, 'content-05-list-overdue', false);
});

await step('item-page', async () => {
  const it = created['Five signals your forecast is lying'];
  await page.goto(`${BASE}/content/${it!.id}`);
  await page.getByTestId('content-readers').waitFor();
  await shot(page, 'content-06-item-consumption');
});

await step('contact-page', async () => {
  const list = await api('GET', `/contacts?q=${encodeURIComponent('grace@globex.com')}`);
  const id = list?.items?.[0]?.id;
  if (!id) throw new Error('no contact grace@globex.com');
  await page.goto(`${BASE}/contacts/${id}`);
  await page.getByTestId('contact-content').getByRole('link').first().waitFor();
  await page.getByTestId('contact-content').scrollIntoViewIfNeeded();
  await shot(page, 'content-14-contact-content-read', false);
});

await step('workflow', async () => {
  await page.goto(`${BASE}/content/${roi!.id}`);
  await page.getByTestId('workflow-actions').waitFor();
  await shot(page, 'content-07-item-workflow-draft');
  await page.getByTestId('move-review').click();
  await page.getByTestId('move-scheduled').waitFor();
  await page.getByTestId('move-scheduled').click();
  await page.getByText('Move to published').waitFor();
  await shot(page, 'content-08-item-scheduled');
});

await step('calendar', async () => {
  await page.goto(`${BASE}/content/calendar`);
  await page.getByTestId('calendar').waitFor();
  await page.locator('.calendar-entry').first().waitFor();
  await shot(page, 'content-09-calendar-month');
  const target = day(6);
  const entry = page.getByTestId(`entry-${created['Globex case study']!.id}-publish`);
  if (await page.getByTestId(`day-${target}`).count()) {
    await entry.dragTo(page.getByTestId(`day-${target}`));
    await page.getByTestId(`day-${target}`).getByText('Globex case study').waitFor();
    await shot(page, 'content-10-calendar-after-drag');
  }
  await page.goto(`${BASE}/content/calendar?view=week`);
  await page.getByTestId('calendar').waitFor();
  await shot(page, 'content-11-calendar-week');
});

await step('import-report', async () => {
  const file = path.join(os.tmpdir(), `content-inventory-${Date.now()}.csv`);
  writeFileSync(
    file,
    ['title,url,type,stage,format,owner_email,publish_date', 'Good one,https://acme-analytics.com/a,practical,interest,article,,2026-01-10', ',https://acme-analytics.com/b,practical,interest,,,', 'Later,https://acme-analytics.com/c,practical,later,,,', 'Who,https://acme-analytics.com/d,practical,awareness,,nobody@nowhere.test,', 'Dup,https://acme-analytics.com/blog/forecast-signals,aspirational,awareness,,,'].join('\n'),
  );
  await page.goto(`${BASE}/content`);
  await page.getByTestId('content-import-file').setInputFiles(file);
  await page.getByTestId('content-import-summary').waitFor();
  await shot(page, 'content-12-import-report', false);
});

await step('sales-view', async () => {
  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p2 = await ctx2.newPage();
  await signIn(p2, SAM);
  await p2.goto(`${BASE}/content/${created['The end of the annual budget cycle']!.id}`);
  await p2.getByTestId('content-title').waitFor();
  await shot(p2, 'content-13-item-sales-readonly');
  await ctx2.close();
});

await browser.close();
