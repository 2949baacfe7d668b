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
  /**
   * Queue settings for long jobs: a worker that stops sending heartbeats (process killed, server restarted)
   * has its job retried after heartbeatSeconds instead of after expireInSeconds; deadLetter names the queue
   * that receives a job whose retries are exhausted (it must be registered before this one).
   */
  queueOptions?: { heartbeatSeconds?: number; expireInSeconds?: number; retryLimit?: number; deadLetter?: string };
  /**
   * A loop that runs beside the queue in every process that runs workers (e.g. the scoring worker, which
   * LISTENs for new work instead of polling pg-boss); started after the queue, stopped before pg-boss.
   */
  background?: () => { stop(): Promise<void> };
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
    const queueOptions = { retryLimit: 5, retryDelay: 5, retryBackoff: true, ...w.queueOptions };
    if (await boss.getQueue(w.queue)) {
      const { heartbeatSeconds: _fixedAtCreation, ...updatable } = queueOptions;
      await boss.updateQueue(w.queue, updatable);
    } else {
      await boss.createQueue(w.queue, queueOptions);
    }
    if (w.schedule) await boss.schedule(w.queue, w.schedule, {}, { tz: 'UTC' });
    if (opts.runWorkers) {
      const heartbeat = w.queueOptions?.heartbeatSeconds;
      const refresh = heartbeat ? { heartbeatRefreshSeconds: Math.max(1, Math.floor(heartbeat / 3)) } : {};
      await boss.work(w.queue, { batchSize: 1, localConcurrency: w.concurrency ?? 1, ...refresh }, async (jobs: any[]) => {
        for (const job of jobs) await w.handler(job.data, { id: job.id });
      });
    }
  }
  const loops = opts.runWorkers ? opts.workers.flatMap((w) => (w.background ? [w.background()] : [])) : [];
  return {
    boss,
    send: (queue, data, options) => boss.send(queue, data, options ?? {}),
    stop: async () => {
      stopping = true;
      await Promise.all(loops.map((l) => l.stop()));
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
