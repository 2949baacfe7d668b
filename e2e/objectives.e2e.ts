// Objectives in the browser: a marketer opens Plan → Objectives, walks the tree from the company objective down
// through marketing and team to an individual objective, checks in a value on its manual KPI, and sees the
// progress roll back up to the company objective.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TOKEN, startE2E, type E2E } from './harness.ts';

describe('objectives', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
  });

  it('walks from a company objective to an individual KPI, checks in, and the progress rolls up', async () => {
    const { t } = e;
    expect((await t.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: SETUP_TOKEN, email: 'admin@example.test', name: 'Ada Admin', password: 'a very long password' } })).statusCode).toBe(201);
    const marketer = await t.makeUser('marketing');
    const now = new Date();
    const q = Math.floor(now.getUTCMonth() / 3);
    const period = { periodStart: new Date(Date.UTC(now.getUTCFullYear(), q * 3, 1)).toISOString().slice(0, 10), periodEnd: new Date(Date.UTC(now.getUTCFullYear(), q * 3 + 3, 0)).toISOString().slice(0, 10) };
    const create = async (body: Record<string, unknown>) => {
      const r = await t.api('POST', '/objectives', { ownerId: marketer.id, ...period, ...body });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().objective.id as number;
    };
    const company = await create({ level: 'company', title: 'Win the mid-market' });
    const marketing = await create({ level: 'marketing', title: 'Fill the pipeline', parentId: company });
    const team = await create({ level: 'team', title: 'Field events team', parentId: marketing });
    const person = await create({ level: 'individual', title: 'Book 10 demos at events', parentId: team });
    const kpi = await t.api('POST', `/objectives/${person}/kpis`, { name: 'Demos booked', source: 'manual', unit: 'demos', baseline: 0, target: 10 });
    expect(kpi.statusCode).toBe(201);
    expect((await t.api('POST', `/objectives/kpis/${kpi.json().id}/checkins`, { value: 2, at: new Date(now.getTime() - 86_400_000).toISOString() })).statusCode).toBe(201);

    const { page } = await e.newPage();
    try {
      await page.goto('/login');
      await page.getByLabel('Email').fill(marketer.email);
      await page.getByLabel('Password').fill(marketer.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/contacts');
      await page.getByRole('link', { name: 'Objectives' }).click();
      await page.waitForURL('**/objectives');
      const tree = page.getByTestId('objective-tree');
      await tree.waitFor();
      // The whole branch is shown; collapsing the company hides it.
      await tree.getByRole('link', { name: 'Book 10 demos at events' }).waitFor();
      await page.getByRole('button', { name: 'Collapse Win the mid-market' }).click();
      await tree.getByRole('link', { name: 'Book 10 demos at events' }).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Expand Win the mid-market' }).click();

      // Company → marketing → team → individual, through each page's "Objectives below".
      await tree.getByRole('link', { name: 'Win the mid-market' }).click();
      await page.getByTestId('objective-title').filter({ hasText: 'Win the mid-market' }).waitFor();
      expect(await page.getByTestId('objective-progress').textContent()).toBe('20 %');
      for (const title of ['Fill the pipeline', 'Field events team', 'Book 10 demos at events']) {
        await page.getByTestId('objective-children').getByRole('link', { name: title }).click();
        await page.getByTestId('objective-title').filter({ hasText: title }).waitFor();
      }
      expect(await page.getByTestId('objective-breadcrumb').textContent()).toBe('Objectives / Win the mid-market / Fill the pipeline / Field events team / Book 10 demos at events');

      // The individual KPI: actual, trend chart, SMART checklist; a check-in moves it.
      const card = page.getByTestId(`kpi-${kpi.json().id}`);
      expect(await card.getByTestId('kpi-actual').textContent()).toBe('2 demos');
      await card.locator('[data-ready="true"]').waitFor();
      expect(await page.getByTestId('smart-checklist').textContent()).toContain('Has an owner');
      await card.getByLabel('Value today').fill('6');
      await card.getByLabel('Note').fill('Booth at Finance Ops Summit');
      await card.getByRole('button', { name: 'Check in' }).click();
      await expect.poll(() => card.getByTestId('kpi-actual').textContent()).toBe('6 demos');
      await card.getByText('Booth at Finance Ops Summit').waitFor();
      expect(await page.getByTestId('objective-progress').textContent()).toBe('60 %');

      // Back up through the breadcrumb: the company objective's progress rolled up.
      await page.getByTestId('objective-breadcrumb').getByRole('link', { name: 'Win the mid-market' }).click();
      await page.getByTestId('objective-title').filter({ hasText: 'Win the mid-market' }).waitFor();
      await expect.poll(() => page.getByTestId('objective-progress').textContent()).toBe('60 %');
    } catch (err) {
      console.error('screenshot:', await e.screenshot(page, 'objectives-walk'));
      throw err;
    }
  }, 120_000);
});
