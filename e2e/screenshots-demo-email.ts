// Screenshots of the demo company's email and nurture screens (health over the half year and the last 30 days,
// a program's health, the outbox and one message, templates and a template's preview, topics and consents,
// suppressions, the programs list and the running program's page) against a running revloop with the demo
// loaded, for visual review.
// Usage: D=$(mktemp -d)
//   echo 'correct horse battery staple' | npm run -s revloop -- users create --role admin --email ada@example.com --name 'Ada Admin' --data-dir $D
//   npm run -s revloop -- demo --data-dir $D
//   PORT=4583 DATA_DIR=$D npm start &
//   BASE_URL=http://127.0.0.1:4583 npx node e2e/screenshots-demo-email.ts
// PNGs go to screenshots/ (git-ignored), named demo-email-*.png.
import { ADMIN, openShots } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4583';
const { browser, page, shot, step } = await openShots({ failPrefix: 'demo-email', settleMs: 1200 });
await page.goto(`${BASE}/login`);
await page.getByLabel('Email').fill(ADMIN.email);
await page.getByLabel('Password').fill(ADMIN.password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((u) => !u.pathname.startsWith('/login'));

const get = async (url: string) => (await page.request.get(`${BASE}/api/v1${url}`)).json();
const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
const programs = (await get('/nurture/programs')).items as { id: number; name: string; status: string }[];
const running = programs.find((p) => p.status === 'active');
const templates = (await get('/email/templates')).items as { id: number; name: string }[];

await step('health-30d', async () => {
  await page.goto(`${BASE}/email/health`);
  await page.getByTestId('email-health-chart').waitFor();
  await shot(page, 'demo-email-01-health-30d');
});
await step('health-6m', async () => {
  await page.goto(`${BASE}/email/health?from=${day(183)}&to=${day(0)}`);
  await page.getByTestId('email-health-chart').waitFor();
  await shot(page, 'demo-email-02-health-6-months');
});
await step('health-program', async () => {
  await page.goto(`${BASE}/email/health?from=${day(183)}&to=${day(0)}&programId=${running?.id}`);
  await page.getByTestId('email-health-chart').waitFor();
  await shot(page, 'demo-email-03-health-program');
});
await step('outbox', async () => {
  await page.goto(`${BASE}/email/outbox`);
  await page.getByTestId('outbox-table').waitFor();
  await shot(page, 'demo-email-04-outbox', false);
  await page.getByTestId('outbox-table').getByRole('button').first().click();
  await page.getByTitle('Rendered message').waitFor();
  await page.waitForTimeout(800);
  await shot(page, 'demo-email-05-outbox-message', false);
});
await step('templates', async () => {
  await page.goto(`${BASE}/email/templates`);
  await page.getByTestId('email-templates').waitFor();
  await shot(page, 'demo-email-06-templates', false);
  const stageAware = templates.find((t) => t.name.includes('stage-aware')) ?? templates[0]!;
  await page.goto(`${BASE}/email/templates/${stageAware.id}`);
  await page.getByTitle('Email preview').waitFor();
  await page.waitForTimeout(1500);
  await shot(page, 'demo-email-07-template-preview', false);
});
await step('topics', async () => {
  await page.goto(`${BASE}/email/topics`);
  await page.getByTestId('consents-table').waitFor();
  await shot(page, 'demo-email-08-topics-consents');
});
await step('suppressions', async () => {
  await page.goto(`${BASE}/email/suppressions`);
  await page.getByTestId('suppressions-table').waitFor();
  await shot(page, 'demo-email-09-suppressions', false);
});
await step('programs', async () => {
  await page.goto(`${BASE}/nurture`);
  await page.getByTestId('programs-table').waitFor();
  await shot(page, 'demo-email-10-programs', false);
});
await step('program', async () => {
  await page.goto(`${BASE}/nurture/${running?.id}`);
  await page.getByTestId('flow-diagram').waitFor();
  await shot(page, 'demo-email-11-program');
});
await step('draft', async () => {
  const draft = programs.find((p) => p.status === 'draft');
  await page.goto(`${BASE}/nurture/${draft?.id}`);
  await page.getByTestId('flow-diagram').waitFor();
  await shot(page, 'demo-email-12-program-draft');
});
await browser.close();
