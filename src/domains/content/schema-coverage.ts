// The coverage map's per-cell influence, precomputed by the insights refresh (./insights-refresh.ts): distinct
// influenced contacts and the pipeline of their distinct open or won deals, per stage × type cell, for the
// unfiltered map and for each single segment / topic / product filter. Distinct counts cannot be summed from
// per-item rows (a reader of two items of a cell counts once), hence one row per filter × cell.
import { integer, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * `facet`: '' (no filter) or `segment:<v>` / `topic:<v>` / `product:<v>`. `stage`/`type` '*' is the filter's
 * total: a deal that several cells share counts once there.
 */
export const contentCoverageCells = pgTable(
  'content_coverage_cells',
  {
    workspaceId: integer('workspace_id').notNull().default(1),
    facet: text('facet').notNull(),
    stage: text('stage').notNull(),
    type: text('type').notNull(),
    influenced: integer('influenced').notNull().default(0),
    pipeline: numeric('pipeline', { precision: 18, scale: 2 }).notNull().default('0'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.facet, t.stage, t.type] })],
);

/**
 * When the cells were computed and the content items' version then (count | max id | max updated_at, the same
 * key as the map's facet cache): if the items changed since, the map computes influence live until the next refresh.
 */
export const contentCoverageState = pgTable('content_coverage_state', {
  workspaceId: integer('workspace_id').primaryKey(),
  itemsKey: text('items_key').notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
});
