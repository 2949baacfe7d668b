// Security headers on every response (no helmet dependency: one onSend hook, so each rule is visible here).
// - The web UI (HTML): a strict Content-Security-Policy: scripts only from our own origin (no 'unsafe-inline',
//   no eval), nothing may frame us, forms post only to us. style-src keeps 'unsafe-inline' because ECharts writes
//   its tooltips as HTML with style="…" attributes and React renders style props; inline styles cannot run code.
// - The API reference (/api/docs/, Scalar) starts with one inline script: it is allowed by its sha256 hash only.
// - JSON and other non-HTML answers get a CSP that allows nothing (a response rendered as a document runs nothing).
// - Public, cross-origin resources (the tracker /t.js, the rating widget /rate.js, the tracking API /v1/*, tracked
//   links /l/*) stay loadable from customers' websites: Cross-Origin-Resource-Policy: cross-origin there,
//   same-origin everywhere else. CORS for /v1/* is answered by the tracking routes themselves.
// Headers a route already set (e.g. /l/* sets Referrer-Policy: no-referrer) are kept.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const BASE: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  'x-permitted-cross-domain-policies': 'none',
};

const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NONE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The sha256 CSP sources of the inline <script> elements of an HTML page. */
export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    out.push(`'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
  }
  return out;
}

function docsCsp(html: string): string {
  return UI_CSP.replace("script-src 'self'", `script-src 'self' ${inlineScriptHashes(html).join(' ')}`.trim()).replace(
    "font-src 'self' data:",
    "font-src 'self' data: https://fonts.scalar.com",
  );
}

const CROSS_ORIGIN = /^\/(v1\/|l\/|t\.js|rate\.js)/;
const HSTS = 'max-age=31536000; includeSubDomains';

function apply(req: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const path = req.url.split('?')[0]!;
  const https = req.protocol === 'https' || Boolean(req.server.config.PUBLIC_URL?.startsWith('https://'));
  if (TRACKING_ANSWER.test(path) && (reply.statusCode === 302 || String(reply.getHeader('content-type')) === 'image/gif')) {
    for (const [k, v] of Object.entries(headersForRawAnswer({}, path, https))) if (!reply.hasHeader(k)) reply.header(k, v);
    return;
  }
  for (const [k, v] of Object.entries(BASE)) if (!reply.hasHeader(k)) reply.header(k, v);
  if (!reply.hasHeader('cross-origin-resource-policy')) reply.header('cross-origin-resource-policy', CROSS_ORIGIN.test(path) ? 'cross-origin' : 'same-origin');
  if (https && !reply.hasHeader('strict-transport-security')) reply.header('strict-transport-security', HSTS);
  if (reply.hasHeader('content-security-policy')) return;
  const type = String(reply.getHeader('content-type') ?? '');
  if (!type.startsWith('text/html')) return void reply.header('content-security-policy', NONE_CSP);
  if (path.startsWith('/api/docs') && typeof payload === 'string') return void reply.header('content-security-policy', docsCsp(payload));
  reply.header('content-security-policy', UI_CSP);
}

// The email open pixel (a GIF) and click redirect (a 302 without a body) are never documents: they get nosniff, CORP,
// HSTS and their own cache / referrer headers, not the document-only ones (framing, CSP, COOP, permissions). They are
// answered a few thousand times a second (bench/click), where every header costs; fast-path.ts sends the same set.
const TRACKING_ANSWER = /^\/e\/[oc]\//;

/** Headers of a pixel / redirect answer: the route's own headers, nosniff, CORP and (on https) HSTS. */
export function headersForRawAnswer(own: Record<string, string | number>, path: string, https: boolean): Record<string, string | number> {
  const h: Record<string, string | number> = { 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': CROSS_ORIGIN.test(path) ? 'cross-origin' : 'same-origin', ...own };
  if (https) h['strict-transport-security'] ??= HSTS;
  return h;
}

export function registerSecurityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (req, reply, payload) => {
    apply(req, reply, payload);
    return payload;
  });
}

export const CONTENT_SECURITY_POLICY = { ui: UI_CSP, none: NONE_CSP };
