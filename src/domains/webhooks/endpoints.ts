// Webhook endpoints: create (secret shown once), change, enable/disable, rotate the secret, delete.
// Every change records an audit row in the same transaction. URLs are checked against the SSRF guard.
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { WebhookTargetList } from '../../contracts/nurture.ts';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpoint as EndpointDto,
} from '../../contracts/webhooks.ts';
import { recordAudit } from '../identity/audit.ts';
import { decryptSecret, encryptSecret, newWebhookSecret } from './crypto.ts';
import { webhookRuntime } from './runtime.ts';
import { resolveAllowed } from './ssrf.ts';
import { webhookEndpoints } from './schema.ts';

export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;
const WS = 1;

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

/** Refuses URLs whose host resolves to a forbidden address (unless private addresses are allowed). */
async function checkUrl(ctx: Ctx, url: string): Promise<void> {
  const rt = webhookRuntime(ctx.db, ctx.dataDir);
  try {
    await resolveAllowed(new URL(url).hostname, rt.allowPrivate);
  } catch (err) {
    throw fieldError('url', (err as Error).message);
  }
}

type Row = typeof webhookEndpoints.$inferSelect;

async function toDtos(db: Queryable, ctx: Ctx, rows: Row[]): Promise<EndpointDto[]> {
  if (!rows.length) return [];
  const rt = webhookRuntime(ctx.db, ctx.dataDir);
  const { rows: stats } = await db.execute<{ endpoint_id: number; status: string; n: number }>(sql`
    select endpoint_id, status, count(*)::int as n from webhook_deliveries
    where endpoint_id in (${sql.join(rows.map((r) => sql`${r.id}`), sql`, `)})
    group by endpoint_id, status`);
  return rows.map((r) => {
    let hint = 'whsec_…';
    try {
      hint = decryptSecret(rt.key, r.secretEnc).slice(0, 10) + '…';
    } catch {
      hint = '(cannot decrypt: wrong WEBHOOK_SECRET_KEY?)';
    }
    const count = (s: string) => stats.find((x) => Number(x.endpoint_id) === r.id && x.status === s)?.n ?? 0;
    const overlap = r.previousSecretExpiresAt && r.previousSecretExpiresAt > new Date() ? r.previousSecretExpiresAt.toISOString() : null;
    return {
      id: r.id,
      url: r.url,
      description: r.description,
      eventTypes: r.eventTypes,
      enabled: r.enabled,
      disabledReason: r.disabledReason,
      secretHint: hint,
      previousSecretExpiresAt: overlap,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      stats: { pending: count('pending'), failed: count('failed'), succeeded: count('succeeded') },
    };
  });
}

export function eventTypeList() {
  return WEBHOOK_EVENT_TYPES.map((t) => ({ type: t, label: WEBHOOK_EVENT_LABELS[t] }));
}

export async function listEndpoints({ ctx }: { ctx: Ctx }) {
  const rows = await ctx.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, WS)).orderBy(webhookEndpoints.id);
  return { items: await toDtos(ctx.db, ctx, rows), eventTypes: eventTypeList() };
}

/**
 * The endpoints a nurture webhook step can call, for the program builder (roles that edit programs but not
 * webhooks): a name (the description, or the host) and the host, never the URL's path, query or secret.
 */
export async function listWebhookTargets({ ctx }: { ctx: Ctx }): Promise<z.infer<typeof WebhookTargetList>> {
  const rows = await ctx.db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, description: webhookEndpoints.description, enabled: webhookEndpoints.enabled, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, WS))
    .orderBy(webhookEndpoints.id);
  return {
    items: rows.map((r) => {
      const host = URL.parse(r.url)?.host ?? 'unknown host';
      return { id: r.id, name: r.description?.trim() || host, host, enabled: r.enabled, subscribed: r.eventTypes.includes('nurture.step') };
    }),
  };
}

export async function loadEndpointRow(db: Queryable, id: number): Promise<Row> {
  const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.workspaceId, WS)));
  if (!row) throw new NotFoundError('Webhook endpoint', id);
  return row;
}

export async function getEndpoint({ ctx, id }: { ctx: Ctx; id: number }): Promise<EndpointDto> {
  return (await toDtos(ctx.db, ctx, [await loadEndpointRow(ctx.db, id)]))[0]!;
}

export async function createEndpoint({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ endpoint: EndpointDto; secret: string }> {
  const data = CreateWebhookEndpointInput.parse(input);
  await checkUrl(ctx, data.url);
  const rt = webhookRuntime(ctx.db, ctx.dataDir);
  const secret = newWebhookSecret();
  const row = await withTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        workspaceId: WS,
        url: data.url,
        description: data.description ?? null,
        eventTypes: data.eventTypes,
        enabled: data.enabled ?? true,
        secretEnc: encryptSecret(rt.key, secret),
        createdBy: ctx.actor.userId,
      })
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: 'webhook.created',
      entityType: 'webhook_endpoint',
      entityId: row!.id,
      summary: `Created webhook endpoint ${data.url} (${data.eventTypes.join(', ')})`,
      changes: { url: { from: null, to: data.url }, eventTypes: { from: null, to: data.eventTypes } },
    });
    return row!;
  });
  return { endpoint: (await toDtos(ctx.db, ctx, [row]))[0]!, secret };
}

export async function updateEndpoint({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<EndpointDto> {
  const data = UpdateWebhookEndpointInput.parse(input);
  if (data.url !== undefined) await checkUrl(ctx, data.url);
  const row = await withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.workspaceId, WS))).for('update');
    if (!before) throw new NotFoundError('Webhook endpoint', id);
    const set: Partial<Row> = { updatedAt: new Date() };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (data.url !== undefined && data.url !== before.url) (set.url = data.url), (changes.url = { from: before.url, to: data.url });
    if (data.description !== undefined && (data.description ?? null) !== before.description) {
      set.description = data.description ?? null;
      changes.description = { from: before.description, to: set.description };
    }
    if (data.eventTypes !== undefined && JSON.stringify(data.eventTypes) !== JSON.stringify(before.eventTypes)) {
      set.eventTypes = data.eventTypes;
      changes.eventTypes = { from: before.eventTypes, to: data.eventTypes };
    }
    if (data.enabled !== undefined && data.enabled !== before.enabled) {
      set.enabled = data.enabled;
      if (data.enabled) set.disabledReason = null;
      changes.enabled = { from: before.enabled, to: data.enabled };
    }
    if (!Object.keys(changes).length) return before;
    const [row] = await tx.update(webhookEndpoints).set(set).where(eq(webhookEndpoints.id, id)).returning();
    const what = changes.enabled && Object.keys(changes).length === 1 ? (data.enabled ? 'Enabled' : 'Disabled') : 'Changed';
    await recordAudit(tx, ctx.actor, { action: 'webhook.updated', entityType: 'webhook_endpoint', entityId: id, summary: `${what} webhook endpoint ${row!.url}`, changes });
    return row!;
  });
  return (await toDtos(ctx.db, ctx, [row]))[0]!;
}

/** A new secret; the old one keeps signing (a second signature) for 24 hours so receivers can switch. */
export async function rotateSecret({ ctx, id, now = new Date() }: { ctx: Ctx; id: number; now?: Date }): Promise<{ endpoint: EndpointDto; secret: string }> {
  const rt = webhookRuntime(ctx.db, ctx.dataDir);
  const secret = newWebhookSecret();
  const row = await withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.workspaceId, WS))).for('update');
    if (!before) throw new NotFoundError('Webhook endpoint', id);
    const expires = new Date(now.getTime() + ROTATION_OVERLAP_MS);
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ secretEnc: encryptSecret(rt.key, secret), previousSecretEnc: before.secretEnc, previousSecretExpiresAt: expires, updatedAt: now })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: 'webhook.secret_rotated',
      entityType: 'webhook_endpoint',
      entityId: id,
      summary: `Rotated the signing secret of ${before.url}; the old secret signs too until ${expires.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    });
    return row!;
  });
  return { endpoint: (await toDtos(ctx.db, ctx, [row]))[0]!, secret };
}

export async function deleteEndpoint({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.workspaceId, WS))).returning();
    if (!row) throw new NotFoundError('Webhook endpoint', id);
    await recordAudit(tx, ctx.actor, { action: 'webhook.deleted', entityType: 'webhook_endpoint', entityId: id, summary: `Deleted webhook endpoint ${row.url} and its delivery log` });
  });
}
