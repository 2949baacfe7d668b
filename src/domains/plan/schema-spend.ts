// Tables of the plan domain's spend side: cost lines (planned / actual per month and category, linked to a
// campaign or a tool), the martech tools, the marketer's job map ("create a qualified lead", seed 000) with
// the tools laid on its steps, and the marketing fitness test's snapshots (seed 004).
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { campaigns } from './schema.ts';
import { objectives } from './schema-objectives.ts';

export const COST_CATEGORIES = ['media', 'content', 'events', 'tools', 'people', 'sales', 'other'] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

export const tools = pgTable(
  'tools',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    name: text('name').notNull(),
    vendor: text('vendor'),
    annualCost: numeric('annual_cost', { precision: 14, scale: 2, mode: 'number' }),
    currency: text('currency').notNull().default('USD'),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** The objective the purchase serves; null = a random act (seeds 001, 004). */
    objectiveId: bigint('objective_id', { mode: 'number' }).references(() => objectives.id, { onDelete: 'set null' }),
    note: text('note'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tools_name_unique').on(t.workspaceId, sql`lower(${t.name})`), index('tools_objective_idx').on(t.workspaceId, t.objectiveId)],
);
export type ToolRow = typeof tools.$inferSelect;

/**
 * Spend. One line per (campaign | tool | neither) × month × category: a line with neither is spend nobody tied to
 * anything. Its objective comes through the campaign (campaigns.objective_id) or the tool (tools.objective_id).
 */
export const costLines = pgTable(
  'cost_lines',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    campaignId: bigint('campaign_id', { mode: 'number' }).references(() => campaigns.id, { onDelete: 'set null' }),
    toolId: bigint('tool_id', { mode: 'number' }).references(() => tools.id, { onDelete: 'set null' }),
    /** First day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    category: text('category').$type<CostCategory>().notNull(),
    planned: numeric('planned', { precision: 14, scale: 2, mode: 'number' }).notNull().default(0),
    actual: numeric('actual', { precision: 14, scale: 2, mode: 'number' }),
    currency: text('currency').notNull().default('USD'),
    note: text('note'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('cost_lines_key_unique').on(t.workspaceId, t.campaignId, t.toolId, t.month, t.category).nullsNotDistinct(),
    index('cost_lines_month_idx').on(t.workspaceId, t.month),
    index('cost_lines_campaign_idx').on(t.campaignId),
    index('cost_lines_tool_idx').on(t.toolId),
    check('cost_lines_one_link', sql`num_nonnulls(${t.campaignId}, ${t.toolId}) <= 1`),
    check('cost_lines_first_of_month', sql`extract(day from ${t.month}) = 1`),
  ],
);
export type CostLineRow = typeof costLines.$inferSelect;

/** The job map's steps, in order; Step 0 (discover a market opportunity) is kept apart (`isStepZero`). */
export const jobMapSteps = pgTable(
  'job_map_steps',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    key: text('key').notNull(),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    /** What the marketer is trying to get done in this step (solution-agnostic). */
    goal: text('goal').notNull().default(''),
    /** Desired outcome statements ("Minimize the time it takes to …"). */
    outcomes: text('outcomes').array().notNull().default(sql`'{}'::text[]`),
    isStepZero: boolean('is_step_zero').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('job_map_steps_key_unique').on(t.workspaceId, t.key)],
);
export type JobMapStepRow = typeof jobMapSteps.$inferSelect;

/** Which tools serve which steps. */
export const toolSteps = pgTable(
  'tool_steps',
  {
    toolId: bigint('tool_id', { mode: 'number' })
      .notNull()
      .references(() => tools.id, { onDelete: 'cascade' }),
    stepId: bigint('step_id', { mode: 'number' })
      .notNull()
      .references(() => jobMapSteps.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.toolId, t.stepId] }), index('tool_steps_step_idx').on(t.stepId)],
);

/** The fitness scorecard as it stood (daily job or on demand): the four answers with evidence and thresholds. */
export const fitnessSnapshots = pgTable(
  'fitness_snapshots',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull().defaultNow(),
    day: date('day', { mode: 'string' }).notNull(),
    trigger: text('trigger').$type<'daily' | 'manual'>().notNull(),
    yesCount: integer('yes_count').notNull(),
    scorecard: jsonb('scorecard').notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('fitness_snapshots_day_idx').on(t.workspaceId, t.day)],
);
