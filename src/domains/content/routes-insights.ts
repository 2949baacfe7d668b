// HTTP routes of the content insights.
// - contentInsightRoutes (under /api/v1): coverage map, audit report (+ CSV, thresholds), per-item influence and
//   ratings, and an on-demand refresh of the performance rollup.
// - contentFeedbackApiRoutes (at the root, beside the tracking API): the rating widget script /rate.js and
//   POST /v1/content/rate, authenticated by a source write key and rate-limited per key and IP.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import { AuditQuery, AuditReport, AuditSettings, AuditSettingsPatch, Coverage, CoverageQuery, Influence, RateResponse, RatingsPage, RatingsQuery } from '../../contracts/content-insights.ts';
import { ctxFor } from '../../http/ctx.ts';
import { basicWriteKey } from '../tracking/routes.ts';
import { contentAudit, exportAuditCsv, getAuditSettings, updateAuditSettings } from './audit.ts';
import { coverageMap } from './coverage.ts';
import { listRatings, rateContent } from './feedback.ts';
import { itemInfluence } from './influence.ts';
import { refreshContentInsights } from './insights-refresh.ts';
import { ratingScript } from './rating-script.ts';

/** Ratings per minute per write key and IP (a reader rates a handful of pages; this stops floods). */
export const RATINGS_PER_MINUTE = 30;

export async function contentInsightRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['content insights'];

  app.get(
    '/content/coverage',
    {
      config: { permission: 'content:read' },
      schema: { tags, summary: 'Coverage map: buying stage × content type with item counts and performance per cell; cells without a live item are gaps', querystring: CoverageQuery, response: { 200: Coverage, ...errorResponses } },
    },
    async (req) => coverageMap({ ctx: ctxFor(req), input: req.query }),
  );

  app.get(
    '/content/audit',
    {
      config: { permission: 'content:read' },
      schema: { tags, summary: 'Content audit: per item stage fit, freshness, rating, depth and influence; live items flagged for refresh or retirement', querystring: AuditQuery, response: { 200: AuditReport, ...errorResponses } },
    },
    async (req) => contentAudit({ ctx: ctxFor(req), input: req.query }),
  );

  app.get(
    '/content/audit/export',
    { config: { permission: 'content:read' }, schema: { tags, summary: 'Download the content audit as CSV (every matching item)', querystring: AuditQuery.omit({ limit: true }), produces: ['text/csv'], response: errorResponses } },
    async (req, reply) => {
      const exp = await exportAuditCsv({ ctx: ctxFor(req), input: req.query });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exp.filename}"`)
        .header('cache-control', 'no-store')
        .send(exp.csv as never);
    },
  );

  app.get(
    '/content/audit/settings',
    { config: { permission: 'content:read' }, schema: { tags, summary: 'Audit thresholds (defaults until changed)', response: { 200: AuditSettings, ...errorResponses } } },
    async (req) => getAuditSettings({ ctx: ctxFor(req) }),
  );

  app.patch(
    '/content/audit/settings',
    { config: { permission: 'content:write' }, schema: { tags, summary: 'Change audit thresholds', body: AuditSettingsPatch, response: { 200: AuditSettings, ...errorResponses } } },
    async (req) => updateAuditSettings({ ctx: ctxFor(req), input: req.body }),
  );

  app.post(
    '/content/insights/refresh',
    {
      config: { permission: 'content:write' },
      schema: {
        tags,
        summary: 'Recompute the performance figures (views, readers, depth, ratings, influence) now instead of waiting for the 5-minute job',
        response: { 200: z.object({ items: z.number().int(), influenced: z.number().int(), ms: z.number() }), ...errorResponses },
      },
    },
    async (req) => {
      const r = await refreshContentInsights(req.server.deps.db);
      return { ...r, ms: Math.round(r.ms) };
    },
  );

  app.get(
    '/content/items/:id/influence',
    { config: { permission: 'content:read' }, schema: { tags, summary: 'Contacts who read the item and later became sales-ready / opportunity / customer, and their pipeline', params: IdParam, response: { 200: Influence, ...errorResponses } } },
    async (req) => itemInfluence({ ctx: ctxFor(req), itemId: req.params.id }),
  );

  app.get(
    '/content/items/:id/ratings',
    { config: { permission: 'content:read' }, schema: { tags, summary: 'Reader ratings and comments of an item, newest first, with the average and distribution', params: IdParam, querystring: RatingsQuery, response: { 200: RatingsPage, ...errorResponses } } },
    async (req) => listRatings({ ctx: ctxFor(req), itemId: req.params.id, input: req.query }),
  );
}

export async function contentFeedbackApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Read raw like the tracking API: the widget posts text/plain (no CORS preflight).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, body));
  app.addHook('onSend', async (req, reply) => {
    if (req.headers.origin) reply.header('access-control-allow-origin', '*');
  });

  app.get('/rate.js', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(ratingScript()),
  );

  app.post(
    '/v1/content/rate',
    {
      config: {
        public: true,
        rateLimit: {
          max: Math.min(RATINGS_PER_MINUTE, fastify.config.TRACKING_RATE_PER_MINUTE),
          timeWindow: '1 minute',
          keyGenerator: (req: FastifyRequest) => `rate:${basicWriteKey(req) ?? ''}:${req.ip}`,
        },
      },
      schema: {
        tags: ['tracking API'],
        summary: 'A reader rates a content item (1–5) with an optional comment',
        description:
          'Sent by the rating widget (/rate.js). Authenticate with the source write key (HTTP Basic user name or "writeKey" in the body). ' +
          'Body: { itemId | url, anonymousId | userId, rating 1–5, comment? (≤ 2000 characters) }. One rating per reader and item; rating again replaces it.',
        security: [],
        response: { 200: RateResponse, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (req) => rateContent({ db: req.server.deps.db, input: { body: req.body as Buffer | undefined, basicKey: basicWriteKey(req) } }),
  );
}
