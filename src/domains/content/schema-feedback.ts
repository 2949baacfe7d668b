// Tables of the content insights (reader feedback, coverage, influence, audit): reader ratings from the
// embeddable widget, the per-item performance rollup the coverage map and the audit read, the influence
// rows (a contact who consumed an item and later reached sales-ready / opportunity / customer), and the
// audit thresholds. Core content tables: ./schema.ts.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, numeric, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { contacts } from '../contacts/schema.ts';
import { users } from '../identity/schema.ts';
import { sources } from '../tracking/schema.ts';
import { contentItems } from './schema.ts';

/**
 * A reader's rating (1–5) and optional comment of an item. One per reader and item: `readerKey` is `u:<userId>`
 * or `a:<anonymousId>`; rating again replaces the earlier one. `contactId` is the contact the ids were stitched
 * to when the rating arrived (null: not known yet; read-time look-ups resolve it through `identities`).
 */
export const contentRatings = pgTable(
  'content_ratings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    itemId: integer('item_id')
      .notNull()
      .references(() => contentItems.id, { onDelete: 'cascade' }),
    readerKey: text('reader_key').notNull(),
    anonymousId: text('anonymous_id'),
    userId: text('user_id'),
    contactId: bigint('contact_id', { mode: 'number' }).references(() => contacts.id, { onDelete: 'set null' }),
    rating: smallint('rating').notNull(),
    comment: text('comment'),
    sourceId: integer('source_id').references(() => sources.id, { onDelete: 'set null' }),
    pageUrl: text('page_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('content_ratings_reader_unique').on(t.workspaceId, t.itemId, t.readerKey),
    index('content_ratings_item_idx').on(t.itemId, t.updatedAt),
    index('content_ratings_contact_idx').on(t.contactId),
    check('content_ratings_rating_range', sql`${t.rating} between 1 and 5`),
    check('content_ratings_comment_length', sql`char_length(${t.comment}) <= 2000`),
  ],
);

/**
 * Per-item performance, recomputed by the `content.insights.refresh` job (every 5 minutes, and on demand)
 * from content_daily (views, depth: every visitor), content_consumption (known readers), contact buying
 * stages (stage fit), ratings and content_influence. The coverage map and the audit read only this table, so
 * they stay fast at any event volume; `refreshedAt` tells how fresh it is.
 */
export const contentItemStats = pgTable('content_item_stats', {
  itemId: integer('item_id')
    .primaryKey()
    .references(() => contentItems.id, { onDelete: 'cascade' }),
  workspaceId: integer('workspace_id').notNull().default(1),
  views: bigint('views', { mode: 'number' }).notNull().default(0),
  anonymousViews: bigint('anonymous_views', { mode: 'number' }).notNull().default(0),
  /** Known contacts who consumed the item. */
  readers: integer('readers').notNull().default(0),
  /** Read sessions (Content Read events) and the sum of their max depth (avg depth = depthSum / reads). */
  reads: bigint('reads', { mode: 'number' }).notNull().default(0),
  depthSum: real('depth_sum').notNull().default(0),
  activeSeconds: bigint('active_seconds', { mode: 'number' }).notNull().default(0),
  views90d: bigint('views_90d', { mode: 'number' }).notNull().default(0),
  lastViewedAt: timestamp('last_viewed_at', { withTimezone: true }),
  /** Readers with a known buying stage, and those of them within one stage of the item's stage. */
  stageKnownReaders: integer('stage_known_readers').notNull().default(0),
  stageFitReaders: integer('stage_fit_readers').notNull().default(0),
  ratings: integer('ratings').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),
  influencedContacts: integer('influenced_contacts').notNull().default(0),
  /** Sum of the amounts of the distinct open or won deals of the influenced contacts. */
  influencedPipeline: numeric('influenced_pipeline', { precision: 16, scale: 2, mode: 'number' }).notNull().default(0),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Influence: a contact consumed the item (content_consumption.first_at) and later reached sales_ready,
 * opportunity or customer (lifecycle_transitions). One row per item and contact with the most advanced such
 * stage and when it was first reached after the read. Recomputed with the stats.
 */
export const contentInfluence = pgTable(
  'content_influence',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => contentItems.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** sales_ready | opportunity | customer: the most advanced stage reached after the first read. */
    reachedStage: text('reached_stage').notNull(),
    reachedAt: timestamp('reached_at', { withTimezone: true }).notNull(),
    firstReadAt: timestamp('first_read_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.contactId] }), index('content_influence_contact_idx').on(t.contactId)],
);

/** Per-workspace audit thresholds (src/contracts/content-insights.ts AuditSettings; defaults when no row). */
export const contentAuditSettings = pgTable('content_audit_settings', {
  workspaceId: integer('workspace_id').primaryKey(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ContentRating = typeof contentRatings.$inferSelect;
