// Background work of the handoff: the SLA check every minute.
import type { WorkerRegistration } from '../../../jobs.ts';
import type { WorkerDeps } from '../../../workers.ts';
import { checkSlaBreaches, settleStaleHandoffs } from './sla.ts';

export const SLA_QUEUE = 'handoff-sla-check';

export function handoffWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: SLA_QUEUE,
      schedule: '* * * * *',
      // A run that overlaps the next one is harmless (SKIP LOCKED, breached_at set once), but one at a time is enough.
      concurrency: 1,
      queueOptions: { retryLimit: 1, expireInSeconds: 120 },
      handler: async () => {
        const now = new Date();
        const closed = await settleStaleHandoffs({ db: deps.db, now });
        if (closed.length) deps.log.info({ closed: closed.length }, 'handoffs closed: contacts left sales-ready outside the queue');
        const breaches = await checkSlaBreaches({ db: deps.db, now });
        if (breaches.length) deps.log.info({ breaches: breaches.length }, 'handoff SLA breaches flagged');
      },
    },
  ];
}
