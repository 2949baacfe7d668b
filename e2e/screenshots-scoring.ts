// Screenshots of the scoring screens (Settings → Scoring, model editors, a rule error, contact and account
// score panels) against a running revloop on a fresh data dir, for visual review.
// Usage: BASE_URL=http://127.0.0.1:4531 SETUP_URL=<printed setup link> npx node e2e/screenshots-scoring.ts
// PNGs go to screenshots/ (git-ignored).
import { openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4531';
const SETUP_URL = process.env.SETUP_URL;

const { browser, page, shot, step } = await openShots({ failPrefix: 'scr' });

async function api<T>(method: 'GET' | 'POST' | 'PATCH', url: string, data?: unknown): Promise<T> {
  const res = await page.request.fetch(`${BASE}/api/v1${url}`, { method, data: data as object, headers: { origin: BASE } });
  if (!res.ok()) console.error(method, url, res.status(), (await res.text()).slice(0, 300));
  return (await res.json().catch(() => null)) as T;
}
async function send(writeKey: string, endpoint: string, body: unknown) {
  const res = await fetch(`${BASE}/v1/${endpoint}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) console.error(`/v1/${endpoint} → ${res.status} ${(await res.text()).slice(0, 200)}`);
}

await setupAndSignInAdmin(page, BASE, SETUP_URL);

// Data: an account, a VP with a phone, stage rules, and tracked behaviour.
const acc = await api<{ id: number }>('POST', '/accounts', { name: 'Northwind Analytics', domain: 'northwind.example', employeeCount: 320, industry: 'Software' });
const vp = await api<{ id: number }>('POST', '/contacts', { email: 'dana@northwind.example', firstName: 'Dana', lastName: 'Reyes', title: 'VP Marketing', phone: '+1 555 0100', accountId: acc.id });
await api('POST', '/contacts', { email: 'sam@northwind.example', firstName: 'Sam', lastName: 'Ortiz', title: 'Marketing Coordinator', accountId: acc.id });
for (const r of [
  { pattern: '/blog/*', stage: 'awareness' },
  { pattern: '/case-studies', stage: 'consideration' },
  { pattern: '/pricing', stage: 'purchase' },
])
  await api('POST', '/scoring/stage-rules', r);
const src = await api<{ writeKey: string }>('POST', '/sources', { name: 'Website' });
if (src?.writeKey) {
  const userId = 'dana-1';
  await send(src.writeKey, 'identify', { userId, traits: { email: 'dana@northwind.example' } });
  const now = Date.now();
  const batch = [
    ...['/blog/closed-loop', '/case-studies/acme', '/pricing', '/pricing', '/pricing', '/pricing'].map((p, i) => ({
      type: 'page',
      userId,
      name: p,
      properties: { path: p, url: `https://northwind.example${p}` },
      context: { page: { path: p } },
      timestamp: new Date(now - (6 - i) * 60_000).toISOString(),
    })),
    { type: 'track', userId, event: 'Content Read', properties: { percent: 75, title: 'Lead scoring guide' }, timestamp: new Date(now - 30_000).toISOString() },
    { type: 'track', userId, event: 'Demo Requested', properties: {}, timestamp: new Date(now - 10_000).toISOString() },
    // earlier weeks: more windows in the explanation (a capped week of pricing views, content reads, page views)
    ...[0, 1, 2, 3].map((i) => ({ type: 'page', userId, name: '/pricing', properties: { path: '/pricing' }, timestamp: new Date(now - 9 * 86_400_000 + i * 60_000).toISOString() })),
    ...[0, 1].map((i) => ({ type: 'track', userId, event: 'Content Read', properties: { percent: 90, title: 'ROI calculator' }, timestamp: new Date(now - 9 * 86_400_000 + i * 3_600_000).toISOString() })),
    ...[0, 1, 2].map((i) => ({ type: 'page', userId, name: '/blog/intent-data', properties: { path: '/blog/intent-data' }, timestamp: new Date(now - 33 * 86_400_000 + i * 60_000).toISOString() })),
    { type: 'track', userId, event: 'Email Link Clicked', properties: {}, timestamp: new Date(now - 33 * 86_400_000).toISOString() },
  ];
  await send(src.writeKey, 'batch', { batch });
  await page.waitForTimeout(3000);
}

await step('settings', async () => {
  await page.goto(`${BASE}/settings/scoring`);
  await page.getByTestId('fit-models').waitFor();
  await shot(page, 'scr-01-settings');
});
await step('fit-editor', async () => {
  await page.getByTestId('fit-models').getByRole('link', { name: 'Edit' }).first().click();
  await page.getByTestId('fit-rules').waitFor();
  await shot(page, 'scr-02-fit-editor');
});
await step('fit-error', async () => {
  await page.getByRole('button', { name: '+ Add rule' }).click();
  const n = await page.getByTestId('fit-rules').locator('tbody tr').count();
  await page.getByLabel(`Rule ${n} label`).fill('Mid-size company');
  await page.getByLabel(`Rule ${n} field`).selectOption('account.employee_count');
  await page.getByLabel(`Rule ${n} condition`).selectOption('between');
  await page.getByLabel(`Rule ${n} value`).fill('500, 50');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByTestId('rule-errors').waitFor();
  await shot(page, 'scr-03-fit-rule-error');
  await page.getByLabel(`Rule ${n} value`).fill('50, 500');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').waitFor();
  await shot(page, 'scr-04-fit-saved', false);
});
await step('engagement-editor', async () => {
  await page.goto(`${BASE}/settings/scoring`);
  await page.getByTestId('engagement-models').getByRole('link', { name: 'Edit' }).first().click();
  await page.getByTestId('engagement-rules').waitFor();
  await shot(page, 'scr-05-engagement-editor');
});
await step('duplicate', async () => {
  await page.goto(`${BASE}/settings/scoring`);
  await page.getByTestId('fit-models').getByRole('button', { name: 'Duplicate' }).first().click();
  await page.getByTestId('fit-rules').waitFor();
  await page.getByLabel('Name').fill('Product line B');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').waitFor();
  await page.goto(`${BASE}/settings/scoring`);
  await page.getByText('Product line B').waitFor();
  await shot(page, 'scr-05b-settings-two-fit-models');
});
await step('new-engagement', async () => {
  await page.goto(`${BASE}/settings/scoring/models/new?kind=engagement`);
  await page.getByTestId('engagement-rules').waitFor();
  await page.getByRole('button', { name: 'Create model' }).click();
  await shot(page, 'scr-06-new-engagement-errors', false);
});
await step('contact-scores', async () => {
  await page.goto(`${BASE}/contacts/${vp.id}`);
  await page.getByTestId('score-panel').getByTestId('fit-score').waitFor();
  await page.getByTestId('score-panel').scrollIntoViewIfNeeded();
  const toggle = page.getByTestId('toggle-entries');
  if (await toggle.count()) await toggle.click();
  await shot(page, 'scr-07-contact-scores');
});
await step('account-scores', async () => {
  await page.goto(`${BASE}/accounts/${acc.id}`);
  await page.getByTestId('account-score-panel').getByTestId('account-fit-score').waitFor();
  await shot(page, 'scr-08-account-scores');
});

await step('viewer', async () => {
  const viewer = { email: 'vic@example.com', name: 'Vic Viewer', role: 'viewer', password: 'correct horse battery staple' };
  await api('POST', '/users', viewer);
  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p2 = await ctx2.newPage();
  await p2.goto(`${BASE}/login`);
  await p2.getByLabel('Email').fill(viewer.email);
  await p2.getByLabel('Password').fill(viewer.password);
  await p2.getByRole('button', { name: 'Sign in' }).click();
  await p2.waitForURL('**/contacts');
  await p2.goto(`${BASE}/settings/scoring`);
  await p2.getByTestId('fit-models').waitFor();
  await shot(p2, 'scr-09-viewer-settings');
  await p2.getByTestId('fit-models').getByRole('link', { name: 'View' }).first().click();
  await p2.getByTestId('fit-rules').waitFor();
  await shot(p2, 'scr-10-viewer-model', false);
  await ctx2.close();
});

await browser.close();
