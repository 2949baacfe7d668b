// Test helpers for the lifecycle tests: contacts at a given stage, session cookies of real users.
import { expect } from 'vitest';
import type { TestApp } from '../../../test/app.ts';
import type { Role } from '../identity/schema.ts';

let n = 0;
export const uniq = (prefix = 'c') => `${prefix}${++n}-${Math.random().toString(36).slice(2, 8)}`;

/** A contact created through the API (no transition rows), optionally placed at a stage. */
export async function makeContact(t: TestApp, body: Record<string, unknown> = {}): Promise<{ id: number; email: string }> {
  const res = await t.api('POST', '/contacts', { email: `${uniq('p')}@example.test`, ...body });
  expect(res.statusCode).toBe(201);
  return res.json();
}

/** Signs a new user of the role in; returns their id and cookie headers. */
export async function session(t: TestApp, role: Role): Promise<{ id: number; headers: Record<string, string> }> {
  const u = await t.makeUser(role);
  const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password } });
  expect(res.statusCode).toBe(200);
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  const cookie = String(list.find((c) => String(c).startsWith('revloop_session=')) ?? '').split(';')[0]!;
  return { id: u.id, headers: { cookie } };
}

/** A manual move; reason null sends none. */
export async function move(t: TestApp, id: number, toStage: string, reason: string | null, headers?: Record<string, string>) {
  return t.api('POST', `/contacts/${id}/lifecycle`, reason === null ? { toStage } : { toStage, reason }, headers);
}

export async function stageOf(t: TestApp, id: number): Promise<string> {
  const { rows } = await t.database.pool.query('select lifecycle_stage from contacts where id = $1', [id]);
  return rows[0].lifecycle_stage;
}

export async function transitionsOf(t: TestApp, id: number): Promise<{ from_stage: string | null; to_stage: string; cause: string; reason: string | null }[]> {
  const { rows } = await t.database.pool.query('select from_stage, to_stage, cause, reason, details from lifecycle_transitions where contact_id = $1 order by id', [id]);
  return rows;
}

/** A PUT to /api/v1<url> (TestApp.api has no PUT), as an admin API key unless headers are given. */
export async function apiPut(t: TestApp, url: string, payload: unknown, headers?: Record<string, string>) {
  return t.inject({ method: 'PUT', url: `/api/v1${url}`, headers: headers ?? (await t.as('admin')), payload: payload as object });
}
