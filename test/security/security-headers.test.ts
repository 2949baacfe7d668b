// Security headers: the UI gets a strict CSP (no inline or eval'd scripts, no framing); every answer gets nosniff,
// a referrer policy and no framing; public tracking resources stay loadable cross-origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../app.ts';
import { inlineScriptHashes } from '../../src/http/security-headers.ts';

let t: TestApp;
beforeAll(async () => {
  // A built UI of its own (npm test runs before the web build on a fresh clone): the shape Vite emits.
  const webDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-headers-web-'));
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-abc.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(path.join(webDir, 'assets', 'index-abc.js'), 'console.log(1)');
  t = await createTestApp({ webDir });
});
afterAll(() => t.close());

function csp(h: Record<string, unknown>): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of String(h['content-security-policy'] ?? '').split(';')) {
    const [name, ...rest] = part.trim().split(/\s+/);
    if (name) m.set(name, rest.join(' '));
  }
  return m;
}

function expectBase(h: Record<string, unknown>, what: string) {
  expect(h['x-content-type-options'], what).toBe('nosniff');
  expect(h['x-frame-options'], what).toBe('DENY');
  expect(h['referrer-policy'], what).toBeTruthy();
  expect(csp(h).get('frame-ancestors'), what).toBe("'none'");
}

describe('security headers', () => {
  it('gives the web UI a CSP without unsafe-inline or unsafe-eval scripts and no framing', async () => {
    for (const url of ['/', '/contacts', '/settings/users', '/login?next=/deals']) {
      const res = await t.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expectBase(res.headers, url);
      const policy = csp(res.headers);
      expect(policy.get('script-src'), url).toBe("'self'");
      expect(policy.get('default-src')).toBe("'self'");
      expect(policy.get('object-src')).toBe("'none'");
      expect(policy.get('base-uri')).toBe("'self'");
      expect(policy.get('form-action')).toBe("'self'");
      expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-eval/);
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      // The built page itself has no inline script the CSP would block.
      expect(inlineScriptHashes(res.body)).toEqual([]);
    }
  });

  it('gives JSON answers (success and error) a CSP that allows nothing', async () => {
    const ok = await t.inject({ method: 'GET', url: '/api/health' });
    const unauth = await t.inject({ method: 'GET', url: '/api/v1/contacts' });
    const missing = await t.inject({ method: 'GET', url: '/api/v1/no-such-route' });
    for (const res of [ok, unauth, missing]) {
      expectBase(res.headers, String(res.statusCode));
      expect(csp(res.headers).get('default-src')).toBe("'none'");
    }
    expect(unauth.statusCode).toBe(401);
    expect(missing.statusCode).toBe(404);
  });

  it('allows only the hashed inline script on the API reference page', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expectBase(res.headers, '/api/docs/');
    const scripts = csp(res.headers).get('script-src')!;
    const hashes = inlineScriptHashes(res.body);
    expect(hashes.length).toBeGreaterThan(0);
    for (const h of hashes) expect(scripts).toContain(h);
    expect(scripts).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('keeps the tracker, the rating widget and the tracking API loadable from other origins', async () => {
    for (const url of ['/t.js', '/rate.js']) {
      const res = await t.inject({ method: 'GET', url, headers: { origin: 'https://customer.example' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cross-origin-resource-policy'], url).toBe('cross-origin');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const pre = await t.inject({ method: 'OPTIONS', url: '/v1/track', headers: { origin: 'https://customer.example', 'access-control-request-method': 'POST' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    const post = await t.inject({ method: 'POST', url: '/v1/track', headers: { origin: 'https://customer.example', 'content-type': 'text/plain' }, payload: '{}' });
    expect(post.statusCode).toBe(401); // no write key — but still a CORS-readable answer
    expect(post.headers['access-control-allow-origin']).toBe('*');
    expect(post.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('keeps the no-referrer policy of tracked links', async () => {
    const res = await t.inject({ method: 'GET', url: '/l/not-a-token' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('sends HSTS only when served over HTTPS', async () => {
    expect((await t.inject({ method: 'GET', url: '/api/health' })).headers['strict-transport-security']).toBeUndefined();
    const https = await createTestApp({ config: { PUBLIC_URL: 'https://revloop.example.com' } });
    try {
      const res = await https.inject({ method: 'GET', url: '/api/health' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await https.close();
    }
  });
});
