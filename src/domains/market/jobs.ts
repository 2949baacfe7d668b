// Background work of the market domain: the membership loop (event-driven re-evaluation, beside the queue)
// and the time-window sweep (market.sweep, every 15 minutes): segments whose rules read relative time are
// rebuilt, since "in the last 30 days" changes answer as the clock moves without any data change.
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { startMembershipLoop } from './membership-loop.ts';
import { sweepTimeRelative } from './membership.ts';

export const MARKET_SWEEP_QUEUE = 'market.sweep';

export function marketWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: MARKET_SWEEP_QUEUE,
      schedule: '*/15 * * * *',
      queueOptions: { expireInSeconds: 3600, retryLimit: 1 },
      handler: async () => {
        const r = await sweepTimeRelative(deps.db);
        if (r.length) deps.log.info({ segments: r.length, joined: r.reduce((s, x) => s + x.joined, 0), left: r.reduce((s, x) => s + x.left, 0) }, 'segment time-window sweep');
      },
      background: () => startMembershipLoop({ db: deps.db, log: deps.log }),
    },
  ];
}
