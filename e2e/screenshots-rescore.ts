// Screenshots of the rescore panel (Settings → Scoring): before, right after the click, and completed with
// its progress. Against a running revloop on a fresh data dir.
// Usage: BASE_URL=http://127.0.0.1:4532 SETUP_URL=<printed setup link> npx node e2e/screenshots-rescore.ts
// PNGs go to screenshots/ (git-ignored).
import path from 'node:path';
import { OUT, openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4532';
const SETUP_URL = process.env.SETUP_URL;

const { browser, page } = await openShots({ failPrefix: 'rescore' });
const panel = page.getByTestId('rescore-panel');
const shot = async (name: string) => {
  await page.waitForTimeout(300);
  await panel.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log('shot', name);
};

try {
  await setupAndSignInAdmin(page, BASE, SETUP_URL);
  // A few contacts so the run has something to count.
  for (let i = 0; i < 25; i++) {
    await page.request.fetch(`${BASE}/api/v1/contacts`, { method: 'POST', data: { email: `rescore-${i}-${Date.now()}@northwind.example`, title: i % 2 ? 'VP Sales' : 'Analyst' }, headers: { origin: BASE } });
  }
  await page.goto(`${BASE}/settings/scoring`);
  await panel.waitFor();
  await shot('rescore-01-before');
  await page.getByTestId('rescore-start').click();
  await shot('rescore-02-started');
  await page.getByText('completed').waitFor({ timeout: 30_000 });
  await shot('rescore-03-completed');
} finally {
  await browser.close();
}
