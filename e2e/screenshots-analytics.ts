// Screenshots of the analytics screens (funnel, attribution, CPOD & ROI, KPI dashboard, board report) against a
// running revloop with the demo company loaded (`revloop demo`), for visual review.
// Usage: BASE_URL=http://127.0.0.1:4591 npx node e2e/screenshots-analytics.ts   (admin ada@example.com exists)
// PNGs go to screenshots/ (git-ignored), named analytics-*.png.
import { ADMIN, openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4591';
const { browser, page, shot, step } = await openShots({ failPrefix: 'analytics', settleMs: 1200 });
if (process.env.SETUP_URL) await setupAndSignInAdmin(page, BASE, process.env.SETUP_URL, '/analytics/funnel');
await page.goto(`${BASE}/login`);
await page.getByLabel('Email').fill(ADMIN.email);
await page.getByLabel('Password').fill(ADMIN.password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((u) => !u.pathname.startsWith('/login'));
await page.request.post(`${BASE}/api/v1/analytics/rollup/refresh`);
const year = new Date().getUTCFullYear();
const range = `from=${year - 1}-12-01&to=${new Date().toISOString().slice(0, 10)}`;

await step('funnel', async () => {
  await page.goto(`${BASE}/analytics/funnel?${range}`);
  await page.getByRole('heading', { name: 'Per stage' }).waitFor({ timeout: 60_000 });
  await shot(page, 'analytics-funnel');
});
await step('funnel-trends', async () => {
  await page.goto(`${BASE}/analytics/funnel?${range}`);
  await page.getByTestId('funnel-trends').waitFor({ timeout: 60_000 });
  await page.getByTestId('funnel-trends').scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  await shot(page, 'analytics-funnel-trends');
});
await step('funnel-breakdown', async () => {
  await page.goto(`${BASE}/analytics/funnel?${range}&breakdown=owner&cohort=entry`);
  await page.getByTestId('funnel-breakdown').waitFor({ timeout: 60_000 });
  await page.getByTestId('funnel-breakdown').scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  await shot(page, 'analytics-funnel-breakdown');
});
await step('attribution', async () => {
  await page.goto(`${BASE}/analytics/attribution?${range}`);
  await page.getByRole('heading', { name: 'Model comparison' }).waitFor({ timeout: 60_000 });
  await shot(page, 'analytics-attribution');
});
await step('attribution-content', async () => {
  await page.goto(`${BASE}/analytics/attribution?${range}&groupBy=content&basis=pipeline`);
  await page.getByRole('heading', { name: 'Model comparison' }).waitFor({ timeout: 60_000 });
  await shot(page, 'analytics-attribution-content');
});
await step('cpod', async () => {
  await page.goto(`${BASE}/analytics/cpod?${range}&interval=month`);
  await page.getByTestId('cpod-total').waitFor({ timeout: 60_000 });
  await shot(page, 'analytics-cpod');
});
await step('cpod-no-revenue', async () => {
  // Into next year: months with planned cost lines and nothing won yet are marked "no revenue".
  await page.goto(`${BASE}/analytics/cpod?from=${year}-01-01&to=${year + 1}-03-31&interval=month`);
  await page.getByTestId('cpod-total').waitFor({ timeout: 60_000 });
  await shot(page, 'analytics-cpod-no-revenue');
});
await step('kpis', async () => {
  await page.goto(`${BASE}/analytics/kpis`);
  await page.waitForLoadState('networkidle');
  await shot(page, 'analytics-kpis');
});
await step('board', async () => {
  await page.goto(`${BASE}/analytics/board`);
  await page.getByRole('heading', { name: 'Fitness scorecard' }).waitFor({ timeout: 120_000 });
  await shot(page, 'analytics-board');
});
await step('empty', async () => {
  await page.goto(`${BASE}/analytics/attribution?from=2001-01-01&to=2001-03-31`);
  await page.getByText('No deals won in this range').waitFor({ timeout: 60_000 });
  await shot(page, 'analytics-attribution-empty', false);
});
await browser.close();
