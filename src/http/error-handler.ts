// One error shape for the whole API: { error: { code, message, details } }.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, ValidationError } from '../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.status(status).type('application/json').send(body);
}

type Issue = { path: PropertyKey[]; message: string; code?: string };
function issuesToDetails(issues: Issue[], where?: string) {
  return issues.map((i) => ({
    field: [where, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));
}
function describe(details: { field: string; message: string }[]): string {
  const first = details[0];
  if (!first) return 'Invalid request';
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return `${first.field}: ${first.message}${more}`;
}

/** Postgres error codes a user can cause by sending data. */
function fromPostgres(err: { code?: string; detail?: string; constraint?: string; column?: string }) {
  switch (err.code) {
    case '23505':
      return { status: 409, code: 'conflict', message: err.detail ? `Already exists: ${err.detail}` : 'Already exists', details: { constraint: err.constraint } };
    case '23503':
      return { status: 400, code: 'validation_error', message: 'Refers to a record that does not exist', details: { constraint: err.constraint } };
    case '23502':
      return { status: 400, code: 'validation_error', message: `${err.column ?? 'A field'} is required`, details: { field: err.column } };
    case '22021': // a NUL byte in text (invalid byte sequence for UTF8: 0x00)
    case '22P05': // a \u0000 in jsonb
      return { status: 400, code: 'validation_error', message: 'A text value contains a NUL character (\\u0000), which cannot be stored' };
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return { status: 400, code: 'validation_error', message: 'A value has the wrong format or is out of range' };
    default:
      return null;
  }
}

/** Postgres codes and socket errors meaning the database is down, restarting or out of connections. */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGE = /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)/i;

/** True when err (or what it wraps: drizzle's DrizzleQueryError, pg-boss, an AggregateError) says the database is unreachable. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message) && !(err instanceof AppError)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** The path of the first string holding a NUL character (PostgreSQL cannot store it), or null. */
export function findNul(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (!value || typeof value !== 'object' || depth > 20 || Buffer.isBuffer(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return `${at}.${k.replaceAll('\u0000', '\\u0000')}`;
    const hit = findNul(v, `${at}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return null;
}

export function registerErrorHandler(app: FastifyInstance) {
  // Input PostgreSQL cannot store (a NUL in any text) is a 400 naming the field, before any route runs.
  app.addHook('preValidation', async (req) => {
    const field = findNul(req.query, 'querystring') ?? findNul(req.params, 'params') ?? findNul(req.body, 'body');
    if (field) throw new ValidationError(`${field}: must not contain a NUL character (\\u0000)`, [{ field, message: 'must not contain a NUL character' }]);
  });
  app.setErrorHandler((err: FastifyError & Record<string, any>, req, reply) => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      if (err.status >= 500) req.log.error({ err }, err.message);
      return sendError(reply, err.status, err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v: any) => ({
        field: [err.validationContext, ...String(v.instancePath ?? '').split('/').filter(Boolean)].filter(Boolean).join('.'),
        message: v.message ?? 'Invalid value',
      }));
      return sendError(reply, 400, 'validation_error', describe(details), details);
    }
    if (err instanceof ZodError) {
      const details = issuesToDetails(err.issues as Issue[]);
      return sendError(reply, 400, 'validation_error', describe(details), details);
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause?.issues }, 'response did not match its schema');
      return sendError(reply, 500, 'internal_error', 'Internal error');
    }
    // The database is down or restarting: 503 with Retry-After, and revloop reconnects by itself (pg pools
    // make new connections on the next request).
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err: { message: err.message, code: err.code ?? (err as any).cause?.code } }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendError(reply, 503, 'service_unavailable', 'The database is unavailable right now; nothing was changed. Try again in a few seconds.');
    }
    // drizzle wraps driver errors (DrizzleQueryError): the Postgres code is on err.cause.
    const pg = fromPostgres((err as any).code ? err : ((err as any).cause ?? err));
    if (pg) {
      if (pg.status >= 500) req.log.error({ err }, 'database error');
      return sendError(reply, pg.status, pg.code, pg.message, pg.details);
    }
    // Fastify's own client errors: malformed JSON, body too large, bad content type, rate limit.
    const status = err.statusCode ?? 500;
    if (status === 429) {
      return sendError(reply, 429, 'too_many_requests', err.message || 'Too many requests');
    }
    if (status >= 400 && status < 500) {
      const map: Record<string, [string, string]> = {
        FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_json', 'Request body is not valid JSON'],
        FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_json', 'Request body is empty but Content-Type is application/json'],
        FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', `Request body is larger than the limit`],
        FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', `Unsupported Content-Type ${req.headers['content-type'] ?? ''}`.trim()],
        FST_REQ_FILE_TOO_LARGE: ['payload_too_large', 'Uploaded file is larger than the limit (MAX_UPLOAD_MB)'],
      };
      const known = err.code ? map[err.code] : undefined;
      const code = known?.[0] ?? (err.code === 'FST_ERR_VALIDATION' ? 'validation_error' : 'bad_request');
      return sendError(reply, status, code, known?.[1] ?? err.message);
    }
    req.log.error({ err }, 'unhandled error');
    return sendError(reply, 500, 'internal_error', 'Internal error');
  });
}
