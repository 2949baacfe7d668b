// Screenshots of the content insights (issue 6): coverage map (heat map by views, by influenced pipeline, with a
// segment filter), the content audit (all, flagged, thresholds form) and the reader rating widget on a
// customer's article page — against a running revloop whose data dir has the demo loaded:
//   D=$(mktemp -d); echo 'correct horse battery staple' | npx node src/cli/main.ts users create --email ada@example.com --role admin --name 'Ada Admin' --data-dir $D
//   npx node src/cli/main.ts demo --contacts 3000 --data-dir $D; PORT=4571 DATA_DIR=$D npm start
//   BASE_URL=http://127.0.0.1:4571 npx node e2e/screenshots-content-insights.ts
// PNGs go to screenshots/ (git-ignored), named ci-*.png.
import { openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4571';
const { browser, context, page, shot, step } = await openShots({ failPrefix: 'ci', settleMs: 900 });

async function api(method: string, url: string, data?: unknown) {
  const res = await page.request.fetch(`${BASE}/api/v1${url}`, { method, data: data as object });
  if (!res.ok()) console.error(method, url, res.status(), (await res.text()).slice(0, 300));
  return res.ok() ? res.json().catch(() => null) : null;
}

await setupAndSignInAdmin(page, BASE, undefined, '/content/coverage');
// Influence needs leads that read and then moved on: readers of a few popular items get deals (→ opportunity).
const popular = (await api('GET', '/content/items?status=published&limit=40'))?.items ?? [];
let n = 0;
for (const item of popular.slice(0, 12)) {
  const detail = await api('GET', `/content/items/${item.id}`);
  const readers = (detail?.readers ?? []).slice(0, 2);
  if (!readers.length) continue;
  await api('POST', '/deals', { name: `Deal ${++n}: ${item.title.slice(0, 40)}`, amount: 12000 + ((n * 7919) % 9) * 6000, contacts: readers.map((r: { contactId: number }) => ({ id: r.contactId })) });
}
const refreshed = await api('POST', '/content/insights/refresh');
console.log('refresh', refreshed);

await step('coverage', async () => {
  await page.goto(`${BASE}/content/coverage`);
  await page.getByTestId('coverage-heatmap').and(page.locator('[data-ready="true"]')).waitFor();
  await shot(page, 'ci-coverage');
  await page.getByRole('tab', { name: 'Influenced pipeline' }).click();
  await shot(page, 'ci-coverage-pipeline', false);
});

await step('coverage-segment', async () => {
  const cov = await api('GET', '/content/coverage');
  const seg = cov?.facets.segments.at(-1);
  await page.goto(`${BASE}/content/coverage?segment=${encodeURIComponent(seg ?? '')}`);
  await page.getByTestId('coverage-heatmap').and(page.locator('[data-ready="true"]')).waitFor();
  await shot(page, 'ci-coverage-segment', false);
});

await step('audit', async () => {
  await page.goto(`${BASE}/content/audit`);
  await page.getByTestId('audit-table').waitFor();
  await shot(page, 'ci-audit');
  await page.getByRole('tab', { name: 'Flagged' }).click();
  await page.waitForURL('**flag=flagged');
  await shot(page, 'ci-audit-flagged', false);
  await page.getByRole('button', { name: 'Thresholds' }).click();
  await shot(page, 'ci-audit-thresholds', false);
});

await step('item', async () => {
  // The item with the most influenced pipeline: its ratings and influence cards.
  const audit = await api('GET', '/content/audit');
  const best = [...(audit?.rows ?? [])].sort((a: { influencedPipeline: number }, b: { influencedPipeline: number }) => b.influencedPipeline - a.influencedPipeline)[0];
  await page.goto(`${BASE}/content/${best.id}`);
  await page.getByTestId('item-influence').waitFor();
  await page.getByTestId('item-ratings').scrollIntoViewIfNeeded();
  await shot(page, 'ci-item-insights', false);
});

await step('rating-widget', async () => {
  const src = await api('POST', '/sources', { name: 'Blog (rating widget)' });
  const items = await api('GET', '/content/items?status=published&limit=1');
  const item = items?.items[0];
  const site = `${BASE}/blog`; // the article is served on revloop's origin (Chromium blocks a public page from loading a loopback script)
  const p = await context.newPage();
  await p.route(`${site}/**`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><title>${item.title}</title><style>body{font:16px/1.6 Georgia,serif;max-width:680px;margin:40px auto;color:#222}
        .rl-rating{border-top:1px solid #ddd;margin-top:32px;padding-top:16px;font-family:system-ui,sans-serif}</style></head><body>
        <article data-revloop-content><h1>${item.title}</h1><p>${'Operations teams are changing how they work. '.repeat(12)}</p></article>
        <div data-revloop-rating data-item-id="${item.id}"></div>
        <script async src="${BASE}/rate.js" data-write-key="${src.writeKey}"></script></body></html>`,
    }),
  );
  await p.goto(`${site}/articles/${item.id}`);
  await p.getByRole('radio', { name: '4 of 5' }).click();
  await p.getByRole('textbox').fill('Good overview — a worked example with real numbers would help.');
  await shot(p, 'ci-widget-filled', false);
  await p.getByRole('button', { name: 'Send' }).click();
  await p.getByText('Thank you for your feedback!').waitFor();
  await shot(p, 'ci-widget-thanks', false);
  const ratings = await api('GET', `/content/items/${item.id}/ratings`);
  console.log('ratings of the item now', ratings?.summary);
});

await browser.close();
