// The outbox: domains call emitWebhookEvent(tx, …) inside the transaction of the change. When an enabled
// endpoint subscribes to the type, the event row and one delivery per such endpoint are inserted in that same
// transaction (so an event is sent if and only if the change committed); the dispatcher (dispatch.ts) sends them.
// Nothing is written when nobody subscribes.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { WebhookEventType } from '../../contracts/webhooks.ts';

export interface WebhookEventInput {
  type: WebhookEventType | 'webhook.test';
  workspaceId?: number;
  /** The contact the event is about: deliveries of one contact to one endpoint start in order (docs/webhooks.md). */
  contactId?: number | null;
  data: Record<string, unknown>;
  /** The event time (simulated clocks in tests); now by default. */
  now?: Date;
  /** Only to this endpoint, sent at once by the caller (test events). */
  endpointId?: number;
  /** Only to this endpoint while it is enabled, whatever it subscribes to, sent by the dispatcher (a nurture webhook step). */
  target?: number;
}

/** Returns the number of deliveries queued (0 when no endpoint subscribes). */
export async function emitWebhookEvent(tx: Queryable, input: WebhookEventInput): Promise<number> {
  const ws = input.workspaceId ?? 1;
  const now = input.now ?? new Date();
  const payload = JSON.stringify({ type: input.type, timestamp: now.toISOString(), data: input.data });
  const contactId = input.contactId ?? null;
  const endpointFilter = input.endpointId
    ? sql`e.id = ${input.endpointId}`
    : input.target
      ? sql`e.id = ${input.target} and e.enabled`
      : sql`e.enabled and ${input.type} = any(e.event_types)`;
  const { rows } = await tx.execute<{ n: number }>(sql`
    with targets as (
      select e.id from webhook_endpoints e where e.workspace_id = ${ws} and ${endpointFilter}
    ), ev as (
      insert into webhook_events (workspace_id, type, contact_id, payload, created_at)
      select ${ws}, ${input.type}, ${contactId}, ${payload}::jsonb, ${now.toISOString()}::timestamptz
      where exists (select 1 from targets)
      returning id
    ), ins as (
      insert into webhook_deliveries (endpoint_id, event_id, msg_id, contact_id, next_attempt_at, created_at, updated_at)
      select t.id, ev.id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), ${contactId},
        ${input.endpointId ? sql`null` : sql`${now.toISOString()}::timestamptz`}, now(), now()
      from targets t, ev
      returning id
    )
    select count(*)::int as n from ins`);
  return rows[0]?.n ?? 0;
}

/** Anything with pg's query(text, values): a pool client inside the caller's transaction (bulk writers use raw clients). */
interface RawQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** True when an enabled endpoint of the workspace subscribes to the type (bulk writers skip all work otherwise). */
export async function hasWebhookSubscribers(client: RawQueryable, type: WebhookEventInput['type'], workspaceId = 1): Promise<boolean> {
  const { rows } = await client.query(`select exists (select 1 from webhook_endpoints where workspace_id = $1 and enabled and $2 = any(event_types)) as x`, [workspaceId, type]);
  return rows[0]?.x === true;
}

/**
 * emitWebhookEvent for many contacts at once (CSV imports): one event per item, in the items' order, and one
 * delivery per subscribing endpoint, in ONE statement on the caller's transaction. Returns deliveries queued.
 */
export async function emitWebhookEventsBulk(
  client: RawQueryable,
  input: { type: WebhookEventInput['type']; workspaceId?: number; now?: Date; items: { contactId: number | null; data: Record<string, unknown> }[] },
): Promise<number> {
  if (!input.items.length) return 0;
  const ws = input.workspaceId ?? 1;
  const now = (input.now ?? new Date()).toISOString();
  const payloads = input.items.map((i) => JSON.stringify({ type: input.type, timestamp: now, data: i.data }));
  const { rows } = await client.query(
    `with targets as (
       select e.id from webhook_endpoints e where e.workspace_id = $1 and e.enabled and $2 = any(e.event_types)
     ), src as (
       select * from unnest($3::int8[], $4::jsonb[]) with ordinality as s(contact_id, payload, ord)
     ), ev as (
       insert into webhook_events (workspace_id, type, contact_id, payload, created_at)
       select $1, $2, s.contact_id, s.payload, $5::timestamptz from src s where exists (select 1 from targets) order by s.ord
       returning id, contact_id
     ), ins as (
       insert into webhook_deliveries (endpoint_id, event_id, msg_id, contact_id, next_attempt_at, created_at, updated_at)
       select t.id, ev.id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), ev.contact_id, $5::timestamptz, now(), now()
       from targets t, ev order by ev.id, t.id
       returning id
     )
     select count(*)::int as n from ins`,
    [ws, input.type, input.items.map((i) => i.contactId), payloads, now],
  );
  return rows[0]?.n ?? 0;
}
