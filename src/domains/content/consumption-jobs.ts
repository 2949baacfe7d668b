// Background work of content consumption: the minute job counts new page views / reads per item per day
// (anonymous visitors included), and the rematch job rebuilds everything after URL rules change (items created,
// URLs edited, kept query parameters changed, an item retired) and refreshes buying stages (content stages are
// an input of the inference).
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { refreshAllBuyingStages } from '../scoring/stage-refresh.ts';
import { countNewDailyViews, rebuildDaily, refreshContentConsumption } from './consumption.ts';
import { loadMatcher } from './match.ts';

export const CONTENT_DAILY_QUEUE = 'content.daily';
export const CONTENT_REMATCH_QUEUE = 'content.rematch';
const CHUNK = 500;

/** Rebuilds content_consumption for every contact with page / Content Read events, in chunks. Returns contacts done. */
export async function rebuildConsumption(db: Db, workspaceId = 1): Promise<number> {
  const matcher = await loadMatcher(db, workspaceId);
  await db.execute(sql`delete from content_consumption where workspace_id = ${workspaceId}`);
  if (!matcher.size) return 0;
  let after = 0;
  let done = 0;
  for (;;) {
    const res = await db.execute(sql`
      select distinct contact_id as id from events
      where workspace_id = ${workspaceId} and contact_id > ${after} and (type = 'page' or event = 'Content Read') and not is_bot
      order by 1 limit ${CHUNK}`);
    const ids = res.rows.map((r) => Number(r.id));
    if (!ids.length) return done;
    await db.transaction((tx) => refreshContentConsumption(tx, workspaceId, ids, matcher));
    done += ids.length;
    after = ids[ids.length - 1]!;
  }
}

/** Everything derived from URL rules, recomputed: daily counts, per-contact consumption, buying stages. */
export async function rematchContent(db: Db, workspaceId = 1): Promise<void> {
  await db.transaction((tx) => rebuildDaily(tx, workspaceId));
  await rebuildConsumption(db, workspaceId);
  await refreshAllBuyingStages(db, workspaceId);
}

/** At most one rematch per this many seconds: a burst of edits (an import, a planning session) costs two rebuilds. */
export const REMATCH_SLOT_SECONDS = 15;

/**
 * Queues a rematch, throttled: one job per REMATCH_SLOT_SECONDS slot (pg-boss singletonSeconds); a request in a slot
 * that already has one goes to the next slot, so the last edit is always covered. Without a job queue (tests, CLI
 * one-shots) nothing is queued (the CLI runs rematchContent itself).
 */
export async function requestContentRematch(ctx: Pick<Ctx, 'jobs' | 'log'>): Promise<void> {
  try {
    if (ctx.jobs.boss) await ctx.jobs.boss.send(CONTENT_REMATCH_QUEUE, {}, { singletonKey: 'rematch', singletonSeconds: REMATCH_SLOT_SECONDS, singletonNextSlot: true });
    else await ctx.jobs.send(CONTENT_REMATCH_QUEUE, {}, { singletonKey: 'rematch' });
  } catch (err) {
    ctx.log.warn({ err }, 'could not queue the content rematch; run `revloop content rematch`');
  }
}

export function contentWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: CONTENT_DAILY_QUEUE,
      schedule: '* * * * *',
      queueOptions: { expireInSeconds: 600, retryLimit: 2 },
      handler: async () => {
        const n = await deps.db.transaction((tx) => countNewDailyViews(tx, 1));
        if (n) deps.log.debug({ events: n }, 'content views counted');
      },
    },
    {
      queue: CONTENT_REMATCH_QUEUE,
      queueOptions: { expireInSeconds: 3 * 3600, retryLimit: 3 },
      handler: async () => {
        await rematchContent(deps.db);
        deps.log.info('content consumption rebuilt');
      },
    },
  ];
}
