import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.as('admin');
});
afterAll(() => t.close());

let n = 0;
const domain = () => `co${++n}-${Math.random().toString(36).slice(2, 8)}.com`;
const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = admin) => t.api(method, url, payload, headers);
const countAccounts = () => t.count('accounts');
const actions = (id: number) => t.auditOf('account', id);

describe('createAccount', () => {
  it('normalizes the domain, sets the owner, starts with 0 contacts and writes an audit row', async () => {
    const owner = await t.makeUser('sales');
    const d = domain();
    const res = await api('POST', '/accounts', { name: ' Acme Corp ', domain: `https://www.${d.toUpperCase()}/about`, industry: 'Software', employeeCount: 120, ownerId: owner.id });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Acme Corp', domain: d, industry: 'Software', employeeCount: 120, owner: { id: owner.id }, contactCount: 0 });
    expect((await actions(res.json().id)).map((a) => a.action)).toEqual(['account.created']);
  });

  it('rejects a duplicate domain (any spelling) with 409 naming the domain, writing nothing', async () => {
    const d = domain();
    expect((await api('POST', '/accounts', { name: 'One', domain: d })).statusCode).toBe(201);
    const before = await countAccounts();
    const res = await api('POST', '/accounts', { name: 'Two', domain: `WWW.${d.toUpperCase()}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain(d);
    expect(res.json().error.details).toMatchObject({ field: 'domain' });
    expect(await countAccounts()).toBe(before);
  });

  it('rejects a bad domain, a missing name, wrong types, an unknown owner and an unknown property with 400', async () => {
    const before = await countAccounts();
    const cases: [unknown, string][] = [
      [{ name: 'X', domain: 'not a domain' }, 'domain'],
      [{ domain: domain() }, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'X', employeeCount: 'lots' }, 'employeeCount'],
      [{ name: 'X', employeeCount: -1 }, 'employeeCount'],
      [{ name: 'X', ownerId: 987654 }, 'ownerId'],
      [{ name: 'X', properties: { arr: 1 } }, 'properties.arr'],
    ];
    for (const [payload, field] of cases) {
      const res = await api('POST', '/accounts', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    const malformed = await t.inject({ method: 'POST', url: '/api/v1/accounts', headers: { ...admin, 'content-type': 'application/json' }, payload: '{name' });
    expect(malformed.statusCode).toBe(400);
    expect(await countAccounts()).toBe(before);
  });

  it('validates account properties against account definitions (not contact ones)', async () => {
    await api('POST', '/properties', { objectType: 'contact', key: 'only_contact', label: 'C', type: 'text' });
    await api('POST', '/properties', { objectType: 'account', key: 'plan', label: 'Plan', type: 'enum', options: ['Free', 'Pro'] });
    const wrong = await api('POST', '/accounts', { name: 'X', properties: { only_contact: 'x' } });
    expect(wrong.statusCode).toBe(400);
    const ok = await api('POST', '/accounts', { name: 'X', properties: { plan: 'pro' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().properties).toEqual({ plan: 'Pro' });
  });
});

describe('getAccount', () => {
  it('counts the account’s contacts and 404s for an unknown id', async () => {
    const d = domain();
    const acc = (await api('POST', '/accounts', { name: 'Counted', domain: d })).json();
    await api('POST', '/contacts', { email: `a@${d}` });
    await api('POST', '/contacts', { email: `b@${d}` });
    const res = await api('GET', `/accounts/${acc.id}`, undefined, await t.as('viewer'));
    expect(res.statusCode).toBe(200);
    expect(res.json().contactCount).toBe(2);
    expect((await api('GET', '/accounts/999999')).statusCode).toBe(404);
  });
});

describe('updateAccount', () => {
  it('changes fields, merges properties and records the diff', async () => {
    const acc = (await api('POST', '/accounts', { name: 'Old', domain: domain() })).json();
    const d = domain();
    const res = await api('PATCH', `/accounts/${acc.id}`, { name: 'New', domain: d, country: 'DE' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'New', domain: d, country: 'DE' });
    const audit = await actions(acc.id);
    expect(audit[1]).toMatchObject({ action: 'account.updated', changes: { name: { from: 'Old', to: 'New' }, domain: { from: acc.domain, to: d } } });
  });

  it('rejects taking another account’s domain with 409 and leaves it unchanged; 404 for unknown ids', async () => {
    const a = (await api('POST', '/accounts', { name: 'A', domain: domain() })).json();
    const b = (await api('POST', '/accounts', { name: 'B', domain: domain() })).json();
    const res = await api('PATCH', `/accounts/${b.id}`, { domain: a.domain, name: 'B2' });
    expect(res.statusCode).toBe(409);
    expect((await api('GET', `/accounts/${b.id}`)).json()).toMatchObject({ name: 'B', domain: b.domain });
    expect((await api('PATCH', '/accounts/999999', { name: 'x' })).statusCode).toBe(404);
    expect((await api('PATCH', `/accounts/${b.id}`, { name: 5 })).statusCode).toBe(400);
  });
});

describe('deleteAccount', () => {
  it('deletes the account, keeps its contacts unlinked and records an audit row', async () => {
    const d = domain();
    const acc = (await api('POST', '/accounts', { name: 'Gone', domain: d })).json();
    const c = (await api('POST', '/contacts', { email: `x@${d}` })).json();
    expect(c.account.id).toBe(acc.id);
    expect((await api('DELETE', `/accounts/${acc.id}`, undefined, await t.as('viewer'))).statusCode).toBe(403);
    const res = await api('DELETE', `/accounts/${acc.id}`);
    expect(res.statusCode).toBe(204);
    expect((await api('GET', `/accounts/${acc.id}`)).statusCode).toBe(404);
    const after = (await api('GET', `/contacts/${c.id}`)).json();
    expect(after.account).toBeNull();
    const audit = await actions(acc.id);
    expect(audit.map((a) => a.action)).toEqual(['account.created', 'account.deleted']);
    expect(audit[1]!.changes.unlinkedContacts).toBe(1);
    expect((await api('DELETE', `/accounts/${acc.id}`)).statusCode).toBe(404);
  });
});

describe('listAccounts', () => {
  it('filters by name or domain prefix, sorts by name and pages with a cursor', async () => {
    const tag = `zq${Math.random().toString(36).slice(2, 6)}`;
    for (const name of ['Charlie', 'alpha', 'Bravo', 'delta', 'Echo']) {
      await api('POST', '/accounts', { name: `${tag} ${name}`, domain: `${name.toLowerCase()}-${tag}.com` });
    }
    const viewer = await t.as('viewer');
    const p1 = (await api('GET', `/accounts?q=${tag.toUpperCase()}&limit=2`, undefined, viewer)).json();
    expect(p1.items.map((a: { name: string }) => a.name)).toEqual([`${tag} alpha`, `${tag} Bravo`]);
    expect(p1.total).toEqual({ count: 5, capped: false });
    const p2 = (await api('GET', `/accounts?q=${tag}&limit=2&cursor=${p1.nextCursor}`, undefined, viewer)).json();
    expect(p2.items.map((a: { name: string }) => a.name)).toEqual([`${tag} Charlie`, `${tag} delta`]);
    const p3 = (await api('GET', `/accounts?q=${tag}&limit=2&cursor=${p2.nextCursor}`, undefined, viewer)).json();
    expect(p3.items.map((a: { name: string }) => a.name)).toEqual([`${tag} Echo`]);
    expect(p3.nextCursor).toBeNull();
    const byDomain = (await api('GET', `/accounts?q=delta-${tag}`)).json();
    expect(byDomain.items.map((a: { name: string }) => a.name)).toEqual([`${tag} delta`]);
    const desc = (await api('GET', `/accounts?q=${tag}&sort=-createdAt&limit=1`)).json();
    expect(desc.items[0].name).toBe(`${tag} Echo`);
  });

  it('rejects an unknown sort, a bad limit and a cursor of another sort with 400', async () => {
    expect((await api('GET', '/accounts?sort=domain')).statusCode).toBe(400);
    expect((await api('GET', '/accounts?limit=500')).statusCode).toBe(400);
    await api('POST', '/accounts', { name: 'p1' });
    await api('POST', '/accounts', { name: 'p2' });
    const page = (await api('GET', '/accounts?limit=1&sort=createdAt')).json();
    const res = await api('GET', `/accounts?limit=1&sort=name&cursor=${page.nextCursor}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^cursor/);
  });
});
