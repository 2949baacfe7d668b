import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.as('admin');
});
afterAll(() => t.close());

let n = 0;
const uniq = (prefix = 'c') => `${prefix}${++n}-${Math.random().toString(36).slice(2, 8)}`;

async function post(url: string, payload: unknown, headers = admin) {
  return t.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });
}
async function countContacts(where = sql`true`) {
  const r = await t.db.execute(sql`select count(*)::int as n from contacts where ${where}`);
  return (r.rows[0] as { n: number }).n;
}
async function auditFor(entityType: string, id: number) {
  const r = await t.db.execute(sql`select action, changes, actor_label from audit_log where entity_type = ${entityType} and entity_id = ${String(id)} order by id`);
  return r.rows as { action: string; changes: Record<string, { from: unknown; to: unknown }>; actor_label: string }[];
}
async function defineProperty(body: Record<string, unknown>) {
  const res = await post('/properties', { objectType: 'contact', label: 'X', ...body });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('createContact', () => {
  it('creates a contact with the email trimmed and lower-cased, owner and account, and writes an audit row', async () => {
    const owner = await t.makeUser('sales');
    const acc = (await post('/accounts', { name: 'Acme', domain: `${uniq('acme')}.com` })).json();
    const res = await post('/contacts', { email: '  Jane.Doe@Example.COM ', firstName: 'Jane', lastName: 'Doe', ownerId: owner.id, accountId: acc.id, lifecycleStage: 'lead' });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      email: 'jane.doe@example.com',
      firstName: 'Jane',
      lifecycleStage: 'lead',
      owner: { id: owner.id, email: owner.email },
      account: { id: acc.id, name: 'Acme', domain: acc.domain },
      properties: {},
      source: 'api',
    });
    const audit = await auditFor('contact', c.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.action).toBe('contact.created');
    expect(audit[0]!.changes.email).toEqual({ from: null, to: 'jane.doe@example.com' });

    const got = await t.inject({ method: 'GET', url: `/api/v1/contacts/${c.id}`, headers: await t.as('viewer') });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(c);
  });

  it('links a new contact to the account of its email domain when no accountId is given', async () => {
    const domain = `${uniq('initech')}.io`;
    const acc = (await post('/accounts', { name: 'Initech', domain })).json();
    const linked = (await post('/contacts', { email: `peter@${domain.toUpperCase()}` })).json();
    expect(linked.account).toMatchObject({ id: acc.id, domain });
    const explicitNull = (await post('/contacts', { email: `milton@${domain}`, accountId: null })).json();
    expect(explicitNull.account).toBeNull();
    const other = (await post('/contacts', { email: `bob@${uniq('nowhere')}.org` })).json();
    expect(other.account).toBeNull();
  });

  it('rejects a duplicate email case-insensitively with 409 naming the email, and writes nothing', async () => {
    const email = `${uniq('dup')}@example.com`;
    expect((await post('/contacts', { email })).statusCode).toBe(201);
    const before = await countContacts();
    const auditBefore = (await t.db.execute(sql`select count(*)::int as n from audit_log`)).rows[0];
    const res = await post('/contacts', { email: ` ${email.toUpperCase()} ` });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');
    expect(res.json().error.message).toContain(email);
    expect(res.json().error.details).toMatchObject({ field: 'email' });
    expect(await countContacts()).toBe(before);
    expect((await t.db.execute(sql`select count(*)::int as n from audit_log`)).rows[0]).toEqual(auditBefore);
  });

  it('rejects an unknown owner or account with 400 naming the field, and writes nothing', async () => {
    const before = await countContacts();
    const owner = await post('/contacts', { email: `${uniq()}@example.com`, ownerId: 999999 });
    expect(owner.statusCode).toBe(400);
    expect(owner.json().error.details).toEqual([{ field: 'ownerId', message: 'user 999999 does not exist' }]);
    const account = await post('/contacts', { email: `${uniq()}@example.com`, accountId: 999999 });
    expect(account.statusCode).toBe(400);
    expect(account.json().error.message).toMatch(/^accountId/);
    expect(await countContacts()).toBe(before);
  });

  it('rejects malformed JSON, wrong types, a bad email, unknown fields and a bad stage with 400', async () => {
    const before = await countContacts();
    const malformed = await t.inject({ method: 'POST', url: '/api/v1/contacts', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"email":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('invalid_json');
    const cases: [unknown, string][] = [
      [{ email: 'not-an-email' }, 'email'],
      [{ email: 42 }, 'email'],
      [{}, 'email'],
      [{ email: `${uniq()}@example.com`, firstName: 7 }, 'firstName'],
      [{ email: `${uniq()}@example.com`, lifecycleStage: 'hot' }, 'lifecycleStage'],
      [{ email: `${uniq()}@example.com`, ownerId: 'one' }, 'ownerId'],
      [{ email: `${uniq()}@example.com`, favouriteColour: 'blue' }, ''],
      [{ email: `${uniq()}@example.com`, properties: { 'Bad Key': 1 } }, 'properties'],
      [{ email: `${uniq()}@example.com`, properties: { tier: { nested: true } } }, 'properties.tier'],
    ];
    for (const [payload, field] of cases) {
      const res = await post('/contacts', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
      expect(res.json().error.message).toContain(field);
    }
    expect(await countContacts()).toBe(before);
  });

  it('rejects an oversize body with 413', async () => {
    const res = await post('/contacts', { email: 'big@example.com', title: 'x'.repeat(1_100_000) });
    expect(res.statusCode).toBe(413);
    expect(await countContacts(sql`email = 'big@example.com'`)).toBe(0);
  });

  it('validates custom properties and lists every bad key in details', async () => {
    await defineProperty({ key: 'tier', type: 'enum', options: ['Gold', 'Silver'] });
    await defineProperty({ key: 'seats', type: 'number' });
    await defineProperty({ key: 'renewal', type: 'date' });
    await defineProperty({ key: 'vip', type: 'boolean' });
    const before = await countContacts();
    const bad = await post('/contacts', { email: `${uniq()}@example.com`, properties: { tier: 'Bronze', seats: 'many', nope: 'x', renewal: '2026-02-30' } });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['properties.nope', 'properties.renewal', 'properties.seats', 'properties.tier']);
    expect(await countContacts()).toBe(before);

    const ok = await post('/contacts', { email: `${uniq()}@example.com`, properties: { tier: 'gold', seats: 12, renewal: '2027-01-31', vip: true } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().properties).toEqual({ tier: 'Gold', seats: 12, renewal: '2027-01-31', vip: true });
  });

  it('refuses callers without contacts:write (viewer) with 403 and without auth with 401', async () => {
    const viewer = await post('/contacts', { email: `${uniq()}@example.com` }, await t.as('viewer'));
    expect(viewer.statusCode).toBe(403);
    const anon = await t.inject({ method: 'POST', url: '/api/v1/contacts', payload: { email: `${uniq()}@example.com` } });
    expect(anon.statusCode).toBe(401);
    const sales = await post('/contacts', { email: `${uniq()}@example.com` }, await t.as('sales'));
    expect(sales.statusCode).toBe(201);
  });
});

describe('getContact', () => {
  it('returns 404 for an unknown id and 400 for a non-numeric id', async () => {
    const missing = await t.inject({ method: 'GET', url: '/api/v1/contacts/987654', headers: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const bad = await t.inject({ method: 'GET', url: '/api/v1/contacts/abc', headers: admin });
    expect(bad.statusCode).toBe(400);
  });
});

describe('updateContact', () => {
  it('changes fields, merges properties (null removes a key) and records the diff', async () => {
    await defineProperty({ key: 'score', type: 'number' }).catch(() => undefined);
    await defineProperty({ key: 'nickname', type: 'text' });
    const c = (await post('/contacts', { email: `${uniq()}@example.com`, firstName: 'Ann', properties: { score: 5, nickname: 'A' } })).json();
    const res = await t.inject({
      method: 'PATCH',
      url: `/api/v1/contacts/${c.id}`,
      headers: admin,
      payload: { firstName: 'Anna', title: 'CTO', properties: { score: 7, nickname: null } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ firstName: 'Anna', title: 'CTO', properties: { score: 7 } });
    expect(res.json().properties).not.toHaveProperty('nickname');
    expect(new Date(res.json().updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(c.updatedAt).getTime());
    const audit = await auditFor('contact', c.id);
    expect(audit.map((a) => a.action)).toEqual(['contact.created', 'contact.updated']);
    expect(audit[1]!.changes).toEqual({
      firstName: { from: 'Ann', to: 'Anna' },
      title: { from: null, to: 'CTO' },
      'properties.score': { from: 5, to: 7 },
      'properties.nickname': { from: 'A', to: null },
    });
  });

  it('rejects changing the email to one another contact has (any case) with 409, leaving both unchanged', async () => {
    const a = (await post('/contacts', { email: `${uniq('a')}@example.com` })).json();
    const b = (await post('/contacts', { email: `${uniq('b')}@example.com` })).json();
    const res = await t.inject({ method: 'PATCH', url: `/api/v1/contacts/${b.id}`, headers: admin, payload: { email: a.email.toUpperCase() } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain(a.email);
    const after = (await t.inject({ method: 'GET', url: `/api/v1/contacts/${b.id}`, headers: admin })).json();
    expect(after.email).toBe(b.email);
    expect((await auditFor('contact', b.id)).length).toBe(1);
  });

  it('keeps its own email when patched with the same email in another case', async () => {
    const a = (await post('/contacts', { email: `${uniq('same')}@example.com` })).json();
    const res = await t.inject({ method: 'PATCH', url: `/api/v1/contacts/${a.id}`, headers: admin, payload: { email: a.email.toUpperCase() } });
    expect(res.statusCode).toBe(200);
    expect((await auditFor('contact', a.id)).length).toBe(1); // nothing changed, nothing audited
  });

  it('rejects a bad property value, an unknown owner and an unknown id without changing anything', async () => {
    await defineProperty({ key: 'level', type: 'enum', options: ['Low', 'High'] });
    const c = (await post('/contacts', { email: `${uniq()}@example.com`, properties: { level: 'Low' } })).json();
    const bad = await t.inject({ method: 'PATCH', url: `/api/v1/contacts/${c.id}`, headers: admin, payload: { firstName: 'X', properties: { level: 'Medium' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ field: 'properties.level', message: expect.stringContaining('Low, High') }]);
    const owner = await t.inject({ method: 'PATCH', url: `/api/v1/contacts/${c.id}`, headers: admin, payload: { ownerId: 424242 } });
    expect(owner.statusCode).toBe(400);
    expect(owner.json().error.message).toMatch(/^ownerId/);
    const after = (await t.inject({ method: 'GET', url: `/api/v1/contacts/${c.id}`, headers: admin })).json();
    expect(after).toEqual(c);
    const missing = await t.inject({ method: 'PATCH', url: '/api/v1/contacts/999999', headers: admin, payload: { firstName: 'X' } });
    expect(missing.statusCode).toBe(404);
  });
});

describe('deleteContact', () => {
  it('deletes, records an audit row, then 404s', async () => {
    const c = (await post('/contacts', { email: `${uniq()}@example.com` })).json();
    const viewer = await t.inject({ method: 'DELETE', url: `/api/v1/contacts/${c.id}`, headers: await t.as('viewer') });
    expect(viewer.statusCode).toBe(403);
    const res = await t.inject({ method: 'DELETE', url: `/api/v1/contacts/${c.id}`, headers: admin });
    expect(res.statusCode).toBe(204);
    expect((await t.inject({ method: 'GET', url: `/api/v1/contacts/${c.id}`, headers: admin })).statusCode).toBe(404);
    expect((await t.inject({ method: 'DELETE', url: `/api/v1/contacts/${c.id}`, headers: admin })).statusCode).toBe(404);
    const audit = await auditFor('contact', c.id);
    expect(audit.map((a) => a.action)).toEqual(['contact.created', 'contact.deleted']);
    expect(audit[1]!.changes.email).toEqual({ from: c.email, to: null });
  });
});

describe('contactTimeline', () => {
  it('lists the contact’s audit entries newest first, paged', async () => {
    const c = (await post('/contacts', { email: `${uniq()}@example.com`, firstName: 'T0' })).json();
    for (let i = 1; i <= 3; i++) {
      await t.inject({ method: 'PATCH', url: `/api/v1/contacts/${c.id}`, headers: admin, payload: { firstName: `T${i}` } });
    }
    const viewer = await t.as('viewer');
    const p1 = await t.inject({ method: 'GET', url: `/api/v1/contacts/${c.id}/timeline?limit=3`, headers: viewer });
    expect(p1.statusCode).toBe(200);
    const body = p1.json();
    expect(body.items.map((i: { kind: string }) => i.kind)).toEqual(['contact.updated', 'contact.updated', 'contact.updated']);
    expect(body.items[0].detail).toBe('firstName: T2 → T3');
    expect(body.items[0].actor).toContain('API key');
    expect(body.nextCursor).toBeTruthy();
    const p2 = (await t.inject({ method: 'GET', url: `/api/v1/contacts/${c.id}/timeline?limit=3&cursor=${body.nextCursor}`, headers: viewer })).json();
    expect(p2.items.map((i: { kind: string }) => i.kind)).toEqual(['contact.created']);
    expect(p2.nextCursor).toBeNull();
  });

  it('404s for an unknown contact and 400s for a tampered cursor', async () => {
    expect((await t.inject({ method: 'GET', url: '/api/v1/contacts/999999/timeline', headers: admin })).statusCode).toBe(404);
    const c = (await post('/contacts', { email: `${uniq()}@example.com` })).json();
    const res = await t.inject({ method: 'GET', url: `/api/v1/contacts/${c.id}/timeline?cursor=bm9wZQ`, headers: admin });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^cursor/);
  });
});

describe('OpenAPI', () => {
  it('documents the contacts, accounts and properties routes', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of ['/api/v1/contacts', '/api/v1/contacts/{id}', '/api/v1/contacts/{id}/timeline', '/api/v1/contacts/export', '/api/v1/accounts', '/api/v1/accounts/{id}', '/api/v1/accounts/export', '/api/v1/properties', '/api/v1/properties/{id}']) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });
});

describe('concurrent writes', () => {
  it('answers two simultaneous creates of the same email with one 201 and one 409, never a 500', async () => {
    for (let i = 0; i < 5; i++) {
      const email = `${uniq('race')}@example.com`;
      const [a, b] = await Promise.all([post('/contacts', { email }), post('/contacts', { email })]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
      const conflict = a.statusCode === 409 ? a : b;
      expect(conflict.json().error.message).toContain(email);
      expect(conflict.json().error.details).toMatchObject({ field: 'email' });
      expect(await countContacts(sql`email = ${email}`)).toBe(1);
    }
  });
});

describe('concurrent account writes', () => {
  it('answers two simultaneous creates of the same domain with one 201 and one 409 naming the domain', async () => {
    for (let i = 0; i < 5; i++) {
      const domain = `${uniq('race')}.com`;
      const [a, b] = await Promise.all([post('/accounts', { name: 'A', domain }), post('/accounts', { name: 'B', domain })]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
      expect((a.statusCode === 409 ? a : b).json().error.message).toContain(domain);
    }
  });
});
