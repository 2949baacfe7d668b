// Background refresh of the content insights rollup (per-item stats and influence) every 5 minutes.
import type { WorkerRegistration } from '../../jobs.ts';
import type { WorkerDeps } from '../../workers.ts';
import { refreshContentInsights } from './insights-refresh.ts';

export const INSIGHTS_QUEUE = 'content.insights.refresh';

export function contentInsightWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: INSIGHTS_QUEUE,
      schedule: '*/5 * * * *',
      concurrency: 1,
      queueOptions: { retryLimit: 1, expireInSeconds: 1800 },
      handler: async () => {
        const r = await refreshContentInsights(deps.db);
        deps.log.info({ items: r.items, influenced: r.influenced, ms: Math.round(r.ms) }, 'content insights refreshed');
      },
    },
  ];
}
