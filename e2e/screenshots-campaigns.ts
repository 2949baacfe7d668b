// Screenshots of the campaign screens (list with touch totals and UTM codes without a campaign, the campaign page
// with its touches, the new-campaign dialog) against a running revloop on a fresh data dir, for visual review.
// Usage: BASE_URL=http://127.0.0.1:4541 SETUP_URL=<printed setup link> npx node e2e/screenshots-campaigns.ts
// PNGs go to screenshots/ (git-ignored), named campaigns-*.png.
import { randomUUID } from 'node:crypto';
import { openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4541';
const { browser, page, shot, step } = await openShots({ failPrefix: 'campaigns' });
await setupAndSignInAdmin(page, BASE, process.env.SETUP_URL, '/campaigns');

async function api(method: string, url: string, data?: unknown) {
  const res = await page.request.fetch(`${BASE}${url}`, { method, data: data as object });
  if (!res.ok()) console.error(method, url, res.status(), (await res.text()).slice(0, 300));
  return res.ok() ? res.json().catch(() => null) : null;
}

await step('empty', async () => {
  await page.goto(`${BASE}/campaigns`);
  await page.getByText('No campaigns yet').waitFor();
  await shot(page, 'campaigns-empty', false);
});

// Data: a source, touches over the last three weeks through three UTM codes, some visitors identified.
const src = await api('POST', '/api/v1/sources', { name: 'Website' });
const auth = { authorization: `Basic ${Buffer.from(`${src.writeKey}:`).toString('base64')}` };
const day = 86_400_000;
const people = Array.from({ length: 40 }, (_, i) => ({ anonymousId: randomUUID(), email: i % 3 === 0 ? `person${i}@globex${i % 5}.com` : null }));
const utms = [
  { code: 'spring-launch', weight: 5, sources: [['linkedin', 'paid_social'], ['google', 'cpc'], ['newsletter', 'email']] },
  { code: 'Partner-Webinar-Q4', weight: 2, sources: [['partner', 'referral']] },
  { code: 'retargeting-eu', weight: 1, sources: [['meta', 'paid_social']] },
];
const batch: unknown[] = [];
let n = 0;
for (const u of utms) {
  for (let i = 0; i < u.weight * 30; i++) {
    const p = people[(n++ * 7) % people.length]!;
    const [source, medium] = u.sources[i % u.sources.length]!;
    const at = new Date(Date.now() - ((i * 37) % 21) * day - (i % 9) * 3_600_000);
    const path = ['/pricing', '/blog/closed-loop', '/demo', '/'][i % 4];
    batch.push({ type: 'page', anonymousId: p.anonymousId, timestamp: at.toISOString(), context: { page: { url: `https://acme.test${path}?utm_campaign=${u.code}&utm_source=${source}&utm_medium=${medium}`, path } } });
  }
}
for (const [i, p] of people.entries()) if (p.email) batch.push({ type: 'identify', anonymousId: p.anonymousId, userId: `user-${i}`, traits: { email: p.email, firstName: `Person`, lastName: `${i}` } });
const sent = await page.request.post(`${BASE}/v1/batch`, { headers: auth, data: { batch } });
console.log('batch', sent.status());

const spring = await api('POST', '/api/v1/campaigns', {
  name: 'Spring launch',
  utmCampaign: 'spring-launch',
  channel: 'paid_social',
  status: 'active',
  startDate: new Date(Date.now() - 25 * day).toISOString().slice(0, 10),
  endDate: new Date(Date.now() + 10 * day).toISOString().slice(0, 10),
  budget: 25000,
  description: 'Launch of the closed-loop platform to VP Marketing at 200–2,000 employee SaaS companies.',
});
await api('POST', '/api/v1/campaigns', { name: 'EU retargeting', utmCampaign: 'retargeting-eu', channel: 'display', status: 'paused', budget: 4000, currency: 'EUR' });
await api('POST', '/api/v1/campaigns', { name: 'Field event: SaaStr', utmCampaign: 'saastr-2027', channel: 'event', status: 'planned', startDate: '2027-03-10', endDate: '2027-03-12', budget: 18000 });

await step('list', async () => {
  await page.goto(`${BASE}/campaigns`);
  await page.getByTestId('campaigns-table').waitFor();
  await page.getByTestId('unmatched-utms').waitFor();
  await shot(page, 'campaigns-list');
});

await step('detail', async () => {
  await page.goto(`${BASE}/campaigns/${spring.id}`);
  await page.locator('[data-testid="campaign-touches-chart"][data-ready]').waitFor();
  await page.getByLabel('Landing page').fill('https://acme.test/offer?ref=x');
  await shot(page, 'campaigns-detail');
});

await step('new-from-utm', async () => {
  await page.goto(`${BASE}/campaigns`);
  await page.getByTestId('unmatched-utms').getByRole('button', { name: 'Create campaign' }).first().click();
  await page.getByLabel('Name').fill('Partner webinar Q4');
  await shot(page, 'campaigns-new-dialog', false);
  await page.getByRole('button', { name: 'Create campaign' }).last().click();
  await page.waitForURL('**/campaigns/*');
  await page.getByTestId('campaign-stats').waitFor();
  await shot(page, 'campaigns-created');
});

await browser.close();
