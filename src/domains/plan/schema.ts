// Tables of the plan domain. Campaigns carry the utm_campaign code that links tracked touches (events) to them.
import { bigint, date, index, integer, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { CampaignChannel, CampaignStatus } from '../../contracts/plan.ts';
import { users } from '../identity/schema.ts';
import { initiatives, objectives } from './schema-objectives.ts';

export const campaigns = pgTable(
  'campaigns',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    name: text('name').notNull(),
    /** Lower-cased; events match on lower(events.utm_campaign). */
    utmCampaign: text('utm_campaign').notNull(),
    channel: text('channel').$type<CampaignChannel>().notNull().default('other'),
    status: text('status').$type<CampaignStatus>().notNull().default('planned'),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    budget: numeric('budget', { precision: 14, scale: 2, mode: 'number' }),
    currency: text('currency').notNull().default('USD'),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    description: text('description'),
    /** The objective the campaign serves (null: a random act); optionally through one of its initiatives. */
    objectiveId: bigint('objective_id', { mode: 'number' }).references(() => objectives.id, { onDelete: 'set null' }),
    initiativeId: bigint('initiative_id', { mode: 'number' }).references(() => initiatives.id, { onDelete: 'set null' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('campaigns_utm_unique').on(t.workspaceId, t.utmCampaign), index('campaigns_workspace_start_idx').on(t.workspaceId, t.startDate), index('campaigns_objective_idx').on(t.objectiveId)],
);

export type CampaignRow = typeof campaigns.$inferSelect;
