// Authorization: the role × route matrix, generated from the server's own route table (every /api and /v1 route
// registers itself there, src/http/auth.ts). A route without a permission cannot even start; a new public route
// must be added to PUBLIC_ROUTES below on purpose; every guarded route answers 401 without credentials and 403 to
// every role that lacks its permission — with API keys and with session cookies.
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { registerAuth } from '../../src/http/auth.ts';
import { ROLES, type Role } from '../../src/domains/identity/schema.ts';
import { PERMISSIONS, ROLE_PERMISSIONS } from '../../src/domains/identity/permissions.ts';

/** Every route anyone on the internet may call. Adding one here is a security decision: say why. */
const PUBLIC_ROUTES = [
  'GET /api/openapi.json', // the API description (no data)
  'GET /api/health', // liveness
  'GET /api/v1/setup', // whether the first admin still has to be created
  'POST /api/v1/setup', // first admin, needs the one-time setup token; rate-limited
  'POST /api/v1/auth/login', // rate-limited per IP
  'POST /api/v1/auth/logout',
  // The tracking API and the rating widget: authenticated by a source write key, rate-limited per key / IP.
  'POST /v1/track',
  'POST /v1/identify',
  'POST /v1/page',
  'POST /v1/screen',
  'POST /v1/group',
  'POST /v1/alias',
  'POST /v1/batch',
  'OPTIONS /v1/*', // CORS preflight
  'POST /v1/content/rate',
];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function sessionOf(role: Role): Promise<Record<string, string>> {
  const u = await t.makeUser(role);
  const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password } });
  expect(res.statusCode).toBe(200);
  return { cookie: String(([] as unknown[]).concat(res.headers['set-cookie'])[0]).split(';')[0]! };
}

describe('authorization matrix', () => {
  it('refuses to start when a route declares neither a permission nor public', async () => {
    const app = Fastify();
    await app.register(cookie);
    registerAuth(app, t.db);
    expect(() => app.get('/api/v1/forgotten', async () => ({ secret: true }))).toThrow(/GET \/api\/v1\/forgotten declares neither a permission nor public/);
    expect(() => app.post('/v1/forgotten', async () => ({ secret: true }))).toThrow(/declares neither/);
    await app.close().catch(() => undefined);
  });

  it('declares a known permission on every route, and only the listed routes are public', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(100);
    for (const r of t.app.routeTable) expect([...PERMISSIONS, 'public'], `${r.method} ${r.url}`).toContain(r.permission);
    const pub = t.app.routeTable.filter((r) => r.permission === 'public').map((r) => `${r.method} ${r.url}`);
    expect(pub.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('gives each role only its own permissions (admins everything, viewers nothing that writes)', () => {
    expect([...ROLE_PERMISSIONS.admin].sort()).toEqual([...PERMISSIONS].sort());
    for (const p of ROLE_PERMISSIONS.viewer) expect(p, `viewer has ${p}`).toMatch(/:read$|^session$/);
    for (const role of ROLES) {
      if (role === 'admin') continue;
      for (const p of ['users:manage', 'api_keys:manage', 'audit:read', 'webhooks:manage'] as const) expect(ROLE_PERMISSIONS[role], `${role} has ${p}`).not.toContain(p);
    }
  });

  for (const via of ['API key', 'session cookie'] as const) {
    it(`enforces each role on every guarded route (role × route, via ${via})`, async () => {
      const creds = new Map<Role, Record<string, string>>();
      for (const role of ROLES) creds.set(role, via === 'API key' ? await t.as(role) : await sessionOf(role));
      const failures: string[] = [];
      for (const route of t.app.routeTable) {
        if (route.permission === 'public') continue;
        const url = route.url.replace(/:(\w+)/g, '999999').replace('*', 'x');
        const method = route.method as 'GET';
        const anon = await t.inject({ method, url });
        if (anon.statusCode !== 401) failures.push(`anonymous ${route.method} ${route.url} → ${anon.statusCode}`);
        for (const role of ROLES) {
          const res = await t.inject({ method, url, headers: creds.get(role)! });
          const allowed = (ROLE_PERMISSIONS[role] as readonly string[]).includes(route.permission);
          if (allowed ? res.statusCode === 403 || res.statusCode === 401 : res.statusCode !== 403) {
            failures.push(`${role} ${route.method} ${route.url} (${route.permission}) → ${res.statusCode}`);
          }
        }
      }
      expect(failures).toEqual([]);
    }, 180_000); // every route × every role: ~1,500 requests
  }

  it('refuses bad credentials: a malformed or unknown API key, a forged session cookie', async () => {
    for (const headers of [{ authorization: 'Bearer rlk_not-a-real-key' }, { authorization: 'Bearer ' }, { cookie: 'revloop_session=forged' }]) {
      const res = await t.inject({ method: 'GET', url: '/api/v1/contacts', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
    }
  });
});
