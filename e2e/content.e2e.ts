// The content engine end to end (issue 6): a marketer creates an item in the UI, moves it through the workflow and
// on the calendar (drag to another day) to published; a visitor reads its page through the tracker (a URL with a
// trailing slash and a UTM query, normalised to the item's URL) and identifies with a form; the item page shows the
// view, the reader and the read depth; the contact page shows the item under "Content read" and the page view under
// Events; the coverage map (C2) counts the item live in its stage × type cell with its reader and views.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { SETUP_TOKEN, startE2E, type E2E } from './harness.ts';
import { makeSource } from '../src/domains/tracking/test-helpers.ts';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

function article(trackerUrl: string, writeKey: string): string {
  const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i}: how CFOs judge the return of a revenue platform.</p>`).join('\n');
  return `<!doctype html><html><head><title>ROI guide for CFOs</title></head><body>
<article data-revloop-content>${paragraphs}</article>
<form data-revloop-form="newsletter" onsubmit="event.preventDefault()"><input type="email" name="email"><button type="submit">Subscribe</button></form>
<script src="${trackerUrl}" data-write-key="${writeKey}"></script></body></html>`;
}

describe('content engine', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
  });

  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  it('creates an item, moves it through workflow and calendar to published, tracks a reader, and shows it on the item, contact and coverage pages', async () => {
    const { t } = e;
    const setup = await t.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: SETUP_TOKEN, email: 'admin@example.test', name: 'Ada Admin', password: 'a very long password' } });
    expect(setup.statusCode).toBe(201);
    const source = await makeSource(t);
    const { page } = await e.newPage();
    let step = 'sign in';
    try {
      await page.goto('/login');
      await page.getByLabel('Email').fill('admin@example.test');
      await page.getByLabel('Password').fill('a very long password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();

      step = 'create the item';
      await page.goto('/content');
      await page.getByTestId('empty-state').waitFor();
      await page.getByRole('button', { name: 'New item' }).click();
      const dlg = page.getByRole('dialog');
      await dlg.getByLabel('Title').fill('ROI guide for CFOs');
      await dlg.getByLabel('Buying stage').selectOption('consideration');
      await dlg.getByLabel('Type').selectOption('practical');
      await dlg.getByLabel('Format').selectOption('paper');
      await dlg.getByLabel('Topics').fill('roi, finance');
      await dlg.getByLabel('Publish date').fill(day(3));
      await dlg.getByLabel('URLs').fill(`${e.baseUrl}/guides/roi-for-cfos`);
      await dlg.getByRole('button', { name: 'Create item' }).click();
      await page.getByTestId('content-title').waitFor();
      const itemId = Number(new URL(page.url()).pathname.split('/').pop());
      expect(itemId).toBeGreaterThan(0);

      step = 'workflow to review';
      for (const to of ['research', 'sme_interview', 'draft', 'review']) {
        await page.getByTestId(`move-${to}`).click();
        await page.locator('.workflow-steps li.current', { hasText: { research: 'Research', sme_interview: 'SME interview', draft: 'Draft', review: 'Review' }[to]! }).waitFor();
      }

      step = 'drag on the calendar';
      await page.goto(`/content/calendar?date=${day(3)}`);
      const entry = page.getByTestId(`entry-${itemId}-publish`);
      await entry.waitFor();
      await expect(page.getByTestId(`day-${day(3)}`).getByTestId(`entry-${itemId}-publish`).count()).resolves.toBe(1);
      await entry.dragTo(page.getByTestId(`day-${day(4)}`));
      await page.getByTestId(`day-${day(4)}`).getByTestId(`entry-${itemId}-publish`).waitFor();
      expect((await t.api('GET', `/content/items/${itemId}`)).json().publishDate).toBe(day(4));

      step = 'schedule and publish';
      await page.getByTestId(`entry-${itemId}-publish`).getByRole('link').click();
      await page.getByTestId('move-scheduled').click();
      await page.getByTestId('move-published').click();
      await page.locator('.workflow-steps li.current', { hasText: 'Published' }).waitFor();
      const published = (await t.api('GET', `/content/items/${itemId}`)).json();
      expect(published).toMatchObject({ status: 'published', publishDate: day(0) });
      expect(published.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['published', 'scheduled', 'review', 'draft', 'sme_interview', 'research', 'idea']);

      step = 'a reader through the tracker';
      const visitor = await e.browser.newContext({ baseURL: e.baseUrl, userAgent: UA });
      visitor.setDefaultTimeout(15_000);
      await visitor.route(`${e.baseUrl}/guides/**`, (route) => route.fulfill({ contentType: 'text/html', body: article(`${e.baseUrl}/t.js`, source.writeKey) }));
      const vp: Page = await visitor.newPage();
      await vp.goto(`${e.baseUrl}/guides/roi-for-cfos/?utm_source=newsletter&utm_campaign=q4`);
      for (let i = 1; i <= 4; i++) {
        await vp.mouse.move(100 + i * 10, 200);
        await vp.evaluate((f) => window.scrollTo(0, document.body.scrollHeight * f), i / 4);
        await vp.waitForTimeout(600);
      }
      await vp.fill('input[name=email]', 'cfo@globex.example');
      await vp.click('button[type=submit]');
      // The identify is stored (the visitor is the contact) before the page is left and the read depth sent.
      const contactId = await until('the contact', async () => Number(((await t.db.execute(sql`select id from contacts where email = 'cfo@globex.example'`)).rows[0] as { id: number } | undefined)?.id ?? 0));
      await vp.evaluate(() => window.dispatchEvent(new Event('pagehide')));
      await until('the read depth attached to the item', async () => {
        const r = (await t.db.execute(sql`select views, max_depth_pct from content_consumption where item_id = ${itemId} and contact_id = ${contactId}`)).rows[0] as { views: number; max_depth_pct: number } | undefined;
        return r && r.views >= 1 && r.max_depth_pct >= 90;
      });
      await visitor.close();

      step = 'item page';
      await page.goto(`/content/${itemId}`);
      await page.getByTestId('content-readers').getByText('cfo@globex.example').waitFor();
      expect(Number(await page.getByTestId('stat-readers').textContent())).toBe(1);
      expect(Number(await page.getByTestId('stat-views').textContent())).toBeGreaterThanOrEqual(1);
      expect(Number((await page.getByTestId('stat-depth').textContent())!.replace('%', ''))).toBeGreaterThanOrEqual(90);
      // Content stage is the input of the buying stage: the reader is now at consideration.
      await until('the buying stage', async () => ((await t.db.execute(sql`select stage from contact_buying_stages where contact_id = ${contactId}`)).rows[0] as { stage: string } | undefined)?.stage === 'consideration');

      step = 'contact page';
      await page.goto(`/contacts/${contactId}`);
      await page.getByTestId('contact-content').getByRole('link', { name: 'ROI guide for CFOs' }).waitFor();
      await page.getByRole('tab', { name: 'Events' }).click();
      await page.getByTestId('contact-events').getByText('/guides/roi-for-cfos').first().waitFor();

      step = 'coverage map';
      // The coverage figures are a rollup (every 5 minutes or on demand); views come from the minute job's daily counter.
      await until(
        'the coverage cell with the item, its reader and its views',
        async () => {
          await t.api('POST', '/content/insights/refresh');
          const cov = (await t.api('GET', '/content/coverage')).json();
          const cell = cov.cells.find((c: { stage: string; type: string }) => c.stage === 'consideration' && c.type === 'practical');
          return cell && cell.live === 1 && cell.readers === 1 && cell.views >= 1;
        },
        90_000,
      );
      await page.goto('/content/coverage');
      const row = page.getByTestId('coverage-table').locator('tr', { hasText: 'Consideration / shortlist' }).filter({ hasText: 'Practical' });
      await row.getByRole('link', { name: 'ROI guide for CFOs' }).waitFor();
      await expect(row.textContent()).resolves.toContain('1 live');
      await page.getByTestId('coverage-heatmap').waitFor();
    } catch (err) {
      // What the database holds, to tell a tracking, scoring or matching problem apart.
      const dump = async (q: ReturnType<typeof sql>) => JSON.stringify((await t.db.execute(q)).rows).slice(0, 1500);
      console.error('events', await dump(sql`select id, type, event, contact_id, page_url, page_path, is_bot from events order by id desc limit 10`));
      console.error('inbox', await dump(sql`select * from scoring_inbox`));
      console.error('seen', await dump(sql`select * from score_seen order by event_id desc limit 10`));
      console.error('consumption', await dump(sql`select * from content_consumption`));
      console.error('urls', await dump(sql`select item_id, normalized, kind from content_urls`));
      const shot = await e.screenshot(page, `content-${step}`);
      throw new Error(`${step}: ${(err as Error).message} (screenshot ${shot})`);
    }
  });
});
