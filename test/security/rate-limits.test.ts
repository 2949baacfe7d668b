// Rate limits on the public, unauthenticated-or-key-authenticated entry points: sign-in and first-run setup
// (per IP), the tracking API (per source write key, per IP without one), the rating widget and tracked library
// links. Every limit answers 429 with Retry-After and the usual error shape, and one caller's limit does not
// block another. (There is no password reset yet: when it comes, it must be limited per IP and per account.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { LOGIN_RATE_PER_MINUTE: 3, TRACKING_RATE_PER_MINUTE: 4, TRUST_PROXY: 'true' } });
});
afterAll(() => t.close());

function expect429(res: { statusCode: number; headers: Record<string, unknown>; json(): any }, what: string) {
  expect(res.statusCode, what).toBe(429);
  expect(res.json().error.code, what).toBe('too_many_requests');
  expect(Number(res.headers['retry-after']), what).toBeGreaterThan(0);
}

const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/json' });

describe('rate limits', () => {
  it('limits sign-in attempts per IP (429 + Retry-After), also for a correct password, without blocking other addresses', async () => {
    const u = await t.makeUser('viewer');
    const login = (ip: string, password = 'wrong password') => t.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: u.email, password } });
    for (let i = 0; i < 3; i++) expect((await login('10.20.0.1')).statusCode).toBe(401);
    expect429(await login('10.20.0.1'), 'wrong password after the limit');
    expect429(await login('10.20.0.1', u.password), 'right password after the limit');
    expect((await login('10.20.0.2', u.password)).statusCode).toBe(200);
  });

  it('limits first-run setup attempts per IP', async () => {
    const setup = () => t.inject({ method: 'POST', url: '/api/v1/setup', remoteAddress: '10.21.0.1', payload: { token: 'guess', email: 'a@b.co', name: 'A', password: 'long enough password' } });
    let last = await setup();
    for (let i = 0; i < 12 && last.statusCode !== 429; i++) last = await setup();
    expect429(last, 'setup');
  });

  it('limits the tracking API per source write key, independently for each source', async () => {
    const a = (await t.api('POST', '/sources', { name: 'Site A' })).json().writeKey as string;
    const b = (await t.api('POST', '/sources', { name: 'Site B' })).json().writeKey as string;
    const send = (key: string, ip = '10.22.0.1') => t.inject({ method: 'POST', url: '/v1/track', remoteAddress: ip, headers: { ...basic(key), origin: 'https://site.example' }, payload: JSON.stringify({ userId: 'u', event: 'E' }) });
    for (let i = 0; i < 4; i++) expect((await send(a)).statusCode).toBe(200);
    const limited = await send(a, '10.22.0.99'); // another address, same key: still the key's budget
    expect429(limited, 'tracking per key');
    expect(limited.headers['access-control-allow-origin']).toBe('*'); // the browser library can read the 429
    expect((await send(b)).statusCode).toBe(200);
  });

  it('limits the tracking API per IP when the write key is in the body', async () => {
    const key = (await t.api('POST', '/sources', { name: 'Site C' })).json().writeKey as string;
    const send = (ip: string) => t.inject({ method: 'POST', url: '/v1/page', remoteAddress: ip, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ writeKey: key, anonymousId: 'a1' }) });
    for (let i = 0; i < 4; i++) expect((await send('10.23.0.1')).statusCode).toBe(200);
    expect429(await send('10.23.0.1'), 'tracking per IP');
    expect((await send('10.23.0.2')).statusCode).toBe(200);
  });

  it('limits unknown write keys too (no free guessing)', async () => {
    const send = () => t.inject({ method: 'POST', url: '/v1/track', remoteAddress: '10.24.0.1', headers: basic('wk_guess'), payload: JSON.stringify({ userId: 'u', event: 'E' }) });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await send()).statusCode);
    expect(codes.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(codes[4]).toBe(429);
  });

  it('limits tracked library links and the rating widget per caller', async () => {
    let last = await t.inject({ method: 'GET', url: '/l/guess-0', remoteAddress: '10.25.0.1' });
    for (let i = 1; i < 130 && last.statusCode !== 429; i++) last = await t.inject({ method: 'GET', url: `/l/guess-${i}`, remoteAddress: '10.25.0.1' });
    expect429(last, '/l/ links');
    expect((await t.inject({ method: 'GET', url: '/l/guess-x', remoteAddress: '10.25.0.2' })).statusCode).toBe(404);

    let rate = await t.inject({ method: 'POST', url: '/v1/content/rate', remoteAddress: '10.26.0.1', headers: basic('wk_guess'), payload: '{}' });
    for (let i = 0; i < 10 && rate.statusCode !== 429; i++) rate = await t.inject({ method: 'POST', url: '/v1/content/rate', remoteAddress: '10.26.0.1', headers: basic('wk_guess'), payload: '{}' });
    expect429(rate, '/v1/content/rate');
  });
});
