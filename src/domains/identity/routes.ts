// HTTP routes of the identity domain: setup, sign-in/out, me, users, API keys, audit log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  AuditPage,
  AuditQuery,
  ApiKey,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateUserInput,
  LoginInput,
  Me,
  Owner,
  SetupInput,
  SetupStatus,
  UpdateUserInput,
  User,
} from '../../contracts/identity.ts';
import { ctxFor } from '../../http/ctx.ts';
import { SESSION_COOKIE } from './authenticate.ts';
import { ROLE_PERMISSIONS } from './permissions.ts';
import * as identity from './service.ts';

function meta(req: FastifyRequest): identity.RequestMeta {
  return { ip: req.ip, userAgent: req.headers['user-agent'] ?? null, previousToken: req.cookies[SESSION_COOKIE] ?? null };
}

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date) {
  const publicUrl = req.server.config.PUBLIC_URL;
  const secure = req.protocol === 'https' || (publicUrl?.startsWith('https://') ?? false);
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt });
}

export async function identityRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['identity'];

  app.get('/setup', { config: { public: true }, schema: { tags, summary: 'Whether the first admin still has to be created', response: { 200: SetupStatus } } }, async (req) => ({
    needsSetup: req.server.setupState.token !== null,
  }));

  app.post(
    '/setup',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Create the first admin with the one-time setup token', body: SetupInput, response: { 201: User, ...errorResponses } },
    },
    async (req, reply) => {
      const result = await identity.setupFirstAdmin({
        db: req.server.deps.db,
        input: req.body,
        expectedToken: req.server.setupState.token,
        meta: meta(req),
        config: req.server.config,
      });
      req.server.setupState.token = null;
      setSessionCookie(req, reply, result.token, result.expiresAt);
      return reply.status(201).send(identity.toUserDto(result.user));
    },
  );

  app.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: fastify.config.LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Sign in; sets the session cookie', body: LoginInput, response: { 200: User, ...errorResponses, 429: errorResponses[400] } },
    },
    async (req, reply) => {
      const result = await identity.login({ db: req.server.deps.db, input: req.body, meta: meta(req), config: req.server.config });
      setSessionCookie(req, reply, result.token, result.expiresAt);
      return identity.toUserDto(result.user);
    },
  );

  app.post('/auth/logout', { config: { public: true }, schema: { tags, summary: 'Sign out', response: { 204: z.null() } } }, async (req, reply) => {
    await identity.logout({ db: req.server.deps.db, token: req.cookies[SESSION_COOKIE] });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/auth/me', { config: { permission: 'session' }, schema: { tags, summary: 'Who is calling, and what they may do', response: { 200: Me } } }, async (req) => {
    const ctx = ctxFor(req);
    const user = ctx.actor.type === 'user' ? await identity.getUser({ ctx, id: ctx.actor.userId! }) : null;
    return { user, via: ctx.actor.type === 'user' ? ('session' as const) : ('api_key' as const), role: ctx.actor.role, permissions: [...ROLE_PERMISSIONS[ctx.actor.role]] };
  });

  app.get('/users', { config: { permission: 'users:manage' }, schema: { tags, summary: 'List users', response: { 200: z.object({ items: z.array(User) }) } } }, async (req) => ({
    items: await identity.listUsers({ ctx: ctxFor(req) }),
  }));

  app.get(
    '/owners',
    { config: { permission: 'contacts:read' }, schema: { tags, summary: 'Active users who can own contacts and accounts', response: { 200: z.object({ items: z.array(Owner) }) } } },
    async (req) => ({ items: await identity.listOwners({ ctx: ctxFor(req) }) }),
  );

  app.post(
    '/users',
    { config: { permission: 'users:manage' }, schema: { tags, summary: 'Create a user', body: CreateUserInput, response: { 201: User, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await identity.createUser({ ctx: ctxFor(req), input: req.body })),
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:manage' },
      schema: { tags, summary: 'Change a user’s name, role, password or disable them', params: IdParam, body: UpdateUserInput, response: { 200: User, ...errorResponses } },
    },
    async (req) => identity.updateUser({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.get('/api-keys', { config: { permission: 'api_keys:manage' }, schema: { tags, summary: 'List API keys', response: { 200: z.object({ items: z.array(ApiKey) }) } } }, async (req) => ({
    items: await identity.listApiKeys({ ctx: ctxFor(req) }),
  }));

  app.post(
    '/api-keys',
    {
      config: { permission: 'api_keys:manage' },
      schema: { tags, summary: 'Create an API key (the key is shown in this response only)', body: CreateApiKeyInput, response: { 201: CreatedApiKey, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await identity.createApiKey({ ctx: ctxFor(req), input: req.body })),
  );

  app.delete(
    '/api-keys/:id',
    { config: { permission: 'api_keys:manage' }, schema: { tags, summary: 'Revoke an API key', params: IdParam, response: { 200: ApiKey, ...errorResponses } } },
    async (req) => identity.revokeApiKey({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.get(
    '/audit-log',
    { config: { permission: 'audit:read' }, schema: { tags, summary: 'Who changed what, newest first', querystring: AuditQuery, response: { 200: AuditPage, ...errorResponses } } },
    async (req) => identity.listAuditLog({ ctx: ctxFor(req), input: req.query }),
  );
}
