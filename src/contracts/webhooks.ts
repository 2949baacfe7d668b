// Outgoing webhooks: event types, endpoint and delivery-log shapes shared by the server, the web UI and the CLI.
import { z } from 'zod';
import { Timestamp } from './common.ts';

/** Every event type revloop sends today (later issues add unsubscribed, program steps …). */
export const WEBHOOK_EVENT_TYPES = [
  'contact.created',
  'contact.updated',
  'contact.merged',
  'lifecycle.changed',
  'lifecycle.sales_ready',
  'handoff.sla_breached',
  'handoff.follow_up_breached',
  'deal.won',
  'nurture.step',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Sent only by "Send test event"; not subscribable. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  'contact.created': 'Contact created',
  'contact.updated': 'Contact updated',
  'contact.merged': 'Contacts merged',
  'lifecycle.changed': 'Lifecycle stage changed',
  'lifecycle.sales_ready': 'Contact became sales-ready',
  'handoff.sla_breached': 'Handoff SLA breached',
  'handoff.follow_up_breached': 'Accepted lead not followed up (SLA)',
  'deal.won': 'Deal won',
  'nurture.step': 'Nurture program webhook step',
};

export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

const Url = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');

export const CreateWebhookEndpointInput = z.strictObject({
  url: Url,
  description: z.string().trim().max(500).nullish(),
  eventTypes: z
    .array(WebhookEventTypeSchema)
    .min(1, 'subscribe to at least one event type')
    .refine((a) => new Set(a).size === a.length, 'lists an event type twice'),
  enabled: z.boolean().optional(),
});
export type CreateWebhookEndpointInput = z.infer<typeof CreateWebhookEndpointInput>;

export const UpdateWebhookEndpointInput = CreateWebhookEndpointInput.partial();

export const WebhookEndpoint = z
  .object({
    id: z.number().int(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    /** First characters of the current secret (whsec_ab…), to tell secrets apart. */
    secretHint: z.string(),
    /** During a rotation overlap: when the old secret stops signing. */
    previousSecretExpiresAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    stats: z.object({ pending: z.number().int(), failed: z.number().int(), succeeded: z.number().int() }),
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** Returned once, on create and on rotate: the full secret is never shown again. */
export const WebhookEndpointWithSecret = z.object({ endpoint: WebhookEndpoint, secret: z.string() });

export const WebhookEndpointList = z.object({ items: z.array(WebhookEndpoint), eventTypes: z.array(z.object({ type: z.string(), label: z.string() })) });

export const WebhookAttempt = z.object({
  id: z.number().int(),
  attempt: z.number().int(),
  at: Timestamp,
  requestBody: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  responseCode: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  nextRetryAt: Timestamp.nullable(),
  manual: z.boolean(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z
  .object({
    id: z.number().int(),
    msgId: z.string(),
    eventType: z.string(),
    eventId: z.number().int(),
    contactId: z.number().int().nullable(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: Timestamp.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    payload: z.record(z.string(), z.unknown()),
    attemptLog: z.array(WebhookAttempt),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryQuery = z.object({
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
  /** Deliveries with an id below this (the next page). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const WebhookDeliveryPage = z.object({ items: z.array(WebhookDelivery), nextBefore: z.number().int().nullable() });

export const DeliveryParams = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  deliveryId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
