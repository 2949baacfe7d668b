// Market routes: markets, segments, lists and ICPs through the API; bad input → 4xx naming the field with
// nothing written; roles; the contacts list filtered by segment and list.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { processMarketInbox } from './membership.ts';

let t: TestApp;
const rule = { kind: 'group', match: 'all', conditions: [{ kind: 'property', object: 'contact', field: 'email_domain', op: 'eq', value: 'acme.com' }] };

beforeAll(async () => {
  t = await createTestApp();
  for (const email of ['a@acme.com', 'b@acme.com', 'c@other.org']) expect((await t.api('POST', '/contacts', { email })).statusCode).toBe(201);
});
afterAll(() => t.close());

describe('markets', () => {
  it('creates, lists, changes and deletes a market, with audit rows', async () => {
    const res = await t.api('POST', '/markets', { name: 'Finance teams', jobStatement: 'Close the books on time every month' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    expect((await t.api('GET', '/markets')).json().items.map((m: { name: string }) => m.name)).toContain('Finance teams');
    expect((await t.api('PATCH', `/markets/${id}`, { description: 'Mid-market' })).json().description).toBe('Mid-market');
    expect((await t.auditOf('market', id)).map((a) => a.action)).toEqual(['market.created', 'market.updated']);
    expect((await t.api('DELETE', `/markets/${id}`)).statusCode).toBe(204);
    expect((await t.api('GET', `/markets/${id}`)).statusCode).toBe(404);
  });
  it('rejects a missing job statement, unknown fields, duplicates (any case)', async () => {
    const before = await t.count('markets');
    const r1 = await t.api('POST', '/markets', { name: 'X' });
    expect(r1.statusCode).toBe(400);
    expect(r1.body).toContain('jobStatement');
    expect((await t.api('POST', '/markets', { name: 'X', jobStatement: 'Do the job', color: 'red' })).statusCode).toBe(400);
    expect((await t.api('POST', '/markets', { name: 'Dup', jobStatement: 'Do the job' })).statusCode).toBe(201);
    const dup = await t.api('POST', '/markets', { name: 'DUP', jobStatement: 'Do the job' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('name');
    expect(await t.count('markets')).toBe(before + 1);
  });
});

describe('segments', () => {
  it('creates a segment in a market with its members built, previews, lists members, rebuilds', async () => {
    const market = (await t.api('POST', '/markets', { name: 'Acme buyers', jobStatement: 'Buy roadrunner traps' })).json();
    const res = await t.api('POST', '/segments', { name: 'Acme people', marketId: market.id, need: 'Need traps', rule });
    expect(res.statusCode, res.body).toBe(201);
    const seg = res.json();
    expect(seg).toMatchObject({ memberCount: 2, marketName: 'Acme buyers', version: 1, timeRelative: false });
    const preview = await t.api('POST', '/segments/preview', { rule, sample: 1 });
    expect(preview.json()).toMatchObject({ count: 2, capped: false });
    expect(preview.json().sample).toHaveLength(1);
    const page1 = (await t.api('GET', `/segments/${seg.id}/members?limit=1`)).json();
    expect(page1.items).toHaveLength(1);
    const page2 = (await t.api('GET', `/segments/${seg.id}/members?limit=1&after=${page1.nextAfter}`)).json();
    expect(page2.items[0].email).not.toBe(page1.items[0].email);
    expect(page2.nextAfter).toBeNull();
    expect((await t.api('POST', `/segments/${seg.id}/rebuild`)).json()).toMatchObject({ members: 2, joined: 0, left: 0 });
    const contacts = (await t.api('GET', `/contacts?segmentId=${seg.id}`)).json();
    expect(contacts.items.map((c: { email: string }) => c.email).sort()).toEqual(['a@acme.com', 'b@acme.com']);
    expect((await t.api('GET', `/markets/${market.id}`)).json()).toMatchObject({ segmentCount: 1, contactCount: 2 });
  });

  it('a new rule bumps the version and rebuilds; archiving empties it; a contact change moves it', async () => {
    const seg = (await t.api('POST', '/segments', { name: 'Others', rule: { ...rule, conditions: [{ ...rule.conditions[0], value: 'other.org' }] } })).json();
    expect(seg.memberCount).toBe(1);
    const changed = (await t.api('PATCH', `/segments/${seg.id}`, { rule: { kind: 'group', match: 'any', conditions: [] } })).json();
    expect(changed).toMatchObject({ version: 2, memberCount: 0 });
    await t.api('PATCH', `/segments/${seg.id}`, { rule: { kind: 'group', match: 'all', conditions: [{ kind: 'property', object: 'contact', field: 'first_name', op: 'eq', value: 'zed' }] } });
    const c = (await t.api('GET', '/contacts?q=c@other.org')).json().items[0];
    await t.api('PATCH', `/contacts/${c.id}`, { firstName: 'Zed' });
    await processMarketInbox(t.db);
    expect((await t.api('GET', `/segments/${seg.id}`)).json().memberCount).toBe(1);
    expect((await t.api('PATCH', `/segments/${seg.id}`, { status: 'archived' })).json()).toMatchObject({ status: 'archived', memberCount: 0 });
    expect((await t.api('POST', `/segments/${seg.id}/rebuild`)).statusCode).toBe(409);
    expect((await t.api('PATCH', `/segments/${seg.id}`, { status: 'active' })).json()).toMatchObject({ status: 'active', memberCount: 1 });
  });

  it('rejects bad rules with the path, unknown markets, duplicates, and writes nothing', async () => {
    const before = await t.count('segments');
    const bad = await t.api('POST', '/segments', { name: 'Bad', rule: { kind: 'group', match: 'all', conditions: [{ kind: 'property', object: 'contact', field: 'email', op: 'gt', value: 1 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('rule.conditions.0.op');
    const market = await t.api('POST', '/segments', { name: 'Bad', marketId: 999999, rule });
    expect(market.statusCode).toBe(400);
    expect(market.json().error.details[0].field).toBe('marketId');
    expect((await t.api('POST', '/segments', { name: 'acme PEOPLE', rule })).statusCode).toBe(409);
    const badJson = await t.inject({ method: 'POST', url: '/api/v1/segments', headers: { ...(await t.as('admin')), 'content-type': 'application/json' }, payload: '{"name":' });
    expect(badJson.statusCode).toBe(400);
    expect((await t.api('GET', '/segments/999999')).statusCode).toBe(404);
    expect(await t.count('segments')).toBe(before);
  });

  it('viewers and sales read but cannot change; the builder fields are typed', async () => {
    expect((await t.api('GET', '/segments', undefined, await t.as('viewer'))).statusCode).toBe(200);
    expect((await t.api('POST', '/segments', { name: 'V', rule }, await t.as('sales'))).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/api/v1/segments' })).statusCode).toBe(401);
    const fields = (await t.api('GET', '/segments/fields')).json();
    expect(fields.items.find((f: { field: string }) => f.field === 'lifecycle_stage')).toMatchObject({ type: 'enum', ops: expect.arrayContaining(['in']) });
    expect(fields.items.find((f: { field: string; object: string }) => f.object === 'account' && f.field === 'employee_count')).toMatchObject({ type: 'number' });
  });
});

describe('static lists', () => {
  it('adds by email and id, imports a CSV reporting unknown emails by line, removes, filters contacts', async () => {
    const list = (await t.api('POST', '/lists', { name: 'Event attendees' })).json();
    const a = (await t.api('GET', '/contacts?q=a@acme.com')).json().items[0];
    expect((await t.api('POST', `/lists/${list.id}/members`, { contactIds: [a.id] })).json()).toMatchObject({ changed: 1, unchanged: 0 });
    const csv = await t.inject({
      method: 'POST',
      url: `/api/v1/lists/${list.id}/import`,
      headers: { ...(await t.as('admin')), 'content-type': 'text/csv' },
      payload: 'Name,Email\nA,a@acme.com\nB,B@ACME.COM\nX,nobody@nowhere.test\nY,not-an-email\n',
    });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.json()).toMatchObject({ changed: 1, unchanged: 1 });
    expect(csv.json().notFound).toEqual([
      { line: 4, email: 'nobody@nowhere.test', reason: 'no contact with this email' },
      { line: 5, email: 'not-an-email', reason: 'not a valid email address' },
    ]);
    expect((await t.api('GET', `/lists/${list.id}`)).json().memberCount).toBe(2);
    expect((await t.api('GET', `/contacts?listId=${list.id}`)).json().items).toHaveLength(2);
    expect((await t.api('POST', `/lists/${list.id}/members/remove`, { emails: ['b@acme.com'] })).json().changed).toBe(1);
    expect((await t.api('GET', `/lists/${list.id}/members`)).json().items.map((m: { email: string }) => m.email)).toEqual(['a@acme.com']);
  });
  it('rejects unknown contact ids (nothing added), empty bodies and CSVs, and a list used by a segment cannot be deleted', async () => {
    const list = (await t.api('POST', '/lists', { name: 'Guarded' })).json();
    const a = (await t.api('GET', '/contacts?q=a@acme.com')).json().items[0];
    const r = await t.api('POST', `/lists/${list.id}/members`, { contactIds: [a.id, 99999999] });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].field).toBe('contactIds');
    expect((await t.api('GET', `/lists/${list.id}`)).json().memberCount).toBe(0);
    expect((await t.api('POST', `/lists/${list.id}/members`, {})).statusCode).toBe(400);
    const empty = await t.inject({ method: 'POST', url: `/api/v1/lists/${list.id}/import`, headers: { ...(await t.as('admin')), 'content-type': 'text/csv' }, payload: 'email\n' });
    expect(empty.statusCode).toBe(400);
    await t.api('POST', '/segments', { name: 'Uses list', rule: { kind: 'group', match: 'all', conditions: [{ kind: 'list', op: 'in', listId: list.id }] } });
    const del = await t.api('DELETE', `/lists/${list.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().error.message).toContain('Uses list');
  });
});

describe('ICP definitions', () => {
  it('creates an ICP as a fit model that scores contacts, readable as a segment grade condition', async () => {
    const res = await t.api('POST', '/icps', { name: 'Acme-like', rules: [{ id: 'acme', label: 'Acme domain', field: 'email_domain', op: 'eq', value: 'acme.com', points: 10 }] });
    expect(res.statusCode, res.body).toBe(201);
    const icp = res.json();
    const model = (await t.api('GET', `/scoring/models/${icp.fitModelId}`));
    expect(model.statusCode, model.body).toBe(200);
    expect(model.json()).toMatchObject({ kind: 'fit', isDefault: false });
    // Fit follows contact changes (the contacts service scores every active fit model).
    const c = (await t.api('POST', '/contacts', { email: 'new@acme.com' })).json();
    const score = await t.db.execute(sql`select grade from contact_scores where contact_id = ${c.id} and model_id = ${icp.fitModelId}`);
    expect(score.rows[0]).toMatchObject({ grade: 'A' });
    const prev = await t.api('POST', '/segments/preview', { rule: { kind: 'group', match: 'all', conditions: [{ kind: 'grade', icpId: icp.id, op: 'in', value: ['A'] }] } });
    expect(prev.json().sample.map((s: { email: string }) => s.email)).toContain('new@acme.com');
    const upd = await t.api('PATCH', `/icps/${icp.id}`, { grades: { A: 90, B: 70, C: 50, D: 30 } });
    expect(upd.json().version).toBe(2);
  });
  it('rejects bad fit rules naming the field, and duplicates', async () => {
    const before = await t.count('score_models');
    const r = await t.api('POST', '/icps', { name: 'Bad', rules: [{ id: 'x', label: 'x', field: 'shoe', op: 'eq', value: 'a', points: 1 }] });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('field');
    expect((await t.api('POST', '/icps', { name: 'ACME-LIKE', rules: [] })).statusCode).toBe(409);
    expect(await t.count('score_models')).toBe(before);
  });
});
