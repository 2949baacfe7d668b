// Every background worker of every domain, registered on the job queue at start-up.
import type { Logger } from 'pino';
import type { Db } from './db/client.ts';
import type { WorkerRegistration } from './jobs.ts';
import { importWorkers } from './domains/contacts/import/jobs.ts';
import { trackingWorkers } from './domains/tracking/jobs.ts';
import { scoringWorkers } from './domains/scoring/jobs.ts';
import { buyingStageWorkers } from './domains/scoring/stage-refresh.ts';
import { handoffWorkers } from './domains/lifecycle/handoff/jobs.ts';
import { lifecycleWorkers } from './domains/lifecycle/jobs.ts';
import { webhookWorkers } from './domains/webhooks/jobs.ts';
import { contentWorkers } from './domains/content/consumption-jobs.ts';
import { contentInsightWorkers } from './domains/content/jobs-insights.ts';
import { emailWorkers } from './domains/email/jobs.ts';
import { nurtureWorkers } from './domains/nurture/jobs.ts';
import { marketWorkers } from './domains/market/jobs.ts';
import { fitnessWorkers } from './domains/plan/fitness.ts';
import { analyticsWorkers } from './domains/analytics/jobs.ts';

export interface WorkerDeps {
  db: Db;
  dataDir: string;
  log: Logger;
}

export function allWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [...importWorkers(deps), ...trackingWorkers(deps), ...handoffWorkers(deps), ...lifecycleWorkers(deps), ...scoringWorkers(deps), ...buyingStageWorkers(deps), ...webhookWorkers(deps), ...contentInsightWorkers(deps), ...contentWorkers(deps), ...emailWorkers(deps), ...nurtureWorkers(deps), ...marketWorkers(deps), ...fitnessWorkers(deps), ...analyticsWorkers(deps)];
}
