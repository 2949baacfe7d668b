// Tracking maintenance (hourly, and once at start-up): create monthly event partitions ahead, forget
// messageIds older than the de-duplication window, keep only the newest rejections per source.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';

export const TRACKING_MAINTENANCE_QUEUE = 'tracking.maintenance';
/** Monthly partitions kept ready beyond the current month. */
export const PARTITION_MONTHS_AHEAD = 3;
/** A message re-sent within this many days is recognised by its messageId and stored once. */
export const DEDUPE_WINDOW_DAYS = 35;
/** Rejected messages kept per source for the debugger. */
export const REJECTIONS_KEPT_PER_SOURCE = 1000;

/** Creates missing monthly partitions; returns the names created. */
export async function ensureEventPartitions(db: Queryable, monthsAhead = PARTITION_MONTHS_AHEAD): Promise<string[]> {
  const res = await db.execute(sql`select revloop_ensure_event_partitions(${monthsAhead}) as name`);
  return (res.rows as { name: string }[]).map((r) => r.name);
}

export async function pruneTrackingState(db: Queryable, now = new Date()): Promise<{ dedupe: number; rejections: number }> {
  const cutoff = new Date(now.getTime() - DEDUPE_WINDOW_DAYS * 86_400_000);
  const d = await db.execute(sql`delete from event_dedupe where received_at < ${cutoff.toISOString()}::timestamptz`);
  const r = await db.execute(sql`
    delete from tracking_rejections r using (
      select id from (select id, row_number() over (partition by source_id order by id desc) as rn from tracking_rejections) x
      where x.rn > ${REJECTIONS_KEPT_PER_SOURCE}
    ) old where r.id = old.id`);
  return { dedupe: d.rowCount ?? 0, rejections: r.rowCount ?? 0 };
}

export function trackingWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: TRACKING_MAINTENANCE_QUEUE,
      schedule: '7 * * * *',
      handler: async () => {
        const created = await ensureEventPartitions(deps.db);
        const pruned = await pruneTrackingState(deps.db);
        deps.log.info({ created, pruned }, 'tracking maintenance done');
      },
    },
  ];
}
