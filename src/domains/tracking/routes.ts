// HTTP routes of the tracking domain.
// - trackingApiRoutes: the Segment-compatible tracking API at the root (/v1/track … /v1/batch). Public for
//   the API-key/session guard: each request authenticates with a source write key instead.
// - trackingRoutes (under /api/v1): sources (write keys), events, source stats, recent rejections.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  CreatedSource,
  CreateSourceInput,
  EventsPage,
  EventsQuery,
  MAX_BATCH_BYTES,
  MAX_MESSAGE_BYTES,
  RejectionsPage,
  RejectionsQuery,
  Source,
  SourceStats,
  TrackResponse,
  type EventType,
} from '../../contracts/tracking.ts';
import { ctxFor } from '../../http/ctx.ts';
import { sendError } from '../../http/error-handler.ts';
import { ingest, type Endpoint } from './ingest.ts';
import { ensureEventPartitions } from './jobs.ts';
import { listEvents, listRejections, sourceStats } from './read.ts';
import { createSource, listSources, revokeSource } from './sources.ts';
import { trackerScript } from './snippet.ts';

/** Bodies up to this size are read so that an oversize batch gets a 400 naming Segment's limit; beyond it, 400 without reading on. */
const READ_LIMIT = 4 * 1024 * 1024;

/** The write key from `Authorization: Basic base64(key:)`, or null. */
export function basicWriteKey(req: FastifyRequest): string | null {
  // Read by the rate limiter and the handler: decoded once per request.
  const known = decodedKeys.get(req);
  if (known !== undefined) return known;
  const h = req.headers.authorization;
  let key: string | null = null;
  if (h && /^basic /i.test(h)) {
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    key = (decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded) || null;
  }
  decodedKeys.set(req, key);
  return key;
}
const decodedKeys = new WeakMap<FastifyRequest, string | null>();

export async function trackingApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Every body is read raw (any Content-Type: browsers' sendBeacon sends text/plain) so that sizes are
  // checked against Segment's limits and malformed JSON gets our own 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const batch = req.url.startsWith('/v1/batch');
      const limit = batch ? MAX_BATCH_BYTES : MAX_MESSAGE_BYTES;
      return sendError(reply, 400, batch ? 'batch_too_large' : 'message_too_large', `Request body is larger than the ${limit / 1024} KB limit per ${batch ? 'batch' : 'message'}`, { limitBytes: limit });
    }
    throw err; // everything else: the app's error handler (one error shape)
  });

  app.addHook('onReady', async () => {
    // Start-up check: the partitions for this month and the next ones exist even before the hourly job runs.
    await ensureEventPartitions(fastify.deps.db).catch((err) => fastify.log.warn({ err }, 'could not create event partitions at start-up'));
  });

  app.get('/t.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(trackerScript()),
  );

  // Browser libraries post from the visitor's page (another origin): allow it, and answer CORS preflights.
  app.addHook('onSend', async (req, reply) => {
    if (req.headers.origin) reply.header('access-control-allow-origin', '*');
  });
  app.options('/v1/*', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .status(204)
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, authorization')
      .header('access-control-max-age', '86400')
      .send(),
  );

  const rateLimit = {
    max: fastify.config.TRACKING_RATE_PER_MINUTE,
    timeWindow: '1 minute',
    // Per write key when it is in the Authorization header (checked before the body is read); per IP otherwise.
    keyGenerator: (req: FastifyRequest) => {
      const key = basicWriteKey(req);
      return key ? `wk:${key}` : `ip:${req.ip}`;
    },
  };
  const tags = ['tracking API'];
  const endpoints: [string, Endpoint, string][] = [
    ['track', 'track', 'Record an action a person took'],
    ['identify', 'identify', 'Tie a person to their traits (email creates or updates the contact)'],
    ['page', 'page', 'Record a page view'],
    ['screen', 'screen', 'Record a screen view in an app'],
    ['group', 'group', 'Tie a person to an account (traits.domain / traits.name)'],
    ['alias', 'alias', 'Declare that previousId and userId are the same person'],
    ['batch', 'batch', 'Send many messages at once ({ batch: [...] }, 500 KB at most)'],
  ];
  for (const [path, endpoint, summary] of endpoints) {
    app.post(
      `/v1/${path}`,
      {
        bodyLimit: READ_LIMIT,
        config: { public: true, rateLimit },
        schema: {
          tags,
          summary,
          description:
            'Segment-compatible. Authenticate with HTTP Basic (write key as user name, empty password) or "writeKey" in the body. ' +
            `Limits: ${MAX_MESSAGE_BYTES / 1024} KB per message, ${MAX_BATCH_BYTES / 1024} KB per batch. The answer comes after the events are committed.`,
          security: [],
          response: { 200: TrackResponse, ...errorResponses, 429: errorResponses[400], 503: errorResponses[400] },
        },
      },
      async (req) =>
        ingest({
          db: req.server.deps.db,
          log: req.log,
          input: {
            endpoint: endpoint as EventType | 'batch',
            body: req.body as Buffer | undefined,
            basicKey: basicWriteKey(req),
            facts: {
              receivedAt: new Date(),
              ip: req.ip,
              userAgent: req.headers['user-agent'] ?? null,
              fromBrowser: Boolean(req.headers.origin || req.headers.referer),
            },
          },
        }),
    );
  }
}

export async function trackingRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['tracking'];

  app.get('/sources', { config: { permission: 'events:read' }, schema: { tags, summary: 'List tracking sources', response: { 200: z.object({ items: z.array(Source) }) } } }, async (req) => ({
    items: await listSources({ ctx: ctxFor(req) }),
  }));

  app.post(
    '/sources',
    {
      config: { permission: 'sources:manage' },
      schema: { tags, summary: 'Create a source (the write key is shown in this response only)', body: CreateSourceInput, response: { 201: CreatedSource, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await createSource({ ctx: ctxFor(req), input: req.body })),
  );

  app.delete(
    '/sources/:id',
    { config: { permission: 'sources:manage' }, schema: { tags, summary: 'Revoke a source’s write key', params: IdParam, response: { 200: Source, ...errorResponses } } },
    async (req) => revokeSource({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.get(
    '/sources/:id/stats',
    { config: { permission: 'events:read' }, schema: { tags, summary: 'Events per minute over the last hour, bots and rejections', params: IdParam, response: { 200: SourceStats, ...errorResponses } } },
    async (req) => sourceStats({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.get(
    '/tracking/rejections',
    { config: { permission: 'events:read' }, schema: { tags, summary: 'Recently rejected messages and why (newest first)', querystring: RejectionsQuery, response: { 200: RejectionsPage, ...errorResponses } } },
    async (req) => listRejections({ ctx: ctxFor(req), input: req.query }),
  );

  app.get(
    '/events',
    { config: { permission: 'events:read' }, schema: { tags, summary: 'Tracked events, newest first (keyset pages)', querystring: EventsQuery, response: { 200: EventsPage, ...errorResponses } } },
    async (req) => listEvents({ ctx: ctxFor(req), input: req.query }),
  );
}
