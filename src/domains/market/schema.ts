// Tables of the market domain: markets (the job the customer is trying to get done), need-based segments
// (rules compiled to SQL, see compile.ts) with their current members and the history of joins and leaves,
// static lists, ICP definitions (each one owns a fit score model, so the ICP grade IS the fit grade) and
// the market inbox: contacts whose data changed, queued by triggers in the same transaction as the change
// (migration market_triggers) and re-evaluated by the membership loop (membership-loop.ts).
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { scoreModels } from '../scoring/schema.ts';

export const markets = pgTable(
  'markets',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    name: text('name').notNull(),
    /** The job the customer is trying to get done, stated without products ("keep the books closed on time"). */
    jobStatement: text('job_statement').notNull(),
    description: text('description'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('markets_name_unique').on(t.workspaceId, sql`lower(${t.name})`)],
);

export const SEGMENT_STATUSES = ['active', 'archived'] as const;
export type SegmentStatus = (typeof SEGMENT_STATUSES)[number];

export const segments = pgTable(
  'segments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    marketId: integer('market_id').references(() => markets.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    /** The need this segment shares, in the customer's words. */
    need: text('need'),
    /** The rule tree (contracts/market.ts SegmentRule). */
    rule: jsonb('rule').$type<unknown>().notNull(),
    /** Bumped when the rule changes (a rebuild follows). */
    version: integer('version').notNull().default(1),
    status: text('status').$type<SegmentStatus>().notNull().default('active'),
    /** The rule reads relative time (within the last n days): the periodic sweep rebuilds it. */
    timeRelative: boolean('time_relative').notNull().default(false),
    memberCount: integer('member_count').notNull().default(0),
    lastRebuiltAt: timestamp('last_rebuilt_at', { withTimezone: true }),
    lastRebuildMs: integer('last_rebuild_ms'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('segments_name_unique').on(t.workspaceId, sql`lower(${t.name})`), index('segments_market_idx').on(t.marketId)],
);

/** Current members of a segment. */
export const segmentMembers = pgTable(
  'segment_members',
  {
    segmentId: integer('segment_id')
      .notNull()
      .references(() => segments.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    workspaceId: integer('workspace_id').notNull().default(1),
    since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.contactId] }), index('segment_members_contact_idx').on(t.contactId)],
);

export const MEMBER_CHANGES = ['joined', 'left'] as const;
export type MemberChange = (typeof MEMBER_CHANGES)[number];
/** Why membership changed: a full rebuild, a data change (event-driven), the time-window sweep. */
export const MEMBER_CAUSES = ['rebuild', 'change', 'sweep'] as const;
export type MemberCause = (typeof MEMBER_CAUSES)[number];

/** Every join and leave (contact ids are kept after the contact is gone: no FK). */
export const segmentMemberHistory = pgTable(
  'segment_member_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    segmentId: integer('segment_id')
      .notNull()
      .references(() => segments.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' }).notNull(),
    change: text('change').$type<MemberChange>().notNull(),
    cause: text('cause').$type<MemberCause>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('segment_member_history_segment_idx').on(t.segmentId, t.at), index('segment_member_history_contact_idx').on(t.contactId, t.at)],
);

/** Static lists: contacts added and removed by hand or by CSV of emails. */
export const contactLists = pgTable(
  'contact_lists',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    name: text('name').notNull(),
    description: text('description'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('contact_lists_name_unique').on(t.workspaceId, sql`lower(${t.name})`)],
);

export const contactListMembers = pgTable(
  'contact_list_members',
  {
    listId: integer('list_id')
      .notNull()
      .references(() => contactLists.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    workspaceId: integer('workspace_id').notNull().default(1),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    addedBy: integer('added_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.listId, t.contactId] }), index('contact_list_members_contact_idx').on(t.contactId)],
);

/** An ICP: a market's ideal customer profile. Its rules live in its own fit model (score_models, kind fit). */
export const icpDefinitions = pgTable(
  'icp_definitions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    marketId: integer('market_id').references(() => markets.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    description: text('description'),
    fitModelId: integer('fit_model_id')
      .notNull()
      .references(() => scoreModels.id, { onDelete: 'restrict' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('icp_definitions_model_unique').on(t.fitModelId), uniqueIndex('icp_definitions_name_unique').on(t.workspaceId, sql`lower(${t.name})`)],
);

/**
 * Contacts (or events, resolved to their contacts) whose data changed, waiting for the membership loop.
 * Filled by triggers in the transaction of the change (contacts, accounts, scores, buying stages, the
 * scoring inbox for events) and by list changes; the loop claims rows with SKIP LOCKED and deletes them in
 * the transaction that updates segment_members.
 */
export const marketInbox = pgTable('market_inbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  workspaceId: integer('workspace_id').notNull().default(1),
  contactIds: bigint('contact_ids', { mode: 'number' }).array(),
  eventIds: bigint('event_ids', { mode: 'number' }).array(),
  receivedFrom: timestamp('received_from', { withTimezone: true }),
  receivedTo: timestamp('received_to', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type MarketRow = typeof markets.$inferSelect;
export type SegmentRow = typeof segments.$inferSelect;
export type ContactListRow = typeof contactLists.$inferSelect;
export type IcpRow = typeof icpDefinitions.$inferSelect;
