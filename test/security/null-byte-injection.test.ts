// Null-byte injection: a NUL character (\u0000) anywhere in a JSON body, query string or custom-property key was a
// 500 (PostgreSQL cannot store NUL in text or jsonb). It is now a 400 naming the field, before any route runs,
// and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { findNul } from '../../src/http/error-handler.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('null byte injection', () => {
  it('answers 400 naming the field for a NUL in any body, query or property key', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/contacts', { email: 'n@example.com', firstName: 'a\u0000b' }, 'body.firstName'],
      ['POST', '/accounts', { name: 'a\u0000b' }, 'body.name'],
      ['GET', '/contacts?q=a%00b', undefined, 'querystring.q'],
      ['POST', '/deals', { name: 'deal\u0000' }, 'body.name'],
      ['POST', '/contacts', { email: 'm@example.com', properties: { 'k\u0000': 'x' } }, 'body.properties.k'],
      ['POST', '/content/items', { title: 'T', type: 'practical', stage: 'awareness', topics: ['a\u0000'] }, 'body.topics.0'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await t.api(method as 'POST', url, body);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details[0].field, url).toContain(field);
    }
    expect(await t.count('contacts')).toBe(0);
    expect(await t.count('accounts')).toBe(0);
    expect(await t.count('deals')).toBe(0);
  });

  it('finds NULs in nested values and keys only', () => {
    expect(findNul({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }, 'body')).toBe('body.a.1.c');
    expect(findNul({ a: 'fine', n: 1, z: null }, 'body')).toBeNull();
    expect(findNul(Buffer.from([0, 1, 2]), 'body')).toBeNull();
  });
});
