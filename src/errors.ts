// Typed errors thrown by services. One error handler (src/http/error-handler.ts) maps them,
// zod errors and Postgres codes to { error: { code, message, details } }.
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'validation_error', message, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in or send a valid API key') {
    super(401, 'unauthorized', message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this') {
    super(403, 'forbidden', message);
  }
}
export class NotFoundError extends AppError {
  constructor(entity: string, id?: string | number) {
    super(404, 'not_found', id === undefined ? `${entity} not found` : `${entity} ${id} not found`, { entity, id });
  }
}
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details);
  }
}
export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_requests', message, { retryAfterSeconds }, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(message: string, retryAfterSeconds = 5) {
    super(503, 'service_unavailable', message, undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}
