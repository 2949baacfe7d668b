// Background work of the email domain: a send loop in every worker process (every 500 ms; claims with SKIP
// LOCKED so several processes never send one message twice), the `email-send` pg-boss job every minute as the
// durable backstop, and the `email-health` job every 15 minutes that raises opt-out / bounce alerts.
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { startPollLoop } from '../../poll-loop.ts';
import { configuredRuntime } from '../webhooks/runtime.ts';
import { checkHealthAlerts } from './health.ts';
import { sendDue } from './send.ts';

export const EMAIL_SEND_QUEUE = 'email-send';
export const EMAIL_HEALTH_QUEUE = 'email-health';

export function startSendLoop(deps: WorkerDeps, pollMs = 500): { stop(): Promise<void> } {
  return startPollLoop({
    pollMs,
    log: deps.log,
    failure: 'email send failed',
    // Waits for buildApp's configuration (the encryption key), as the webhook dispatcher does.
    tick: async () => {
      if (configuredRuntime(deps.db)) await sendDue({ db: deps.db, dataDir: deps.dataDir, log: deps.log });
    },
  });
}

export function emailWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: EMAIL_SEND_QUEUE,
      schedule: '* * * * *',
      concurrency: 1,
      queueOptions: { retryLimit: 1, expireInSeconds: 300 },
      handler: async () => {
        if (configuredRuntime(deps.db)) await sendDue({ db: deps.db, dataDir: deps.dataDir, log: deps.log });
      },
      background: () => startSendLoop(deps),
    },
    {
      queue: EMAIL_HEALTH_QUEUE,
      schedule: '*/15 * * * *',
      concurrency: 1,
      queueOptions: { retryLimit: 1, expireInSeconds: 300 },
      handler: async () => {
        const n = await checkHealthAlerts({ db: deps.db });
        if (n) deps.log.info({ alerts: n }, 'email health alerts raised');
      },
    },
  ];
}
