import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { csvCell, escapeFormula } from './csv-safe.ts';
import { CONTACT_EXPORT_COLUMNS, exportContactsCsv } from './export.ts';

let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.as('admin');
  await t.inject({ method: 'POST', url: '/api/v1/properties', headers: admin, payload: { objectType: 'contact', key: 'motto', label: 'Motto', type: 'text' } });
  await t.inject({ method: 'POST', url: '/api/v1/properties', headers: admin, payload: { objectType: 'contact', key: 'seats', label: 'Seats', type: 'number' } });
});
afterAll(() => t.close());

const csv = (body: string) => parse(body, { columns: true, skip_empty_lines: true, relax_column_count: false }) as Record<string, string>[];

describe('escapeFormula', () => {
  it('prefixes cells starting with = + - @ tab or CR, and leaves others alone', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1']) expect(escapeFormula(v)).toBe(`'${v}`);
    for (const v of ['', 'plain', 'a=b', ' =1', "'already"]) expect(escapeFormula(v)).toBe(v);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
  });
});

describe('GET /contacts/export', () => {
  it('streams the filtered contacts as an attachment with the fixed columns then one per property', async () => {
    const acc = (await t.inject({ method: 'POST', url: '/api/v1/accounts', headers: admin, payload: { name: 'Export Co', domain: 'exportco.com' } })).json();
    const owner = await t.makeUser('sales');
    const created = (
      await t.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: admin,
        payload: { email: 'ex1@exportco.com', firstName: 'Ex', lastName: 'One', title: 'CEO', phone: '555', lifecycleStage: 'customer', ownerId: owner.id, properties: { motto: 'hi', seats: -3 } },
      })
    ).json();
    const res = await t.inject({ method: 'GET', url: '/api/v1/contacts/export?q=ex1@exportco.com', headers: await t.as('marketing') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="contacts-${new Date().toISOString().slice(0, 10)}.csv"`);
    const header = res.body.split('\n')[0]!.trim().split(',');
    expect(header).toEqual([...CONTACT_EXPORT_COLUMNS, 'motto', 'seats']);
    expect(csv(res.body)).toEqual([
      {
        id: String(created.id),
        email: 'ex1@exportco.com',
        first_name: 'Ex',
        last_name: 'One',
        title: 'CEO',
        phone: '555',
        lifecycle_stage: 'customer',
        owner_email: owner.email,
        account_name: 'Export Co',
        account_domain: acc.domain,
        created_at: created.createdAt,
        updated_at: created.updatedAt,
        motto: 'hi',
        seats: '-3',
      },
    ]);
  });

  it('neutralises formula injection in every text cell', async () => {
    await t.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: admin,
      payload: { email: 'evil@formula.test', firstName: '=HYPERLINK("http://x","y")', lastName: '+cmd', title: '-2+3', phone: '@SUM(A1)', properties: { motto: '\t=1' } },
    });
    const res = await t.inject({ method: 'GET', url: '/api/v1/contacts/export?q=evil@formula.test', headers: admin });
    const [row] = csv(res.body);
    expect(row).toMatchObject({ first_name: `'=HYPERLINK("http://x","y")`, last_name: "'+cmd", title: "'-2+3", phone: "'@SUM(A1)", motto: "'\t=1" });
    await t.db.execute(sql`insert into contacts (email, first_name) values ('evil2@formula.test', E'\\r=1')`);
    const cr = csv((await t.inject({ method: 'GET', url: '/api/v1/contacts/export?q=evil2@formula.test', headers: admin })).body);
    expect(cr[0]!.first_name).toBe("'\r=1");
  });

  it('exports every matching row exactly once across internal pages', async () => {
    await t.db.execute(sql`insert into contacts (email, last_name, created_at) select 'many' || i || '@bulk.test', 'Same', '2026-03-01Z' from generate_series(1, 2345) i`);
    const res = await t.inject({ method: 'GET', url: '/api/v1/contacts/export?q=many&sort=lastName', headers: admin });
    const rows = csv(res.body);
    expect(rows).toHaveLength(2345);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2345);
  });

  it('rejects bad filters with a JSON 400 before sending any CSV, and needs contacts:export', async () => {
    for (const q of ['prop.nope=1', 'sort=phone', 'lifecycleStage=hot', 'colour=red']) {
      const res = await t.inject({ method: 'GET', url: `/api/v1/contacts/export?${q}`, headers: admin });
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/json/);
    }
    expect((await t.inject({ method: 'GET', url: '/api/v1/contacts/export', headers: await t.as('sales') })).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/api/v1/contacts/export', headers: await t.as('viewer') })).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/api/v1/contacts/export' })).statusCode).toBe(401);
  });
});

describe('exportContactsCsv', () => {
  it('streams to any Writable and reports the row count', async () => {
    let text = '';
    const out = new Writable({
      write(chunk, _enc, cb) {
        text += chunk;
        cb();
      },
    });
    const result = await exportContactsCsv({ ctx: await t.ctx('admin'), input: { q: 'ex1@exportco.com' }, out });
    expect(result.rows).toBe(1);
    expect(result.filename).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv(text)[0]!.email).toBe('ex1@exportco.com');
  });

  it('throws a validation error for bad filters without writing', async () => {
    let wrote = false;
    const out = new Writable({
      write(_c, _e, cb) {
        wrote = true;
        cb();
      },
    });
    await expect(exportContactsCsv({ ctx: await t.ctx('admin'), input: { 'prop.nope': 'x' }, out })).rejects.toMatchObject({ status: 400 });
    expect(wrote).toBe(false);
  });
});

describe('GET /accounts/export', () => {
  it('exports accounts with contact counts, formula-safe', async () => {
    await t.inject({ method: 'POST', url: '/api/v1/accounts', headers: admin, payload: { name: '=cmd|calc', domain: 'evilcorp.test', industry: '@risk' } });
    await t.inject({ method: 'POST', url: '/api/v1/contacts', headers: admin, payload: { email: 'a@evilcorp.test' } });
    const res = await t.inject({ method: 'GET', url: '/api/v1/accounts/export?q=evilcorp', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="accounts-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(csv(res.body)).toEqual([expect.objectContaining({ name: "'=cmd|calc", domain: 'evilcorp.test', industry: "'@risk", contact_count: '1' })]);
    expect((await t.inject({ method: 'GET', url: '/api/v1/accounts/export?sort=size', headers: admin })).statusCode).toBe(400);
  });
});
