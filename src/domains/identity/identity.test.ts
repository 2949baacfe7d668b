import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ setupToken: 'setup-token-123' });
});
afterAll(() => t.close());

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  return String(list.find((c) => String(c).startsWith('revloop_session=')) ?? '').split(';')[0]!;
}

describe('setupFirstAdmin', () => {
  it('rejects a wrong setup token and creates nothing', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: 'nope', email: 'a@b.co', name: 'A', password: 'long enough password' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect((await t.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true });
  });

  it('rejects a short password naming the field', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: 'setup-token-123', email: 'a@b.co', name: 'A', password: 'short' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('password');
  });

  it('creates the first admin once, signs them in, and then refuses', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: 'setup-token-123', email: 'Admin@Example.com', name: 'Ada Admin', password: 'a very long password' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'admin@example.com', role: 'admin' });
    const setCookie = String(([] as unknown[]).concat(res.headers['set-cookie'])[0]);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookieOf(res) } });
    expect(me.json()).toMatchObject({ role: 'admin', via: 'session', user: { email: 'admin@example.com' } });
    expect(me.json().user.lastLoginAt).not.toBeNull();
    const again = await t.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: 'setup-token-123', email: 'x@example.com', name: 'X', password: 'a very long password' } });
    expect(again.statusCode).toBe(409);
  });
});

describe('login', () => {
  it('rejects a wrong password with the same message as an unknown email', async () => {
    const u = await t.makeUser('viewer');
    const wrong = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: 'wrong password' } });
    const unknown = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.com', password: 'wrong password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('rotates the session id at sign-in and ends the old session', async () => {
    const u = await t.makeUser('sales');
    const first = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password } });
    expect(first.statusCode).toBe(200);
    const old = cookieOf(first);
    const second = await t.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { cookie: old }, payload: { email: u.email, password: u.password } });
    const fresh = cookieOf(second);
    expect(fresh).not.toBe(old);
    expect((await t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: old } })).statusCode).toBe(401);
    expect((await t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: fresh } })).statusCode).toBe(200);
  });

  it('locks an account after repeated failures, even with the right password, and says when to retry', async () => {
    const u = await t.makeUser('marketing');
    for (let i = 0; i < t.config.LOGIN_MAX_FAILURES; i++) {
      await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: 'nope nope nope' } });
    }
    const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password } });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rejects malformed JSON with a 400', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('signs out and the cookie no longer works', async () => {
    const u = await t.makeUser('viewer');
    const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password } });
    const cookie = cookieOf(res);
    await t.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect((await t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses a cross-site write made with a session cookie', async () => {
    const u = await t.makeUser('admin');
    const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password } });
    const forged = await t.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie: cookieOf(res), origin: 'https://evil.example', host: 'localhost:4000' },
      payload: { name: 'stolen', role: 'admin' },
    });
    expect(forged.statusCode).toBe(403);
    const keys = await t.inject({ method: 'GET', url: '/api/v1/api-keys', headers: await t.as('admin') });
    expect(keys.json().items.map((k: { name: string }) => k.name)).not.toContain('stolen');
  });
});

describe('createUser', () => {
  it('rejects a duplicate email case-insensitively', async () => {
    const headers = await t.as('admin');
    const payload = { email: 'dup@example.com', name: 'Dup', role: 'sales', password: 'long enough password' };
    expect((await t.inject({ method: 'POST', url: '/api/v1/users', headers, payload })).statusCode).toBe(201);
    const again = await t.inject({ method: 'POST', url: '/api/v1/users', headers, payload: { ...payload, email: 'DUP@example.com' } });
    expect(again.statusCode).toBe(409);
  });

  it('rejects an unknown role naming the field', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/users', headers: await t.as('admin'), payload: { email: 'r@example.com', name: 'R', role: 'god', password: 'long enough password' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toContain('role');
  });

  it('never returns or stores the plain password', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/users', headers: await t.as('admin'), payload: { email: 'p@example.com', name: 'P', role: 'viewer', password: 'plain text secret 1' } });
    expect(JSON.stringify(res.json())).not.toContain('plain text secret');
    const { rows } = await t.database.pool.query(`select password_hash from users where email = 'p@example.com'`);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('listOwners', () => {
  it('lets every role pick owners without exposing anything but id, name and email', async () => {
    const disabled = await t.makeUser('sales');
    await t.database.pool.query('update users set disabled_at = now() where id = $1', [disabled.id]);
    const res = await t.inject({ method: 'GET', url: '/api/v1/owners', headers: await t.as('viewer') });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.length).toBeGreaterThan(0);
    for (const o of items) expect(Object.keys(o).sort()).toEqual(['email', 'id', 'name']);
    expect(items.map((o) => o.id)).not.toContain(disabled.id);
  });
});

describe('updateUser', () => {
  it('refuses to demote the last active admin', async () => {
    const { rows } = await t.database.pool.query(`select id from users where role = 'admin' and disabled_at is null`);
    // Disable all admins but one first.
    const headers = await t.as('admin');
    for (const r of rows.slice(1)) await t.database.pool.query('update users set disabled_at = now() where id = $1', [r.id]);
    const [last] = rows;
    const res = await t.inject({ method: 'PATCH', url: `/api/v1/users/${last.id}`, headers, payload: { role: 'viewer' } });
    expect(res.statusCode).toBe(403);
    for (const r of rows.slice(1)) await t.database.pool.query('update users set disabled_at = null where id = $1', [r.id]);
  });

  it('answers 404 for an unknown user', async () => {
    const res = await t.inject({ method: 'PATCH', url: '/api/v1/users/999999', headers: await t.as('admin'), payload: { name: 'X' } });
    expect(res.statusCode).toBe(404);
  });
});

describe('createApiKey', () => {
  it('shows the key once, stores only its hash, and a revoked key stops working', async () => {
    const created = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers: await t.as('admin'), payload: { name: 'CRM sync', role: 'marketing' } });
    expect(created.statusCode).toBe(201);
    const { key, apiKey } = created.json();
    expect(key).toMatch(/^rlk_[A-Za-z0-9_-]{43}$/);
    const { rows } = await t.database.pool.query('select key_hash from api_keys where id = $1', [apiKey.id]);
    expect(rows[0].key_hash).not.toContain(key);
    const list = await t.inject({ method: 'GET', url: '/api/v1/api-keys', headers: await t.as('admin') });
    expect(JSON.stringify(list.json())).not.toContain(key);
    const me = await t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${key}` } });
    expect(me.json()).toMatchObject({ role: 'marketing', via: 'api_key' });
    await t.inject({ method: 'DELETE', url: `/api/v1/api-keys/${apiKey.id}`, headers: await t.as('admin') });
    expect((await t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
  });

  it('records who created and revoked keys in the audit log', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/audit-log?entityType=api_key', headers: await t.as('admin') });
    const actions = res.json().items.map((i: { action: string }) => i.action);
    expect(actions).toContain('api_key.created');
    expect(actions).toContain('api_key.revoked');
  });
});

// The role × route authorization matrix lives in test/security/authorization-matrix.test.ts.
