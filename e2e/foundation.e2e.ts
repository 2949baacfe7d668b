// The foundation in a browser: first-run admin, sign out and in, CSV import with one bad row and its error
// report, search and open a contact, export the list as CSV.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { SETUP_TOKEN, startE2E, type E2E } from './harness.ts';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'a long enough passphrase' };

// Line 1 is the header; line 4 has an invalid email and must be rejected; the others are imported.
const CSV = [
  'Email,First name,Last name,Job title,Phone',
  'grace.hopper@navy-labs.example,Grace,Hopper,Rear Admiral,+1 555 0100',
  'alan.turing@bletchley.example,Alan,Turing,Cryptanalyst,',
  'not-an-email,Bad,Row,Nobody,',
  'katherine.johnson@nasa-langley.example,Katherine,Johnson,=1+2,+1 555 0101',
].join('\n');

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  const file = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(file, 'utf8') };
}

describe('foundation in the browser', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
  });

  it('refuses a wrong setup link and creates no account', async () => {
    const { page } = await e.newPage();
    await page.goto('/setup?token=not-the-real-token');
    await page.getByLabel('Your name').fill('Mallory');
    await page.getByLabel('Work email').fill('mallory@example.com');
    await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
    await page.getByLabel('Confirm password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByRole('alert').filter({ hasText: /setup link is not valid/i }).waitFor();
    expect(page.url()).toContain('/setup');
    const users = await e.t.db.execute(sql`select count(*)::int n from users`);
    expect(users.rows[0]).toEqual({ n: 0 });
  });

  it('first run → sign in → import with a bad row → find a contact → export', async () => {
    const { page } = await e.newPage();
    const step = async (name: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        const shot = await e.screenshot(page, `foundation-${name}`);
        throw new Error(`step "${name}" failed at ${page.url()} (screenshot: ${shot}): ${(err as Error).message}`);
      }
    };

    await step('setup', async () => {
      await page.goto(`/setup?token=${SETUP_TOKEN}`);
      await page.getByRole('heading', { name: 'Create the admin account' }).waitFor();
      await page.getByLabel('Your name').fill(ADMIN.name);
      await page.getByLabel('Work email').fill(ADMIN.email);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      await page.getByLabel('Confirm password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Create admin account' }).click();
      await page.waitForURL('**/contacts');
      await page.getByText('No contacts yet').waitFor();
    });

    await step('sign out and in', async () => {
      await page.getByRole('button', { name: 'User menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login(\?|$)/);
      // A wrong password is refused with a message, then the right one signs in.
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').first().waitFor();
      expect(page.url()).toContain('/login');
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/contacts');
      await page.getByRole('button', { name: 'User menu' }).filter({ hasText: ADMIN.name }).waitFor();
    });

    await step('import', async () => {
      await page.getByRole('link', { name: 'Import', exact: true }).click();
      await page.waitForURL('**/imports/new**');
      await page.getByLabel('CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
      await page.getByRole('button', { name: 'Upload and continue' }).click();
      await page.getByRole('heading', { name: 'Map columns' }).waitFor();
      // The wizard suggests a mapping from the headers; email is required.
      expect(await page.getByLabel('Map column Email').inputValue()).toBe('email');
      expect(await page.getByLabel('Map column First name').inputValue()).toBe('firstName');
      if ((await page.getByLabel('Map column Job title').inputValue()) !== 'title') await page.getByLabel('Map column Job title').selectOption('title');
      await page.getByRole('button', { name: 'Start import' }).click();
      await page.waitForURL(/\/imports\/\d+$/);
      await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('import-inserted').textContent()).toBe('3');
      expect(await page.getByTestId('import-rejected').textContent()).toBe('1');
      await page.getByRole('status').filter({ hasText: '3 of 4 rows were imported' }).waitFor();
    });

    await step('error report', async () => {
      const table = page.getByTestId('import-errors-table');
      const row = table.locator('tbody tr');
      await row.first().waitFor();
      expect(await row.count()).toBe(1);
      const cells = await row.first().locator('td').allTextContents();
      expect(cells[0]).toBe('4');
      expect(cells[2]).toMatch(/email/i);
      expect(cells[3]).toContain('not-an-email');
      const report = await downloaded(page, () => page.getByTestId('download-error-report').click());
      expect(report.name).toMatch(/\.csv$/);
      const lines = report.text.trim().split(/\r?\n/);
      expect(lines[0]).toMatch(/^line,column,reason,Email,First name/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^4,/);
      expect(lines[1]).toContain('not-an-email');
    });

    await step('find a contact', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
      await page.waitForURL('**/contacts');
      await page.getByTestId('contacts-table').waitFor();
      await page.getByLabel('Search contacts').fill('grace');
      await page.waitForURL(/q=grace/);
      const rows = page.getByTestId('contacts-table').locator('tbody tr');
      await rows.filter({ hasText: 'grace.hopper@navy-labs.example' }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="contacts-table"] tbody tr').length === 1);
      await rows.first().getByRole('link', { name: 'Grace Hopper' }).click();
      await page.waitForURL(/\/contacts\/\d+$/);
      expect(await page.getByTestId('contact-name').textContent()).toBe('Grace Hopper');
      await page.getByText('grace.hopper@navy-labs.example').first().waitFor();
      await page.getByText('Rear Admiral').first().waitFor();
    });

    await step('export', async () => {
      await page.goBack();
      await page.waitForURL(/\/contacts\?q=grace/);
      // The export follows the list's filters: just Grace.
      const filtered = await downloaded(page, () => page.getByTestId('export-csv').click());
      expect(filtered.name).toMatch(/\.csv$/);
      expect(filtered.text).toContain('grace.hopper@navy-labs.example');
      expect(filtered.text).not.toContain('alan.turing@bletchley.example');
      // Unfiltered: everyone imported, and a cell that looks like a formula is neutralised.
      await page.getByLabel('Search contacts').fill('');
      await page.waitForURL((u) => !u.search.includes('q='));
      await page.getByTestId('contacts-table').locator('tbody tr').nth(2).waitFor();
      const all = await downloaded(page, () => page.getByTestId('export-csv').click());
      for (const email of ['grace.hopper@navy-labs.example', 'alan.turing@bletchley.example', 'katherine.johnson@nasa-langley.example']) {
        expect(all.text).toContain(email);
      }
      expect(all.text).not.toContain('not-an-email');
      expect(all.text).toContain("'=1+2");
      expect(all.text).not.toMatch(/(^|,)=1\+2/m);
    });
  });

  it('shows a viewer no import, export or settings, and refuses the import page', async () => {
    const viewer = await e.t.makeUser('viewer', 'vera.viewer@example.com');
    const { page } = await e.newPage();
    await page.goto('/contacts');
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/contacts');
    await page.getByRole('heading', { name: 'Contacts', exact: true }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Imports' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await page.getByTestId('export-csv').count()).toBe(0);
    await page.goto('/imports/new');
    await page.getByText('You do not have access to this page').waitFor();
    // The server enforces it too: the session cannot export.
    const res = await page.request.get('/api/v1/contacts/export');
    expect(res.status()).toBe(403);
  });
});
