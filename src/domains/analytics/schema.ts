// Tables of the analytics domain: offline touches (events, calls … imported by CSV or the API), the touch
// rollup every attribution model reads (one row per marketing touch of a contact: tracked events with a UTM
// campaign, email clicks, content first reads, offline touches), the daily stage-flow rollup the funnel reads,
// the rollup watermarks, and the workspace's analytics settings (time-decay half-life, lookback).
import { bigint, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from '../identity/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { campaigns } from '../plan/schema.ts';

export const OFFLINE_TOUCH_KINDS = ['event', 'call', 'meeting', 'webinar', 'direct_mail', 'other'] as const;
export type OfflineTouchKind = (typeof OFFLINE_TOUCH_KINDS)[number];

/** A touch that happened outside the tracked web: a trade-show visit, a call, a meeting. */
export const offlineTouches = pgTable(
  'offline_touches',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** The importer's id (upsert key); null for touches entered once. */
    externalId: text('external_id'),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    campaignId: bigint('campaign_id', { mode: 'number' }).references(() => campaigns.id, { onDelete: 'set null' }),
    kind: text('kind').$type<OfflineTouchKind>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    note: text('note'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('offline_touches_external_unique').on(t.workspaceId, t.externalId), index('offline_touches_contact_idx').on(t.contactId, t.occurredAt)],
);

export const TOUCH_KINDS = ['utm', 'email_click', 'content', 'offline'] as const;
export type TouchKind = (typeof TOUCH_KINDS)[number];

/**
 * The touch rollup (maintained by the analytics.rollup job, idempotent: keyed by `sourceKey` — `e:<event id>`,
 * `c:<item>:<contact>`, `o:<offline id>`). No foreign key on contact: a merge moves touches to the winner (the
 * job replays contact_merges), and anonymous touches get their contact when the visitor is identified.
 */
export const analyticsTouches = pgTable(
  'analytics_touches',
  {
    workspaceId: integer('workspace_id').notNull().default(1),
    sourceKey: text('source_key').notNull(),
    contactId: bigint('contact_id', { mode: 'number' }),
    anonymousId: text('anonymous_id'),
    kind: text('kind').$type<TouchKind>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** Lower-cased utm_campaign (events); offline touches carry campaignId instead. */
    utmCampaign: text('utm_campaign'),
    campaignId: bigint('campaign_id', { mode: 'number' }),
    contentItemId: integer('content_item_id'),
    /** utm_medium for events, 'email' for clicks, 'content', or the offline kind. */
    channel: text('channel'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.sourceKey] }),
    index('analytics_touches_contact_idx').on(t.contactId, t.occurredAt),
    index('analytics_touches_anon_idx').on(t.workspaceId, t.anonymousId).where(sql`contact_id is null`),
  ],
);

/** Stage flows per UTC day: how many transitions from → to (from '' = a contact's first stage). */
export const analyticsStageDaily = pgTable(
  'analytics_stage_daily',
  {
    workspaceId: integer('workspace_id').notNull().default(1),
    day: date('day', { mode: 'string' }).notNull(),
    fromStage: text('from_stage').notNull(),
    toStage: text('to_stage').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.fromStage, t.toStage] })],
);

/** How far the rollups have read: events by received_at, transitions and merges by id. */
export const analyticsState = pgTable('analytics_state', {
  workspaceId: integer('workspace_id').primaryKey(),
  eventsReceivedAt: timestamp('events_received_at', { withTimezone: true }),
  transitionId: bigint('transition_id', { mode: 'number' }).notNull().default(0),
  mergeId: bigint('merge_id', { mode: 'number' }).notNull().default(0),
  /** Fingerprint of the campaigns (id, UTM code, channel) the path rollup's keys were resolved with. */
  campaignsKey: text('campaigns_key'),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }),
});

/** { halfLifeDays, lookbackDays } (src/contracts/analytics.ts AnalyticsSettings; defaults when no row). */
export const analyticsSettings = pgTable('analytics_settings', {
  workspaceId: integer('workspace_id').primaryKey(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type OfflineTouchRow = typeof offlineTouches.$inferSelect;

/**
 * The span rollup the funnel's velocity reads: one row per lifecycle transition (the stage a contact entered, when,
 * and when it left it: its next transition), kept by the analytics.rollup job for the contacts with new transitions.
 */
export const analyticsSpans = pgTable(
  'analytics_spans',
  {
    workspaceId: integer('workspace_id').notNull().default(1),
    transitionId: bigint('transition_id', { mode: 'number' }).notNull(),
    contactId: bigint('contact_id', { mode: 'number' }).notNull(),
    stage: text('stage').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.transitionId] }),
    index('analytics_spans_contact_idx').on(t.contactId),
    index('analytics_spans_left_idx').on(t.workspaceId, t.leftAt),
    index('analytics_spans_entered_idx').on(t.workspaceId, t.enteredAt),
  ],
);

/**
 * The path rollup the data-driven (Markov) model reads: per contact with touches, its touches' credit keys in
 * order (campaign, channel and content keys, '\u0001'-separated) and when its first and last touch happened.
 * Kept by the analytics.rollup job for the contacts whose touches changed; rebuilt when campaigns change
 * (`campaignsKey` in analytics_state), since the keys resolve UTM codes to campaigns and channels.
 */
export const analyticsPaths = pgTable(
  'analytics_paths',
  {
    workspaceId: integer('workspace_id').notNull().default(1),
    contactId: bigint('contact_id', { mode: 'number' }).notNull(),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    campaignPath: text('campaign_path').notNull(),
    channelPath: text('channel_path').notNull(),
    /** Null when the contact read no content. */
    contentPath: text('content_path'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.contactId] }),
    index('analytics_paths_window_idx').on(t.workspaceId, t.firstAt, t.lastAt),
    index('analytics_paths_last_idx').on(t.workspaceId, t.lastAt),
  ],
);

/**
 * The Markov chain's transition counts of the path rollup, pre-aggregated: per path kind (campaign, channel,
 * content) and per bucket of contacts (the UTC months of their first and last touch), how many paths go from one
 * state to the next after collapsing repeats ('' as from: the start; '' as to: the path's end). Kept with
 * analytics_paths in the same transaction (the old path's edges subtracted, the new one's added), so a request sums
 * the buckets wholly inside its window and reads only the contacts of the edge months one by one.
 */
export const analyticsPathEdges = pgTable(
  'analytics_path_edges',
  {
    workspaceId: integer('workspace_id').notNull().default(1),
    pathKind: text('path_kind').$type<'campaign' | 'channel' | 'content'>().notNull(),
    firstMonth: timestamp('first_month', { withTimezone: true }).notNull(),
    lastMonth: timestamp('last_month', { withTimezone: true }).notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.pathKind, t.firstMonth, t.lastMonth, t.fromState, t.toState] })],
);

/**
 * The nurture rollup the funnel's nurture period reads: per contact that became sales-ready, when it first did
 * and when its nurture started (its first touch, or its creation if earlier). Kept with the spans and paths.
 */
export const analyticsNurture = pgTable(
  'analytics_nurture',
  {
    workspaceId: integer('workspace_id').notNull().default(1),
    contactId: bigint('contact_id', { mode: 'number' }).notNull(),
    salesReadyAt: timestamp('sales_ready_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.contactId] }), index('analytics_nurture_ready_idx').on(t.workspaceId, t.salesReadyAt)],
);
