// Behaviour every API route shares: error shape, body limits, unknown routes, the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('errors', () => {
  it('answers unknown API routes with a JSON 404 in the error shape', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/v1/nope' } });
  });

  it('rejects an oversize JSON body with 413 and writes nothing', async () => {
    const headers = await t.as('admin');
    const before = await t.database.pool.query('select count(*)::int as n from users');
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'big@example.com', name: 'x'.repeat(2 * 1024 * 1024), role: 'viewer', password: 'long enough password' }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    const after = await t.database.pool.query('select count(*)::int as n from users');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('rejects a body of the wrong type with 400 naming the field', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers: await t.as('admin'), payload: { name: 42, role: 'viewer' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_error');
    expect(res.json().error.details[0].field).toBe('body.name');
  });

  it('rejects an unsupported content type with 415', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { ...(await t.as('admin')), 'content-type': 'text/xml' }, payload: '<x/>' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('rejects a non-numeric id in the path with 400, not 500', async () => {
    const res = await t.inject({ method: 'PATCH', url: '/api/v1/users/abc', headers: await t.as('admin'), payload: { name: 'x' } });
    expect(res.statusCode).toBe(400);
  });

  it('answers 401 for a malformed bearer token', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Bearer not-a-key' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/API key/);
  });
});

describe('openapi', () => {
  it('documents every guarded API route from the same schemas', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const r of t.app.routeTable) {
      if (!r.url.startsWith('/api/v1/')) continue;
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[p]?.[r.method.toLowerCase()], `${r.method} ${p}`).toBeTruthy();
    }
    expect(doc.paths['/api/v1/users'].post.requestBody).toBeTruthy();
  });

  it('serves a browsable API reference', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
