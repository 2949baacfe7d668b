// The part of the lifecycle settings the handoff reads: routing and SLA. B's settings module owns the shape
// and defaults; this reads through it so routing and SLA always see what the settings page saved.
import type { Queryable } from '../../../db/client.ts';
import { eq } from 'drizzle-orm';
import { lifecycleSettings } from '../schema.ts';

export type TerritoryOp = 'eq' | 'neq' | 'in' | 'contains' | 'starts_with' | 'gt' | 'gte' | 'lt' | 'lte';
export interface Territory {
  name: string;
  match: { field: string; op: string; value: unknown };
  ownerId: number;
}
export interface HandoffSettings {
  routing: { mode: 'round_robin' | 'account_owner' | 'territory'; pool: number[]; territories: Territory[] };
  sla: { salesReadyAcceptHours: number };
}

export const DEFAULT_HANDOFF_SETTINGS: HandoffSettings = {
  routing: { mode: 'round_robin', pool: [], territories: [] },
  sla: { salesReadyAcceptHours: 24 },
};

/** Routing and SLA of a workspace (defaults when nothing is saved). */
export async function getHandoffSettings(db: Queryable, workspaceId: number): Promise<HandoffSettings> {
  const [row] = await db.select({ settings: lifecycleSettings.settings }).from(lifecycleSettings).where(eq(lifecycleSettings.workspaceId, workspaceId));
  const s = (row?.settings ?? {}) as Record<string, any>;
  const routing = s.routing ?? {};
  const sla = s.sla ?? {};
  const mode = ['round_robin', 'account_owner', 'territory'].includes(routing.mode) ? routing.mode : 'round_robin';
  const hours = Number(sla.salesReadyAcceptHours);
  return {
    routing: {
      mode,
      pool: Array.isArray(routing.pool) ? routing.pool.filter((x: unknown) => Number.isInteger(x)) : [],
      territories: Array.isArray(routing.territories) ? routing.territories : [],
    },
    sla: { salesReadyAcceptHours: Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_HANDOFF_SETTINGS.sla.salesReadyAcceptHours },
  };
}
