// E2E harness: a listening revloop (real HTTP server, background jobs running, known setup token) on a fresh
// test database, and a headless Debian chromium. One browser per test file; a new context (cookies, downloads) per test.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../test/app.ts';

import { CHROMIUM, launchChromium } from './chromium.ts';

export { CHROMIUM };
export const SETUP_TOKEN = 'e2e-setup-token';
export const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');

export interface E2E {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookies) and page; closed by close(). */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  /** Saves a full-page screenshot to e2e/artifacts/<name>.png (for failures). */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  const t = await createTestApp({ jobs: true, setupToken: SETUP_TOKEN });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('server is not listening');
  const baseUrl = `http://127.0.0.1:${addr.port}`;
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    await t.close();
    throw new Error(`Cannot launch chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH): ${(err as Error).message}`);
  }
  const contexts: BrowserContext[] = [];
  return {
    t,
    baseUrl,
    browser,
    async newPage() {
      const context = await browser.newContext({ baseURL: baseUrl, acceptDownloads: true, viewport: { width: 1366, height: 900 } });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      return { context, page: await context.newPage() };
    },
    async screenshot(page, name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      return file;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await t.close();
    },
  };
}
