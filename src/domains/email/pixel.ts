// What the open pixel and the click redirect answer with, shared by the Fastify routes (public-routes.ts) and the
// raw fast path (fast-path.ts), so both send the same bytes and headers.
export const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export const OPEN_HEADERS = { 'cache-control': 'no-store, private', 'cross-origin-resource-policy': 'cross-origin', 'referrer-policy': 'no-referrer' } as const;
export const CLICK_HEADERS = { 'cache-control': 'no-store, private', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' } as const;

/** Only http(s) links of the message are redirected to. */
export const REDIRECTABLE = /^https?:\/\//i;

/** The Location header value of a stored link: spaces and non-ASCII characters percent-encoded (UTF-8). */
export function locationOf(url: string): string {
  return url.replace(/[^\x21-\x7e]+/g, (s) => encodeURIComponent(s));
}
