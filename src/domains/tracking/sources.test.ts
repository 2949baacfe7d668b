import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { Role } from '../identity/schema.ts';
import { auditLog } from '../identity/schema.ts';
import { sha256 } from '../identity/secrets.ts';
import { sources } from './schema.ts';
import { makeSource, send } from './test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('createSource', () => {
  it('shows a high-entropy write key once and stores only its hash', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/sources', headers: await t.as('marketing'), payload: { name: 'Website' } });
    expect(res.statusCode).toBe(201);
    const { source, writeKey } = res.json();
    expect(writeKey).toMatch(/^rlw_[A-Za-z0-9_-]{43}$/);
    expect(writeKey.startsWith(source.writeKeyPrefix)).toBe(true);
    const [row] = await t.db.select().from(sources).where(eq(sources.id, source.id));
    expect(row!.writeKeyHash).toBe(sha256(writeKey));
    expect(JSON.stringify(row)).not.toContain(writeKey);
    const list = await t.inject({ method: 'GET', url: '/api/v1/sources', headers: await t.as('viewer') });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(writeKey);
    expect(list.json().items.find((s: { id: number }) => s.id === source.id)).toMatchObject({ name: 'Website', revokedAt: null });
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'source.created'));
    expect(audits.some((a) => a.entityId === String(source.id))).toBe(true);
  });

  it('rejects an empty name naming the field', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/sources', headers: await t.as('admin'), payload: { name: '  ' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('name');
  });
});

describe('revokeSource', () => {
  it('revokes once; a second revoke is a 409 and an unknown id a 404', async () => {
    const s = await makeSource(t);
    const admin = await t.as('admin');
    const first = await t.inject({ method: 'DELETE', url: `/api/v1/sources/${s.id}`, headers: admin });
    expect(first.statusCode).toBe(200);
    expect(first.json().revokedAt).not.toBeNull();
    expect((await t.inject({ method: 'DELETE', url: `/api/v1/sources/${s.id}`, headers: admin })).statusCode).toBe(409);
    expect((await t.inject({ method: 'DELETE', url: '/api/v1/sources/999999', headers: admin })).statusCode).toBe(404);
    expect((await send(t, s.writeKey, 'track', { userId: 'u', event: 'E' })).statusCode).toBe(401);
  });
});

describe('permissions on /api/v1 tracking routes', () => {
  const cases: { role: Role; manage: boolean }[] = [
    { role: 'admin', manage: true },
    { role: 'marketing', manage: true },
    { role: 'sales', manage: false },
    { role: 'viewer', manage: false },
  ];
  for (const { role, manage } of cases) {
    it(`${role}: ${manage ? 'may' : 'may not'} create or revoke sources, may read events and stats`, async () => {
      const headers = await t.as(role);
      const s = await makeSource(t);
      const create = await t.inject({ method: 'POST', url: '/api/v1/sources', headers, payload: { name: `by ${role}` } });
      expect(create.statusCode).toBe(manage ? 201 : 403);
      const revoke = await t.inject({ method: 'DELETE', url: `/api/v1/sources/${s.id}`, headers });
      expect(revoke.statusCode).toBe(manage ? 200 : 403);
      for (const url of ['/api/v1/sources', '/api/v1/events', `/api/v1/sources/${s.id}/stats`, '/api/v1/tracking/rejections']) {
        expect((await t.inject({ method: 'GET', url, headers })).statusCode, url).toBe(200);
      }
    });
  }

  it('refuses every management route without credentials', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/sources'],
      ['POST', '/api/v1/sources'],
      ['DELETE', '/api/v1/sources/1'],
      ['GET', '/api/v1/sources/1/stats'],
      ['GET', '/api/v1/events'],
      ['GET', '/api/v1/tracking/rejections'],
    ] as const) {
      expect((await t.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('rejects bad read-API input with 4xx naming the field', async () => {
    const headers = await t.as('viewer');
    expect((await t.inject({ method: 'GET', url: '/api/v1/events?cursor=not-a-cursor', headers })).json().error.message).toContain('cursor');
    expect((await t.inject({ method: 'GET', url: '/api/v1/events?type=purchase', headers })).json().error.message).toContain('type');
    expect((await t.inject({ method: 'GET', url: '/api/v1/sources/999999/stats', headers })).statusCode).toBe(404);
  });
});
