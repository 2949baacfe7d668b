// One HTTP POST of a webhook: redirects are not followed (a 3xx is a failure), the whole attempt is limited
// to timeoutMs, the connection goes to an address checked by the SSRF guard, and at most 2 KB of the
// response body is kept.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, resolveAllowed } from './ssrf.ts';

export interface PostResult {
  status: number | null;
  body: string | null;
  /** Seconds from a Retry-After header (delta-seconds or HTTP date), when there was one. */
  retryAfter: number | null;
  error: string | null;
  durationMs: number;
}

const MAX_BODY = 2048;

export function parseRetryAfter(v: string | string[] | undefined, now = Date.now()): number | null {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return null;
  if (/^\d+$/.test(s.trim())) return Number(s.trim());
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : Math.max(0, Math.ceil((t - now) / 1000));
}

export async function postWebhook(opts: { url: string; headers: Record<string, string>; body: string; allowPrivate: boolean; timeoutMs: number }): Promise<PostResult> {
  const started = performance.now();
  const done = (r: Omit<PostResult, 'durationMs'>): PostResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    return done({ status: null, body: null, retryAfter: null, error: 'invalid URL' });
  }
  try {
    // IP literals never reach the lookup function: check them here.
    await resolveAllowed(url.hostname, opts.allowPrivate);
  } catch (err) {
    return done({ status: null, body: null, retryAfter: null, error: (err as Error).message });
  }
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(r));
    };
    const req = mod.request(
      url,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        lookup: guardedLookup(opts.allowPrivate),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c);
          size += c.length;
          if (size > 64 * 1024) res.destroy(); // enough; the status is what matters
        });
        const end = () => {
          const status = res.statusCode ?? null;
          const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY);
          const redirect = status !== null && status >= 300 && status < 400;
          finish({
            status,
            body,
            retryAfter: parseRetryAfter(res.headers['retry-after']),
            error: redirect ? `redirect to ${res.headers.location ?? '(no location)'} not followed` : status !== null && (status < 200 || status > 299) ? `HTTP ${status}` : null,
          });
        };
        res.on('end', end);
        res.on('close', end);
        res.on('error', end);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    req.on('error', (err) => finish({ status: null, body: null, retryAfter: null, error: err.message }));
    req.end(opts.body);
  });
}
