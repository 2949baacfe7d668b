// Plan spend in the browser: a marketer imports costs (a bad file is refused with every rejected row listed, a good
// one lands), finds the unlinked campaign in Random acts and links it to an objective (its spend leaves the report),
// and adds a tool on the job map (the Define gap closes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { SETUP_TOKEN, startE2E, type E2E } from './harness.ts';

describe('plan spend', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
  });

  it('imports costs, links a random act to an objective and closes a job-map gap', async () => {
    const { t } = e;
    expect((await t.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: SETUP_TOKEN, email: 'admin@example.test', name: 'Ada Admin', password: 'a very long password' } })).statusCode).toBe(201);
    const marketer = await t.makeUser('marketing');
    await t.db.execute(sql`insert into objectives (level, title, owner_id, period_start, period_end) values ('company', 'Grow qualified pipeline', ${marketer.id}, '2026-01-01', '2026-12-31')`);
    const linked = (await t.api('POST', '/campaigns', { name: 'Search: reconciliation', utmCampaign: 'search-recon' })).json();
    const [obj] = (await t.db.execute(sql`select id from objectives limit 1`)).rows as { id: number }[];
    await t.db.execute(sql`update campaigns set objective_id = ${obj!.id} where id = ${linked.id}`);
    expect((await t.api('POST', '/campaigns', { name: 'Holiday swag mailer', utmCampaign: 'swag-mailer' })).statusCode).toBe(201);

    const { page } = await e.newPage();
    try {
      await page.goto('/login');
      await page.getByLabel('Email').fill(marketer.email);
      await page.getByLabel('Password').fill(marketer.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/contacts');

      await page.goto('/plan/costs?from=2026-01&to=2026-12');
      await page.getByText('No cost lines in these months').waitFor();
      const bad = 'month,category,planned,actual,campaign\n2026-03,media,900,800,search-recon\n2026-03,tv,100,,swag-mailer\n2026-13,other,5,,\n';
      await page.getByTestId('cost-import-file').setInputFiles({ name: 'costs.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      const rejected = page.getByTestId('cost-import-rejected');
      await rejected.waitFor();
      expect(await rejected.locator('tbody tr').count()).toBe(2);
      await expect.poll(() => rejected.textContent()).toContain('category');
      await page.getByRole('button', { name: 'Done' }).click();
      const good = 'month,category,planned,actual,campaign\n2026-03,media,900,800,search-recon\n2026-03,other,100,200,swag-mailer\n';
      await page.getByTestId('cost-import-file').setInputFiles({ name: 'costs.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
      await expect.poll(() => page.getByTestId('cost-import-summary').textContent()).toContain('2 new');
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByTestId('costs-table').getByText('Holiday swag mailer').waitFor();

      await page.goto('/plan/random-acts?from=2026-01&to=2026-12');
      const stats = page.getByTestId('random-acts-stats');
      await expect.poll(() => stats.textContent()).toContain('20% of $1,000 total spend');
      const row = page.getByTestId('random-acts-table').locator('tr', { hasText: 'Campaign with no objective' });
      await row.getByRole('combobox').selectOption({ label: 'Grow qualified pipeline' });
      await expect.poll(() => stats.textContent()).toContain('0% of $1,000 total spend');
      await page.getByText('No random acts').waitFor();

      await page.goto('/plan/tools');
      await expect.poll(() => page.getByTestId('step-define').textContent()).toContain('Gap');
      await page.getByRole('button', { name: 'Add tool' }).first().click();
      await page.getByLabel('Name').fill('ICP workbench');
      await page.getByLabel('Annual cost (USD)').fill('6000');
      await page.getByRole('checkbox', { name: 'Define' }).check();
      await page.getByRole('button', { name: 'Save tool' }).click();
      await expect.poll(() => page.getByTestId('step-define').textContent()).toContain('Covered');
      await page.getByTestId('tools-table').getByText('ICP workbench').waitFor();
    } catch (err) {
      console.error('screenshot:', await e.screenshot(page, 'plan-spend-failure'));
      throw err;
    }
  });
});
