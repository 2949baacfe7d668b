// buildApp: the whole HTTP surface (REST API, OpenAPI, web UI) without listening. main.ts / the CLI listen.
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { Jobs } from './jobs.ts';
import { registerAuth } from './http/auth.ts';
import { registerErrorHandler, sendError } from './http/error-handler.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import type { AppDeps } from './http/ctx.ts';
import { identityRoutes } from './domains/identity/routes.ts';
import { contactsRoutes } from './domains/contacts/routes.ts';
import { lifecycleRoutes } from './domains/lifecycle/routes.ts';
import { dealsRoutes } from './domains/lifecycle/deals-routes.ts';
import { importRoutes } from './domains/contacts/import/routes.ts';
import { trackingApiRoutes, trackingRoutes } from './domains/tracking/routes.ts';
import { handoffRoutes } from './domains/lifecycle/handoff/routes.ts';
import { notificationRoutes } from './domains/identity/notification-routes.ts';
import { scoringRoutes } from './domains/scoring/routes.ts';
import { rescoreRoutes } from './domains/scoring/rescore-routes.ts';
import { webhookRoutes } from './domains/webhooks/routes.ts';
import { planRoutes } from './domains/plan/routes.ts';
import { nurtureRoutes } from './domains/nurture/routes.ts';
import { marketRoutes } from './domains/market/routes.ts';
import { objectiveRoutes } from './domains/plan/objectives-routes.ts';
import { spendRoutes } from './domains/plan/routes-spend.ts';
import { fitnessRoutes } from './domains/plan/routes-fitness.ts';
import { contentItemRoutes } from './domains/content/routes-items.ts';
import { emailRoutes } from './domains/email/routes.ts';
import { emailPublicRoutes } from './domains/email/public-routes.ts';
import { emailFastPath } from './domains/email/fast-path.ts';
import { flushEmailEvents } from './domains/email/tracking.ts';
import { configureWebhooks } from './domains/webhooks/runtime.ts';
import { contentLinkRoutes, contentSalesRoutes } from './domains/content/routes-sales.ts';
import { contentFeedbackApiRoutes, contentInsightRoutes } from './domains/content/routes-insights.ts';
import { analyticsRoutes } from './domains/analytics/routes.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export { VERSION } from './version.ts';
import { VERSION } from './version.ts';

export interface BuildAppOptions {
  db: Db;
  jobs: Jobs;
  config: Config;
  /** A pino logger; none (silent) when omitted, as in tests. */
  logger?: Logger;
  /** One-time token that lets the first admin be created; null once an admin exists. */
  setupToken?: string | null;
  /** Folder of the built web UI; defaults to web/dist. Not served when missing. */
  webDir?: string;
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = opts;
  // The email open pixel and click redirect of cached messages are answered before Fastify (src/domains/email/fast-path.ts).
  const fastPath = emailFastPath({
    db: opts.db,
    dataDir: config.dataDir,
    trustProxy: config.TRUST_PROXY,
    publicUrl: config.PUBLIC_URL,
    log: opts.logger ?? { error: () => undefined },
  });
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: 1024 * 1024,
    trustProxy: config.TRUST_PROXY,
    serverFactory: (handler, o) => {
      const server = http.createServer((req, res) => fastPath(req, res) || handler(req, res));
      // What Fastify sets on a server it creates itself.
      server.keepAliveTimeout = Number(o.keepAliveTimeout ?? 72_000);
      server.requestTimeout = Number(o.requestTimeout ?? 0);
      server.setTimeout(Number(o.connectionTimeout ?? 0));
      return server;
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  configureWebhooks(opts.db, { secretKey: config.WEBHOOK_SECRET_KEY, dataDir: config.dataDir, allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE });
  const deps: AppDeps = { db: opts.db, jobs: opts.jobs, dataDir: config.dataDir };
  app.decorate('deps', deps);
  app.decorate('setupState', { token: opts.setupToken ?? null });
  app.decorate('config', config);

  registerErrorHandler(app);
  // Opens and clicks wait up to 50 ms in the group-commit buffer: write them before the database pool closes.
  app.addHook('onClose', () => flushEmailEvents(opts.db));
  registerSecurityHeaders(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: config.MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 20 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'revloop API',
        version: VERSION,
        description:
          'REST API of revloop. Authenticate with `Authorization: Bearer <API key>` (Settings → API keys) or a session cookie. ' +
          'Errors always have the shape `{ "error": { "code", "message", "details" } }`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from Settings → API keys' },
          session: { type: 'apiKey', in: 'cookie', name: 'revloop_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerAuth(app, opts.db);

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(import('./http/docs.ts'));
  app.get('/api/health', { config: { public: true }, schema: { hide: true } }, async () => ({ ok: true, version: VERSION }));

  await app.register(identityRoutes, { prefix: '/api/v1' });
  await app.register(contactsRoutes, { prefix: '/api/v1' });
  await app.register(importRoutes, { prefix: '/api/v1' });
  await app.register(lifecycleRoutes, { prefix: '/api/v1' });
  await app.register(dealsRoutes, { prefix: '/api/v1' });
  await app.register(trackingRoutes, { prefix: '/api/v1' });
  await app.register(scoringRoutes, { prefix: '/api/v1' });
  await app.register(rescoreRoutes, { prefix: '/api/v1' });
  await app.register(handoffRoutes, { prefix: '/api/v1' });
  await app.register(notificationRoutes, { prefix: '/api/v1' });
  await app.register(webhookRoutes, { prefix: '/api/v1' });
  await app.register(planRoutes, { prefix: '/api/v1' });
  await app.register(nurtureRoutes, { prefix: '/api/v1' });
  await app.register(marketRoutes, { prefix: '/api/v1' });
  await app.register(objectiveRoutes, { prefix: '/api/v1' });
  await app.register(spendRoutes, { prefix: '/api/v1' });
  await app.register(fitnessRoutes, { prefix: '/api/v1' });
  await app.register(contentItemRoutes, { prefix: '/api/v1' });
  await app.register(contentSalesRoutes, { prefix: '/api/v1' });
  await app.register(contentInsightRoutes, { prefix: '/api/v1' });
  await app.register(emailRoutes, { prefix: '/api/v1' });
  await app.register(analyticsRoutes, { prefix: '/api/v1' });
  // The Segment-compatible tracking API lives at the root (/v1/track …), where Segment libraries send it.
  await app.register(trackingApiRoutes);
  // Tracked library links (/l/<token>) redirect to the content item's own URL.
  await app.register(contentLinkRoutes);
  await app.register(emailPublicRoutes); // /e/o (open pixel), /e/c (click redirect), /e/u (one-click unsubscribe, preferences)
  await app.register(contentFeedbackApiRoutes); // /rate.js and /v1/content/rate (the reader rating widget)

  const webDir = opts.webDir ?? path.join(ROOT, 'web', 'dist');
  const hasWeb = existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: true, index: ['index.html'] }); // files looked up per request: a rebuilt UI is served without a restart
  // Client-side routes (/contacts/12, /settings/users …) get the SPA; unknown /api and /v1 paths get JSON 404s.
  app.setNotFoundHandler((req, reply) => {
    const p = req.url.split('?')[0]!;
    if (hasWeb && req.method === 'GET' && !p.startsWith('/api/') && !p.startsWith('/v1/') && !path.extname(p)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendError(reply, 404, 'not_found', `No route for ${req.method} ${p}`);
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    setupState: { token: string | null };
    config: Config;
  }
}

export type App = FastifyInstance;
