// Screenshots of Plan → Objectives (issue 8): the objective tree (full, one branch collapsed, an empty period),
// an objective's page (KPI trends, SMART checklist, objectives below), an individual objective with check-ins,
// the new-objective / add-KPI dialogs and the campaign form's objective picker — against a running revloop
// whose data dir has the demo loaded:
//   D=$(mktemp -d); echo 'correct horse battery staple' | npx node src/cli/main.ts users create --email ada@example.com --role admin --name 'Ada Admin' --data-dir $D
//   npx node src/cli/main.ts demo --contacts 3000 --data-dir $D; PORT=4587 DATA_DIR=$D npm start
//   BASE_URL=http://127.0.0.1:4587 npx node e2e/screenshots-objectives.ts
// PNGs go to screenshots/ (git-ignored), named objectives-*.png.
import { ADMIN, openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4587';
const { browser, page, shot, step } = await openShots({ failPrefix: 'objectives', settleMs: 900 });
const login = await page.request.post(`${BASE}/api/v1/auth/login`, { data: { email: ADMIN.email, password: ADMIN.password } });
if (!login.ok()) console.error('login', login.status(), await login.text());
await setupAndSignInAdmin(page, BASE, undefined, '/objectives');

async function api(url: string) {
  const res = await page.request.get(`${BASE}/api/v1${url}`);
  return res.json();
}
type Node = { id: number; title: string; level: string; children: Node[] };
const tree = (await api('/objectives')) as { roots: Node[] };
const flat: Node[] = [];
const walk = (n: Node) => (flat.push(n), n.children.forEach(walk));
tree.roots.forEach(walk);
const marketing = flat.find((n) => n.level === 'marketing')!;
const individual = flat.find((n) => n.level === 'individual' && n.title.includes('webinars'))!;

await step('tree', async () => {
  await page.goto(`${BASE}/objectives`);
  await page.getByTestId('objective-tree').waitFor();
  await shot(page, 'objectives-tree');
  await page.getByRole('button', { name: /^Collapse Demand generation/ }).click();
  await shot(page, 'objectives-tree-collapsed', false);
});

await step('empty-period', async () => {
  await page.goto(`${BASE}/objectives?period=${new Date().getUTCFullYear() + 1}-Q4`);
  await page.getByText('No objectives in this period').waitFor();
  await shot(page, 'objectives-empty-period', false);
});

await step('marketing', async () => {
  await page.goto(`${BASE}/objectives/${marketing.id}`);
  await page.locator('[data-testid^="kpi-trend-"][data-ready]').first().waitFor();
  await shot(page, 'objectives-detail-marketing');
});

await step('individual', async () => {
  await page.goto(`${BASE}/objectives/${individual.id}`);
  await page.locator('[data-testid^="kpi-trend-"][data-ready]').first().waitFor();
  await shot(page, 'objectives-detail-individual');
});

await step('new-objective', async () => {
  await page.goto(`${BASE}/objectives/${marketing.id}`);
  await page.getByRole('button', { name: 'Add objective below' }).click();
  await page.getByLabel('Title').fill('Lift webinar attendance to 40 %');
  await shot(page, 'objectives-new-dialog', false);
  await page.keyboard.press('Escape');
});

await step('add-kpi', async () => {
  await page.goto(`${BASE}/objectives/${marketing.id}`);
  await page.getByRole('button', { name: 'Add KPI' }).click();
  await page.getByLabel('Metric', { exact: true }).selectOption('leads.new');
  await page.getByRole('button', { name: 'Use last period’s value as the baseline' }).click();
  await page.getByText(/Value from \d{4}-/).waitFor();
  await page.getByLabel('Target').fill('900');
  await shot(page, 'objectives-kpi-dialog', false);
  await page.keyboard.press('Escape');
});

await step('campaign-picker', async () => {
  await page.goto(`${BASE}/campaigns`);
  await page.getByRole('button', { name: 'New campaign' }).first().click();
  await page.getByLabel('Name').fill('Q4 CFO roundtable');
  await page.getByLabel('Objective').selectOption({ label: `\u2003\u2003\u2003Individual: ${individual.title}` });
  await page.waitForTimeout(500);
  await shot(page, 'objectives-campaign-picker', false);
});

await browser.close();
