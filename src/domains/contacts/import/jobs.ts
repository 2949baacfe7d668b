// The import worker: one pg-boss job per import ({ importId }). A retried job (crash, restart) resumes
// after the import's checkpointLine; see run.ts.
import type { WorkerRegistration } from '../../../jobs.ts';
import type { WorkerDeps } from '../../../workers.ts';
import { markFailed, runImport } from './run.ts';

export const IMPORT_QUEUE = 'contacts.import';
/** Receives import jobs whose retries are exhausted, so the import is marked failed instead of staying "running". */
export const IMPORT_DEAD_QUEUE = 'contacts.import.dead';

export function importWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: IMPORT_DEAD_QUEUE,
      handler: async (data: { importId?: unknown }) => {
        const importId = Number(data?.importId);
        if (!Number.isSafeInteger(importId) || importId <= 0) return;
        deps.log.error({ importId }, 'import job failed after its retries; marking the import failed');
        await markFailed(deps.db, importId, 'The import stopped after repeated errors; rows committed so far are kept. Start a new import for the rest.');
      },
    },
    {
      queue: IMPORT_QUEUE,
      concurrency: 1,
      // Long imports are fine (6 h); a dead worker is noticed within 30 s and the job resumes from its checkpoint.
      queueOptions: { heartbeatSeconds: 30, expireInSeconds: 6 * 3600, deadLetter: IMPORT_DEAD_QUEUE },
      handler: async (data: { importId?: unknown }) => {
        const importId = Number(data?.importId);
        if (!Number.isSafeInteger(importId) || importId <= 0) {
          deps.log.error({ data }, 'import job without a valid importId; dropped');
          return;
        }
        const log = deps.log.child({ importId });
        const result = await runImport({ db: deps.db, importId, log, dataDir: deps.dataDir });
        log.info({ status: result.status, processed: result.processedRows, rejected: result.rejectedRows }, 'import job finished');
      },
    },
  ];
}
