// The import worker: one pg-boss job per import ({ importId }). A retried job (crash, restart) resumes
// after the import's checkpointLine; see run.ts.
import type { WorkerRegistration } from '../../../jobs.ts';
import type { WorkerDeps } from '../../../workers.ts';
import { runImport } from './run.ts';

export const IMPORT_QUEUE = 'contacts.import';

export function importWorkers(deps: WorkerDeps): WorkerRegistration[] {
  return [
    {
      queue: IMPORT_QUEUE,
      concurrency: 1,
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
