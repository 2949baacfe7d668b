// Takes a screenshot of every web UI screen against a running revloop (fresh data dir), for visual review.
// Usage: BASE_URL=http://127.0.0.1:4517 SETUP_URL=<printed setup link> npx node e2e/screenshots.ts
// PNGs go to screenshots/ (git-ignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4517';
const SETUP_URL = process.env.SETUP_URL;
const OUT = path.resolve(import.meta.dirname, '..', 'screenshots');
const ADMIN = { name: 'Ada Admin', email: process.env.ADMIN_EMAIL ?? 'ada@example.com', password: process.env.ADMIN_PASSWORD ?? 'correct horse battery staple' };
mkdirSync(OUT, { recursive: true });

async function shot(page: Page, name: string, full = true) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: full });
  console.log('shot', name);
}

async function step(name: string, fn: () => Promise<void>) {
  try {
    await fn();
  } catch (e) {
    console.error(`FAILED ${name} at ${page.url()}:`, (e as Error).message.split('\n')[0]);
    await page.screenshot({ path: path.join(OUT, `failed-${name}.png`) }).catch(() => {});
  }
}

const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
const page = await context.newPage();
page.on('pageerror', (e) => console.error('pageerror:', e.message));

if (SETUP_URL) {
  await step('finish-setup', async () => {
    await page.goto(`${BASE}/contacts`);
    await page.getByText('Finish setting up revloop').waitFor();
    await shot(page, '01-finish-setup', false);
  });
  await step('setup', async () => {
    await page.goto(SETUP_URL);
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('Work email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('different');
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await shot(page, '02-setup-errors', false);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.waitForURL('**/contacts');
    await page.getByText('No contacts yet').waitFor();
    await shot(page, '03-contacts-empty', false);
  });
} else {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/contacts');
}

// Seed data through the API with the session cookie.
const api = page.request;
async function call(method: string, url: string, data?: unknown) {
  const res = await api.fetch(`${BASE}/api/v1${url}`, { method, data });
  if (!res.ok()) console.error(`${method} ${url} → ${res.status()} ${(await res.text()).slice(0, 200)}`);
  return res.ok() ? res.json().catch(() => null) : null;
}
await step('seed', async () => {
  const existing = await call('GET', '/contacts?limit=1');
  if (existing?.total?.count > 0) return;
  await call('POST', '/users', { name: 'Sam Seller', email: 'sam@example.com', role: 'sales', password: 'a very long password 1' });
  await call('POST', '/users', { name: 'Mia Marketer', email: 'mia@example.com', role: 'marketing', password: 'a very long password 2' });
  await call('POST', '/properties', { objectType: 'contact', key: 'lead_source', label: 'Lead source', type: 'enum', options: ['Webinar', 'Website', 'Event', 'Referral'] });
  await call('POST', '/properties', { objectType: 'contact', key: 'nps', label: 'NPS score', type: 'number' });
  await call('POST', '/properties', { objectType: 'account', key: 'tier', label: 'Tier', type: 'enum', options: ['Enterprise', 'Mid-market', 'SMB'] });
  const companies = [
    ['Acme Corp', 'acme.com', 'Manufacturing', 1200, 'US'],
    ['Globex', 'globex.io', 'Software', 340, 'DE'],
    ['Initech', 'initech.com', 'Financial services', 80, 'US'],
    ['Umbrella Health', 'umbrella-health.com', 'Healthcare', 5400, 'UK'],
  ] as const;
  const accountIds: number[] = [];
  for (const [name, domain, industry, employeeCount, country] of companies) {
    const a = await call('POST', '/accounts', { name, domain, industry, employeeCount, country, properties: { tier: employeeCount > 1000 ? 'Enterprise' : 'Mid-market' } });
    if (a) accountIds.push(a.id);
  }
  const users = (await call('GET', '/users'))?.items ?? [];
  const first = ['Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia', 'Tim', 'Shafi'];
  const last = ['Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman', 'Berners-Lee', 'Goldwasser'];
  const titles = ['VP Marketing', 'Head of Demand Gen', 'CTO', 'Marketing Ops Manager', 'CFO', 'Sales Director', null];
  const stages = ['subscriber', 'lead', 'marketing_qualified', 'sales_ready', 'sales_accepted', 'opportunity', 'customer', 'recycled', 'disqualified'];
  for (let i = 0; i < 60; i++) {
    const f = first[i % first.length]!;
    const l = last[(i * 7) % last.length]!;
    const acc = companies[i % companies.length]!;
    await call('POST', '/contacts', {
      email: `${f.toLowerCase()}.${l.toLowerCase().replace(/[^a-z]/g, '')}${i}@${acc[1]}`,
      firstName: f,
      lastName: l,
      title: titles[i % titles.length],
      phone: i % 3 ? `+1 555 01${String(i).padStart(2, '0')}` : null,
      lifecycleStage: stages[i % stages.length],
      ownerId: users[i % Math.max(1, users.length)]?.id ?? null,
      accountId: accountIds[i % Math.max(1, accountIds.length)] ?? null,
      properties: { lead_source: ['Webinar', 'Website', 'Event', 'Referral'][i % 4], nps: i % 11 },
    });
  }
});

await step('contacts', async () => {
  await page.goto(`${BASE}/contacts`);
  await page.getByTestId('contacts-table').waitFor();
  await shot(page, '04-contacts-list');
  await page.getByRole('button', { name: 'Email', exact: true }).click();
  await page.getByLabel('Search contacts').fill('grace');
  await page.waitForTimeout(800);
  await shot(page, '05-contacts-search-sorted', false);
  await page.getByLabel('Search contacts').fill('zzznomatch');
  await page.waitForTimeout(800);
  await shot(page, '06-contacts-no-match', false);
  await page.goto(`${BASE}/contacts`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  console.log('export download:', download.suggestedFilename());
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForTimeout(600);
  await shot(page, '06b-contacts-page-2', false);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByLabel('Lifecycle stage').selectOption('customer');
  await page.getByLabel('Owner').selectOption({ index: 1 });
  await page.waitForTimeout(600);
  await shot(page, '06c-contacts-filtered', false);
  await page.getByRole('button', { name: 'New contact' }).click();
  await page.getByLabel('Email', { exact: true }).fill('not-an-email');
  await page.getByRole('button', { name: 'Create contact' }).click();
  await page.waitForTimeout(500);
  await shot(page, '07-new-contact-error', false);
});

await step('property-filter', async () => {
  await page.goto(`${BASE}/contacts`);
  await page.getByTestId('contacts-table').waitFor();
  await page.getByLabel('Filter by property').selectOption({ label: 'Lead source' });
  await page.getByLabel('Lead source value').selectOption({ index: 1 });
  await page.waitForURL(/prop\.lead_source=/);
  await page.waitForTimeout(800);
  await shot(page, '06d-contacts-property-filter', false);
});

await step('contact-detail', async () => {
  await page.goto(`${BASE}/contacts?sort=email`);
  await page.getByTestId('contacts-table').locator('tbody tr a').first().click();
  await page.getByTestId('contact-name').waitFor();
  await shot(page, '08-contact-detail');
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Email', { exact: true }).fill('bad');
  await page.getByLabel('Phone').fill('x'.repeat(60));
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForTimeout(600);
  await shot(page, '09-contact-edit-errors');
  await page.getByLabel('Email', { exact: true }).fill('grace.changed@acme.com');
  await page.getByLabel('Phone').fill('+1 555 0199');
  await page.getByLabel('NPS score').fill('9');
  await page.getByLabel('Job title').fill('Chief Marketing Officer');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForTimeout(800);
  await shot(page, '10-contact-after-edit');
  if (await page.getByRole('button', { name: 'Cancel' }).count()) await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await shot(page, '11-contact-delete-confirm', false);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
});

await step('accounts', async () => {
  await page.goto(`${BASE}/accounts`);
  await page.getByTestId('accounts-table').waitFor();
  await shot(page, '12-accounts-list', false);
  await page.getByTestId('accounts-table').locator('tbody tr a').first().click();
  await page.getByTestId('account-name').waitFor();
  await page.waitForTimeout(500);
  await shot(page, '13-account-detail');
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Domain').fill('not a domain');
  await page.getByLabel('Tier').selectOption('SMB');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForTimeout(600);
  await shot(page, '13b-account-edit-error', false);
  await page.getByRole('button', { name: 'Cancel' }).click();
});

const csv = [
  'Email,First Name,Last Name,Company,Job Title,Lead source',
  'new.person1@hooli.com,Gavin,Belson,Hooli,CEO,Webinar',
  'new.person2@piedpiper.com,Richard,Hendricks,Pied Piper,CEO,Website',
  'not-an-email,Bad,Row,Nowhere,Intern,Event',
  'new.person3@gmail.com,Jared,Dunn,,COO,Referral',
].join('\n');
writeFileSync(path.join(OUT, 'sample-import.csv'), csv);

await step('import', async () => {
  await page.goto(`${BASE}/imports`);
  await page.waitForTimeout(500);
  await shot(page, '14-imports-empty', false);
  await page.goto(`${BASE}/imports/new`);
  await page.getByTestId('import-file').setInputFiles(path.join(OUT, 'sample-import.csv'));
  await shot(page, '15-import-upload', false);
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await page.getByTestId('mapping-table').waitFor();
  await shot(page, '16-import-mapping');
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.waitForURL(/\/imports\/\d+$/);
  await shot(page, '17-import-progress', false);
  await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(800);
  await shot(page, '18-import-report');
  await page.goto(`${BASE}/imports`);
  await page.getByTestId('imports-table').waitFor();
  await shot(page, '19-imports-list', false);
});

await step('settings', async () => {
  await page.goto(`${BASE}/settings/users`);
  await page.getByTestId('users-table').waitFor();
  await shot(page, '20-settings-users', false);
  await page.getByRole('button', { name: 'Add user' }).click();
  await shot(page, '21-settings-add-user', false);
  await page.keyboard.press('Escape');
  await page.goto(`${BASE}/settings/api-keys`);
  await page.waitForTimeout(500);
  await shot(page, '22-api-keys-empty', false);
  await page.getByRole('button', { name: 'Create API key' }).first().click();
  await page.getByLabel('Name').fill('CRM sync');
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.getByTestId('new-api-key').waitFor();
  await shot(page, '23-api-key-created', false);
  await page.getByRole('button', { name: 'I have copied the key' }).click();
  await page.waitForTimeout(400);
  await shot(page, '24-api-keys-list', false);
  await page.getByRole('button', { name: /^Revoke/ }).first().click();
  await shot(page, '24b-api-key-revoke-confirm', false);
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
  await page.waitForTimeout(500);
  await shot(page, '24c-api-key-revoked', false);
  await page.goto(`${BASE}/settings/properties`);
  await page.getByTestId('properties-table').waitFor();
  await shot(page, '25-properties', false);
  await page.getByRole('button', { name: 'New property' }).first().click();
  await page.getByLabel('Label').fill('Renewal date');
  await page.getByLabel('Type').selectOption('enum');
  await shot(page, '26-property-new', false);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Edit Lead source' }).click();
  await shot(page, '26b-property-edit', false);
  await page.keyboard.press('Escape');
  await page.goto(`${BASE}/settings/audit-log`);
  await page.getByTestId('audit-table').waitFor();
  await shot(page, '27-audit-log', false);
});

await step('menu-and-login', async () => {
  await page.goto(`${BASE}/contacts`);
  await page.getByTestId('user-menu').click();
  await shot(page, '28-user-menu', false);
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  await page.goto(`${BASE}/accounts`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('wrong password!!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('login-error').waitFor();
  await shot(page, '29-login-error', false);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/accounts');
  await page.goto(`${BASE}/nope`);
  await shot(page, '30-not-found', false);
});

await step('states', async () => {
  // Error state: the list API fails.
  await page.route('**/api/v1/contacts?**', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal_error', message: 'Internal error' } }) }));
  await page.goto(`${BASE}/contacts`);
  await page.getByText('Could not load contacts').waitFor({ timeout: 15_000 });
  await shot(page, '33-contacts-error', false);
  await page.unroute('**/api/v1/contacts?**');
  // Loading state: the list API is slow.
  await page.route('**/api/v1/accounts?**', async (r) => {
    await new Promise((res) => setTimeout(res, 3000));
    await r.continue().catch(() => {});
  });
  await page.goto(`${BASE}/accounts`);
  await page.waitForTimeout(800);
  await shot(page, '34-accounts-loading', false);
  await page.unroute('**/api/v1/accounts?**');
  await page.goto(`${BASE}/contacts/999999`);
  await page.getByText('Contact not found').waitFor();
  await shot(page, '35-contact-not-found', false);
});

await step('narrow', async () => {
  await page.setViewportSize({ width: 820, height: 1000 });
  await page.goto(`${BASE}/contacts`);
  await page.getByTestId('contacts-table').waitFor();
  await shot(page, '36-contacts-narrow', false);
  await page.setViewportSize({ width: 1440, height: 900 });
});

await step('viewer-role', async () => {
  await call('POST', '/users', { name: 'Vic Viewer', email: 'vic@example.com', role: 'viewer', password: 'a very long password 3' });
  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p2 = await ctx2.newPage();
  await p2.goto(`${BASE}/login`);
  await p2.getByLabel('Email').fill('vic@example.com');
  await p2.getByLabel('Password').fill('a very long password 3');
  await p2.getByRole('button', { name: 'Sign in' }).click();
  await p2.waitForURL('**/contacts');
  await p2.getByTestId('contacts-table').waitFor();
  await shot(p2, '31-viewer-contacts', false);
  await p2.goto(`${BASE}/settings/users`);
  await shot(p2, '32-viewer-forbidden', false);
  await ctx2.close();
});

await browser.close();
