// The delivery log of an endpoint (every attempt: request body, response code, duration, error, next retry),
// manual redelivery (one attempt now, same webhook-id) and the test event.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { TEST_EVENT_TYPE, WebhookDeliveryQuery, type WebhookDelivery } from '../../contracts/webhooks.ts';
import { withTransaction } from '../../context.ts';
import { recordAudit } from '../identity/audit.ts';
import { claimOne, deliverClaimed } from './dispatch.ts';
import { emitWebhookEvent } from './emit.ts';
import { loadEndpointRow } from './endpoints.ts';
import { webhookRuntime } from './runtime.ts';

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

async function loadDeliveries(ctx: Ctx, where: ReturnType<typeof sql>, limit: number): Promise<WebhookDelivery[]> {
  const { rows } = await ctx.db.execute<Record<string, any>>(sql`
    select d.id, d.msg_id, d.event_id, d.contact_id, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
      d.created_at, d.updated_at, ev.type, ev.payload
    from webhook_deliveries d join webhook_events ev on ev.id = d.event_id
    where ${where} order by d.id desc limit ${limit}`);
  if (!rows.length) return [];
  const ids = rows.map((r) => Number(r.id));
  const { rows: attempts } = await ctx.db.execute<Record<string, any>>(sql`
    select * from webhook_attempts where delivery_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) order by id desc`);
  return rows.map((r) => ({
    id: Number(r.id),
    msgId: r.msg_id,
    eventType: r.type,
    eventId: Number(r.event_id),
    contactId: r.contact_id == null ? null : Number(r.contact_id),
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    payload: r.payload,
    attemptLog: attempts
      .filter((a) => Number(a.delivery_id) === Number(r.id))
      .map((a) => ({
        id: Number(a.id),
        attempt: a.attempt,
        at: iso(a.at)!,
        requestBody: a.request_body,
        requestHeaders: a.request_headers,
        responseCode: a.response_code,
        responseBody: a.response_body,
        durationMs: a.duration_ms,
        error: a.error,
        nextRetryAt: iso(a.next_retry_at),
        manual: a.manual,
      })),
  }));
}

export async function listDeliveries({ ctx, endpointId, input }: { ctx: Ctx; endpointId: number; input: unknown }) {
  const q = WebhookDeliveryQuery.parse(input ?? {});
  await loadEndpointRow(ctx.db, endpointId);
  const where = sql`d.endpoint_id = ${endpointId}
    ${q.status ? sql`and d.status = ${q.status}` : sql``}
    ${q.before ? sql`and d.id < ${q.before}` : sql``}`;
  const items = await loadDeliveries(ctx, where, q.limit + 1);
  const pageItems = items.slice(0, q.limit);
  return { items: pageItems, nextBefore: items.length > q.limit ? pageItems[pageItems.length - 1]!.id : null };
}

async function oneDelivery(ctx: Ctx, endpointId: number, deliveryId: number): Promise<WebhookDelivery> {
  const [d] = await loadDeliveries(ctx, sql`d.endpoint_id = ${endpointId} and d.id = ${deliveryId}`, 1);
  if (!d) throw new NotFoundError('Delivery', deliveryId);
  return d;
}

/** One attempt now, with the same webhook-id; the answer is the delivery with that attempt in its log. */
export async function redeliver({ ctx, endpointId, deliveryId, now = new Date() }: { ctx: Ctx; endpointId: number; deliveryId: number; now?: Date }) {
  const endpoint = await loadEndpointRow(ctx.db, endpointId);
  await oneDelivery(ctx, endpointId, deliveryId);
  const claimed = await claimOne(ctx.db, deliveryId, now);
  if (!claimed) throw new ConflictError('This delivery is being sent right now; look at its log again in a moment');
  await withTransaction(ctx, (tx) =>
    recordAudit(tx, ctx.actor, { action: 'webhook.redelivered', entityType: 'webhook_endpoint', entityId: endpointId, summary: `Redelivered ${claimed.msg_id} to ${endpoint.url}` }),
  );
  await deliverClaimed(ctx.db, webhookRuntime(ctx.db, ctx.dataDir), claimed, { now, manual: true });
  return oneDelivery(ctx, endpointId, deliveryId);
}

/** Sends a webhook.test event to this endpoint now (also when it is disabled); not retried. */
export async function sendTestEvent({ ctx, endpointId, now = new Date() }: { ctx: Ctx; endpointId: number; now?: Date }) {
  const endpoint = await loadEndpointRow(ctx.db, endpointId);
  const deliveryId = await withTransaction(ctx, async (tx) => {
    await emitWebhookEvent(tx, { type: TEST_EVENT_TYPE, endpointId, now, data: { message: 'A test event from revloop', endpointId, sentBy: ctx.actor.label } });
    const { rows } = await tx.execute<{ id: number }>(sql`select max(id) as id from webhook_deliveries where endpoint_id = ${endpointId}`);
    await recordAudit(tx, ctx.actor, { action: 'webhook.test_sent', entityType: 'webhook_endpoint', entityId: endpointId, summary: `Sent a test event to ${endpoint.url}` });
    return Number(rows[0]!.id);
  });
  const claimed = await claimOne(ctx.db, deliveryId, now);
  if (claimed) await deliverClaimed(ctx.db, webhookRuntime(ctx.db, ctx.dataDir), claimed, { now, manual: true });
  return oneDelivery(ctx, endpointId, deliveryId);
}
