// Authentication and authorization for every /api route. Each route declares
// `config: { permission }` or `config: { public: true }`; a route with neither fails at start-up.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../context.ts';
import type { Db } from '../db/client.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { actorFromApiKey, actorFromSession, SESSION_COOKIE } from '../domains/identity/authenticate.ts';
import { can, type Permission } from '../domains/identity/permissions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** Every guarded route and its permission, for the role × route test matrix. */
    routeTable: RouteGuard[];
  }
}

export interface RouteGuard {
  method: string;
  url: string;
  permission: Permission | 'public';
}


const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Same-site check for cookie-authenticated writes (CSRF): the browser's Origin / Sec-Fetch-Site must be ours. */
function crossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      return new URL(origin).host !== req.headers.host;
    } catch {
      return true;
    }
  }
  return false;
}

export function registerAuth(app: FastifyInstance, db: Db) {
  app.decorateRequest('actor', null);
  app.decorate('routeTable', [] as RouteGuard[]);

  app.addHook('onRoute', (route) => {
    // The REST API (/api) and the tracking API (/v1) are guarded; static files and the SPA are not.
    if (!(route.url.startsWith('/api/') || route.url.startsWith('/v1/')) || route.url.startsWith('/api/docs')) return;
    const cfg = (route.config ?? {}) as { permission?: Permission; public?: boolean };
    if (!cfg.permission && !cfg.public) {
      throw new Error(`Route ${route.method} ${route.url} declares neither a permission nor public: true`);
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === 'HEAD') continue;
      app.routeTable.push({ method: m, url: route.url, permission: cfg.public ? 'public' : cfg.permission! });
    }
  });

  app.addHook('onRequest', async (req) => {
    const auth = req.headers.authorization;
    if (auth && /^bearer /i.test(auth)) {
      const actor = await actorFromApiKey(db, auth.slice(7).trim());
      if (!actor) throw new UnauthorizedError('Invalid or revoked API key');
      req.actor = actor;
      return;
    }
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) {
      req.actor = await actorFromSession(db, token);
      if (req.actor && UNSAFE.has(req.method) && crossSite(req)) {
        throw new ForbiddenError('Cross-site request refused');
      }
    }
  });

  // Checked before the body is parsed or validated: callers without the right see 401/403, never a 400.
  app.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config as { permission?: Permission; public?: boolean };
    if (cfg.public || !cfg.permission) return;
    if (!req.actor) throw new UnauthorizedError();
    if (!can(req.actor.role, cfg.permission)) {
      throw new ForbiddenError(`Your role (${req.actor.role}) does not allow ${cfg.permission}`);
    }
  });
}
