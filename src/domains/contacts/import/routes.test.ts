import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { contacts, imports } from '../schema.ts';
import { defineProperty, multipart, upload, uploadOk } from './test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true, config: { MAX_UPLOAD_MB: 1 } });
  await defineProperty(t, { key: 'score', label: 'Lead score', type: 'number' });
});
afterAll(() => t.close());

const uploadsDir = () => path.join(t.config.dataDir, 'uploads');
const uploadedFiles = () => {
  try {
    return readdirSync(uploadsDir());
  } catch {
    return [];
  }
};
const importCount = async () => (await t.db.select().from(imports)).length;

async function waitFor(id: number, headers: Record<string, string>) {
  for (let i = 0; i < 200; i++) {
    const res = await t.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers });
    const body = res.json();
    if (['completed', 'failed'].includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

describe('POST /imports (upload)', () => {
  it('answers a preview with the first 5 rows, a suggested mapping and the targets', async () => {
    const rows = Array.from({ length: 8 }, (_, i) => `p${i}@acme-prev.com,P${i},Engineer,Acme,acme-prev.com,${i}`);
    const body = await uploadOk(t, ['Email Address,First Name,Job Title,Company,Company Domain,lead score', ...rows].join('\n'));
    expect(body.import).toMatchObject({ status: 'uploaded', objectType: 'contacts', filename: 'people.csv', progress: 0 });
    expect(body.sampleRows).toHaveLength(5);
    expect(body.sampleRows[0]).toEqual({ 'Email Address': 'p0@acme-prev.com', 'First Name': 'P0', 'Job Title': 'Engineer', Company: 'Acme', 'Company Domain': 'acme-prev.com', 'lead score': '0' });
    expect(body.suggestedMapping).toEqual({
      'Email Address': 'email',
      'First Name': 'firstName',
      'Job Title': 'title',
      Company: 'accountName',
      'Company Domain': 'accountDomain',
      'lead score': 'property:score',
    });
    expect(body.targets).toContainEqual({ value: 'email', label: 'Email', required: true });
    expect(body.targets).toContainEqual({ value: 'property:score', label: 'Lead score (custom property)', required: false });
  });

  it.each([
    ['no file', multipart({ objectType: 'contacts' }), /file/],
    ['an empty file', multipart({ objectType: 'contacts' }, { name: 'e.csv', content: '' }), /empty/],
    ['a binary file', multipart({ objectType: 'contacts' }, { name: 'x.xlsx', content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]) }), /not a CSV/],
    ['a header without rows', multipart({ objectType: 'contacts' }, { name: 'h.csv', content: 'email,name\n' }), /no data rows/],
    ['duplicate header names', multipart({ objectType: 'contacts' }, { name: 'd.csv', content: 'email,Name,Name\na@b-dup.com,x,y\n' }), /"Name" twice/],
    ['no email-like column', multipart({ objectType: 'contacts' }, { name: 'n.csv', content: 'name,city\nAda,London\n' }), /email/],
    ['an unclosed quote', multipart({ objectType: 'contacts' }, { name: 'q.csv', content: 'email,name\n"a@b-quote.com,x\n' }), /not valid CSV/],
    ['an unknown objectType', multipart({ objectType: 'deals' }, { name: 'o.csv', content: 'email\na@b-obj.com\n' }), /objectType/],
  ])('rejects %s with a clear 400 and leaves no import or file behind', async (_name, body, message) => {
    const before = await importCount();
    const res = await t.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...(await t.as('marketing')), ...body.headers }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toMatch(message);
    expect(await importCount()).toBe(before);
    expect(uploadedFiles()).toEqual(expect.not.arrayContaining([expect.stringMatching(/x/)]));
    expect(uploadedFiles().length).toBe((await t.db.select().from(imports)).filter((i) => i.filePath.startsWith(uploadsDir())).length);
  });

  it('rejects a JSON body with a 400 naming the file field', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/imports', headers: await t.as('marketing'), payload: { objectType: 'contacts' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/multipart/);
  });

  it('rejects a file over MAX_UPLOAD_MB with 413 and removes the partial file', async () => {
    const before = uploadedFiles().length;
    const big = 'email\n' + 'someone@acme-big.com\n'.repeat(60_000);
    const res = await upload(t, big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'payload_too_large' });
    expect(res.json().error.message).toMatch(/MAX_UPLOAD_MB/);
    expect(uploadedFiles().length).toBe(before);
  });

  it('requires authentication (401) and the contacts:import permission (403)', async () => {
    const body = multipart({ objectType: 'contacts' }, { name: 'a.csv', content: 'email\na@acme-auth.com\n' });
    const anon = await t.inject({ method: 'POST', url: '/api/v1/imports', headers: body.headers, payload: body.payload });
    expect(anon.statusCode).toBe(401);
    for (const role of ['viewer', 'sales'] as const) {
      const res = await upload(t, 'email\na@acme-auth.com\n', { role });
      expect(res.statusCode).toBe(403);
    }
    expect((await t.inject({ method: 'GET', url: '/api/v1/imports', headers: await t.as('viewer') })).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/api/v1/imports' })).statusCode).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents every import route', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of ['/api/v1/imports', '/api/v1/imports/{id}', '/api/v1/imports/{id}/start', '/api/v1/imports/{id}/errors', '/api/v1/imports/{id}/errors.csv']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });
});

describe('GET /imports/:id/preview and POST /imports/:id/cancel', () => {
  it('shows the preview again, cancels an unstarted import once and removes its file', async () => {
    const headers = await t.as('marketing');
    const preview = await uploadOk(t, 'email,first name\nc1@acme-cancel.com,C\n');
    const id = preview.import.id;
    const again = await t.inject({ method: 'GET', url: `/api/v1/imports/${id}/preview`, headers });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ sampleRows: preview.sampleRows, suggestedMapping: preview.suggestedMapping });
    const [row] = await t.db.select().from(imports).where(eq(imports.id, id));
    const cancel = await t.inject({ method: 'POST', url: `/api/v1/imports/${id}/cancel`, headers, payload: {} });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().status).toBe('cancelled');
    expect(uploadedFiles()).not.toContain(path.basename(row!.filePath));
    expect((await t.inject({ method: 'POST', url: `/api/v1/imports/${id}/cancel`, headers, payload: {} })).statusCode).toBe(409);
    const start = await t.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers, payload: { mapping: preview.suggestedMapping } });
    expect(start.statusCode).toBe(409);
    expect(await t.db.select().from(contacts).where(eq(contacts.email, 'c1@acme-cancel.com'))).toEqual([]);
  });
});

describe('POST /imports/:id/start', () => {
  it('runs the import in the background and reports progress, counts and errors', async () => {
    const headers = await t.as('marketing');
    const csv = 'Email,First Name,Lead score\nbg1@acme-bg.com,One,1\n=HYPERLINK("http://evil"),Evil,2\nbg2@acme-bg.com,Two,lots\nbg3@acme-bg.com,Three,3\n';
    const preview = await uploadOk(t, csv, { name: 'background.csv' });
    const id = preview.import.id;
    const start = await t.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers, payload: { mapping: preview.suggestedMapping } });
    expect(start.statusCode, start.body).toBe(202);
    expect(start.json()).toMatchObject({ status: 'queued', mapping: preview.suggestedMapping });
    const done = await waitFor(id, headers);
    expect(done).toMatchObject({ status: 'completed', progress: 1, processedRows: 4, insertedRows: 2, updatedRows: 0, rejectedRows: 2 });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();

    const list = (await t.inject({ method: 'GET', url: '/api/v1/imports', headers })).json();
    expect(list.items[0].id).toBe(id);

    const errs = (await t.inject({ method: 'GET', url: `/api/v1/imports/${id}/errors?limit=1`, headers })).json();
    expect(errs.items).toEqual([{ line: 3, column: 'Email', reason: expect.stringMatching(/valid email/), row: { Email: '=HYPERLINK("http://evil")', 'First Name': 'Evil', 'Lead score': '2' } }]);
    expect(errs.nextCursor).not.toBeNull();
    const next = (await t.inject({ method: 'GET', url: `/api/v1/imports/${id}/errors?limit=1&cursor=${errs.nextCursor}`, headers })).json();
    expect(next.items.map((e: { line: number }) => e.line)).toEqual([4]);
    expect(next.nextCursor).toBeNull();

    const csvRes = await t.inject({ method: 'GET', url: `/api/v1/imports/${id}/errors.csv`, headers });
    expect(csvRes.statusCode).toBe(200);
    expect(csvRes.headers['content-type']).toMatch(/text\/csv/);
    expect(csvRes.headers['content-disposition']).toMatch(/background-errors\.csv/);
    const table = parse(csvRes.body, { bom: true }) as string[][];
    expect(table[0]).toEqual(['line', 'column', 'reason', 'Email', 'First Name', 'Lead score']);
    expect(table[1]![0]).toBe('3');
    expect(table[1]![3]).toBe(`'=HYPERLINK("http://evil")`);
    expect(table[2]!.slice(0, 2)).toEqual(['4', 'Lead score']);
    expect(await t.db.select().from(contacts).where(eq(contacts.email, 'bg3@acme-bg.com'))).toHaveLength(1);
    const [row] = await t.db.select().from(imports).where(eq(imports.id, id));
    expect(uploadedFiles()).not.toContain(path.basename(row!.filePath));
  });

  it('rejects a bad mapping naming the problem and keeps the import startable', async () => {
    const headers = await t.as('marketing');
    const preview = await uploadOk(t, 'Email,Name,Other\nm@acme-map.com,M,x\n');
    const id = preview.import.id;
    const cases: [Record<string, string | null>, RegExp][] = [
      [{ Name: 'firstName' }, /map one column to email/],
      [{ Email: 'email', Nope: 'firstName' }, /"Nope" is not a column/],
      [{ Email: 'email', Name: 'favouriteColour' }, /not a contacts field/],
      [{ Email: 'email', Name: 'property:unknown_prop' }, /unknown contact property "unknown_prop"/],
      [{ Email: 'email', Name: 'firstName', Other: 'firstName' }, /already mapped from "Name"/],
      [{ Email: 'email', Name: 'property:Bad-Key' }, /property:<key>/],
    ];
    for (const [mapping, message] of cases) {
      const res = await t.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers, payload: { mapping } });
      expect(res.statusCode, JSON.stringify(mapping)).toBe(400);
      expect(res.json().error.message).toMatch(message);
    }
    const bad = await t.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers, payload: { mapping: { Email: 'email' }, options: { updateExisting: 'yes' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/updateExisting/);
    expect((await t.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers })).json()).toMatchObject({ status: 'uploaded', mapping: null });
  });

  it('answers 404 for an unknown import and 409 when started twice', async () => {
    const headers = await t.as('marketing');
    expect((await t.inject({ method: 'POST', url: '/api/v1/imports/999999/start', headers, payload: { mapping: {} } })).statusCode).toBe(404);
    expect((await t.inject({ method: 'GET', url: '/api/v1/imports/999999', headers })).statusCode).toBe(404);
    expect((await t.inject({ method: 'GET', url: '/api/v1/imports/999999/errors.csv', headers })).statusCode).toBe(404);
    const preview = await uploadOk(t, 'email\ntwice@acme-twice.com\n');
    const id = preview.import.id;
    const first = await t.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers, payload: { mapping: preview.suggestedMapping } });
    expect(first.statusCode).toBe(202);
    const second = await t.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers, payload: { mapping: preview.suggestedMapping } });
    expect(second.statusCode).toBe(409);
    await waitFor(id, headers);
  });
});
