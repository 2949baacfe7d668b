// A tracked library link in a real browser (issue 6): sales copy a link to a published item for a contact; the
// contact opens it, lands on the item's own page (only there) with ajs_aid, and the tracker's page view and
// read depth are the contact's — in the events, in content consumption and in the library's "already read".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startE2E, type E2E } from './harness.ts';
import { makeSource } from '../src/domains/tracking/test-helpers.ts';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function article(trackerUrl: string, writeKey: string): string {
  const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i} about zero-trust pricing.</p>`).join('\n');
  return `<!doctype html><html><head><title>Zero trust pricing guide</title></head><body>
<article data-revloop-content>${paragraphs}</article>
<script src="${trackerUrl}" data-write-key="${writeKey}"></script></body></html>`;
}

describe('tracked library link', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
  });

  async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
    const deadline = Date.now() + 25_000;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it("lands on the item's page and attributes the visit and reading to the contact", async () => {
    const { t } = e;
    const site = e.baseUrl;
    const s = await makeSource(t);
    const itemUrl = `${site}/insights/zero-trust-pricing`;
    const created = await t.api('POST', '/content/items', { title: 'Zero trust pricing guide', type: 'practical', stage: 'consideration', status: 'published', urls: [{ url: itemUrl, canonical: true }] });
    expect(created.statusCode, created.body).toBe(201);
    const itemId = created.json().id as number;
    const contactId = (await t.api('POST', '/contacts', { email: 'cfo@prospect.example', firstName: 'Casey' })).json().id as number;
    const link = await t.api('POST', '/library/links', { itemId, contactId }, await t.as('sales'));
    expect(link.statusCode, link.body).toBe(201);
    const token = (link.json().url as string).split('/l/')[1]!;

    const context = await e.browser.newContext({ userAgent: UA });
    context.setDefaultTimeout(15_000);
    const visited: string[] = [];
    await context.route(`${site}/insights/**`, (route) => {
      visited.push(route.request().url());
      return route.fulfill({ contentType: 'text/html', body: article(`${site}/t.js`, s.writeKey) });
    });
    const page = await context.newPage();
    // Whatever is appended to the link, it redirects to the item's URL only. (Playwright does not route the
    // request after a redirect, so the browser follows the Location itself to reach the intercepted page.)
    const click = await page.request.get(`${site}/l/${token}?next=https://evil.example/`, { maxRedirects: 0 });
    expect(click.status()).toBe(302);
    await page.goto(click.headers().location!);
    const landed = new URL(page.url());
    expect(`${landed.origin}${landed.pathname}`).toBe(itemUrl);
    expect([...landed.searchParams.keys()]).toEqual(['ajs_aid']);
    expect(visited).toHaveLength(1);
    const aid = landed.searchParams.get('ajs_aid')!;
    expect(await page.evaluate(() => (window as unknown as { revloop: { anonymousId(): string } }).revloop.anonymousId())).toBe(aid);

    const pageView = await until(async () => {
      const { rows } = await t.db.execute(sql`select contact_id, anonymous_id from events where source_id = ${s.id} and type = 'page'`);
      return rows[0] as { contact_id: number | string | null; anonymous_id: string } | undefined;
    }, 'the page view');
    expect({ ...pageView, contact_id: Number(pageView.contact_id) }).toEqual({ contact_id: contactId, anonymous_id: aid });

    for (let i = 1; i <= 4; i++) {
      await page.mouse.move(100 + i * 10, 200);
      await page.evaluate((f) => window.scrollTo(0, document.body.scrollHeight * f), i / 4);
      await page.waitForTimeout(500);
    }
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    await until(async () => {
      const { rows } = await t.db.execute(sql`select contact_id from events where source_id = ${s.id} and event = 'Content Read'`);
      return rows.length && Number((rows[0] as { contact_id: string }).contact_id) === contactId;
    }, 'the read depth of the contact');

    // The scoring pass attaches it to the item: sales see it as already read.
    const reading = await until(async () => {
      const r = (await t.api('GET', `/library/contacts/${contactId}`, undefined, await t.as('sales'))).json();
      return r.items.length && r.items[0].maxDepthPct > 0 ? r : null;
    }, 'the consumption of the contact');
    expect(reading.items[0]).toMatchObject({ item: { id: itemId }, views: 1 });
    expect(reading.links[0]).toMatchObject({ itemId, clicks: 1 });
    await context.close();
  });
});
