// Durable background jobs on pg-boss (Postgres-backed). Domains register their queues and workers here.
import { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';

export interface Jobs {
  /** Enqueue a job; resolves once it is durably stored. */
  send(queue: string, data: object, options?: { singletonKey?: string; retryLimit?: number }): Promise<string | null>;
  boss: PgBoss | null;
}

export type WorkerRegistration = {
  queue: string;
  handler: (data: any, job: { id: string }) => Promise<void>;
  /** Concurrency within this process. */
  concurrency?: number;
  /** Cron expression (UTC): pg-boss sends a job to this queue on that schedule. */
  schedule?: string;
};

export async function startJobs(opts: {
  connectionString: string;
  log: Logger;
  workers: WorkerRegistration[];
  runWorkers: boolean;
}): Promise<Jobs & { stop(): Promise<void> }> {
  const boss = new PgBoss({ connectionString: opts.connectionString, schema: 'pgboss', max: 4 });
  let stopping = false;
  // During shutdown the database may go first (Ctrl-C reaches PostgreSQL too): those errors are expected.
  boss.on('error', (err: unknown) => (stopping ? opts.log.debug({ err }, 'job queue error while stopping') : opts.log.error({ err }, 'job queue error')));
  await boss.start();
  for (const w of opts.workers) {
    await boss.createQueue(w.queue, { retryLimit: 5, retryDelay: 5, retryBackoff: true }).catch(() => undefined);
    if (w.schedule) await boss.schedule(w.queue, w.schedule, {}, { tz: 'UTC' });
    if (opts.runWorkers) {
      await boss.work(w.queue, { batchSize: 1, localConcurrency: w.concurrency ?? 1 }, async (jobs: any[]) => {
        for (const job of jobs) await w.handler(job.data, { id: job.id });
      });
    }
  }
  return {
    boss,
    send: (queue, data, options) => boss.send(queue, data, options ?? {}),
    stop: () => {
      stopping = true;
      return boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}

/** For code paths (some tests, CLI one-shots) that have no queue: runs nothing, records nothing. */
export const noJobs: Jobs = {
  boss: null,
  send: async () => {
    throw new Error('Background jobs are not running in this process');
  },
};
