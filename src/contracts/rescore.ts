// Full rescore of scores after a model change (background job with progress). Server, web UI and CLI.
import { z } from 'zod';
import { Timestamp } from './common.ts';

export const RESCORE_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export const RescoreStatus = z.enum(RESCORE_STATUSES);

export const RescoreRequest = z
  .object({
    /** Rebuild this model only; omitted or null: every active fit and engagement model. */
    modelId: z.number().int().positive().nullable().optional(),
  })
  .strict();
export type RescoreRequest = z.infer<typeof RescoreRequest>;

export const RescoreRun = z
  .object({
    id: z.number().int(),
    modelId: z.number().int().nullable(),
    status: RescoreStatus,
    /** Contacts to rescore (null until the job starts). */
    total: z.number().int().nullable(),
    processed: z.number().int(),
    error: z.string().nullable(),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'RescoreRun' });
export type RescoreRun = z.infer<typeof RescoreRun>;
export const RescoreRunList = z.object({ items: z.array(RescoreRun) });
