// Screenshots of the rescore panel (Settings → Scoring): before, right after the click, and completed with
// its progress. Against a running revloop on a fresh data dir.
// Usage: BASE_URL=http://127.0.0.1:4532 SETUP_URL=<printed setup link> npx node e2e/screenshots-rescore.ts
// PNGs go to screenshots/ (git-ignored).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from './chromium.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4532';
const SETUP_URL = process.env.SETUP_URL;
const OUT = path.resolve(import.meta.dirname, '..', 'screenshots');
const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery staple' };
mkdirSync(OUT, { recursive: true });

const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
page.on('pageerror', (e) => console.error('pageerror:', e.message));
const panel = page.getByTestId('rescore-panel');
const shot = async (name: string) => {
  await page.waitForTimeout(300);
  await panel.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log('shot', name);
};

try {
  if (SETUP_URL) {
    const token = new URL(SETUP_URL).searchParams.get('token');
    const res = await page.request.post(`${BASE}/api/v1/setup`, { data: { token, ...ADMIN } });
    if (!res.ok()) console.error('setup', res.status(), await res.text());
  }
  await page.goto(`${BASE}/contacts`);
  await page.waitForLoadState('networkidle');
  if (page.url().includes('/login')) {
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/contacts');
  }
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
