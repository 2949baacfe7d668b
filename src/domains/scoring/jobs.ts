// Background work of the scoring domain: the full-rescore queue (pg-boss), and beside it the scoring loop
// that scores new events within about a second. The loop is not a pg-boss job: pg-boss polls (≥ 0.5 s), the
// loop LISTENs on the inbox trigger's NOTIFY and drains the inbox at once; it runs in every process that
// runs workers (npm start, createTestApp({ jobs: true })) and stops before pg-boss does.
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { RESCORE_QUEUE, runRescore } from './rescore.ts';
import { startScoringLoop } from './worker-loop.ts';

export function scoringWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: RESCORE_QUEUE,
      // A killed rescore is retried within a minute and starts over (each chunk is idempotent).
      queueOptions: { heartbeatSeconds: 60, expireInSeconds: 6 * 3600, retryLimit: 3 },
      handler: async (data: { runId: number }) => {
        await runRescore(deps.db, data.runId);
        deps.log.info({ runId: data.runId }, 'rescore finished');
      },
      background: () => startScoringLoop({ db: deps.db, log: deps.log }),
    },
  ];
}
