// Background delivery: a loop in every worker process claims due deliveries every second, and a pg-boss job
// every minute does the same (the durable backstop after a restart) and prunes the log after 30 days.
// Both claim with SKIP LOCKED.
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { startPollLoop } from '../../poll-loop.ts';
import { dispatchDue, pruneWebhookLog } from './dispatch.ts';
import { configuredRuntime } from './runtime.ts';

export const WEBHOOK_QUEUE = 'webhooks-dispatch';

export function startDispatchLoop(deps: WorkerDeps, pollMs = 1000): { stop(): Promise<void> } {
  return startPollLoop({
    pollMs,
    log: deps.log,
    failure: 'webhook dispatch failed',
    tick: async () => {
      const rt = configuredRuntime(deps.db);
      if (rt) await dispatchDue({ db: deps.db, rt });
    },
  });
}

export function webhookWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: WEBHOOK_QUEUE,
      schedule: '* * * * *',
      concurrency: 1,
      queueOptions: { retryLimit: 1, expireInSeconds: 300 },
      handler: async () => {
        const rt = configuredRuntime(deps.db);
        const n = rt ? await dispatchDue({ db: deps.db, rt }) : 0;
        if (n) deps.log.info({ attempts: n }, 'webhook deliveries attempted');
        const pruned = await pruneWebhookLog({ db: deps.db });
        if (pruned) deps.log.info({ pruned }, 'webhook events older than 30 days pruned');
      },
      background: () => startDispatchLoop(deps),
    },
  ];
}
