// Screenshots of the lifecycle and deals screens (contact lifecycle card and move dialog, Settings → Lifecycle
// with definition approvals by a marketing and a sales user, Deals list / detail / CSV import, Deals sections,
// a new deal from a contact page) against a running revloop on a fresh data dir, for visual review.
// Usage: BASE_URL=http://127.0.0.1:4532 SETUP_URL=<printed setup link> npx node e2e/screenshots-deals.ts
// PNGs go to screenshots/ (git-ignored), named lc-*.png.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN, openShots } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4532';
const SETUP_URL = process.env.SETUP_URL;
const MIA = { name: 'Mia Marketing', email: 'mia@example.com', role: 'marketing', password: 'a very long password 1' };
const SAM = { name: 'Sam Sales', email: 'sam@example.com', role: 'sales', password: 'a very long password 2' };

const { browser, page, shot, step } = await openShots({ failPrefix: 'lc', settleMs: 400 });

async function signIn(p: Page, who: { email: string; password: string }) {
  await p.goto(`${BASE}/contacts`);
  await p.getByLabel('Email').or(p.getByRole('navigation', { name: 'Main' })).first().waitFor();
  if (!(await p.getByLabel('Email').count())) return;
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL('**/contacts');
}
async function api(method: string, url: string, data?: unknown) {
  const res = await page.request.fetch(`${BASE}/api/v1${url}`, { method, data: data as object });
  if (!res.ok()) console.error(method, url, res.status(), (await res.text()).slice(0, 300));
  return res.ok() ? res.json().catch(() => null) : null;
}

if (SETUP_URL) {
  const token = new URL(SETUP_URL).searchParams.get('token');
  const res = await page.request.post(`${BASE}/api/v1/setup`, { data: { token, ...ADMIN } });
  if (!res.ok()) console.error('setup', res.status(), await res.text());
}
await signIn(page, ADMIN);

// Data: two approvers, an account, contacts at several stages, a product property, handoff points.
await api('POST', '/users', MIA);
await api('POST', '/users', SAM);
await api('POST', '/properties', { objectType: 'contact', key: 'product_line', label: 'Product line', type: 'enum', options: ['Platform', 'Starter'] });
const acc = await api('POST', '/accounts', { name: 'Globex', domain: 'globex.com', industry: 'Software', employeeCount: 850, country: 'DE' });
const grace = await api('POST', '/contacts', { email: 'grace@globex.com', firstName: 'Grace', lastName: 'Hopper', title: 'VP Engineering', accountId: acc?.id, properties: { product_line: 'Platform' } });
const linus = await api('POST', '/contacts', { email: 'linus@globex.com', firstName: 'Linus', lastName: 'Torvalds', title: 'CTO', accountId: acc?.id, lifecycleStage: 'sales_accepted' });
await api('POST', '/contacts', { email: 'solo@indie.dev', firstName: 'Sol', lastName: 'Founder', title: 'Founder', properties: { product_line: 'Starter' } });
await api('PUT', '/lifecycle/settings', {
  handoffPoints: [
    { name: 'Starter (self-serve)', match: { field: 'properties.product_line', op: 'eq', value: 'Starter' }, mode: 'self_service' },
    { name: 'Platform', match: { field: 'properties.product_line', op: 'eq', value: 'Platform' }, mode: 'sales' },
  ],
});

await step('contact-lifecycle', async () => {
  await api('POST', `/contacts/${grace.id}/lifecycle`, { toStage: 'lead', reason: 'Downloaded the ABM guide and asked for more' });
  await page.goto(`${BASE}/contacts/${grace.id}`);
  await page.getByTestId('lifecycle-history').waitFor();
  await page.getByTestId('lifecycle-card').scrollIntoViewIfNeeded();
  await shot(page, 'lc-01-contact-lifecycle');
  await page.getByRole('button', { name: 'Move stage' }).click();
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await shot(page, 'lc-02-move-needs-reason', false);
  await page.getByLabel('New stage').selectOption('marketing_qualified');
  await page.getByLabel('Reason').fill('Met at the trade fair; evaluating a platform rollout this quarter');
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.getByText('Met at the trade fair').first().waitFor();
  await page.getByTestId('lifecycle-card').scrollIntoViewIfNeeded();
  await shot(page, 'lc-03-after-move');
});

await step('definitions', async () => {
  await api('POST', '/lifecycle/definitions', { rule: { minFitGrade: 'B', minEngagement: 40, buyingStages: ['consideration', 'purchase'], requiredProperties: ['title'] }, notes: 'First agreed definition' });
  await page.goto(`${BASE}/settings/lifecycle`);
  await page.getByTestId('definition-v1').waitFor();
  await shot(page, 'lc-04-settings-admin');
  await page.getByRole('button', { name: 'Propose a new version' }).click();
  await page.getByRole('dialog').getByLabel('Minimum engagement').fill('-3');
  await page.getByRole('button', { name: 'Propose version' }).click();
  await page.waitForTimeout(400);
  await shot(page, 'lc-05-propose-error', false);
  await page.getByRole('button', { name: 'Cancel' }).click();

  const ctxM = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const pm = await ctxM.newPage();
  await signIn(pm, MIA);
  await pm.goto(`${BASE}/settings/lifecycle`);
  await pm.getByRole('button', { name: 'Approve for marketing' }).click();
  await pm.getByTestId('side-marketing').getByText('Approved').waitFor();
  await shot(pm, 'lc-06-marketing-approved', false);
  await ctxM.close();

  const ctxS = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const ps = await ctxS.newPage();
  await signIn(ps, SAM);
  await ps.goto(`${BASE}/settings/lifecycle`);
  await ps.getByRole('button', { name: 'Approve for sales' }).click();
  await ps.getByTestId('definition-v1').getByText('active', { exact: true }).waitFor();
  await shot(ps, 'lc-07-both-approved-active');
  await ctxS.close();
});

await step('deals', async () => {
  await api('POST', '/deals', { externalId: 'SF-0001', name: 'Globex platform rollout', amount: 48000, currency: 'EUR', closeDate: '2026-12-15', accountId: acc?.id, contacts: [{ id: linus.id, role: 'champion' }] });
  await api('POST', '/deals', { externalId: 'SF-0002', name: 'Globex analytics add-on', amount: 9500, stage: 'job_to_be_done', accountId: acc?.id, contacts: [{ email: 'linus@globex.com' }] });
  await page.goto(`${BASE}/deals`);
  await page.getByTestId('deals-table').waitFor();
  await shot(page, 'lc-08-deals');
  const csv = [
    'external_id,name,amount,currency,stage,close_date,owner_email,account_domain,contact_emails,lost_reason',
    'SF-0003,Indie starter plan,290,USD,won,2026-11-20,,,solo@indie.dev,',
    'SF-0004,Bad amount,lots,USD,intent,,,,,',
    'SF-0005,Unknown contact,100,USD,intent,,,,nobody@nowhere.test,',
    'SF-0006,Odd stage,100,USD,negotiating,,,,,',
  ].join('\n');
  const file = path.join(os.tmpdir(), 'deals-import.csv');
  writeFileSync(file, csv);
  await page.getByTestId('deal-import-file').setInputFiles(file);
  await page.getByTestId('deal-import-summary').waitFor();
  await shot(page, 'lc-09-deal-import-result', false);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('link', { name: 'Globex platform rollout' }).click();
  await page.getByTestId('deal-contacts').waitFor();
  await shot(page, 'lc-10-deal-detail');
  await page.getByRole('button', { name: 'Mark won' }).click();
  await page.getByTestId('deal-properties').getByText('Won', { exact: true }).first().waitFor();
  await shot(page, 'lc-11-deal-won');
  await page.goto(`${BASE}/contacts/${linus.id}`);
  await page.getByTestId('deals-section').waitFor();
  await page.getByTestId('lifecycle-history').waitFor();
  await shot(page, 'lc-12-contact-customer-with-deals');
  await page.goto(`${BASE}/accounts/${acc.id}`);
  await page.getByTestId('deals-section').getByTestId('deals-table').waitFor();
  await shot(page, 'lc-13-account-deals');
});

await step('new-deal-from-contact', async () => {
  await page.goto(`${BASE}/contacts/${grace.id}`);
  await page.getByTestId('deals-section').getByRole('button', { name: 'New deal' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('Grace pilot');
  await page.getByRole('dialog').getByLabel('Amount').fill('12,500');
  await page.getByRole('dialog').getByLabel('Contacts (emails)').fill('grace@globex.com, ghost@nowhere.test');
  await page.getByRole('button', { name: 'Create deal' }).click();
  await page.getByText('no contact with email ghost@nowhere.test').waitFor();
  await shot(page, 'lc-15-new-deal-unknown-email', false);
  await page.getByRole('dialog').getByLabel('Contacts (emails)').fill('grace@globex.com');
  await page.getByRole('button', { name: 'Create deal' }).click();
  await page.getByTestId('deal-contacts').waitFor();
  await shot(page, 'lc-16-new-deal-created', false);
});

await step('routing', async () => {
  await page.goto(`${BASE}/settings/lifecycle`);
  await page.getByTestId('routing').waitFor();
  await page.getByRole('button', { name: 'Add territory' }).click();
  const routing = page.getByTestId('routing');
  await routing.getByLabel('Territory', { exact: true }).fill('DACH');
  await routing.getByLabel('Value').fill('DE, AT, CH');
  await routing.getByLabel('Sam Sales').check();
  await page.getByLabel('Route new leads').selectOption('territory');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Saved.').waitFor();
  await routing.scrollIntoViewIfNeeded();
  await shot(page, 'lc-17-routing-saved', false);
});

await step('viewer', async () => {
  await api('POST', '/users', { name: 'Val Viewer', email: 'val@example.com', role: 'viewer', password: 'a very long password 3' });
  const ctxV = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const pv = await ctxV.newPage();
  await signIn(pv, { email: 'val@example.com', password: 'a very long password 3' });
  await pv.goto(`${BASE}/contacts/${grace.id}`);
  await pv.getByTestId('lifecycle-history').waitFor();
  if (await pv.getByRole('button', { name: 'Move stage' }).count()) console.error('viewer sees Move stage');
  await pv.goto(`${BASE}/settings/lifecycle`);
  await pv.getByTestId('definition-v1').waitFor();
  if (await pv.getByRole('button', { name: /Approve|Propose/ }).count()) console.error('viewer sees approve/propose');
  await shot(pv, 'lc-14-viewer-settings', false);
  await ctxV.close();
});

await browser.close();
