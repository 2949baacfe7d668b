// Typed description of the partitioned `events` table for drizzle queries.
//
// The table itself is created by the hand-written migration 0002_tracking_events_partitioned.sql
// (`partition by range (received_at)`, monthly partitions, a default partition, and the function
// revloop_ensure_event_partitions() that the tracking maintenance job calls to create partitions ahead).
// This file is intentionally NOT exported from the schema barrel (src/db/schema.ts): drizzle-kit only
// reads the barrel, so it never tries to create or alter this table. Keep the columns here in step with
// the migration by hand.
import { sql } from 'drizzle-orm';
import { bigint, boolean, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const events = pgTable('events', {
  id: bigint('id', { mode: 'number' }).notNull().default(sql`nextval('events_id_seq')`),
  workspaceId: integer('workspace_id').notNull().default(1),
  /** sources.id; not a foreign key since migration 0030 (sources are never deleted). */
  sourceId: integer('source_id').notNull(),
  messageId: text('message_id').notNull(),
  /** track | identify | page | screen | group | alias */
  type: text('type').notNull(),
  /** track: the event name; page/screen: the page name. */
  event: text('event'),
  contactId: bigint('contact_id', { mode: 'number' }),
  anonymousId: text('anonymous_id'),
  userId: text('user_id'),
  groupId: text('group_id'),
  previousId: text('previous_id'),
  /** When it happened, corrected for client clock skew. */
  timestamp: timestamp('timestamp', { withTimezone: true }).notNull(),
  /** When revloop received it (the partition key). */
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  /** The client's timestamp as sent, before skew correction. */
  originalTimestamp: timestamp('original_timestamp', { withTimezone: true }),
  properties: jsonb('properties').$type<Record<string, unknown>>(),
  traits: jsonb('traits').$type<Record<string, unknown>>(),
  context: jsonb('context').$type<Record<string, unknown>>(),
  integrations: jsonb('integrations').$type<Record<string, unknown>>(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  pageUrl: text('page_url'),
  pagePath: text('page_path'),
  pageReferrer: text('page_referrer'),
  pageTitle: text('page_title'),
  utmCampaign: text('utm_campaign'),
  utmSource: text('utm_source'),
  utmMedium: text('utm_medium'),
  utmTerm: text('utm_term'),
  utmContent: text('utm_content'),
  /** Sent by a bot (isbot): kept for counting, excluded from engagement (timelines, funnels, stitching). */
  isBot: boolean('is_bot').notNull().default(false),
});

export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;
