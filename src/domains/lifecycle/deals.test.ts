import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { multipart } from '../contacts/import/test-helpers.ts';
import { apiPut, makeContact, stageOf, transitionsOf, uniq } from './test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function importCsv(csv: string, headers?: Record<string, string>) {
  return t.inject({ method: 'POST', url: '/api/v1/deals/import', headers: { ...(headers ?? (await t.as('admin'))), 'content-type': 'text/csv' }, payload: csv });
}

describe('deals REST', () => {
  it('creates a deal with contacts and account; its contacts become opportunities (intent cycle)', async () => {
    const acc = (await t.api('POST', '/accounts', { name: 'Acme', domain: `${uniq('acme')}.com` })).json();
    const owner = await t.makeUser('sales');
    const a = await makeContact(t, { lifecycleStage: 'sales_accepted' });
    const b = await makeContact(t, { lifecycleStage: 'lead' });
    const res = await t.api('POST', '/deals', { name: 'Acme platform', amount: 12000, currency: 'eur', closeDate: '2026-12-31', ownerId: owner.id, accountId: acc.id, contacts: [{ id: a.id, role: 'champion' }, { id: b.id }] }, await t.as('sales'));
    expect(res.statusCode).toBe(201);
    const deal = res.json();
    expect(deal).toMatchObject({ name: 'Acme platform', amount: 12000, currency: 'EUR', stage: 'intent', owner: { id: owner.id }, account: { id: acc.id }, wonAt: null });
    expect(deal.contacts.map((c: { id: number; role: string | null; lifecycleStage: string }) => [c.id, c.role, c.lifecycleStage])).toEqual([
      [a.id, 'champion', 'opportunity'],
      [b.id, null, 'opportunity'],
    ]);
    expect((await transitionsOf(t, a.id))[0]).toMatchObject({ from_stage: 'sales_accepted', to_stage: 'opportunity', cause: 'deal' });
    const lc = (await t.api('GET', `/contacts/${a.id}/lifecycle`)).json();
    expect(lc.opportunityCycle).toBe('intent');
    await t.api('PATCH', `/deals/${deal.id}`, { stage: 'job_to_be_done' });
    expect((await t.api('GET', `/contacts/${a.id}/lifecycle`)).json().opportunityCycle).toBe('job_to_be_done');
    expect((await t.api('GET', `/deals?contactId=${a.id}`)).json().items.map((d: { id: number }) => d.id)).toEqual([deal.id]);
    expect((await t.api('GET', `/deals?accountId=${acc.id}`, undefined, await t.as('viewer'))).json().total.count).toBe(1);
  });

  it('won makes customers with the revenue and wonAt; lost sends opportunities back to recycled', async () => {
    const a = await makeContact(t, { lifecycleStage: 'sales_accepted' });
    const b = await makeContact(t, { lifecycleStage: 'sales_accepted' });
    const won = (await t.api('POST', '/deals', { name: 'Won one', amount: 5000, contacts: [{ id: a.id }] })).json();
    const res = await t.api('PATCH', `/deals/${won.id}`, { stage: 'won' });
    expect(res.json()).toMatchObject({ stage: 'won', amount: 5000 });
    expect(res.json().wonAt).not.toBeNull();
    expect(await stageOf(t, a.id)).toBe('customer');
    expect((await transitionsOf(t, a.id)).at(-1)).toMatchObject({ to_stage: 'customer', cause: 'deal', reason: 'Deal "Won one" won (5000 USD)' });

    const lost = (await t.api('POST', '/deals', { name: 'Lost one', contacts: [{ id: b.id }] })).json();
    await t.api('PATCH', `/deals/${lost.id}`, { stage: 'lost', lostReason: 'went with a competitor' });
    expect(await stageOf(t, b.id)).toBe('recycled');
    expect((await transitionsOf(t, b.id)).at(-1)).toMatchObject({ to_stage: 'recycled', reason: 'Deal "Lost one" lost: went with a competitor' });
    // A customer stays a customer when another deal of theirs is lost or opened.
    const more = (await t.api('POST', '/deals', { name: 'Upsell', contacts: [{ id: a.id }] })).json();
    await t.api('PATCH', `/deals/${more.id}`, { stage: 'lost' });
    expect(await stageOf(t, a.id)).toBe('customer');
  });

  it('closes the pending handoff of a sales-ready contact whose deal opens (no stale queue item, no SLA breach)', async () => {
    const c = await makeContact(t, { lifecycleStage: 'marketing_qualified' });
    await t.api('PATCH', `/contacts/${c.id}`, { lifecycleStage: 'sales_ready' });
    const pending = async () => (await t.database.pool.query(`select status from handoffs where contact_id = $1`, [c.id])).rows.map((r) => r.status);
    expect(await pending()).toEqual(['pending']);
    await t.api('POST', '/deals', { name: 'Fast track', contacts: [{ id: c.id }] });
    expect(await stageOf(t, c.id)).toBe('opportunity');
    expect(await pending()).toEqual(['accepted']);
  });

  it('a lost deal leaves contacts that have another open deal as opportunities', async () => {
    const c = await makeContact(t);
    const d1 = (await t.api('POST', '/deals', { name: 'One', contacts: [{ id: c.id }] })).json();
    await t.api('POST', '/deals', { name: 'Two', contacts: [{ id: c.id }] });
    await t.api('PATCH', `/deals/${d1.id}`, { stage: 'lost' });
    expect(await stageOf(t, c.id)).toBe('opportunity');
  });

  it('upserts by externalId (POST and PUT /deals/by-external/:externalId)', async () => {
    const ext = uniq('crm');
    const first = await t.api('POST', '/deals', { externalId: ext, name: 'CRM deal', amount: 100 });
    expect(first.statusCode).toBe(201);
    const second = await t.api('POST', '/deals', { externalId: ext, name: 'CRM deal renamed', amount: 200 });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, name: 'CRM deal renamed', amount: 200 });
    const put = await apiPut(t, `/deals/by-external/${ext}`, { amount: 300 });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: first.json().id, name: 'CRM deal renamed', amount: 300 });
    const fresh = await apiPut(t, `/deals/by-external/${uniq('crm')}`, { name: 'Made by PUT' });
    expect(fresh.statusCode).toBe(201);
    const noName = await apiPut(t, `/deals/by-external/${uniq('crm')}`, { amount: 1 });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().error.message).toMatch(/name/);
  });

  it.each([
    [{ amount: 5 }, 'name'],
    [{ name: 'x', amount: -1 }, 'amount'],
    [{ name: 'x', amount: 'lots' }, 'amount'],
    [{ name: 'x', stage: 'negotiation' }, 'stage'],
    [{ name: 'x', closeDate: '2026-02-30x' }, 'closeDate'],
    [{ name: 'x', currency: 'euro' }, 'currency'],
    [{ name: 'x', ownerId: 987654 }, 'ownerId'],
    [{ name: 'x', accountId: 987654 }, 'accountId'],
    [{ name: 'x', contacts: [{ id: 987654 }] }, 'contacts.0.id'],
  ])('rejects %j naming %s and writes nothing', async (body, field) => {
    const before = await t.count('deals');
    const res = await t.api('POST', '/deals', body);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error)).toContain(field);
    expect(await t.count('deals')).toBe(before);
  });

  it('links contacts by email (CRM sync) and names an unknown email', async () => {
    const c = await makeContact(t, { lifecycleStage: 'sales_accepted' });
    const res = await t.api('POST', '/deals', { name: 'By email', contacts: [{ email: c.email.toUpperCase(), role: 'buyer' }] });
    expect(res.statusCode).toBe(201);
    expect(res.json().contacts).toEqual([expect.objectContaining({ id: c.id, role: 'buyer', lifecycleStage: 'opportunity' })]);
    const bad = await t.api('POST', '/deals', { name: 'Unknown', contacts: [{ email: 'ghost@nowhere.test' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('contacts.0.email: no contact with email ghost@nowhere.test');
    expect((await t.api('POST', '/deals', { name: 'Both', contacts: [{ id: c.id, email: c.email }] })).statusCode).toBe(400);
  });

  it('a deal write that fails leaves contacts untouched (one transaction)', async () => {
    const c = await makeContact(t, { lifecycleStage: 'lead' });
    const res = await t.api('POST', '/deals', { name: 'x', contacts: [{ id: c.id }, { id: c.id }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/contacts.1.id/);
    expect(await stageOf(t, c.id)).toBe('lead');
  });

  it('gets, changes and deletes; 404 for unknown; viewer cannot write', async () => {
    const d = (await t.api('POST', '/deals', { name: 'Temp' })).json();
    expect((await t.api('GET', `/deals/${d.id}`)).json().name).toBe('Temp');
    const viewer = await t.as('viewer');
    expect((await t.api('PATCH', `/deals/${d.id}`, { name: 'no' }, viewer)).statusCode).toBe(403);
    expect((await t.api('POST', '/deals', { name: 'no' }, viewer)).statusCode).toBe(403);
    expect((await t.api('DELETE', `/deals/${d.id}`, undefined, viewer)).statusCode).toBe(403);
    expect((await t.api('DELETE', `/deals/${d.id}`)).statusCode).toBe(204);
    expect((await t.api('GET', `/deals/${d.id}`)).statusCode).toBe(404);
    expect((await t.api('PATCH', `/deals/${d.id}`, { name: 'gone' })).statusCode).toBe(404);
    expect((await t.auditOf('deal', d.id)).map((a) => a.action)).toEqual(['deal.created', 'deal.deleted']);
  });

  it('pages with a cursor and rejects a forged one', async () => {
    for (let i = 0; i < 3; i++) await t.api('POST', '/deals', { name: `Page ${i}` });
    const p1 = (await t.api('GET', '/deals?limit=2')).json();
    expect(p1.items).toHaveLength(2);
    const p2 = (await t.api('GET', `/deals?limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2.items[0].id).toBeLessThan(p1.items[1].id);
    expect((await t.api('GET', '/deals?cursor=bogus')).statusCode).toBe(400);
  });
});

describe('deals CSV', () => {
  it('imports valid rows, lists every rejected row with line and reason, and moves contacts', async () => {
    const owner = await t.makeUser('sales');
    const acc = (await t.api('POST', '/accounts', { name: 'Globex', domain: `${uniq('globex')}.com` })).json();
    const a = await makeContact(t, { lifecycleStage: 'sales_accepted' });
    const b = await makeContact(t, { lifecycleStage: 'sales_accepted' });
    const ext1 = uniq('x');
    const ext2 = uniq('x');
    const csv = [
      'External ID,Name,Amount,Currency,Stage,Close Date,Owner Email,Account Domain,Contact Emails,Lost Reason',
      `${ext1},Globex rollout,"25,000",USD,won,2026-11-30,${owner.email},${acc.domain},${a.email},`,
      `${ext2},Globex pilot,abc,USD,intent,,,,,`,
      `,No contacts found,10,USD,intent,,,,nobody@nowhere.test,`,
      `,Bad stage,10,USD,negotiating,,,,,`,
      `${ext1},Duplicate,1,USD,intent,,,,,`,
      `,Open deal,99,USD,job to be done,2027-01-15,,,${b.email},`,
      `,,5,USD,intent,,,,,`,
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ processed: 7, inserted: 2, updated: 0 });
    expect(out.rejected).toEqual([
      { line: 3, externalId: ext2, reason: 'amount: "abc" is not a number' },
      { line: 4, externalId: null, reason: 'contact_emails: no contact nobody@nowhere.test' },
      { line: 5, externalId: null, reason: 'stage: must be one of intent, job_to_be_done, won, lost' },
      { line: 6, externalId: ext1, reason: `external_id: "${ext1}" is already on line 2` },
      { line: 8, externalId: null, reason: expect.stringMatching(/^name: /) },
    ]);
    const won = (await t.api('GET', `/deals?q=${ext1}`)).json().items[0];
    expect(won).toMatchObject({ externalId: ext1, amount: 25000, stage: 'won', owner: { id: owner.id }, account: { id: acc.id } });
    expect(await stageOf(t, a.id)).toBe('customer');
    expect(await stageOf(t, b.id)).toBe('opportunity');
    // Re-import updates by external_id.
    const again = await importCsv(`external_id,amount\n${ext1},30000\n`);
    expect(again.json()).toMatchObject({ processed: 1, inserted: 0, updated: 1, rejected: [] });
  });

  it('accepts multipart uploads and rejects a file that is not CSV or has no name column', async () => {
    const body = multipart({}, { name: 'deals.csv', content: `name,amount\nMultipart deal,7\n` });
    const res = await t.inject({ method: 'POST', url: '/api/v1/deals/import', headers: { ...(await t.as('admin')), ...body.headers }, payload: body.payload });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 1, rejected: [] });
    const before = await t.count('deals');
    expect((await importCsv('amount,stage\n5,intent\n')).statusCode).toBe(400);
    expect((await importCsv('name\n"unclosed\n')).statusCode).toBe(400);
    expect((await importCsv('')).statusCode).toBe(400);
    expect(await t.count('deals')).toBe(before);
    expect((await importCsv('name\nx\n', await t.as('viewer'))).statusCode).toBe(403);
  });

  it('exports formula-safe CSV', async () => {
    await t.api('POST', '/deals', { name: '=HYPERLINK("http://evil")', externalId: uniq('-ext') });
    const res = await t.api('GET', '/deals/export', undefined, await t.as('viewer'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    const evil = rows.find((r) => r.name!.includes('HYPERLINK'))!;
    expect(evil.name!.startsWith("'=")).toBe(true);
    expect(evil.external_id!.startsWith("'-")).toBe(true);
  });
});
