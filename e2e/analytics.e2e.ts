// Board report in the browser: an admin opens Analytics → Board report for the demo company, sees one page per
// quarter with its charts, exports the PDF, and the PDF's pages contain the charts (rendered to PNG with pdfjs:
// the chart regions are not blank, and the chart titles are in the page text).
import { readFileSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../src/context.ts';
import { noJobs } from '../src/jobs.ts';
import { loadDemo } from '../src/demo/index.ts';
import { ARTIFACTS, SETUP_TOKEN, startE2E, type E2E } from './harness.ts';

/** Share of non-white pixels in a rectangle of an RGBA image. */
function inked(data: Uint8ClampedArray, width: number, x0: number, y0: number, x1: number, y1: number): number {
  let ink = 0;
  let all = 0;
  for (let y = Math.floor(y0); y < y1; y += 2) {
    for (let x = Math.floor(x0); x < x1; x += 2) {
      const i = (y * width + x) * 4;
      all++;
      if (data[i]! < 235 || data[i + 1]! < 235 || data[i + 2]! < 235) ink++;
    }
  }
  return ink / Math.max(all, 1);
}

describe('board report', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
  });

  it('shows the demo company per quarter and exports a PDF whose pages contain the charts', { timeout: 300_000 }, async () => {
    const { t } = e;
    const admin = { token: SETUP_TOKEN, email: 'admin@example.test', name: 'Ada Admin', password: 'a very long password' };
    expect((await t.inject({ method: 'POST', url: '/api/v1/setup', payload: admin })).statusCode).toBe(201);
    await loadDemo({ ctx: { db: t.db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: t.config.dataDir }, input: { contacts: 800, seed: 'board' } });
    const now = new Date();
    const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;

    const { page } = await e.newPage();
    try {
      await page.goto('/login');
      await page.getByLabel('Email').fill(admin.email);
      await page.getByLabel('Password').fill(admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.getByRole('link', { name: 'Board report' }).waitFor({ state: 'attached' });
      await page.goto('/analytics/board');
      await page.getByTestId(`board-${quarter}`).waitFor({ timeout: 120_000 });
      // Four quarters, each with its charts drawn.
      expect(await page.locator('section.board-page').count()).toBe(4);
      await page.locator('section.board-page [data-ready="true"] svg').first().waitFor();
      expect(await page.locator('section.board-page [data-ready="true"]').count()).toBe(16);

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('board-pdf').click()]);
      const file = await download.path();
      const pdf = readFileSync(file);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false }).promise;
      expect(doc.numPages).toBe(4);
      mkdirSync(ARTIFACTS, { recursive: true });
      for (let n = 1; n <= doc.numPages; n++) {
        const p = await doc.getPage(n);
        const text = (await p.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
        for (const title of ['Board report', 'CPOD trend', 'Funnel health', 'Top campaigns', 'Top content', 'Revenue won']) expect(text, `page ${n}`).toContain(title);
        const viewport = p.getViewport({ scale: 1 });
        const factory = (doc as unknown as { canvasFactory: { create(w: number, h: number): { canvas: { toBuffer(t: string): Buffer }; context: CanvasRenderingContext2D } } }).canvasFactory;
        const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
        await p.render({ canvasContext: context, viewport, canvas: canvas as never }).promise;
        writeFileSync(path.join(ARTIFACTS, `board-report-page-${n}.png`), canvas.toBuffer('image/png'));
        const img = context.getImageData(0, 0, Math.ceil(viewport.width), Math.ceil(viewport.height));
        const [w, h] = [img.width, img.height];
        // Below the title and figure tiles: a 2 × 2 grid of charts (CPOD trend, funnel; top campaigns, top content).
        // Each chart region carries ink (axes, labels, bars, lines): more in the top row, which always has data.
        const rows = [[0.17, 0.4, 0.01], [0.44, 0.66, 0.003]] as const;
        for (const [y0, y1, min] of rows) {
          for (const [x0, x1] of [[0.04, 0.48], [0.52, 0.96]] as const) {
            expect(inked(img.data, w, x0 * w, y0 * h, x1 * w, y1 * h), `page ${n} chart region ${x0},${y0}`).toBeGreaterThan(min);
          }
        }
      }
    } catch (err) {
      await e.screenshot(page, 'board-report-failure');
      throw err;
    }
  });
});
