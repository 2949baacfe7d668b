// Shared by the tracking tests: a source with a write key, and senders for the tracking API.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { TestApp } from '../../../test/app.ts';
import { events } from './events-table.ts';

export async function makeSource(t: TestApp, name = `src-${randomUUID().slice(0, 8)}`): Promise<{ id: number; writeKey: string }> {
  const res = await t.inject({ method: 'POST', url: '/api/v1/sources', headers: await t.as('admin'), payload: { name } });
  if (res.statusCode !== 201) throw new Error(`could not create source: ${res.body}`);
  const body = res.json();
  return { id: body.source.id, writeKey: body.writeKey };
}

export function basic(writeKey: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
}

export function send(t: TestApp, writeKey: string | null, path: string, payload: unknown, headers: Record<string, string> = {}) {
  return t.inject({
    method: 'POST',
    url: `/v1/${path}`,
    headers: { 'content-type': 'application/json', ...(writeKey ? basic(writeKey) : {}), ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

export async function eventsOf(t: TestApp, sourceId: number) {
  return t.db.select().from(events).where(eq(events.sourceId, sourceId)).orderBy(events.id);
}

export async function countEvents(t: TestApp, sourceId: number): Promise<number> {
  const res = await t.db.execute(sql`select count(*)::int as n from events where source_id = ${sourceId}`);
  return (res.rows[0] as { n: number }).n;
}

export const uid = () => randomUUID();
