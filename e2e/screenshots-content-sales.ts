// Screenshots of the content engine's sales side (issue 6): sales library (contact picked, what they read,
// tracked link dialog), field intel (post form, weekly trends, feed), topic backlog (score chart, cycle result)
// and the SME network — against a running revloop whose data dir has the demo loaded:
//   D=$(mktemp -d); echo 'correct horse battery staple' | npx node src/cli/main.ts users create --email ada@example.com --role admin --name 'Ada Admin' --data-dir $D
//   npx node src/cli/main.ts demo --contacts 3000 --data-dir $D; PORT=4563 DATA_DIR=$D npm start
//   BASE_URL=http://127.0.0.1:4563 npx node e2e/screenshots-content-sales.ts
// PNGs go to screenshots/ (git-ignored), named cs-*.png.
import type { Page } from 'playwright-core';
import { ADMIN, openShots } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4563';
const SAM = { name: 'Sam Sales', email: 'sam@example.com', role: 'sales', password: 'a very long password 2' };
const shots = await openShots({ failPrefix: 'cs', settleMs: 700 });
const { browser, context, page, shot } = shots;
// ONLY=library,intel runs just those screens; the `empty` screens run only when named.
const only = process.env.ONLY?.split(',');
const step = (name: string, fn: () => Promise<void>) => ((only ? !only.includes(name) : name === 'empty') ? Promise.resolve() : shots.step(name, fn));
await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });

async function signIn(p: Page, who: { email: string; password: string }) {
  await p.goto(`${BASE}/contacts`);
  await p.getByLabel('Email').or(p.getByRole('navigation', { name: 'Main' })).first().waitFor();
  if (!(await p.getByLabel('Email').count())) return;
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL('**/contacts');
}
async function api(p: Page, method: string, url: string, data?: unknown) {
  const res = await p.request.fetch(`${BASE}/api/v1${url}`, { method, data: data as object });
  if (!res.ok()) console.error(method, url, res.status(), (await res.text()).slice(0, 300));
  return res.ok() ? res.json().catch(() => null) : null;
}

await signIn(page, ADMIN);
await api(page, 'POST', '/users', SAM);

await step('library', async () => {
  // A contact who read consideration content: the top reader of the most read consideration item.
  const lib = await api(page, 'GET', '/library?stage=consideration&limit=50');
  const top = [...lib.items].sort((a: { readers: number }, b: { readers: number }) => b.readers - a.readers)[0];
  const detail = await api(page, 'GET', `/content/items/${top.id}`);
  const reader = detail.readers[0];
  await page.goto(`${BASE}/content/library`);
  await page.getByTestId('library-table').waitFor();
  await shot(page, 'cs-library');
  await page.getByTestId('contact-picker').fill(reader.email.split('@')[0]);
  await page.getByRole('listbox').getByRole('option').first().click();
  await page.getByTestId('contact-reading').waitFor();
  await page.getByLabel('Stage').selectOption('consideration');
  await page.waitForTimeout(600);
  await shot(page, 'cs-library-contact');
  await page.locator('[data-testid^="copy-link-"]:not([disabled])').first().click();
  await page.getByTestId('tracked-link').waitFor();
  await shot(page, 'cs-library-link', false);
  await page.getByRole('button', { name: 'Done' }).click();
});

await step('contact-send', async () => {
  // From a contact's page: "Send content" opens the library for that contact.
  const lib = await api(page, 'GET', '/library?stage=purchase&limit=50');
  const top = [...lib.items].sort((a: { readers: number }, b: { readers: number }) => b.readers - a.readers)[0];
  const reader = (await api(page, 'GET', `/content/items/${top.id}`)).readers[0];
  await page.goto(`${BASE}/contacts/${reader.contactId}`);
  await page.getByTestId('contact-content').scrollIntoViewIfNeeded();
  await shot(page, 'cs-contact-content');
  await page.getByRole('link', { name: 'Send content' }).click();
  await page.getByTestId('contact-reading').waitFor();
  await shot(page, 'cs-library-from-contact', false);
});

await step('account', async () => {
  const intel = await api(page, 'GET', '/intel?limit=50');
  const withAccount = intel.items.find((e: { account: { id: number } | null }) => e.account);
  await page.goto(`${BASE}/accounts/${withAccount.account.id}`);
  await page.getByTestId('account-intel').scrollIntoViewIfNeeded();
  await page.getByTestId('account-intel').locator('.intel-entry').first().waitFor();
  await page.getByTestId('account-intel').screenshot({ path: `${import.meta.dirname}/../screenshots/cs-account-intel.png` });
  console.log('shot cs-account-intel');
  await page.getByRole('link', { name: 'Post what you heard' }).click();
  await page.getByTestId('account-picker-chosen').waitFor();
  await shot(page, 'cs-intel-for-account', false);
});

// Run alone against a data dir without the demo (ONLY=empty): the empty states.
await step('empty', async () => {
  for (const [path, name] of [['/content/library', 'library'], ['/content/intel', 'intel'], ['/content/backlog', 'backlog'], ['/content/network', 'network']]) {
    await page.goto(`${BASE}${path}`);
    await page.getByTestId('empty-state').first().waitFor();
    await shot(page, `cs-empty-${name}`, false);
  }
});

await step('intel', async () => {
  await page.goto(`${BASE}/content/intel`);
  await page.getByTestId('intel-trend-chart').waitFor();
  await shot(page, 'cs-intel');
  await page.getByRole('group', { name: 'Group by' }).getByRole('button', { name: 'Competitors' }).click();
  await page.waitForTimeout(500);
  await shot(page, 'cs-intel-competitors', false);
  await page.getByRole('button', { name: 'Post intel' }).click();
  await page.getByRole('alert').first().waitFor();
  await shot(page, 'cs-intel-errors', false);
});

await step('backlog', async () => {
  await page.goto(`${BASE}/content/backlog`);
  await page.getByTestId('backlog-table').waitFor();
  await shot(page, 'cs-backlog');
  await page.getByTestId('cycle-button').click();
  await page.getByTestId('cycle-result').waitFor();
  await shot(page, 'cs-backlog-cycled', false);
});

await step('network', async () => {
  await page.goto(`${BASE}/content/network`);
  await page.getByTestId('sme-grid').waitFor();
  await shot(page, 'cs-network');
});

await step('sales-view', async () => {
  const sales = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await sales.newPage();
  await signIn(p, SAM);
  await p.goto(`${BASE}/content/intel`);
  await p.getByTestId('intel-form').waitFor();
  await p.getByLabel('What you heard').fill('Two CFOs asked whether we can show cost per customer, not just per team. Umbrella Cloud claims they can.');
  await p.getByLabel('Topics').fill('cloud costs, finops');
  await p.getByLabel('Competitors').fill('umbrella cloud');
  await p.getByRole('button', { name: 'Post intel' }).click();
  await p.getByText('Thanks — posted').waitFor();
  await shot(p, 'cs-intel-sales-posted', false);
  await p.goto(`${BASE}/content/library`);
  await p.getByTestId('library-table').waitFor();
  await shot(p, 'cs-library-sales', false);
  await sales.close();
});

await browser.close();
