// The analytics rollup job: every minute, incremental and idempotent (./rollup.ts); a full rebuild nightly.
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { refreshAnalyticsRollups } from './rollup.ts';

export const ANALYTICS_ROLLUP_QUEUE = 'analytics.rollup';
export const ANALYTICS_REBUILD_QUEUE = 'analytics.rebuild';

export function analyticsWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: ANALYTICS_ROLLUP_QUEUE,
      schedule: '* * * * *',
      concurrency: 1,
      queueOptions: { retryLimit: 1, expireInSeconds: 900 },
      handler: async () => {
        const r = await refreshAnalyticsRollups(deps.db);
        deps.log.debug({ ...r, ms: Math.round(r.ms) }, 'analytics rollups refreshed');
      },
    },
    {
      queue: ANALYTICS_REBUILD_QUEUE,
      schedule: '17 3 * * *',
      concurrency: 1,
      queueOptions: { retryLimit: 1, expireInSeconds: 3600 },
      handler: async () => {
        const r = await refreshAnalyticsRollups(deps.db, { full: true });
        deps.log.info({ ...r, ms: Math.round(r.ms) }, 'analytics rollups rebuilt');
      },
    },
  ];
}
