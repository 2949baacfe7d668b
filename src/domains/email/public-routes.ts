// Public email endpoints (no login; every token signed): the open pixel, the click redirect (only to a URL
// that was in that message: anything else is a 404, never a redirect), the RFC 8058 one-click unsubscribe POST
// (never redirects) and the preference page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from './render.ts';
import { tokenKey, setDefaultBaseUrl } from './settings.ts';
import { verifyToken } from './tokens.ts';
import { messageMeta, recordEmailEvent } from './tracking.ts';
import { TEST_NOTE, oneClickUnsubscribe, preferenceState, savePreferences } from './unsubscribe.ts';

import { CLICK_HEADERS, OPEN_HEADERS, PIXEL, REDIRECTABLE, locationOf } from './pixel.ts';

export { PIXEL };

const PAGE = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.4rem}label{display:block;margin:.6rem 0}` +
  `.d{color:#6b7280;font-size:.9rem;margin-left:1.6rem}button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem}.all{background:none;border:1px solid #b91c1c;color:#b91c1c}</style></head>` +
  `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const notFound = (reply: FastifyReply) => reply.code(404).type('application/json').send({ error: { code: 'not_found', message: 'Link not found' } });

type P = { id: string; sig: string };

// The unsubscribe and preference links are limited per message, not per IP: mailbox providers send the one-click
// POSTs of many people from a few addresses (and behind a proxy without TRUST_PROXY every request has one IP), so an
// IP limit would drop real unsubscribes. A bad token costs one HMAC and is refused before any database work.
const perMessage = (max: number) => ({ max, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => `unsubscribe:${(req.params as P).id}` });

export async function emailPublicRoutes(fastify: FastifyInstance) {
  const db = fastify.deps.db;
  let cachedKey: Buffer | null = null;
  const key = () => (cachedKey ??= tokenKey(db, fastify.deps.dataDir));
  setDefaultBaseUrl(db, fastify.config.PUBLIC_URL ?? `http://${fastify.config.HOST}:${fastify.config.PORT}`);
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => done(null, new URLSearchParams(String(body))));
  const log = fastify.log as unknown as { error(o: unknown, m?: string): void };
  const facts = (req: FastifyRequest) => ({ ip: req.ip ?? null, userAgent: (req.headers['user-agent'] as string | undefined)?.slice(0, 1000) ?? null });

  fastify.get<{ Params: { id: string; file: string } }>('/e/o/:id/:file', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    reply.headers(OPEN_HEADERS);
    const sig = req.params.file.endsWith('.gif') ? req.params.file.slice(0, -4) : '';
    if (!verifyToken(key(), 'o', req.params.id, sig)) return notFound(reply);
    const meta = await messageMeta(db, req.params.id);
    if (meta) recordEmailEvent(db, log, { meta, event: 'Email Opened', at: new Date(), url: null, ...facts(req) });
    return reply.type('image/gif').send(PIXEL);
  });

  fastify.get<{ Params: { id: string; idx: string; sig: string } }>('/e/c/:id/:idx/:sig', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    reply.headers(CLICK_HEADERS);
    const idx = /^\d{1,4}$/.test(req.params.idx) ? Number(req.params.idx) : -1;
    if (idx < 0 || !verifyToken(key(), 'c', req.params.id, req.params.sig, idx)) return notFound(reply);
    const meta = await messageMeta(db, req.params.id);
    const url = meta?.links[idx];
    if (!meta || !url || !REDIRECTABLE.test(url)) return notFound(reply);
    recordEmailEvent(db, log, { meta, event: 'Email Link Clicked', at: new Date(), url, ...facts(req) });
    return reply.redirect(locationOf(url), 302);
  });

  // RFC 8058 one-click: POST, no cookies, no login, never a redirect.
  fastify.post<{ Params: P }>('/e/u/:id/:sig', { config: { public: true, rateLimit: perMessage(60) }, schema: { hide: true } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!verifyToken(key(), 'u', req.params.id, req.params.sig)) return notFound(reply);
    const done = await oneClickUnsubscribe(db, req.params.id);
    if (!done) return notFound(reply);
    return reply.code(200).type('text/plain; charset=utf-8').send(done);
  });

  fastify.get<{ Params: P; Querystring: { saved?: string } }>('/e/u/:id/:sig', { config: { public: true, rateLimit: perMessage(60) }, schema: { hide: true } }, async (req, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (!verifyToken(key(), 'u', req.params.id, req.params.sig)) return notFound(reply);
    const state = await preferenceState(db, req.params.id);
    if (!state) return notFound(reply);
    const action = `/e/u/${encodeURIComponent(req.params.id)}/${encodeURIComponent(req.params.sig)}/preferences`;
    const rows = state.topics
      .map((t) => `<label><input type="checkbox" name="topic" value="${t.topicId}"${t.status === 'granted' ? ' checked' : ''}> ${escapeHtml(t.topicName)}</label>${t.description ? `<div class="d">${escapeHtml(t.description)}</div>` : ''}`)
      .join('');
    const saved = req.query.saved === '1' ? '<p role="status"><strong>Your preferences are saved.</strong></p>' : '';
    const body = state.test
      ? `<p>${escapeHtml(TEST_NOTE)} In a real message this page lists the recipient's subscription topics.</p>`
      : state.suppressed
      ? `${saved}<p>${escapeHtml(state.meta.toEmail)} receives no email from us.</p>`
      : `${saved}<p>Choose what ${escapeHtml(state.meta.toEmail)} receives.</p><form method="post" action="${action}">${rows || '<p>No subscription topics.</p>'}<button type="submit">Save preferences</button></form>` +
        `<form method="post" action="${action}"><input type="hidden" name="all" value="1"><button class="all" type="submit">Unsubscribe from all email</button></form>`;
    return reply.type('text/html; charset=utf-8').send(PAGE('Email preferences', body));
  });

  fastify.post<{ Params: P; Body: URLSearchParams | undefined }>('/e/u/:id/:sig/preferences', { config: { public: true, rateLimit: perMessage(30) }, schema: { hide: true } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!verifyToken(key(), 'u', req.params.id, req.params.sig)) return notFound(reply);
    const form = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
    const topics = form.getAll('topic').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    const ok = await savePreferences(db, req.params.id, { topics, all: form.get('all') === '1' });
    if (!ok) return notFound(reply);
    // An answer page, not a redirect.
    const back = `/e/u/${encodeURIComponent(req.params.id)}/${encodeURIComponent(req.params.sig)}`;
    return reply.type('text/html; charset=utf-8').send(PAGE('Preferences saved', `<p role="status">Your email preferences are saved. They apply from the next message on.</p><p><a href="${back}">Review your preferences</a></p>`));
  });
}
