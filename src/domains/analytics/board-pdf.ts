// The board report as PDF: the same chart options as the web page (src/contracts/analytics-charts.ts), rendered to
// SVG by ECharts on the server and printed by headless Chromium (playwright-core), one page per quarter.
import { chromium } from 'playwright-core';
import type { BoardReport } from '../../contracts/analytics.ts';
import { boardHtml } from './board-html.ts';

export const CHROMIUM = process.env.REVLOOP_CHROMIUM ?? '/usr/bin/chromium';

export async function boardPdf(report: BoardReport): Promise<Buffer> {
  const html = await boardHtml(report);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', landscape: true, printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
}
