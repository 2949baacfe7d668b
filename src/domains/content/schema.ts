// Tables of the content domain (core, owned by items/urls/workflow/consumption): content items with their
// URL match rules, the workspace's URL settings (which query parameters identify a page), subject-matter
// experts and what they contributed, the editorial workflow history, and consumption (per contact per item,
// and per item per day including anonymous visitors). Ratings live in schema-feedback.ts, field intel in
// schema-intel.ts. Vocabulary (stages, types, formats, statuses): src/contracts/content.ts.
import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, pgTable, primaryKey, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ContentFormat, ContentStage, ContentStatus, ContentType, UrlMatchKind } from '../../contracts/content.ts';
import { contacts } from '../contacts/schema.ts';
import { users } from '../identity/schema.ts';
import { objectives } from '../plan/schema-objectives.ts';

export const contentItems = pgTable(
  'content_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    title: text('title').notNull(),
    summary: text('summary'),
    type: text('type').$type<ContentType>().notNull(),
    format: text('format').$type<ContentFormat>().notNull().default('article'),
    /** The buying stage the item is written for (seed 002). */
    stage: text('stage').$type<ContentStage>().notNull(),
    status: text('status').$type<ContentStatus>().notNull().default('idea'),
    topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
    /** Markets / segments. */
    segments: text('segments').array().notNull().default(sql`'{}'::text[]`),
    products: text('products').array().notNull().default(sql`'{}'::text[]`),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** Research step: who the item is for, and what the team learned about that reader. */
    targetReader: text('target_reader'),
    researchNotes: text('research_notes'),
    /** Due date of the next workflow step (`dueStatus`): overdue while the item is still before that step. */
    dueDate: date('due_date', { mode: 'string' }),
    dueStatus: text('due_status').$type<ContentStatus>(),
    /** Planned publish date (scheduled) or the actual one (published); the calendar places items on it. */
    publishDate: date('publish_date', { mode: 'string' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Imported inventories: the id in the source system (upsert key of the CSV import). */
    externalId: text('external_id'),
    /** The objective the item serves (plan domain); null = a random act in the random-acts report. */
    objectiveId: bigint('objective_id', { mode: 'number' }).references(() => objectives.id, { onDelete: 'set null' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Last change of the item's content fields (freshness in the audit). */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('content_items_workspace_idx').on(t.workspaceId, t.id),
    index('content_items_stage_type_idx').on(t.workspaceId, t.stage, t.type),
    index('content_items_status_idx').on(t.workspaceId, t.status),
    index('content_items_publish_idx').on(t.workspaceId, t.publishDate),
    uniqueIndex('content_items_external_id_unique').on(t.workspaceId, t.externalId),
  ],
);

/**
 * URL ↔ content match rules. `normalized` is the normalised URL without scheme ("host/path?kept=params",
 * src/domains/content/match.ts); `exact` matches that page only, `prefix` every page under the path. The
 * canonical URL of an item is its public address (the library copies it). One rule per (normalized, kind)
 * per workspace: a page belongs to one item.
 */
export const contentUrls = pgTable(
  'content_urls',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    itemId: integer('item_id')
      .notNull()
      .references(() => contentItems.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    normalized: text('normalized').notNull(),
    kind: text('kind').$type<UrlMatchKind>().notNull().default('exact'),
    canonical: boolean('canonical').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('content_urls_rule_unique').on(t.workspaceId, t.normalized, t.kind),
    index('content_urls_item_idx').on(t.itemId),
  ],
);

/** Per-workspace URL settings: query parameters that identify a page (all others are ignored in matching). */
export const contentSettings = pgTable('content_settings', {
  workspaceId: integer('workspace_id').primaryKey(),
  keptQueryParams: text('kept_query_params').array().notNull().default(sql`'{}'::text[]`),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The thought-leadership network: subject-matter experts (a revloop user or an outside expert). */
export const contentSmes = pgTable(
  'content_smes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    name: text('name').notNull(),
    email: text('email'),
    title: text('title'),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('content_smes_name_unique').on(t.workspaceId, sql`lower(${t.name})`)],
);

/** Which SMEs contributed to which item, and how (interview, author, reviewer…). */
export const contentItemSmes = pgTable(
  'content_item_smes',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => contentItems.id, { onDelete: 'cascade' }),
    smeId: integer('sme_id')
      .notNull()
      .references(() => contentSmes.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('interview'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.smeId] }), index('content_item_smes_sme_idx').on(t.smeId)],
);

/** Every workflow status change of an item (from null: created). `skippedReview`: draft → scheduled/published. */
export const contentWorkflowHistory = pgTable(
  'content_workflow_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    itemId: integer('item_id')
      .notNull()
      .references(() => contentItems.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').$type<ContentStatus>(),
    toStatus: text('to_status').$type<ContentStatus>().notNull(),
    note: text('note'),
    skippedReview: boolean('skipped_review').notNull().default(false),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    actorLabel: text('actor_label').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('content_workflow_history_item_idx').on(t.itemId, t.occurredAt)],
);

/**
 * What each known contact consumed of each item: page views, deepest read (Content Read maxScrollPercent),
 * active reading seconds (summed), first and last time. Recomputed from the contact's events whenever the
 * scoring pass sees new page events of the contact (idempotent: merges and re-queued events never double
 * count), and rebuilt by the `content.consumption.rebuild` job.
 */
export const contentConsumption = pgTable(
  'content_consumption',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => contentItems.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    workspaceId: integer('workspace_id').notNull().default(1),
    views: integer('views').notNull().default(0),
    /** Content Read events (one per read session). */
    reads: integer('reads').notNull().default(0),
    maxDepthPct: integer('max_depth_pct').notNull().default(0),
    activeSeconds: integer('active_seconds').notNull().default(0),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.contactId] }), index('content_consumption_contact_idx').on(t.contactId, t.lastAt)],
);

/**
 * Per item per day, every visitor (known or anonymous): page views, anonymous views, read sessions, the sum
 * of their depths (avg depth = depthSum / reads) and active seconds. Maintained by the minute job from the
 * events received since `content_settings`' watermark (contentDailyState), rebuildable.
 */
export const contentDaily = pgTable(
  'content_daily',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => contentItems.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    workspaceId: integer('workspace_id').notNull().default(1),
    views: integer('views').notNull().default(0),
    anonymousViews: integer('anonymous_views').notNull().default(0),
    reads: integer('reads').notNull().default(0),
    depthSum: real('depth_sum').notNull().default(0),
    activeSeconds: integer('active_seconds').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.day] }), index('content_daily_workspace_day_idx').on(t.workspaceId, t.day)],
);

/** Watermark of the daily counter: events received up to `receivedUpTo` are counted in content_daily. */
export const contentDailyState = pgTable('content_daily_state', {
  workspaceId: integer('workspace_id').primaryKey(),
  receivedUpTo: timestamp('received_up_to', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
