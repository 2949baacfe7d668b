// CSRF: a state-changing request authenticated by the session cookie is refused (403, nothing written) when the
// browser says it comes from another site (Sec-Fetch-Site) or another origin (Origin). Checked on every unsafe
// route of the route table, so a new route is covered without editing this file. API keys (Authorization
// header, never sent by a browser on its own) are not affected; the cookie is HttpOnly and SameSite=Lax.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';

let t: TestApp;
let cookie: string;
let setCookie: string;
const HOST = 'revloop.example.com';

function cookieOf(res: LightMyRequestResponse): string {
  const raw = ([] as unknown[]).concat(res.headers['set-cookie'])[0];
  return String(raw).split(';')[0]!;
}

beforeAll(async () => {
  t = await createTestApp();
  const u = await t.makeUser('admin');
  const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { host: HOST }, payload: { email: u.email, password: u.password } });
  expect(res.statusCode).toBe(200);
  setCookie = String(([] as unknown[]).concat(res.headers['set-cookie'])[0]);
  cookie = cookieOf(res);
});
afterAll(() => t.close());

const CROSS: Record<string, Record<string, string>>[] = [
  { 'another origin': { origin: 'https://evil.example' } },
  { 'a sibling subdomain': { origin: 'https://evil.revloop.example.com' } },
  { 'another port': { origin: `http://${HOST}:8080` } },
  { 'Sec-Fetch-Site: cross-site': { 'sec-fetch-site': 'cross-site' } },
  { 'Sec-Fetch-Site: same-site': { 'sec-fetch-site': 'same-site', origin: `https://app.example.com` } },
  { 'a malformed Origin': { origin: 'not a url' } },
];

describe('csrf', () => {
  it('sets the session cookie HttpOnly and SameSite=Lax', () => {
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
  });

  it('refuses every cookie-authenticated state-changing route from another site with 403 before anything runs', async () => {
    const unsafe = t.app.routeTable.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.permission !== 'public');
    expect(unsafe.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const route of unsafe) {
      const url = route.url.replace(/:(\w+)/g, '1');
      for (const c of CROSS) {
        const [[label, headers]] = Object.entries(c) as [[string, Record<string, string>]];
        const res = await t.inject({ method: route.method as 'POST', url, headers: { cookie, host: HOST, ...headers }, payload: {} });
        if (res.statusCode !== 403 || !/cross-site/i.test(res.body)) failures.push(`${route.method} ${route.url} from ${label} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('writes nothing when a forged cross-site request carries a valid body', async () => {
    const before = { contacts: await t.count('contacts'), keys: await t.count('api_keys'), users: await t.count('users'), hooks: await t.count('webhook_endpoints') };
    const forge = (url: string, payload: object) =>
      t.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie, host: HOST, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, payload });
    expect((await forge('/contacts', { email: 'planted@evil.example' })).statusCode).toBe(403);
    expect((await forge('/api-keys', { name: 'stolen', role: 'admin' })).statusCode).toBe(403);
    expect((await forge('/users', { email: 'mallory@evil.example', name: 'Mallory', role: 'admin', password: 'a long enough passphrase' })).statusCode).toBe(403);
    expect((await forge('/webhooks', { url: 'https://evil.example/hook', events: ['contact.created'] })).statusCode).toBe(403);
    expect({ contacts: await t.count('contacts'), keys: await t.count('api_keys'), users: await t.count('users'), hooks: await t.count('webhook_endpoints') }).toEqual(before);
  });

  it('accepts the same writes from our own origin, and from API keys whatever the Origin says', async () => {
    const same = await t.inject({ method: 'POST', url: '/api/v1/contacts', headers: { cookie, host: HOST, origin: `http://${HOST}`, 'sec-fetch-site': 'same-origin' }, payload: { email: 'same-origin@example.com' } });
    expect(same.statusCode).toBe(201);
    const sameNoFetchMeta = await t.inject({ method: 'POST', url: '/api/v1/contacts', headers: { cookie, host: HOST, origin: `https://${HOST}` }, payload: { email: 'same-origin-2@example.com' } });
    expect(sameNoFetchMeta.statusCode).toBe(201);
    const viaKey = await t.inject({ method: 'POST', url: '/api/v1/contacts', headers: { ...(await t.as('admin')), origin: 'https://integration.example', 'sec-fetch-site': 'cross-site' }, payload: { email: 'via-key@example.com' } });
    expect(viaKey.statusCode).toBe(201);
  });

  it('lets cross-site reads through (they change nothing and the answer is not readable cross-origin)', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie, host: HOST, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
