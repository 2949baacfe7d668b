import type { WorkerRegistration } from '../../../jobs.ts';
import type { WorkerDeps } from '../../../workers.ts';

export const IMPORT_QUEUE = 'contacts.import';

export function importWorkers(_deps: WorkerDeps): WorkerRegistration[] {
  return [];
}
