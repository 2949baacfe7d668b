// Tables of the tracking domain that drizzle-kit manages. The partitioned `events` table is NOT here:
// drizzle-kit cannot express native partitioning, so it is created by the hand-written migration
// 0002_tracking_events_partitioned.sql and described for typed queries in ./events-table.ts, which is
// deliberately kept out of the schema barrel (src/db/schema.ts) so drizzle-kit never tries to create it.
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { contacts } from '../contacts/schema.ts';

/** A source sends events with its write key (Segment's "source"). The key is stored as sha256 only. */
export const sources = pgTable(
  'sources',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    name: text('name').notNull(),
    writeKeyHash: text('write_key_hash').notNull(),
    /** First characters of the key, for lists ("rlw_AbC123…"). */
    writeKeyPrefix: text('write_key_prefix').notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('sources_write_key_hash_unique').on(t.writeKeyHash), index('sources_workspace_idx').on(t.workspaceId, t.id)],
);

/**
 * messageId de-duplication. The events table is partitioned by received_at, so a unique index there would
 * have to include received_at and could not catch a retry that arrives later. This small table holds one
 * row per (workspace, source, messageId); ingest inserts here with ON CONFLICT DO NOTHING in the same
 * transaction as the events, and only messages whose row was new are stored. Rows older than the
 * de-duplication window (DEDUPE_WINDOW_DAYS, pruned by the daily tracking maintenance job) are removed.
 */
export const eventDedupe = pgTable(
  'event_dedupe',
  {
    workspaceId: integer('workspace_id').notNull().default(1),
    sourceId: integer('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.sourceId, t.messageId] }), index('event_dedupe_received_idx').on(t.receivedAt)],
);

export const IDENTITY_KINDS = ['anonymous', 'user'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/** Which contact an anonymousId or userId belongs to (identity stitching). */
export const identities = pgTable(
  'identities',
  {
    workspaceId: integer('workspace_id').notNull().default(1),
    kind: text('kind').$type<IdentityKind>().notNull(),
    value: text('value').notNull(),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.kind, t.value] }), index('identities_contact_idx').on(t.contactId)],
);

/** Every merge of two contacts (alias, or one userId seen with two emails): who was merged into whom, and the loser as it was. */
export const contactMerges = pgTable(
  'contact_merges',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** The contact that remains. */
    winnerId: bigint('winner_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** The merged-away contact's id (the row itself is gone). */
    loserId: bigint('loser_id', { mode: 'number' }).notNull(),
    loserEmail: text('loser_email').notNull(),
    /** The loser row as it was before the merge (columns and properties). */
    loserSnapshot: jsonb('loser_snapshot').$type<Record<string, unknown>>().notNull(),
    /** Why: alias, identify. */
    reason: text('reason').notNull(),
    /** Events moved from the loser to the winner. */
    eventsMoved: integer('events_moved').notNull().default(0),
    mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('contact_merges_winner_idx').on(t.winnerId), index('contact_merges_loser_idx').on(t.loserId)],
);

/** Recently rejected messages with their reason, for the live debugger and the rejected count. Pruned to the newest per source. */
export const trackingRejections = pgTable(
  'tracking_rejections',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    sourceId: integer('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** The endpoint called (track, batch …). */
    endpoint: text('endpoint').notNull(),
    /** Index inside a batch; null for a single message or a whole request. */
    batchIndex: integer('batch_index'),
    messageId: text('message_id'),
    reason: text('reason').notNull(),
    /** The message (truncated when large). */
    payload: jsonb('payload'),
  },
  (t) => [index('tracking_rejections_source_idx').on(t.sourceId, t.id.desc()), index('tracking_rejections_received_idx').on(t.receivedAt)],
);

export type Source = typeof sources.$inferSelect;
export type Identity = typeof identities.$inferSelect;
export type ContactMerge = typeof contactMerges.$inferSelect;
export type TrackingRejection = typeof trackingRejections.$inferSelect;
