// Screenshots of the market screens (Markets, Segments, the segment page with its joins/leaves chart, the
// builder with nested groups and live preview, Lists and a list page) against a running revloop: first the
// empty states, then after `revloop demo` (which adds markets, an ICP, segments and a list).
// Usage: BASE_URL=http://127.0.0.1:4593 SETUP_URL=<printed setup link> DATA_DIR=<the server's data dir> npx node e2e/screenshots-market.ts
// PNGs go to screenshots/ (git-ignored), named market-*.png.
import { execFileSync } from 'node:child_process';
import { ADMIN, openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4593';
const { browser, page, shot, step } = await openShots({ failPrefix: 'market', settleMs: 800 });
await setupAndSignInAdmin(page, BASE, process.env.SETUP_URL, '/markets');
// Signed in for sure (the sign-in form check above can run before the app redirects to it).
const login = await page.request.post(`${BASE}/api/v1/auth/login`, { data: { email: ADMIN.email, password: ADMIN.password } });
if (!login.ok()) console.error('login', login.status(), await login.text());

if (!process.env.SKIP_EMPTY) await step('empty', async () => {
  await page.goto(`${BASE}/markets`);
  await page.getByText('No markets yet').waitFor();
  await shot(page, 'market-markets-empty', false);
  await page.goto(`${BASE}/segments`);
  await page.getByText('No segments yet').waitFor();
  await shot(page, 'market-segments-empty', false);
  await page.goto(`${BASE}/lists`);
  await page.getByText('No lists yet').waitFor();
  await shot(page, 'market-lists-empty', false);
});

if (process.env.DATA_DIR) {
  console.log('loading the demo…');
  execFileSync('node', ['src/cli/main.ts', 'demo', '--contacts', process.env.DEMO_CONTACTS ?? '3000', '--data-dir', process.env.DATA_DIR], { stdio: 'inherit' });
}

await step('markets', async () => {
  await page.goto(`${BASE}/markets`);
  await page.getByTestId('markets').waitFor();
  await shot(page, 'market-markets');
});

let segmentId = 0;
await step('segments', async () => {
  await page.goto(`${BASE}/segments`);
  await page.getByTestId('segments-table').waitFor();
  await shot(page, 'market-segments', false);
  const href = await page.getByTestId('segments-table').locator('a').first().getAttribute('href');
  segmentId = Number(href?.split('/').pop());
});

await step('segment-page', async () => {
  await page.goto(`${BASE}/segments/${segmentId}`);
  await page.locator('[data-testid="segment-history-chart"][data-ready="true"]').waitFor();
  await page.getByTestId('segment-members').waitFor();
  await shot(page, 'market-segment');
});

await step('builder-edit', async () => {
  await page.goto(`${BASE}/segments/${segmentId}/edit`);
  await page.getByTestId('preview-count').waitFor();
  await shot(page, 'market-builder-edit');
});

await step('builder-new', async () => {
  await page.goto(`${BASE}/segments/new`);
  await page.getByTestId('preview-count').waitFor();
  await page.getByLabel('Name').fill('Senior finance, engaged, not customers');
  await page.getByRole('button', { name: '+ Property' }).first().click();
  const row0 = 'rule.conditions.0';
  await page.getByLabel(`${row0} field`).selectOption({ label: 'Job function (enum)' });
  await page.getByLabel(`${row0} operator`).selectOption('in');
  await page.getByTestId(`cond-${row0}`).getByText('Finance', { exact: true }).click();
  await page.getByRole('button', { name: '+ Property' }).first().click();
  await page.getByLabel('rule.conditions.1 field').selectOption({ label: 'Lifecycle stage (enum)' });
  await page.getByLabel('rule.conditions.1 operator').selectOption('neq');
  await page.getByLabel('rule.conditions.1 value').selectOption('customer');
  await page.getByRole('button', { name: '+ Group' }).first().click();
  const g = page.getByTestId('group-rule.conditions.2');
  await g.getByRole('button', { name: '+ Did an event' }).click();
  await g.getByRole('button', { name: '+ ICP grade' }).click();
  await page.waitForTimeout(1500);
  await page.getByTestId('preview-count').waitFor();
  await shot(page, 'market-builder-new');
  // A bad value: the server names the condition.
  await page.getByLabel('rule.conditions.2.conditions.0 days').fill('0');
  await page.waitForTimeout(1500);
  await shot(page, 'market-builder-error', false);
});

await step('lists', async () => {
  await page.goto(`${BASE}/lists`);
  await page.getByTestId('lists-table').waitFor();
  await shot(page, 'market-lists', false);
  await page.getByTestId('lists-table').locator('a').first().click();
  await page.getByTestId('list-members').waitFor();
  await page.getByLabel('Add contacts by email').fill('nobody@nowhere.example, not-an-email');
  await page.getByRole('button', { name: /^Add/ }).click();
  await page.getByTestId('list-change').waitFor();
  await shot(page, 'market-list');
});

await step('contacts-filter', async () => {
  await page.goto(`${BASE}/contacts?segmentId=${segmentId}`);
  await page.waitForLoadState('networkidle');
  await shot(page, 'market-contacts-by-segment', false);
});

await browser.close();
