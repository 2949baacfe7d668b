// Open redirect: revloop redirects only to targets it knows. Tracked library links (/l/<token>) go only to the
// stored http(s) URL of their content item (a token cannot be pointed elsewhere, hostile URLs are refused when an
// item is saved and never followed if one is already stored); after sign-in the UI follows only same-app paths
// (safeNext); no other answer sends a Location to another host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { makeContact, makeItem } from '../../src/domains/content/sales-test-helpers.ts';
import { safeNext } from '../../web/src/features/identity/LoginPage.tsx';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const HOSTILE_URLS = ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', '//evil.example/x', '/relative/path', 'vbscript:msgbox(1)', 'https://', 'file:///etc/passwd', 'ftp://evil.example/'];

async function linkFor(itemId: number, contactId: number): Promise<string> {
  const res = await t.api('POST', '/library/links', { itemId, contactId });
  expect(res.statusCode, res.body).toBe(201);
  return new URL(res.json().url).pathname;
}

describe('open redirect', () => {
  it('sends a tracked library link only to its item’s own URL', async () => {
    const item = await makeItem(t, { url: 'https://blog.acme.example/post?utm_source=x' });
    const path = await linkFor(item.id, await makeContact(t));
    for (const suffix of ['', '?next=https://evil.example', '?url=https://evil.example&redirect=//evil.example']) {
      const res = await t.inject({ method: 'GET', url: path + suffix });
      expect(res.statusCode, suffix).toBe(302);
      const to = new URL(String(res.headers.location));
      expect(to.origin).toBe('https://blog.acme.example');
      expect(to.pathname).toBe('/post');
      expect(to.searchParams.get('ajs_aid')).toBeTruthy();
    }
  });

  it('answers 404 (no redirect) for unknown, tampered and path-traversing tokens', async () => {
    const item = await makeItem(t);
    const path = await linkFor(item.id, await makeContact(t));
    for (const url of [`${path}x`, `${path.slice(0, -1)}`, '/l/..%2F..%2Fapi%2Fv1%2Fcontacts', '/l/%2F%2Fevil.example', '/l/https:%2F%2Fevil.example']) {
      const res = await t.inject({ method: 'GET', url });
      expect(res.headers.location, url).toBeUndefined();
      expect([400, 404], url).toContain(res.statusCode);
    }
  });

  it('refuses non-http(s) and relative item URLs when an item is saved', async () => {
    for (const url of HOSTILE_URLS) {
      const res = await t.api('POST', '/content/items', { title: `Hostile ${url}`, type: 'practical', stage: 'awareness', urls: [{ url }] });
      expect(res.statusCode, url).toBe(400);
      expect(JSON.stringify(res.json().error.details), url).toContain('url');
    }
    expect(await t.count('content_items')).toBeGreaterThanOrEqual(0);
    const { rows } = await t.database.pool.query(`select count(*)::int n from content_items where title like 'Hostile %'`);
    expect(rows[0].n).toBe(0);
  });

  it('never follows a hostile URL already in the database (e.g. written before validation existed)', async () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', '//evil.example', 'not a url']) {
      // No link can be made for such an item…
      const bad = await makeItem(t, { url });
      const refused = await t.api('POST', '/library/links', { itemId: bad.id, contactId: await makeContact(t) });
      expect(refused.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(refused.statusCode, url).toBeLessThan(500);
      // …and a link made earlier does not follow the URL once it changed underneath.
      const item = await makeItem(t);
      const path = await linkFor(item.id, await makeContact(t));
      await t.database.pool.query('update content_urls set url = $1 where item_id = $2', [url, item.id]);
      const res = await t.inject({ method: 'GET', url: path });
      if (res.statusCode === 302) expect(new URL(String(res.headers.location)).protocol, url).toMatch(/^https?:$/);
      else expect(res.statusCode, url).toBe(404);
    }
  });

  it('sends no Location to another host for odd paths (static files, the SPA, the API reference)', async () => {
    for (const url of ['//evil.example', '//evil.example/%2e%2e', '/%2F%2Fevil.example', '/\\evil.example', '/api/docs', '//evil.example/api/docs', '/assets', '/assets/..%2F..%2F', '/%5Cevil.example/']) {
      const res = await t.inject({ method: 'GET', url });
      const loc = res.headers.location;
      if (loc === undefined) continue;
      const resolved = new URL(String(loc), 'http://revloop.test');
      expect(resolved.host, `${url} → ${loc}`).toBe('revloop.test');
      expect(String(loc), `${url} → ${loc}`).not.toMatch(/^\/[\\/]/);
    }
  });
});

describe('safeNext (the UI’s post-sign-in redirect)', () => {
  it('follows same-app paths', () => {
    expect(safeNext('/accounts?q=a')).toBe('/accounts?q=a');
    expect(safeNext('/contacts/12#timeline')).toBe('/contacts/12#timeline');
  });
  it('refuses every way out of the app', () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example', '/\\/evil.example', '\\\\evil.example', '/\t/evil.example', '/\n/evil.example', ' //evil.example', 'javascript:alert(1)', '/login', '/setup?token=x', '/%2e%2e/login', '', null]) {
      expect(safeNext(next), JSON.stringify(next)).toBe('/contacts');
    }
  });
});
