// The browser tracker in a real browser: a marketing page loads /t.js; its page view, read
// depth and an opt-in form's identify arrive and stitch to the contact. Consent mode sends nothing until
// consent is given.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startE2E, type E2E } from './harness.ts';
import { makeSource } from '../src/domains/tracking/test-helpers.ts';

type Row = { type: string; event: string | null; contact_id: number | null; anonymous_id: string | null; properties: Record<string, unknown> | null; utm_campaign: string | null; page_path: string | null; is_bot: boolean };

function article(trackerUrl: string, writeKey: string, extra = ''): string {
  const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i} of a long article about closed-loop marketing.</p>`).join('\n');
  return `<!doctype html><html><head><title>Closing the loop</title></head><body>
<article data-revloop-content>${paragraphs}</article>
<form data-revloop-form="newsletter" onsubmit="event.preventDefault()">
  <input type="email" name="email"><input type="password" name="password"><button type="submit">Subscribe</button>
</form>
<script src="${trackerUrl}" data-write-key="${writeKey}" ${extra}></script>
</body></html>`;
}

describe('browser tracker', () => {
  let e: E2E;
  // The "marketing site" pages are served by the browser test itself (route interception) on revloop's
  // origin: Chromium's Local Network Access checks refuse a cross-origin page to load from a loopback
  // server in a headless run. Cross-origin use (CORS) is covered in src/domains/tracking/ingest.test.ts.
  let site: string;
  beforeAll(async () => {
    e = await startE2E();
    site = e.baseUrl;
  });
  afterAll(async () => {
    await e?.close();
  });

  // Headless Chromium says "HeadlessChrome" in its User-Agent, which isbot rightly calls a bot: the visitor
  // here uses a regular desktop Chrome User-Agent.
  const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
  async function visitor() {
    const context = await e.browser.newContext({ baseURL: e.baseUrl, userAgent: UA });
    context.setDefaultTimeout(15_000);
    return { context, page: await context.newPage() };
  }

  const rowsOf = async (sourceId: number) =>
    (await e.t.db.execute(sql`select type, event, contact_id, anonymous_id, properties, utm_campaign, page_path, is_bot from events where source_id = ${sourceId} order by id`)).rows as Row[];
  async function until(sourceId: number, ok: (rows: Row[]) => boolean, what: string): Promise<Row[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await rowsOf(sourceId);
      if (ok(rows)) return rows;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; have ${JSON.stringify(rows.map((r) => r.event ?? r.type))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('is small: /t.js is at most 5 KB gzipped', async () => {
    const res = await fetch(`${e.baseUrl}/t.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(gzipSync(await res.text()).length).toBeLessThanOrEqual(5 * 1024);
  });

  it('sends the page view, read depth and a form identify that stitch to the contact', async () => {
    const s = await makeSource(e.t);
    const { context, page } = await visitor();
    await context.route(`${site}/blog/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: article(`${e.baseUrl}/t.js`, s.writeKey) }),
    );
    await page.goto(`${site}/blog/closing-the-loop?utm_campaign=spring&utm_source=newsletter`);
    const [pv] = await until(s.id, (r) => r.some((x) => x.type === 'page'), 'the page view');
    expect(pv).toMatchObject({ utm_campaign: 'spring', page_path: '/blog/closing-the-loop', contact_id: null });

    // Read: scroll through the article while active for a few seconds.
    for (let i = 1; i <= 4; i++) {
      await page.mouse.move(100 + i * 10, 200);
      await page.evaluate((f) => window.scrollTo(0, document.body.scrollHeight * f), i / 4);
      await page.waitForTimeout(700);
    }
    await page.fill('input[name=email]', 'Reader@Example.com');
    await page.fill('input[name=password]', 'never-sent-secret');
    await page.click('button[type=submit]');
    await until(s.id, (r) => r.some((x) => x.type === 'identify'), 'the identify');
    // Leaving the page (pagehide) hands the read depth to sendBeacon. Dispatched rather than navigating
    // away: Playwright's User-Agent override no longer applies to a document being unloaded, so the
    // beacon would carry "HeadlessChrome" and (rightly) be stored as a bot.
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    const rows = await until(s.id, (r) => r.some((x) => x.event === 'Content Read'), 'the read depth');

    const [contact] = (await e.t.db.execute(sql`select id from contacts where email = 'reader@example.com'`)).rows as { id: number }[];
    expect(contact).toBeTruthy();
    const read = rows.find((x) => x.event === 'Content Read')!;
    expect(Number(read.properties!.maxScrollPercent)).toBeGreaterThanOrEqual(90);
    expect(Number(read.properties!.activeSeconds)).toBeGreaterThanOrEqual(1);
    const form = rows.find((x) => x.event === 'Form Submitted')!;
    expect(form.properties).toMatchObject({ form: 'newsletter', fields: { email: 'Reader@Example.com' } });
    expect(JSON.stringify(rows)).not.toContain('never-sent-secret');
    // Every event of the visitor — including the page view sent before the identify — is the contact's.
    expect(new Set(rows.map((r) => Number(r.contact_id)))).toEqual(new Set([Number(contact!.id)]));
    expect(new Set(rows.map((r) => r.anonymous_id)).size).toBe(1);
    expect(rows.every((r) => !r.is_bot)).toBe(true);
    await context.close();
  });

  it('sends nothing before consent when consent is required, then sends', async () => {
    const s = await makeSource(e.t);
    const { context, page } = await visitor();
    await context.route(`${site}/blog/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: article(`${e.baseUrl}/t.js`, s.writeKey, 'data-require-consent="true"') }),
    );
    await page.goto(`${site}/blog/consent`);
    await page.waitForTimeout(1500);
    expect(await rowsOf(s.id)).toEqual([]);
    await page.evaluate(() => {
      const rl = (window as unknown as { revloop: { consent(v: boolean): void; page(): void } }).revloop;
      rl.consent(true);
      rl.page();
    });
    await until(s.id, (r) => r.some((x) => x.type === 'page'), 'the page view after consent');
    await context.close();
  });

  it('queues events while offline and sends them once back online, each once', async () => {
    const s = await makeSource(e.t);
    const { context, page } = await visitor();
    await context.route(`${site}/blog/**`, (route) => route.fulfill({ contentType: 'text/html', body: article(`${e.baseUrl}/t.js`, s.writeKey, 'data-auto-page="false"') }));
    await page.goto(`${site}/blog/offline`);
    await context.setOffline(true);
    await page.evaluate(() => {
      const rl = (window as unknown as { revloop: { track(e: string, p: object): void } }).revloop;
      for (let i = 0; i < 3; i++) rl.track('Offline Click', { i });
    });
    await page.waitForTimeout(1000);
    expect(await rowsOf(s.id)).toEqual([]);
    await context.setOffline(false);
    const rows = await until(s.id, (r) => r.filter((x) => x.event === 'Offline Click').length >= 3, 'the queued events');
    await page.waitForTimeout(500);
    expect((await rowsOf(s.id)).filter((x) => x.event === 'Offline Click')).toHaveLength(3);
    expect(rows.map((r) => r.properties!.i).sort()).toEqual([0, 1, 2]);
    await context.close();
  });
});
