import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { LOGIN_RATE_PER_MINUTE: 3, TRUST_PROXY: 'true' } });
});
afterAll(() => t.close());

describe('login', () => {
  it('throttles sign-in attempts per IP address with 429 and Retry-After', async () => {
    const attempt = (ip: string) =>
      t.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: 'who@example.com', password: 'whatever' } });
    for (let i = 0; i < 3; i++) expect((await attempt('10.9.9.9')).statusCode).toBe(401);
    const blocked = await attempt('10.9.9.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('too_many_requests');
    expect(blocked.headers['retry-after']).toBeTruthy();
    // Another address is not affected.
    expect((await attempt('10.9.9.10')).statusCode).toBe(401);
  });

  it('marks the session cookie Secure behind an HTTPS proxy', async () => {
    const u = await t.makeUser('viewer');
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '10.1.1.1',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: u.email, password: u.password },
    });
    expect(res.statusCode).toBe(200);
    expect(String(([] as unknown[]).concat(res.headers['set-cookie'])[0])).toMatch(/; Secure/);
  });
});
