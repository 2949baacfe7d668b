// Background execution: a loop in every worker process runs due steps every second (and enrols every
// minute); the pg-boss job `nurture-run` (every minute) does both too, the durable backstop after a restart.
// Any number of processes may run them: claims are SKIP LOCKED, enrolment takes a per-program advisory lock.
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { startPollLoop } from '../../poll-loop.ts';
import { systemClock } from './clock.ts';
import { runDue } from './engine.ts';
import { enrolDue } from './enrol.ts';

export const NURTURE_QUEUE = 'nurture-run';

export function startNurtureLoop(deps: WorkerDeps, pollMs = 1000, enrolEveryMs = 60_000): { stop(): Promise<void> } {
  let lastEnrol = 0;
  return startPollLoop({
    pollMs,
    log: deps.log,
    failure: 'nurture run failed',
    tick: async () => {
      if (Date.now() - lastEnrol >= enrolEveryMs) {
        lastEnrol = Date.now();
        await enrolDue({ db: deps.db, clock: systemClock });
      }
      await runDue({ db: deps.db, clock: systemClock, maxBatches: 20 });
    },
  });
}

export function nurtureWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: NURTURE_QUEUE,
      schedule: '* * * * *',
      concurrency: 1,
      queueOptions: { retryLimit: 1, expireInSeconds: 300 },
      handler: async () => {
        const entered = await enrolDue({ db: deps.db, clock: systemClock });
        const steps = await runDue({ db: deps.db, clock: systemClock, maxBatches: 200 });
        if (entered || steps) deps.log.info({ entered, steps }, 'nurture programs ran');
      },
      background: () => startNurtureLoop(deps),
    },
  ];
}
