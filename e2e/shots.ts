// Shared by the screenshot scripts (e2e/screenshots-*.ts): a browser page of the review size, `shot` to save a
// PNG under screenshots/ (git-ignored), `step` to keep going past a failed screen (saving what it showed),
// and the first-run setup + admin sign-in against a fresh revloop.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';

export const OUT = path.resolve(import.meta.dirname, '..', 'screenshots');
export const VIEWPORT = { width: 1440, height: 900 };
export const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery staple' };

export interface Shots {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Waits `settleMs` for the screen to settle, then saves `<name>.png`. */
  shot(p: Page, name: string, full?: boolean): Promise<void>;
  /** Runs one screen; a failure is logged and saved as `failed-<failPrefix>-<name>.png`, and the script goes on. */
  step(name: string, fn: () => Promise<void>): Promise<void>;
}

export async function openShots(opts: { failPrefix: string; settleMs?: number }): Promise<Shots> {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  const settle = opts.settleMs ?? 500;
  return {
    browser,
    context,
    page,
    async shot(p, name, full = true) {
      await p.waitForTimeout(settle);
      await p.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: full });
      console.log('shot', name);
    },
    async step(name, fn) {
      try {
        await fn();
      } catch (e) {
        console.error(`FAILED ${name} at ${page.url()}:`, (e as Error).message.split('\n')[0]);
        await page.screenshot({ path: path.join(OUT, `failed-${opts.failPrefix}-${name}.png`) }).catch(() => {});
      }
    },
  };
}

/** Creates the first admin with the setup link (if given), opens `landing` and signs in there if asked to. */
export async function setupAndSignInAdmin(page: Page, base: string, setupUrl: string | undefined, landing = '/contacts'): Promise<void> {
  if (setupUrl) {
    const token = new URL(setupUrl).searchParams.get('token');
    const res = await page.request.post(`${base}/api/v1/setup`, { data: { token, ...ADMIN } });
    if (!res.ok()) console.error('setup', res.status(), await res.text());
  }
  await page.goto(`${base}${landing}`);
  await page.waitForLoadState('networkidle');
  if (page.url().includes('/login')) {
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**${landing}`);
  }
}
