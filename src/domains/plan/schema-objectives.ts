// Tables of the plan domain's objectives: the objective tree (company → marketing → team → individual), the KPIs
// that measure each objective (a catalog metric computed from live data, or a manual metric with check-ins), the
// check-ins of manual KPIs, and initiatives (bodies of work under an objective; campaigns link to both).
import { bigint, date, index, integer, jsonb, numeric, pgTable, text, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';

export const OBJECTIVE_LEVELS = ['company', 'marketing', 'team', 'individual'] as const;
export type ObjectiveLevel = (typeof OBJECTIVE_LEVELS)[number];
export const OBJECTIVE_STATUSES = ['draft', 'active', 'achieved', 'missed', 'cancelled'] as const;
export type ObjectiveStatus = (typeof OBJECTIVE_STATUSES)[number];
export const KPI_SOURCES = ['metric', 'manual'] as const;
export type KpiSource = (typeof KPI_SOURCES)[number];
export type KpiDirection = 'up' | 'down';
/** Filters a catalog metric applies where they make sense (see src/domains/plan/metrics/). */
export type KpiFilters = { segmentId?: number; campaignId?: number; product?: string };

export const objectives = pgTable(
  'objectives',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** Null: a root (company objectives are roots; any other root is not "relevant" in the SMART check). */
    parentId: bigint('parent_id', { mode: 'number' }).references((): AnyPgColumn => objectives.id, { onDelete: 'restrict' }),
    level: text('level').$type<ObjectiveLevel>().notNull(),
    title: text('title').notNull(),
    description: text('description'),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    periodStart: date('period_start', { mode: 'string' }),
    periodEnd: date('period_end', { mode: 'string' }),
    status: text('status').$type<ObjectiveStatus>().notNull().default('active'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('objectives_parent_idx').on(t.workspaceId, t.parentId), index('objectives_period_idx').on(t.workspaceId, t.periodStart, t.periodEnd)],
);
export type ObjectiveRow = typeof objectives.$inferSelect;

export const objectiveKpis = pgTable(
  'objective_kpis',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    objectiveId: bigint('objective_id', { mode: 'number' })
      .notNull()
      .references(() => objectives.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    source: text('source').$type<KpiSource>().notNull(),
    /** Catalog key (source = metric). */
    metricKey: text('metric_key'),
    filters: jsonb('filters').$type<KpiFilters>().notNull().default({}),
    /** Unit of a manual KPI (catalog metrics carry their own). */
    unit: text('unit'),
    baseline: numeric('baseline', { precision: 18, scale: 4, mode: 'number' }),
    target: numeric('target', { precision: 18, scale: 4, mode: 'number' }),
    direction: text('direction').$type<KpiDirection>().notNull().default('up'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('objective_kpis_objective_idx').on(t.objectiveId)],
);
export type ObjectiveKpiRow = typeof objectiveKpis.$inferSelect;

export const kpiCheckins = pgTable(
  'kpi_checkins',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    kpiId: bigint('kpi_id', { mode: 'number' })
      .notNull()
      .references(() => objectiveKpis.id, { onDelete: 'cascade' }),
    value: numeric('value', { precision: 18, scale: 4, mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    note: text('note'),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kpi_checkins_kpi_at_idx').on(t.kpiId, t.at)],
);
export type KpiCheckinRow = typeof kpiCheckins.$inferSelect;

export const initiatives = pgTable(
  'initiatives',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** Null: linked to no objective (a random act in P's report). */
    objectiveId: bigint('objective_id', { mode: 'number' }).references(() => objectives.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    description: text('description'),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('initiatives_objective_idx').on(t.workspaceId, t.objectiveId)],
);
export type InitiativeRow = typeof initiatives.$inferSelect;
