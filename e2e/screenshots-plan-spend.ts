// Screenshots of the plan's spend screens (Costs with the import report, Tools & job map, Random acts, Planning,
// Fitness test) against a running revloop on a fresh data dir, for visual review.
// Usage: BASE_URL=http://127.0.0.1:4587 SETUP_URL=<printed setup link> npx node e2e/screenshots-plan-spend.ts
// PNGs go to screenshots/ (git-ignored), named plan-*.png.
import { openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4587';
const { browser, page, shot, step } = await openShots({ failPrefix: 'plan' });
await setupAndSignInAdmin(page, BASE, process.env.SETUP_URL, '/plan/costs');

async function api(method: string, url: string, data?: unknown, headers?: Record<string, string>) {
  const res = await page.request.fetch(`${BASE}${url}`, { method, data: data as object, headers });
  if (!res.ok()) console.error(method, url, res.status(), (await res.text()).slice(0, 300));
  return res.ok() ? res.json().catch(() => null) : null;
}

await step('empty', async () => {
  await page.goto(`${BASE}/plan/costs`);
  await page.getByText('No cost lines in these months').waitFor();
  await shot(page, 'plan-costs-empty', false);
  await page.goto(`${BASE}/plan/fitness`);
  await page.getByTestId('fitness-summary').waitFor();
  await shot(page, 'plan-fitness-empty');
});

// Data: objectives, campaigns this quarter (two without objective), tools on the job map, a year of costs.
const now = new Date();
const y = now.getUTCFullYear();
const day = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const me = await api('GET', '/api/v1/auth/me');
const uid = me?.user?.id ?? me?.id;
const company = (await api('POST', '/api/v1/objectives', { level: 'company', title: 'Grow qualified pipeline 30%', ownerId: uid, periodStart: `${y}-01-01`, periodEnd: `${y}-12-31` }))?.objective;
const mkt = (await api('POST', '/api/v1/objectives', { level: 'marketing', parentId: company?.id, title: 'Create 400 sales-ready leads', ownerId: uid, periodStart: `${y}-01-01`, periodEnd: `${y}-12-31` }))?.objective;
const brand = (await api('POST', '/api/v1/objectives', { level: 'team', parentId: mkt?.id, title: 'Own the month-end close conversation', periodStart: `${y}-01-01`, periodEnd: `${y}-12-31` }))?.objective;
const camps = [
  { name: 'Close webinar series', utmCampaign: 'close-webinars', channel: 'webinar', s: -50, e: -5, budget: 18000, obj: mkt?.id },
  { name: 'CFO guide paid social', utmCampaign: 'cfo-guide', channel: 'paid_social', s: -30, e: 40, budget: 24000, obj: mkt?.id },
  { name: 'Search: reconciliation', utmCampaign: 'search-recon', channel: 'paid_search', s: -80, e: 60, budget: 36000, obj: mkt?.id },
  { name: 'Close Talks podcast', utmCampaign: 'close-talks', channel: 'content', s: -10, e: 50, budget: 8000, obj: brand?.id },
  { name: 'Holiday swag mailer', utmCampaign: 'swag-mailer', channel: 'direct_mail', s: -20, e: 5, budget: 9000, obj: null },
  { name: 'Podcast sponsorship trial', utmCampaign: 'podcast-trial', channel: 'partner', s: 5, e: 70, budget: 12000, obj: null },
];
for (const c of camps) {
  const row = await api('POST', '/api/v1/campaigns', { name: c.name, utmCampaign: c.utmCampaign, channel: c.channel, status: 'active', startDate: iso(new Date(now.getTime() + c.s * day)), endDate: iso(new Date(now.getTime() + c.e * day)), budget: c.budget });
  if (row && c.obj) await api('PATCH', `/api/v1/campaigns/${row.id}`, { objectiveId: c.obj });
}
const tools = [
  { name: 'revloop', vendor: 'revloop', annualCost: 0, steps: ['execute', 'monitor', 'conclude'], objectiveId: mkt?.id },
  { name: 'Salesforce Sales Cloud', vendor: 'Salesforce', annualCost: 42000, steps: ['confirm', 'conclude'], objectiveId: company?.id },
  { name: 'ZoomInfo', vendor: 'ZoomInfo', annualCost: 18000, steps: ['locate'], objectiveId: mkt?.id },
  { name: 'Canva Teams', vendor: 'Canva', annualCost: 1200, steps: ['prepare'], objectiveId: brand?.id },
  { name: 'Mailchimp', vendor: 'Intuit', annualCost: 4800, steps: ['execute'] },
  { name: 'Hotjar', vendor: 'Contentsquare', annualCost: 3600, steps: ['monitor'] },
  { name: 'Gong', vendor: 'Gong', annualCost: 24000, steps: [] },
];
for (const t of tools) await api('POST', '/api/v1/tools', t);
const rows = ['month,category,planned,actual,campaign,tool,note'];
for (let m = 0; m < 12; m++) {
  const mm = `${y}-${String(m + 1).padStart(2, '0')}`;
  const past = m < now.getUTCMonth();
  rows.push(`${mm},media,${9000 + m * 300},${past ? 8600 + m * 410 : ''},search-recon,,`);
  if (m % 2 === 0) rows.push(`${mm},events,${5000},${past ? 5400 : ''},close-webinars,,`);
  rows.push(`${mm},tools,3500,${past ? 3500 : ''},,Salesforce Sales Cloud,licences`);
  rows.push(`${mm},tools,400,${past ? 400 : ''},,Mailchimp,`);
  if (m % 3 === 1) rows.push(`${mm},other,1800,${past ? 2100 : ''},swag-mailer,,`);
  if (m % 4 === 2) rows.push(`${mm},people,6000,${past ? 6000 : ''},,,freelance designer`);
}
const imp = await page.request.post(`${BASE}/api/v1/costs/import`, { headers: { 'content-type': 'text/csv' }, data: rows.join('\n') });
console.log('import', imp.status(), (await imp.text()).slice(0, 200));

await step('costs', async () => {
  await page.goto(`${BASE}/plan/costs`);
  await page.locator('[data-testid="costs-chart"][data-ready]').waitFor();
  await shot(page, 'plan-costs');
});

await step('costs-import-rejected', async () => {
  await page.goto(`${BASE}/plan/costs`);
  await page.getByTestId('costs-table').waitFor();
  const bad = 'month,category,planned,actual,campaign,tool\n2026-13,media,100,,,\n2026-02,tv,100,,,\n2026-02,media,abc,,,\n2026-02,media,10,,no-such-campaign,\n';
  await page.getByTestId('cost-import-file').setInputFiles({ name: 'costs.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByTestId('cost-import-rejected').waitFor();
  await shot(page, 'plan-costs-import-rejected', false);
});

await step('tools', async () => {
  await page.goto(`${BASE}/plan/tools`);
  await page.getByTestId('job-map').waitFor();
  await shot(page, 'plan-tools-job-map');
});

await step('random-acts', async () => {
  await page.goto(`${BASE}/plan/random-acts`);
  await page.getByTestId('random-acts-table').waitFor();
  await shot(page, 'plan-random-acts');
});

await step('planning', async () => {
  await page.goto(`${BASE}/plan/planning`);
  await page.locator('[data-testid="planning-timeline"][data-ready]').waitFor();
  await shot(page, 'plan-planning');
});

await step('fitness', async () => {
  await api('POST', '/api/v1/plan/fitness/snapshots', {});
  await page.goto(`${BASE}/plan/fitness`);
  await page.getByTestId('fitness-history').waitFor();
  await shot(page, 'plan-fitness');
});

await browser.close();
