// Tables of the lifecycle domain: every stage transition of a contact (the exact history behind time in
// stage and conversion), the versioned sales-ready definition with its two-sided approvals, the
// workspace's lifecycle settings (thresholds, handoff points, routing, SLAs), deals from the CRM (REST or
// CSV), and the sales handoff queue. `contacts.lifecycle_stage` holds the current stage; only this domain
// changes it (through its transition verb), always together with a row here.
import { bigint, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, date } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from '../identity/schema.ts';
import { accounts, contacts, type LifecycleStage } from '../contacts/schema.ts';

export const TRANSITION_CAUSES = ['rule', 'manual', 'deal', 'handoff', 'import', 'api', 'self_service'] as const;
export type TransitionCause = (typeof TRANSITION_CAUSES)[number];

/** One row per stage change. `fromStage` null: the contact's first stage. */
export const lifecycleTransitions = pgTable(
  'lifecycle_transitions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage').$type<LifecycleStage>(),
    toStage: text('to_stage').$type<LifecycleStage>().notNull(),
    cause: text('cause').$type<TransitionCause>().notNull(),
    /** Why, in words: the rule that fired, the reason a person gave, the deal. */
    reason: text('reason'),
    /** Structured cause: { definitionVersion, scores } for rules, { dealId } for deals, { handoffId } … */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    actorType: text('actor_type').notNull(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    actorLabel: text('actor_label').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lifecycle_transitions_contact_idx').on(t.contactId, t.occurredAt, t.id),
    index('lifecycle_transitions_to_stage_idx').on(t.workspaceId, t.toStage, t.occurredAt),
  ],
);

export const DEFINITION_STATUSES = ['pending', 'active', 'superseded', 'rejected'] as const;
export type DefinitionStatus = (typeof DEFINITION_STATUSES)[number];

/**
 * The sales-ready lead definition, versioned. `rule`: { minFitGrade, minEngagement, buyingStages,
 * requiredProperties, fitModelId, engagementModelId } (src/contracts/lifecycle.ts). A version is proposed
 * as `pending` and becomes `active` only when one marketing user and one sales user have approved it; the
 * active one before it becomes `superseded`.
 */
export const salesReadyDefinitions = pgTable(
  'sales_ready_definitions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    version: integer('version').notNull(),
    rule: jsonb('rule').$type<Record<string, unknown>>().notNull(),
    notes: text('notes'),
    status: text('status').$type<DefinitionStatus>().notNull().default('pending'),
    proposedBy: integer('proposed_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('sales_ready_definitions_version_unique').on(t.workspaceId, t.version),
    // At most one active version per workspace.
    uniqueIndex('sales_ready_definitions_one_active').on(t.workspaceId).where(sql`status = 'active'`),
  ],
);

export const APPROVAL_SIDES = ['marketing', 'sales'] as const;
export type ApprovalSide = (typeof APPROVAL_SIDES)[number];

/** A user's decision on a definition version, for their side (their role at the time). */
export const salesReadyApprovals = pgTable(
  'sales_ready_approvals',
  {
    definitionId: integer('definition_id')
      .notNull()
      .references(() => salesReadyDefinitions.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    side: text('side').$type<ApprovalSide>().notNull(),
    decision: text('decision').$type<'approve' | 'reject'>().notNull(),
    comment: text('comment'),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.definitionId, t.userId] })],
);

/**
 * Per-workspace lifecycle settings, one row: { leadRule, mqlRule, handoffPoints: [{ name, match, mode:
 * 'sales' | 'self_service' }], routing: { mode: 'round_robin' | 'account_owner' | 'territory', pool,
 * territories }, sla: { sales_ready: hours, … }, lostDealStage } (src/contracts/lifecycle.ts).
 */
export const lifecycleSettings = pgTable('lifecycle_settings', {
  workspaceId: integer('workspace_id').primaryKey(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
  /** Round-robin pointer: the user who got the last lead. */
  lastRoutedUserId: integer('last_routed_user_id').references(() => users.id, { onDelete: 'set null' }),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const DEAL_STAGES = ['intent', 'job_to_be_done', 'won', 'lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];

/**
 * Deals (opportunities) from the CRM, by REST or CSV; `externalId` is the CRM's id (upsert key). Seed 003's two
 * iterative sales cycles are the open stages: the intent cycle, then the job-to-be-done cycle.
 */
export const deals = pgTable(
  'deals',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    externalId: text('external_id'),
    name: text('name').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2, mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('USD'),
    stage: text('stage').$type<DealStage>().notNull().default('intent'),
    closeDate: date('close_date', { mode: 'string' }),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    accountId: bigint('account_id', { mode: 'number' }).references(() => accounts.id, { onDelete: 'set null' }),
    lostReason: text('lost_reason'),
    wonAt: timestamp('won_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('deals_external_id_unique').on(t.workspaceId, t.externalId),
    index('deals_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('deals_account_idx').on(t.accountId),
    index('deals_owner_idx').on(t.ownerId),
  ],
);

export const dealContacts = pgTable(
  'deal_contacts',
  {
    dealId: bigint('deal_id', { mode: 'number' })
      .notNull()
      .references(() => deals.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    role: text('role'),
  },
  (t) => [primaryKey({ columns: [t.dealId, t.contactId] }), index('deal_contacts_contact_idx').on(t.contactId)],
);

export const HANDOFF_STATUSES = ['pending', 'accepted', 'rejected', 'recycled'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/**
 * The sales handoff queue: one row each time a contact becomes sales-ready (and goes to sales). `why` is the
 * snapshot shown to the rep (score breakdown, consumed content, field notes). `dueAt` is the SLA deadline
 * for accepting; `breachedAt` is set by the SLA job when it passes while still pending.
 */
export const handoffs = pgTable(
  'handoffs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    status: text('status').$type<HandoffStatus>().notNull().default('pending'),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** How the owner was chosen: round_robin, account_owner, territory:<name>, manual. */
    routedBy: text('routed_by').notNull(),
    why: jsonb('why').$type<Record<string, unknown>>().notNull().default({}),
    dueAt: timestamp('due_at', { withTimezone: true }),
    breachedAt: timestamp('breached_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /**
     * The second SLA, after acceptance: by then the rep must have followed the lead up (opportunity, or
     * recycled / disqualified). Set on accept when settings.sla.salesAcceptedFollowUpHours is configured;
     * followUpBreachedAt is set by the SLA job when it passes while the contact is still sales-accepted.
     */
    followUpDueAt: timestamp('follow_up_due_at', { withTimezone: true }),
    followUpBreachedAt: timestamp('follow_up_breached_at', { withTimezone: true }),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('handoffs_queue_idx').on(t.workspaceId, t.status, t.createdAt),
    index('handoffs_owner_idx').on(t.ownerId, t.status),
    index('handoffs_contact_idx').on(t.contactId, t.createdAt),
    index('handoffs_due_idx').on(t.dueAt).where(sql`status = 'pending' and breached_at is null`),
    index('handoffs_follow_up_due_idx').on(t.followUpDueAt).where(sql`status = 'accepted' and follow_up_breached_at is null`),
    // One open handoff per contact.
    uniqueIndex('handoffs_one_pending').on(t.contactId).where(sql`status = 'pending'`),
  ],
);
