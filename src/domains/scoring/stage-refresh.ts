// Refreshes every contact's stored buying stage: after a change of the buying-stage rules (queued by the
// stage-rule verbs) and once a day (page views age out of the 90-day window). Chunks of contacts, each in
// its own transaction; contacts with neither a stored stage nor page views in the window are not touched.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { BUYING_STAGE_WINDOW_DAYS, refreshBuyingStages } from './buying-stage.ts';

export const BUYING_STAGE_QUEUE = 'scoring.buying-stages';
const CHUNK = 1000;

/** Recomputes the stored buying stage of every contact that has one or viewed pages in the window. Returns how many. */
export async function refreshAllBuyingStages(db: Db, workspaceId = 1, now: Date = new Date()): Promise<number> {
  const since = new Date(now.getTime() - BUYING_STAGE_WINDOW_DAYS * 86_400_000);
  let after = 0;
  let done = 0;
  for (;;) {
    const res = await db.execute(sql`
      select id from (
        select contact_id as id from contact_buying_stages where workspace_id = ${workspaceId} and contact_id > ${after}
        union
        select distinct contact_id from events
        where workspace_id = ${workspaceId} and contact_id > ${after} and timestamp >= ${since.toISOString()}
          and not is_bot and (page_path is not null or page_url is not null)
      ) c order by id limit ${CHUNK}`);
    const ids = res.rows.map((r) => Number(r.id));
    if (!ids.length) return done;
    await db.transaction((tx) => refreshBuyingStages(tx, workspaceId, ids, now));
    done += ids.length;
    after = ids[ids.length - 1]!;
  }
}

/** Queues a refresh (one at a time); without a job queue (some tests, CLI one-shots) the daily run catches up. */
export async function requestBuyingStageRefresh(ctx: Pick<Ctx, 'jobs' | 'log'>): Promise<void> {
  try {
    await ctx.jobs.send(BUYING_STAGE_QUEUE, {}, { singletonKey: 'refresh' });
  } catch (err) {
    ctx.log.warn({ err }, 'could not queue the buying-stage refresh; the daily run will catch up');
  }
}

export function buyingStageWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: BUYING_STAGE_QUEUE,
      schedule: '23 3 * * *',
      queueOptions: { expireInSeconds: 3 * 3600, retryLimit: 3 },
      handler: async () => {
        const n = await refreshAllBuyingStages(deps.db);
        deps.log.info({ contacts: n }, 'buying stages refreshed');
      },
    },
  ];
}
