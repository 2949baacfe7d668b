// Background re-evaluation: when a sales-ready definition becomes active or the lifecycle settings change,
// the contacts in rule-driven stages are evaluated again (instead of waiting for their next event).
import { and, asc, gt, inArray } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import type { LifecycleStage } from '../../contracts/lifecycle.ts';
import { contacts } from '../contacts/schema.ts';
import { evaluateLifecycle, type LoggerLike } from './evaluate.ts';

export const REEVALUATE_QUEUE = 'lifecycle-reevaluate';
const BATCH = 500;

/** Evaluates every contact in the given stages, in id order, a batch at a time. Returns the transitions made. */
export async function reevaluateStages(opts: { db: Db; log: LoggerLike; stages: LifecycleStage[]; now?: Date }): Promise<number> {
  let after = 0;
  let moved = 0;
  for (;;) {
    const rows = await opts.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(inArray(contacts.lifecycleStage, opts.stages), gt(contacts.id, after)))
      .orderBy(asc(contacts.id))
      .limit(BATCH);
    if (!rows.length) return moved;
    moved += (await evaluateLifecycle({ db: opts.db, log: opts.log, contactIds: rows.map((r) => r.id), now: opts.now })).transitions;
    after = rows[rows.length - 1]!.id;
  }
}

/** Queues a re-evaluation after the caller's transaction committed; a failure to queue is logged, not thrown. */
export async function queueReevaluation(ctx: Ctx, stages: LifecycleStage[]): Promise<void> {
  try {
    await ctx.jobs.send(REEVALUATE_QUEUE, { stages }, { singletonKey: stages.join(','), retryLimit: 2 });
  } catch (err) {
    ctx.log.warn({ err }, 'could not queue the lifecycle re-evaluation; contacts move on their next score change');
  }
}

export function lifecycleWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: REEVALUATE_QUEUE,
      concurrency: 1,
      queueOptions: { expireInSeconds: 3600, retryLimit: 2 },
      handler: async (data: { stages?: LifecycleStage[] }) => {
        const stages = data.stages?.length ? data.stages : (['subscriber', 'lead', 'marketing_qualified', 'recycled'] as LifecycleStage[]);
        const moved = await reevaluateStages({ db: deps.db, log: deps.log, stages });
        deps.log.info({ stages, moved }, 'lifecycle re-evaluated');
      },
    },
  ];
}

