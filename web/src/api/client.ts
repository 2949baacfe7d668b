// Thin fetch wrapper for the revloop API (/api/v1, same origin, cookie session).
// Every error body is { error: { code, message, details } }; ApiError carries it.

export const API = '/api/v1';

export interface FieldErrors {
  [field: string]: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Field → message, from details like [{ field: 'body.email', message }] or [{ key, reason }] (custom properties). */
  get fieldErrors(): FieldErrors {
    return toFieldErrors(this.details, this.message);
  }
}

function normalizeField(field: string): string {
  return field.replace(/^(body|querystring|params)\.?/, '');
}

/** `fallback` is used for details that name a field but carry no message of their own (e.g. conflicts). */
export function toFieldErrors(details: unknown, fallback?: string): FieldErrors {
  const out: FieldErrors = {};
  const items = Array.isArray(details) ? details : details && typeof details === 'object' ? [details] : [];
  for (const raw of items) {
    if (!raw || typeof raw !== 'object') continue;
    const item = raw as Record<string, unknown>;
    let field: string | undefined;
    if (typeof item.field === 'string') field = normalizeField(item.field);
    else if (typeof item.key === 'string') field = `properties.${item.key}`;
    else if (typeof item.path === 'string') field = normalizeField(item.path);
    const message = typeof item.message === 'string' ? item.message : typeof item.reason === 'string' ? item.reason : fallback;
    if (field && message && !(field in out)) out[field] = message;
  }
  return out;
}

/** Fired when a request comes back 401 so the app can send the user to sign-in. */
export const UNAUTHORIZED_EVENT = 'revloop:unauthorized';

async function toError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON
  }
  const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  if (err && typeof err.message === 'string') return new ApiError(res.status, err.code ?? 'error', err.message, err.details);
  if (res.status === 404) return new ApiError(404, 'not_found', 'Not found (this part of the API may not be available yet)');
  if (res.status >= 500) return new ApiError(res.status, 'server_error', `The server had a problem (${res.status}); try again`);
  return new ApiError(res.status, 'error', `Request failed (${res.status})`);
}

export interface RequestOptions {
  /** Do not broadcast 401s (used by /auth/me and sign-in). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(API + path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'Cannot reach the revloop server. Is it running?');
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && !opts.quiet401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts);
export const post = <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

/** Builds "?a=1&b=2" from defined, non-empty values. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** multipart upload with progress (fetch has no upload progress). */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'Upload failed: cannot reach the revloop server'));
    xhr.onload = () => {
      let body: any = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      if (xhr.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
      const e = body?.error;
      reject(new ApiError(xhr.status, e?.code ?? 'error', e?.message ?? `Upload failed (${xhr.status})`, e?.details));
    };
    xhr.send(form);
  });
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return 'Something went wrong';
}
