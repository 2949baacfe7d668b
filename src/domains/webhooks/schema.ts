// Tables of the outgoing webhooks: endpoints (URL, subscribed event types, encrypted signing secrets), the
// event outbox (one row per domain event, written in the same transaction as the change), one delivery per
// event × subscribed endpoint (the retry state, with a webhook-id that stays the same across retries), and
// every HTTP attempt of a delivery (the delivery log).
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from '../identity/schema.ts';

export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  workspaceId: integer('workspace_id').notNull().default(1),
  url: text('url').notNull(),
  description: text('description'),
  /** Subscribed event types (src/contracts/webhooks.ts WEBHOOK_EVENT_TYPES). */
  eventTypes: text('event_types').array().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** Why the endpoint was disabled, when revloop disabled it (410 Gone). */
  disabledReason: text('disabled_reason'),
  /** The signing secret (whsec_…), AES-256-GCM encrypted (./crypto.ts). */
  secretEnc: text('secret_enc').notNull(),
  /** After a rotation: the old secret, which still signs until previousSecretExpiresAt. */
  previousSecretEnc: text('previous_secret_enc'),
  previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The outbox: one row per domain event. `payload` is the JSON body sent ({ type, timestamp, data }). */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    type: text('type').notNull(),
    /** The contact the event is about (ordering key); no foreign key, the contact may be deleted or merged away. */
    contactId: bigint('contact_id', { mode: 'number' }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_events_created_idx').on(t.createdAt)],
);

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    endpointId: integer('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    /** The webhook-id header: the same for every attempt and manual redelivery of this delivery. */
    msgId: text('msg_id').notNull().unique(),
    contactId: bigint('contact_id', { mode: 'number' }),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** Claimed by a dispatcher until then (a crashed dispatcher's claim expires). */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id),
    index('webhook_deliveries_event_idx').on(t.eventId),
  ],
);

/** One HTTP attempt of a delivery: what was sent, what came back, how long it took. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: bigint('delivery_id', { mode: 'number' })
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** The exact body signed and sent. */
    requestBody: text('request_body').notNull(),
    requestHeaders: jsonb('request_headers').$type<Record<string, string>>().notNull(),
    responseCode: integer('response_code'),
    /** The first 2 KB of the response body. */
    responseBody: text('response_body'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    /** When the next attempt is due after this one (null: succeeded or gave up). */
    nextRetryAt: timestamp('next_retry_at', { withTimezone: true }),
    /** manual: a redelivery asked for by a person. */
    manual: boolean('manual').notNull().default(false),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);
