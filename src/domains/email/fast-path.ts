// The hot path of the open pixel and the click redirect, answered on the raw node:http request before Fastify
// sees it: a signed token of a message whose facts are cached is answered synchronously (HMAC check, the cached
// facts, the event handed to the group-commit buffer, the GIF or the 302 with the same headers the Fastify
// routes send). Everything else — a cache miss, a bad token, an unknown link, HEAD — falls through to the Fastify
// routes in public-routes.ts, which read the database, fill the cache and answer errors. bench/click measures it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../db/client.ts';
import { headersForRawAnswer } from '../../http/security-headers.ts';
import { CLICK_HEADERS, OPEN_HEADERS, PIXEL, REDIRECTABLE, locationOf } from './pixel.ts';
import { tokenKey } from './settings.ts';
import { verifyTokenMemo } from './tokens.ts';
import { cachedMessageMeta, recordEmailEvent } from './tracking.ts';

const OPEN = /^\/e\/o\/([0-9a-f-]{36})\/([A-Za-z0-9_-]{22})\.gif(?:\?|$)/;
const CLICK = /^\/e\/c\/([0-9a-f-]{36})\/(\d{1,4})\/([A-Za-z0-9_-]{22})(?:\?|$)/;

export interface FastPathOptions {
  db: Db;
  dataDir: string;
  trustProxy: boolean;
  publicUrl?: string;
  log: { error(o: unknown, m?: string): void };
}

/** Returns a request listener prefix: true when it answered the request, false to hand it to Fastify. */
export function emailFastPath(opts: FastPathOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  let key: Buffer | null = null;
  const httpsPublic = opts.publicUrl?.startsWith('https://') ?? false;
  const pixelOwn = { ...OPEN_HEADERS, 'content-type': 'image/gif', 'content-length': PIXEL.length };
  const pixelHeaders = { http: headersForRawAnswer(pixelOwn, '/e/o/', httpsPublic), https: headersForRawAnswer(pixelOwn, '/e/o/', true) };
  const clickOwn = { ...CLICK_HEADERS, 'content-length': 0 };
  const clickHeaders = { http: headersForRawAnswer(clickOwn, '/e/c/', httpsPublic), https: headersForRawAnswer(clickOwn, '/e/c/', true) };
  const facts = (req: IncomingMessage) => {
    const xff = opts.trustProxy ? req.headers['x-forwarded-for'] : undefined;
    const ip = (typeof xff === 'string' && xff ? xff.split(',')[0]!.trim() : req.socket.remoteAddress) ?? null;
    return { ip, userAgent: req.headers['user-agent']?.slice(0, 1000) ?? null };
  };
  // As Fastify's req.protocol: https when a trusted proxy says so (PUBLIC_URL https already adds HSTS).
  const scheme = (req: IncomingMessage) => (opts.trustProxy && req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http');

  return (req, res) => {
    const url = req.url;
    if (req.method !== 'GET' || !url || url.charCodeAt(1) !== 101 /* e */ || url.charCodeAt(2) !== 47) return false;
    const open = OPEN.exec(url);
    if (open) {
      key ??= tokenKey(opts.db, opts.dataDir);
      const meta = cachedMessageMeta(opts.db, open[1]!);
      if (!meta || !verifyTokenMemo((meta.sigs ??= new Map()), key, 'o', open[1]!, open[2]!)) return false;
      recordEmailEvent(opts.db, opts.log, { meta, event: 'Email Opened', at: new Date(), url: null, ...facts(req) });
      res.writeHead(200, pixelHeaders[scheme(req)]);
      res.end(PIXEL);
      return true;
    }
    const click = CLICK.exec(url);
    if (click) {
      key ??= tokenKey(opts.db, opts.dataDir);
      const idx = Number(click[2]);
      const meta = cachedMessageMeta(opts.db, click[1]!);
      const target = meta?.links[idx];
      if (!meta || !target || !REDIRECTABLE.test(target) || !verifyTokenMemo((meta.sigs ??= new Map()), key, 'c', click[1]!, click[3]!, idx)) return false;
      recordEmailEvent(opts.db, opts.log, { meta, event: 'Email Link Clicked', at: new Date(), url: target, ...facts(req) });
      res.writeHead(302, { ...clickHeaders[scheme(req)], location: locationOf(target) });
      res.end();
      return true;
    }
    return false;
  };
}
