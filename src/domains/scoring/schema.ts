// Tables of the scoring domain: fit and engagement models, the points ledger that explains every
// engagement score, the current scores per contact and model, buying-stage rules and each contact's
// inferred buying stage, the scoring inbox that carries new events from ingest to the scorer, and
// rescore runs. Rule shapes are validated by the contracts in src/contracts/scoring.ts.
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { contacts } from '../contacts/schema.ts';

export const SCORE_MODEL_KINDS = ['fit', 'engagement'] as const;
export type ScoreModelKind = (typeof SCORE_MODEL_KINDS)[number];

/** Seed 002's buying stages, in order; content items and page rules are tagged with one. */
export const BUYING_STAGES = ['epiphany', 'awareness', 'interest', 'consideration', 'purchase', 'post_sale'] as const;
export type BuyingStage = (typeof BUYING_STAGES)[number];

/**
 * A scoring model. Fit: `rules` are weighted conditions over contact / account fields → 0–100 and a grade
 * (thresholds in `grades`). Engagement: `rules` give points per behaviour (event + conditions), with caps
 * per period, decayed with `halfLifeDays`. `version` increases with every change of rules (a rescore
 * brings scores to the new version). Exactly one active model per kind is the default.
 */
export const scoreModels = pgTable(
  'score_models',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    kind: text('kind').$type<ScoreModelKind>().notNull(),
    name: text('name').notNull(),
    description: text('description'),
    rules: jsonb('rules').$type<unknown[]>().notNull().default([]),
    /** Fit only: minimum score per grade, e.g. {"A":80,"B":60,"C":40,"D":20} (below D is F). */
    grades: jsonb('grades').$type<Record<string, number> | null>(),
    /** Engagement only: points lose half their value every halfLifeDays (null: no decay). */
    halfLifeDays: doublePrecision('half_life_days'),
    isDefault: boolean('is_default').notNull().default(false),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('score_models_workspace_kind_idx').on(t.workspaceId, t.kind, t.id)],
);

/**
 * The engagement ledger: one row per contact × model × rule, the aggregate of every event the rule matched
 * (after caps): how many earned points (`times`), how many a cap stopped entirely (`cappedTimes`), Σ points
 * earned, and the decay-weighted sum relative to `lastAt` (the latest matched event): decaySum =
 * Σ earned_i × 0.5^((lastAt − t_i) / halfLife), so the value at `now` is decaySum × 0.5^(max(0, now − lastAt)
 * / halfLife), exact and aggregable (two rows combine by rescaling to the later lastAt; ledger.ts). Detail per
 * cap window is derived from the events when explained (explain-entries.ts); caps of new events are counted
 * from the contact's scored events of the same window (worker-engagement.ts).
 */
export const scoreLedger = pgTable(
  'score_ledger',
  {
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    modelId: integer('model_id')
      .notNull()
      .references(() => scoreModels.id, { onDelete: 'cascade' }),
    /** The rule's id inside the model's rules. */
    ruleId: text('rule_id').notNull(),
    workspaceId: integer('workspace_id').notNull().default(1),
    times: integer('times').notNull().default(0),
    cappedTimes: integer('capped_times').notNull().default(0),
    earned: doublePrecision('earned').notNull().default(0),
    decaySum: doublePrecision('decay_sum').notNull().default(0),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The primary key serves every read (by contact, or a rescore chunk's contact range) and the cascades; no
  // second index to write during a rescore (a model's deletion scans the table once).
  (t) => [primaryKey({ columns: [t.contactId, t.modelId, t.ruleId] })],
);

/**
 * Events the scoring worker has scored for a contact (every active engagement model at once): an event
 * queued again (a tool re-queueing history, a merge racing its first scoring) earns nothing twice. Written by
 * the worker only; a full rescore rebuilds the ledger from the events without writing here (events still
 * waiting in the inbox and not marked are left to the worker). Rows go with their contact (a merge's loser).
 */
export const scoreSeen = pgTable(
  'score_seen',
  {
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** Events are partitioned: no FK. */
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.eventId] })],
);

/**
 * Current score of a contact under a model. Fit: score 0–100 and grade; engagement: the decayed score as of
 * computedAt. `breakdown` explains it (fit: matched rules and their weights; engagement: points per rule,
 * earned and after decay).
 */
export const contactScores = pgTable(
  'contact_scores',
  {
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    modelId: integer('model_id')
      .notNull()
      .references(() => scoreModels.id, { onDelete: 'cascade' }),
    workspaceId: integer('workspace_id').notNull().default(1),
    score: doublePrecision('score').notNull(),
    grade: text('grade'),
    breakdown: jsonb('breakdown').$type<unknown>().notNull().default({}),
    modelVersion: integer('model_version').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.modelId] }), index('contact_scores_model_score_idx').on(t.modelId, t.workspaceId, t.score)],
);

/** Until content items exist: page URL → buying stage. `pattern` is a URL path prefix or a glob (`/pricing*`). */
export const buyingStageRules = pgTable(
  'buying_stage_rules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    pattern: text('pattern').notNull(),
    stage: text('stage').$type<BuyingStage>().notNull(),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('buying_stage_rules_workspace_idx').on(t.workspaceId, t.position)],
);

/** A contact's inferred buying stage and the consumption that shows it (stage → count, last seen). */
export const contactBuyingStages = pgTable('contact_buying_stages', {
  contactId: bigint('contact_id', { mode: 'number' })
    .primaryKey()
    .references(() => contacts.id, { onDelete: 'cascade' }),
  workspaceId: integer('workspace_id').notNull().default(1),
  stage: text('stage').$type<BuyingStage>().notNull(),
  evidence: jsonb('evidence').$type<unknown>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * New events on their way to the scorer: ingest writes one row per committed group of events in the same
 * statement/transaction as the events (an outbox), the scoring worker claims rows with SKIP LOCKED,
 * scores them and deletes them. So an acknowledged event is always scored, even after a crash.
 */
export const scoringInbox = pgTable('scoring_inbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  workspaceId: integer('workspace_id').notNull().default(1),
  eventIds: bigint('event_ids', { mode: 'number' }).array().notNull(),
  /** Smallest and largest received_at of the events (partition pruning when they are read). */
  receivedFrom: timestamp('received_from', { withTimezone: true }).notNull(),
  receivedTo: timestamp('received_to', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const RESCORE_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type RescoreStatus = (typeof RESCORE_STATUSES)[number];

/** A full rescore (after a model change), run as a background job with progress. */
export const rescoreRuns = pgTable(
  'rescore_runs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    modelId: integer('model_id').references(() => scoreModels.id, { onDelete: 'cascade' }),
    status: text('status').$type<RescoreStatus>().notNull().default('queued'),
    total: integer('total'),
    processed: integer('processed').notNull().default(0),
    error: text('error'),
    requestedBy: integer('requested_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('rescore_runs_workspace_idx').on(t.workspaceId, t.id)],
);
