// Background execution: a loop in every worker process runs due steps every second (first waking the contacts
// waiting for an event recorded since its last pass, see wake.ts) and enrols every minute; the pg-boss job
// `nurture-run` (every minute) enrols and runs too, the durable backstop after a restart.
// Any number of processes may run them: claims are SKIP LOCKED, enrolment takes a per-program advisory lock.
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { startPollLoop } from '../../poll-loop.ts';
import { systemClock } from './clock.ts';
import { EVENT_RECHECK_MS, runDue } from './engine.ts';
import { enrolDue } from './enrol.ts';
import { wakeWaiting } from './wake.ts';

export const NURTURE_QUEUE = 'nurture-run';

/** Events are looked for from this long before the last pass (an event stored a little after its timestamp). */
const WAKE_OVERLAP_MS = 60_000;

export function startNurtureLoop(deps: WorkerDeps, pollMs = 1000, enrolEveryMs = 60_000): { stop(): Promise<void> } {
  let lastEnrol = 0;
  let lastWake = Date.now() - EVENT_RECHECK_MS;
  return startPollLoop({
    pollMs,
    log: deps.log,
    failure: 'nurture run failed',
    tick: async () => {
      if (Date.now() - lastEnrol >= enrolEveryMs) {
        lastEnrol = Date.now();
        await enrolDue({ db: deps.db, clock: systemClock });
      }
      const passAt = Date.now();
      await wakeWaiting({ db: deps.db, clock: systemClock, since: new Date(lastWake - WAKE_OVERLAP_MS) });
      lastWake = passAt;
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
        await wakeWaiting({ db: deps.db, clock: systemClock, since: new Date(Date.now() - EVENT_RECHECK_MS - WAKE_OVERLAP_MS) });
        const steps = await runDue({ db: deps.db, clock: systemClock, maxBatches: 200 });
        if (entered || steps) deps.log.info({ entered, steps }, 'nurture programs ran');
      },
      background: () => startNurtureLoop(deps),
    },
  ];
}
