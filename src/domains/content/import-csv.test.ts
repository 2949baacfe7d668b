import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const u = () => randomUUID().slice(0, 8);
async function importCsv(csv: string, role: 'admin' | 'marketing' | 'sales' = 'marketing') {
  return t.inject({ method: 'POST', url: '/api/v1/content/import', headers: { ...(await t.as(role)), 'content-type': 'text/csv' }, payload: csv });
}

describe('importContentCsv', () => {
  it('imports an inventory (labels, lists, owner, SMEs created) and updates by external_id on a second run', async () => {
    const owner = await t.makeUser('marketing');
    const host = `${u()}.example.com`;
    const ext = `cms-${u()}`;
    const csv = [
      'Title,URL,Type,Format,Buying stage,Status,Topics,Segments,Products,Owner email,Publish date,External ID,SMEs',
      `The future of revenue,https://${host}/future,aspirational,White paper,Epiphany,published,AI;Revenue,enterprise,core,${owner.email},2026-01-10,${ext},Ada Lovelace|Grace Hopper`,
      `Pricing checklist,https://${host}/checklist;https://${host}/amp/checklist,practical,case study,Consideration/shortlist,,pricing,,,,,,`,
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: true, created: 2, updated: 0, rows: 2, rejected: [] });
    const list = (await t.api('GET', `/content/items?q=${ext}`)).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ title: 'The future of revenue', format: 'paper', stage: 'epiphany', status: 'published', topics: ['ai', 'revenue'], owner: { id: owner.id }, publishDate: '2026-01-10' });
    expect(list[0].smes.map((s: any) => s.name).sort()).toEqual(['Ada Lovelace', 'Grace Hopper']);
    const again = await importCsv(`title,type,stage,external_id,url\nThe future of revenue (2nd ed.),aspirational,awareness,${ext},https://${host}/future`);
    expect(again.json()).toMatchObject({ imported: true, created: 0, updated: 1 });
    expect((await t.api('GET', `/content/items/${list[0].id}`)).json()).toMatchObject({ title: 'The future of revenue (2nd ed.)', stage: 'awareness' });
  });

  it('writes nothing when any row is bad, and lists every rejected row with its line and reason', async () => {
    const before = await t.count('content_items');
    const host = `${u()}.example.com`;
    const csv = [
      'title,url,type,stage,format,owner_email,publish_date',
      `Good,https://${host}/good,practical,interest,,,`,
      `,https://${host}/a,practical,interest,,,`,
      `Bad stage,https://${host}/b,practical,shortlisted,,,`,
      `Bad owner,https://${host}/c,practical,interest,,nobody@nowhere.test,`,
      `Dup url,https://${host}/good/,practical,interest,,,`,
      `Bad date,https://${host}/d,practical,interest,,,31/12/2026`,
      `Bad url,notaurl,practical,interest,,,`,
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.imported).toBe(false);
    expect(body.rejected.map((r: any) => [r.row, r.field])).toEqual([
      [3, 'title'],
      [4, 'stage'],
      [5, 'owner_email'],
      [6, 'url'],
      [7, 'publish_date'],
      [8, 'url'],
    ]);
    expect(body.rejected[1].reason).toContain('must be one of epiphany');
    expect(await t.count('content_items')).toBe(before);
  });

  it('rejects a file without the needed columns, an empty file, and sales users', async () => {
    expect((await importCsv('name,foo\nx,y')).json().error.message).toContain('type, stage');
    expect((await importCsv('')).statusCode).toBe(400);
    expect((await importCsv('title,type,stage\nx,practical,interest', 'sales')).statusCode).toBe(403);
  });
});

const putSettings = async (payload: unknown) => t.inject({ method: 'PUT', url: '/api/v1/content/settings', headers: await t.as('admin'), payload: payload as object });

describe('content settings', () => {
  it('keeps configured query parameters and re-normalises existing rules', async () => {
    const host = `${u()}.example.com`;
    const a = (await t.api('POST', '/content/items', { title: 'Doc', type: 'practical', stage: 'purchase', urls: [{ url: `https://${host}/docs?id=7&utm_source=x` }] })).json();
    expect(a.urls[0].normalized).toBe(`${host}/docs`);
    const res = await putSettings({ keptQueryParams: ['ID'] });
    expect(res.json()).toEqual({ keptQueryParams: ['id'] });
    expect((await t.api('GET', `/content/items/${a.id}`)).json().urls[0].normalized).toBe(`${host}/docs?id=7`);
    expect((await t.api('GET', `/content/match?url=${encodeURIComponent(`http://www.${host}/docs/?utm_medium=y&id=7`)}`)).json()).toEqual({ normalized: `${host}/docs?id=7`, itemId: a.id });
    expect((await t.api('GET', `/content/match?url=${encodeURIComponent(`https://${host}/docs?id=8`)}`)).json().itemId).toBeNull();
    expect((await putSettings({ keptQueryParams: ['bad name!'] })).statusCode).toBe(400);
    await putSettings({ keptQueryParams: [] });
  });
});
