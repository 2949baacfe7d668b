import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { objectives } from './schema-objectives.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const uid = () => randomUUID().slice(0, 8);
async function campaign(objectiveId?: number) {
  const res = await t.api('POST', '/campaigns', { name: `Camp ${uid()}`, utmCampaign: `c-${uid()}`, startDate: '2026-04-01', endDate: '2026-05-31', budget: 10000 });
  expect(res.statusCode).toBe(201);
  const id = res.json().id as number;
  if (objectiveId) await t.db.execute(`update campaigns set objective_id = ${objectiveId} where id = ${id}` as never);
  return res.json() as { id: number; name: string; utmCampaign: string };
}
async function objective(title = `Obj ${uid()}`) {
  const [o] = await t.db.insert(objectives).values({ level: 'company', title }).returning();
  return o!;
}
async function importCsv(csv: string, headers?: Record<string, string>) {
  return t.inject({ method: 'POST', url: '/api/v1/costs/import', payload: csv, headers: { ...(headers ?? (await t.as('admin'))), 'content-type': 'text/csv' } });
}

describe('createCostLine', () => {
  it('stores a line on the first of its month, with the objective through its campaign, and audits it', async () => {
    const o = await objective('Grow pipeline');
    const c = await campaign(o.id);
    const res = await t.api('POST', '/costs', { campaignId: c.id, month: '2026-04-17', category: 'media', planned: 4000, actual: 4200.5 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ month: '2026-04-01', category: 'media', planned: 4000, actual: 4200.5, campaign: { id: c.id }, objective: { id: o.id, title: 'Grow pipeline' } });
    expect((await t.auditOf('cost_line', res.json().id)).map((a) => a.action)).toEqual(['cost_line.created']);
  });

  it('rejects a second line for the same campaign, month and category (409) and writes nothing', async () => {
    const c = await campaign();
    expect((await t.api('POST', '/costs', { campaignId: c.id, month: '2026-05', category: 'events', planned: 1 })).statusCode).toBe(201);
    const before = await t.count('cost_lines');
    const res = await t.api('POST', '/costs', { campaignId: c.id, month: '2026-05', category: 'events', planned: 2 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].field).toBe('month');
    expect(await t.count('cost_lines')).toBe(before);
  });

  it('rejects bad input with the field named', async () => {
    const c = await campaign();
    const before = await t.count('cost_lines');
    const cases: [unknown, string][] = [
      [{ month: '2026-13', category: 'media' }, 'month'],
      [{ month: '2026-04', category: 'tv' }, 'category'],
      [{ month: '2026-04', category: 'media', planned: -5 }, 'planned'],
      [{ month: '2026-04', category: 'media', planned: '12' }, 'planned'],
      [{ month: '2026-04', category: 'media', campaignId: 999999 }, 'campaignId'],
      [{ month: '2026-04', category: 'media', toolId: 999999 }, 'toolId'],
      [{ month: '2026-04', category: 'media', campaignId: c.id, toolId: 1 }, 'toolId'],
      [{ month: '2026-04', category: 'media', extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('POST', '/costs', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      if (field) expect(JSON.stringify(res.json().error), JSON.stringify(body)).toContain(field);
    }
    const bad = await t.inject({ method: 'POST', url: '/api/v1/costs', payload: '{"month":', headers: { ...(await t.as('admin')), 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(await t.count('cost_lines')).toBe(before);
  });

  it('lets marketing manage and viewers only read; sales and anonymous callers get 403 / 401', async () => {
    const body = { month: '2026-02', category: 'other', planned: 10 };
    expect((await t.api('POST', '/costs', body, await t.as('viewer'))).statusCode).toBe(403);
    expect((await t.api('GET', '/costs', undefined, await t.as('viewer'))).statusCode).toBe(200);
    expect((await t.api('GET', '/costs', undefined, await t.as('sales'))).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/api/v1/costs' })).statusCode).toBe(401);
    expect((await t.api('POST', '/costs', body, await t.as('marketing'))).statusCode).toBe(201);
  });
});

describe('costLines', () => {
  it('filters by month range and category and totals by category and month', async () => {
    const c = await campaign();
    await t.api('POST', '/costs', { campaignId: c.id, month: '2030-01', category: 'media', planned: 100, actual: 90 });
    await t.api('POST', '/costs', { campaignId: c.id, month: '2030-02', category: 'content', planned: 50 });
    await t.api('POST', '/costs', { campaignId: c.id, month: '2030-04', category: 'media', planned: 70 });
    const res = await t.api('GET', `/costs?from=2030-01&to=2030-03&campaignId=${c.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(2);
    expect(body.totals).toEqual({ planned: 150, actual: 90 });
    expect(body.byMonth).toEqual([{ month: '2030-01-01', planned: 100, actual: 90 }, { month: '2030-02-01', planned: 50, actual: 0 }]);
    expect((await t.api('GET', `/costs?from=2030-01&to=2030-12&campaignId=${c.id}&category=media`)).json().totals).toEqual({ planned: 170, actual: 90 });
    expect((await t.api('GET', '/costs?from=2030-05&to=2030-01')).statusCode).toBe(400);
  });

  it('changes and deletes a line (404 for an unknown one)', async () => {
    const res = await t.api('POST', '/costs', { month: '2031-03', category: 'people', planned: 5 });
    const id = res.json().id;
    const patched = await t.api('PATCH', `/costs/${id}`, { actual: 7, note: 'contractor' });
    expect(patched.json()).toMatchObject({ actual: 7, note: 'contractor', planned: 5 });
    expect((await t.api('DELETE', `/costs/${id}`)).statusCode).toBe(204);
    expect((await t.api('GET', `/costs/${id}`)).statusCode).toBe(404);
    expect((await t.api('PATCH', `/costs/${id}`, { actual: 1 })).statusCode).toBe(404);
  });
});

describe('importCostsCsv', () => {
  it('imports every row (campaign by code or name, tool by name, unlinked lines) and updates on re-import', async () => {
    const c = await campaign();
    const tool = (await t.api('POST', '/tools', { name: `Tool ${uid()}`, annualCost: 1200 })).json();
    const csv = `Month,Category,Planned,Actual,Campaign,Tool,Note\n2032-01,media,"1,000",950,${c.utmCampaign},,\n2032-01,tools,100,100,,${tool.name},licence\n2032-02,Events,300,,${c.name},,\n2032-02,other,20,,,,coffee\n`;
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: true, processed: 4, inserted: 4, updated: 0, rejected: [] });
    const again = await importCsv(csv.replace('950', '990'));
    expect(again.json()).toMatchObject({ imported: true, inserted: 0, updated: 4 });
    const list = (await t.api('GET', `/costs?from=2032-01&to=2032-02`)).json();
    expect(list.totals).toEqual({ planned: 1420, actual: 1090 });
  });

  it('rejects the whole file and lists every bad row with its line, column and reason', async () => {
    const c = await campaign();
    const before = await t.count('cost_lines');
    const csv = [
      'month,category,planned,actual,campaign,tool',
      `2033-01,media,100,,${c.utmCampaign},`,
      '2033-13,media,100,,,',
      '2033-01,tv,100,,,',
      '2033-01,media,abc,,,',
      '2033-01,media,10,,no-such-campaign,',
      '2033-01,media,10,,,No Such Tool',
      `2033-01,media,10,,${c.utmCampaign},`,
      '2033-01,content,-4,,,',
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.imported).toBe(false);
    expect(body.inserted).toBe(0);
    expect(body.rejected.map((r: { line: number; field: string }) => [r.line, r.field])).toEqual([
      [3, 'month'],
      [4, 'category'],
      [5, 'planned'],
      [6, 'campaign'],
      [7, 'tool'],
      [8, 'month'],
      [9, 'planned'],
    ]);
    expect(body.rejected[5].reason).toContain('line 2');
    expect(await t.count('cost_lines')).toBe(before);
  });

  it('rejects a file with no usable header or no rows (400 naming file)', async () => {
    for (const csv of ['', 'foo,bar\n1,2\n', 'month,category,planned\n']) {
      const res = await importCsv(csv);
      expect(res.statusCode, csv).toBe(400);
      expect(JSON.stringify(res.json().error)).toContain('file');
    }
    expect((await importCsv('month,category,planned\n2033-01,media,1\n', await t.as('viewer'))).statusCode).toBe(403);
  });
});

describe('exportCostsCsv', () => {
  it('exports formula-safe cells', async () => {
    await t.api('POST', '/costs', { month: '2034-01', category: 'other', planned: 1, note: '=HYPERLINK("http://evil")' });
    const res = await t.inject({ method: 'GET', url: '/api/v1/costs/export?from=2034-01&to=2034-01', headers: await t.as('viewer') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.split('\n')[0]).toBe('month,category,planned,actual,currency,campaign,tool,note,objective,id');
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});

describe('spend metrics', () => {
  it('registers spend.actual and spend.linked_share in the metric catalog', async () => {
    await import('./metrics-spend.ts');
    const { getMetric } = await import('./metrics/registry.ts');
    const o = await objective();
    const c = await campaign(o.id);
    await t.api('POST', '/costs', { campaignId: c.id, month: '2035-03', category: 'media', planned: 100, actual: 80 });
    await t.api('POST', '/costs', { month: '2035-03', category: 'other', planned: 20, actual: 20 });
    const ctx = { db: t.db };
    expect(await getMetric('spend.actual')!.compute({ ctx, from: '2035-03-10', to: '2035-03-20', filters: {} })).toBe(100);
    expect(await getMetric('spend.actual')!.compute({ ctx, from: '2035-01-01', to: '2035-12-31', filters: { campaignId: c.id } })).toBe(80);
    expect(await getMetric('spend.linked_share')!.compute({ ctx, from: '2035-03-01', to: '2035-03-31', filters: {} })).toBe(80);
    expect(await getMetric('spend.linked_share')!.compute({ ctx, from: '2036-01-01', to: '2036-01-31', filters: {} })).toBeNull();
  });
});
