// Tracking domain contracts: sources (write keys), the Segment-compatible message shapes, the tracking
// API's answers, and the read API (events, source stats, recent rejections) for the UI and CLI.
import { z } from 'zod';
import { Cursor, Limit, Timestamp } from './common.ts';

// ---------- Sources ----------

export const Source = z
  .object({
    id: z.number().int(),
    name: z.string(),
    /** First characters of the write key, to recognise it. */
    writeKeyPrefix: z.string(),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Source' });
export type Source = z.infer<typeof Source>;

export const CreateSourceInput = z.object({ name: z.string().trim().min(1, 'must not be empty').max(200) });
export type CreateSourceInput = z.infer<typeof CreateSourceInput>;

export const CreatedSource = z.object({
  source: Source,
  /** The write key, shown in this response only (stored hashed). */
  writeKey: z.string(),
});
export type CreatedSource = z.infer<typeof CreatedSource>;

export const SourceStats = z.object({
  sourceId: z.number().int(),
  /** Events received per minute over the last hour, oldest first; minutes without events are included with 0. */
  perMinute: z.array(z.object({ minute: Timestamp, events: z.number().int(), bots: z.number().int() })),
  lastHour: z.object({ events: z.number().int(), bots: z.number().int(), rejected: z.number().int() }),
  /** All-time bot events stored for the source (excluded from engagement). */
  totalBots: z.number().int(),
});
export type SourceStats = z.infer<typeof SourceStats>;

export const Rejection = z.object({
  id: z.number().int(),
  sourceId: z.number().int(),
  receivedAt: Timestamp,
  endpoint: z.string(),
  batchIndex: z.number().int().nullable(),
  messageId: z.string().nullable(),
  reason: z.string(),
  payload: z.unknown().nullable(),
});
export type Rejection = z.infer<typeof Rejection>;

export const RejectionsQuery = z.object({ limit: Limit, sourceId: z.coerce.number().int().positive().optional() });
export const RejectionsPage = z.object({ items: z.array(Rejection) });

// ---------- Events read API ----------

export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const EventsQuery = z.object({
  contactId: z.coerce.number().int().positive().optional(),
  sourceId: z.coerce.number().int().positive().optional(),
  type: EventType.optional(),
  /** Include events from bots (excluded by default: they are not engagement). */
  includeBots: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .optional()
    .transform((v) => v === true || v === 'true'),
  limit: Limit,
  cursor: Cursor,
});
export type EventsQuery = z.infer<typeof EventsQuery>;

export const TrackedEvent = z
  .object({
    id: z.number().int(),
    sourceId: z.number().int(),
    messageId: z.string(),
    type: EventType,
    event: z.string().nullable(),
    contactId: z.number().int().nullable(),
    anonymousId: z.string().nullable(),
    userId: z.string().nullable(),
    groupId: z.string().nullable(),
    previousId: z.string().nullable(),
    timestamp: Timestamp,
    receivedAt: Timestamp,
    sentAt: Timestamp.nullable(),
    properties: z.record(z.string(), z.unknown()).nullable(),
    traits: z.record(z.string(), z.unknown()).nullable(),
    context: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    page: z.object({ url: z.string().nullable(), path: z.string().nullable(), referrer: z.string().nullable(), title: z.string().nullable() }),
    campaign: z.object({
      name: z.string().nullable(),
      source: z.string().nullable(),
      medium: z.string().nullable(),
      term: z.string().nullable(),
      content: z.string().nullable(),
      /** The revloop campaign whose UTM code this is (matched in any case), if one exists. */
      linked: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    }),
    isBot: z.boolean(),
  })
  .meta({ id: 'TrackedEvent' });
export type TrackedEvent = z.infer<typeof TrackedEvent>;

export const EventsPage = z.object({ items: z.array(TrackedEvent), nextCursor: z.string().nullable() });
export type EventsPage = z.infer<typeof EventsPage>;

// ---------- Tracking API (Segment HTTP Tracking API) ----------

/** Segment limits: 32 KB per message, 500 KB per batch request. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;

const Id = z.union([z.string().max(500), z.number().finite()]).transform((v) => String(v));
const Obj = z.record(z.string(), z.unknown());
const Time = z
  .union([z.string().max(100), z.number().finite()])
  .transform((v, ctx) => {
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid ISO-8601 date' });
      return z.NEVER;
    }
    return d;
  });

/** One message as Segment libraries send it. Unknown fields are ignored. */
export const TrackingMessage = z
  .object({
    type: EventType,
    messageId: z.string().min(1).max(200).optional(),
    userId: Id.nullish(),
    anonymousId: Id.nullish(),
    event: z.string().max(500).nullish(),
    name: z.string().max(500).nullish(),
    category: z.string().max(500).nullish(),
    properties: Obj.nullish(),
    traits: Obj.nullish(),
    context: Obj.nullish(),
    integrations: Obj.nullish(),
    timestamp: Time.nullish(),
    originalTimestamp: Time.nullish(),
    sentAt: Time.nullish(),
    previousId: Id.nullish(),
    groupId: Id.nullish(),
  })
  .superRefine((m, ctx) => {
    if (m.type !== 'alias' && (m.userId == null || m.userId === '') && (m.anonymousId == null || m.anonymousId === '')) {
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'userId or anonymousId is required' });
    }
    if (m.type === 'track' && !m.event) ctx.addIssue({ code: 'custom', path: ['event'], message: 'event is required for track' });
    if (m.type === 'alias') {
      if (!m.previousId) ctx.addIssue({ code: 'custom', path: ['previousId'], message: 'previousId is required for alias' });
      if (!m.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'userId is required for alias' });
    }
    if (m.type === 'group' && !m.groupId) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'groupId is required for group' });
  });
export type TrackingMessage = z.infer<typeof TrackingMessage>;

export const RejectedMessage = z.object({
  /** Position in the batch (0-based). */
  index: z.number().int(),
  messageId: z.string().nullable(),
  reason: z.string(),
});
export type RejectedMessage = z.infer<typeof RejectedMessage>;

/** The answer of every /v1 endpoint: Segment's `{ success: true }` plus what happened to each message. */
export const TrackResponse = z.object({
  success: z.literal(true),
  /** Messages newly stored. */
  stored: z.number().int(),
  /** Messages already stored earlier (same messageId): acknowledged, not stored again. */
  duplicates: z.number().int(),
  /** Messages refused, with their index and reason (batch only). The rest of the batch was kept. */
  rejected: z.array(RejectedMessage),
});
export type TrackResponse = z.infer<typeof TrackResponse>;
