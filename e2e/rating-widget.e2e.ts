// The reader rating widget in a real browser: an article page with the tracker (/t.js) and the widget
// (/rate.js) — the reader identifies through the newsletter form, rates the item 4 of 5 with a comment,
// and the rating is stored for the item found by the page URL and tied to the contact; it shows in the
// item's ratings and, after a refresh, in the audit. A second rating by the same reader replaces the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startE2E, type E2E } from './harness.ts';
import { makeSource } from '../src/domains/tracking/test-helpers.ts';
import { makeItem } from '../src/domains/content/insights-test-helpers.ts';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function article(base: string, writeKey: string): string {
  return `<!doctype html><html><head><title>Closing the loop</title></head><body>
<article data-revloop-content><h1>Closing the loop</h1><p>About closed-loop marketing.</p></article>
<form data-revloop-form="newsletter" onsubmit="event.preventDefault()"><input type="email" name="email"><button type="submit">Subscribe</button></form>
<div data-revloop-rating data-label="Was this article useful?"></div>
<script src="${base}/t.js" data-write-key="${writeKey}"></script>
<script async src="${base}/rate.js" data-write-key="${writeKey}"></script>
</body></html>`;
}

describe('rating widget', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
  });

  it('rates the page’s item 1–5 with a comment, tied to the identified reader; rating again replaces it', async () => {
    const s = await makeSource(e.t);
    const host = new URL(e.baseUrl).host;
    const itemId = await makeItem(e.t, { title: 'Closing the loop', url: `http://${host}/blog/closing-the-loop` });
    const context = await e.browser.newContext({ baseURL: e.baseUrl, userAgent: UA });
    context.setDefaultTimeout(15_000);
    // Served on revloop's origin (Chromium refuses a cross-origin page loading from a loopback server).
    await context.route(`${e.baseUrl}/blog/**`, (route) => route.fulfill({ contentType: 'text/html', body: article(e.baseUrl, s.writeKey) }));
    const page = await context.newPage();
    await page.goto('/blog/closing-the-loop/?utm_source=newsletter');
    await page.fill('input[name=email]', 'rater@example.com');
    await page.click('button[type=submit]');
    await expect.poll(async () => (await e.t.db.execute(sql`select count(*)::int as n from contacts where email = 'rater@example.com'`)).rows[0]!.n, { timeout: 15_000 }).toBe(1);

    // Sending without stars asks for them; nothing is stored.
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Choose 1 to 5 stars first.').waitFor();
    await page.getByRole('radio', { name: '4 of 5' }).click();
    expect(await page.getByRole('radio', { name: '4 of 5' }).getAttribute('aria-checked')).toBe('true');
    await page.getByRole('textbox', { name: '' }).last().fill('Useful, <b>more</b> examples please');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you for your feedback!').waitFor();

    const [contact] = (await e.t.db.execute(sql`select id from contacts where email = 'rater@example.com'`)).rows as { id: number }[];
    const rows = async () => (await e.t.db.execute(sql`select item_id, rating, comment, contact_id from content_ratings order by id`)).rows as { item_id: number; rating: number; comment: string; contact_id: number }[];
    expect(await rows()).toEqual([{ item_id: itemId, rating: 4, comment: 'Useful, <b>more</b> examples please', contact_id: Number(contact!.id) }]);

    // The same reader rates again from a fresh load: one rating, replaced.
    await page.reload();
    await page.getByRole('radio', { name: '2 of 5' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you for your feedback!').waitFor();
    expect((await rows()).map((r) => r.rating)).toEqual([2]);

    const list = (await e.t.api('GET', `/content/items/${itemId}/ratings`)).json();
    expect(list.items[0]).toMatchObject({ rating: 2, contact: { id: Number(contact!.id), email: 'rater@example.com' } });
    await e.t.api('POST', '/content/insights/refresh');
    const audit = (await e.t.api('GET', '/content/audit')).json();
    expect(audit.rows.find((r: { id: number }) => r.id === itemId)).toMatchObject({ avgRating: 2, ratings: 1 });
    // The comment is text, never markup.
    expect(await page.locator('.rl-rating b').count()).toBe(0);
    await context.close();
  });
});
