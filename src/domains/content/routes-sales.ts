// HTTP routes of the content engine's sales side: field intel, the sales library (search, tracked links,
// what a contact read), the topic backlog, the SME network, and the public tracked-link redirect (/l/:token).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  Backlog,
  BacklogQuery,
  ContactReading,
  CycleInput,
  CycleResult,
  IdeaResult,
  IntelEntry,
  IntelIdeaInput,
  IntelInput,
  IntelListQuery,
  IntelPage,
  IntelTrend,
  IntelTrendQuery,
  LibraryPage,
  LibraryQuery,
  Network,
  TrackedLink,
  TrackedLinkInput,
  TrendIdeaInput,
} from '../../contracts/content-sales.ts';
import { AppError } from '../../errors.ts';
import { ctxFor } from '../../http/ctx.ts';
import { cycleTopInterests, topicBacklog } from './backlog.ts';
import { deleteIntel, intelToIdea, intelTrends, listIntel, postIntel, trendToIdea } from './intel.ts';
import { contactReading, searchLibrary } from './library.ts';
import { createTrackedLink, followTrackedLink } from './links.ts';
import { smeNetwork } from './network.ts';

function baseUrl(req: FastifyRequest): string {
  return req.server.config.PUBLIC_URL ?? `${req.protocol}://${req.host}`;
}

export async function contentSalesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  // ---------- field intel ----------
  const intelTags = ['field intel'];
  app.post(
    '/intel',
    { config: { permission: 'intel:post' }, schema: { tags: intelTags, summary: 'Post what you heard in the field, tagged by topic, competitor and account', body: IntelInput, response: { 201: IntelEntry, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await postIntel({ ctx: ctxFor(req), input: req.body })),
  );
  app.get(
    '/intel',
    { config: { permission: 'content:read' }, schema: { tags: intelTags, summary: 'Field intel, newest first (filters: topic, competitor, accountId, postedBy, q, open)', querystring: IntelListQuery, response: { 200: IntelPage, ...errorResponses } } },
    async (req) => listIntel({ ctx: ctxFor(req), input: req.query }),
  );
  app.get(
    '/intel/trends',
    { config: { permission: 'content:read' }, schema: { tags: intelTags, summary: 'Mentions per week of the most mentioned topics or competitors', querystring: IntelTrendQuery, response: { 200: IntelTrend, ...errorResponses } } },
    async (req) => intelTrends({ ctx: ctxFor(req), input: req.query }),
  );
  app.post(
    '/intel/trends/idea',
    {
      config: { permission: 'content:write' },
      schema: { tags: intelTags, summary: 'Turn a trend (the open entries of a topic or competitor) into one calendar idea, linked back', body: TrendIdeaInput, response: { 201: IdeaResult, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await trendToIdea({ ctx: ctxFor(req), input: req.body })),
  );
  app.post(
    '/intel/:id/idea',
    {
      config: { permission: 'content:write' },
      schema: { tags: intelTags, summary: 'Turn a field intel entry into a calendar idea (a content item in status idea), linked back', params: IdParam, body: IntelIdeaInput.optional(), response: { 201: IdeaResult, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await intelToIdea({ ctx: ctxFor(req), id: req.params.id, input: req.body ?? {} })),
  );
  app.delete(
    '/intel/:id',
    { config: { permission: 'intel:post' }, schema: { tags: intelTags, summary: 'Delete a field intel entry (your own; marketing and admins: any)', params: IdParam, response: { 204: z.null().describe('Deleted'), ...errorResponses } } },
    async (req, reply) => {
      await deleteIntel({ ctx: ctxFor(req), id: req.params.id });
      return reply.status(204).send(null);
    },
  );

  // ---------- sales library ----------
  const libTags = ['sales library'];
  app.get(
    '/library',
    {
      config: { permission: 'library:use' },
      schema: { tags: libTags, summary: 'Published content by stage, type, format, topic, product, segment and title words; contactId marks what that contact read', querystring: LibraryQuery, response: { 200: LibraryPage, ...errorResponses } },
    },
    async (req) => searchLibrary({ ctx: ctxFor(req), input: req.query }),
  );
  app.post(
    '/library/links',
    {
      config: { permission: 'library:use' },
      schema: {
        tags: libTags,
        summary: 'Create a tracked link to a published item for a contact (shown once; redirects to the item URL and attributes the visit to the contact)',
        body: TrackedLinkInput,
        response: { 201: TrackedLink, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await createTrackedLink({ ctx: ctxFor(req), input: req.body, baseUrl: baseUrl(req) })),
  );
  app.get(
    '/library/contacts/:id',
    { config: { permission: 'library:use' }, schema: { tags: libTags, summary: 'What a contact already read, and the tracked links they were sent', params: IdParam, response: { 200: ContactReading, ...errorResponses } } },
    async (req) => contactReading({ ctx: ctxFor(req), contactId: req.params.id }),
  );

  // ---------- topic backlog and SME network ----------
  const tags = ['content'];
  app.get(
    '/content/backlog',
    { config: { permission: 'content:read' }, schema: { tags, summary: 'Topics ranked by reader interest (readers, views, depth, ratings) and field intel mentions', querystring: BacklogQuery, response: { 200: Backlog, ...errorResponses } } },
    async (req) => topicBacklog({ ctx: ctxFor(req), input: req.query }),
  );
  app.post(
    '/content/backlog/cycle',
    {
      config: { permission: 'content:write' },
      schema: { tags, summary: 'Cycle the top interests: one calendar idea per top topic (or per topic named) with nothing in production', body: CycleInput.optional(), response: { 200: CycleResult, ...errorResponses } },
    },
    async (req) => cycleTopInterests({ ctx: ctxFor(req), input: req.body ?? {} }),
  );
  app.get(
    '/content/network',
    { config: { permission: 'content:read' }, schema: { tags, summary: 'The thought-leadership network: SMEs, their topics and contributions, uncovered topics', response: { 200: Network, ...errorResponses } } },
    async (req) => smeNetwork({ ctx: ctxFor(req) }),
  );
}

const LINK_PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
  `<body style="font:16px system-ui;margin:15vh auto;max-width:32em;padding:0 1em;color:#222"><h1 style="font-size:1.3em">${title}</h1><p>${text}</p>`;

/** The public redirect of tracked library links, at the root: /l/<token>. */
export async function contentLinkRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/l/:token',
    {
      config: { public: true, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { tags: ['sales library'], summary: 'Follow a tracked library link: 302 to the item URL', params: z.object({ token: z.string().max(200) }), security: [], hide: true },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
      try {
        const { location } = await followTrackedLink({ db: req.server.deps.db, token: req.params.token });
        return reply.redirect(location, 302);
      } catch (err) {
        if (!(err instanceof AppError) || (err.status !== 404 && err.status !== 410)) throw err;
        const gone = err.status === 410;
        return reply
          .status(err.status)
          .type('text/html; charset=utf-8')
          .send(LINK_PAGE(gone ? 'This link has expired' : 'Link not found', gone ? 'Ask the person who sent it for a new link.' : 'Check that you copied the whole link.'));
      }
    },
  );
}
