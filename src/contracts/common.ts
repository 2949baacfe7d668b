// Shapes shared by every domain's contract: errors, ids, pagination.
import { z } from 'zod';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_error' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Standard error responses for the OpenAPI document. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
} as const;

export const IdParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const Limit = z.coerce.number().int().min(1).max(200).default(50);
/** Opaque keyset cursor returned as nextCursor by list endpoints. */
export const Cursor = z.string().max(500).optional();

export const Total = z.object({
  /** Exact when capped is false; otherwise "at least count". */
  count: z.number().int(),
  capped: z.boolean(),
});

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: Total });
}

export const Timestamp = z.string().meta({ format: 'date-time', example: '2026-11-23T10:00:00.000Z' });

/** Trimmed, lower-cased email. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be a valid email address' }).max(254));

/** A calendar date, YYYY-MM-DD. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real date');
