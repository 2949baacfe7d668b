// HTTP routes of content items: CRUD, workflow transition, calendar + reschedule, SMEs, URL settings, URL match
// check, rematch and the CSV inventory import. Reads need content:read, writes content:write; skipping review is
// checked in the workflow verb (content:publish).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  CalendarQuery,
  CalendarResponse,
  ContactContent,
  ContentImportResult,
  ContentItem,
  ContentItemDetail,
  ContentItemInput,
  ContentItemPage,
  ContentItemPatch,
  ContentListQuery,
  ContentSettings,
  RescheduleInput,
  Sme,
  SmeInput,
  SmePatch,
  TransitionInput,
} from '../../contracts/content.ts';
import { ValidationError } from '../../errors.ts';
import { ctxFor } from '../../http/ctx.ts';
import { acceptCsvBodies, csvText } from '../../http/csv-upload.ts';
import { calendar } from './calendar.ts';
import { contactContent } from './contact-content.ts';
import { requestContentRematch } from './consumption-jobs.ts';
import { importContentCsv } from './import-csv.ts';
import { createItem, deleteItem, rescheduleItem, updateItem } from './items.ts';
import { getItemDetail, listItems } from './items-read.ts';
import { loadMatcher, normalizeUrl } from './match.ts';
import { createSme, deleteSme, getSme, listSmes, updateSme } from './smes.ts';
import { getContentSettings, updateContentSettings } from './urls.ts';
import { transitionItem } from './workflow.ts';

export async function contentItemRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  acceptCsvBodies(app);
  const tags = ['content'];
  const read = { permission: 'content:read' } as const;
  const write = { permission: 'content:write' } as const;

  app.get('/content/items', { config: read, schema: { tags, summary: 'List content items, newest first (filters: q, stage, type, format, status, topic, segment, product, ownerId, overdue)', querystring: ContentListQuery, response: { 200: ContentItemPage, ...errorResponses } } }, async (req) =>
    listItems({ ctx: ctxFor(req), input: req.query }),
  );
  app.post('/content/items', { config: write, schema: { tags, summary: 'Create a content item (with URL match rules and SMEs)', body: ContentItemInput, response: { 201: ContentItem, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createItem({ ctx: ctxFor(req), input: req.body })),
  );
  app.post(
    '/content/import',
    {
      config: write,
      schema: {
        tags,
        summary: 'Import a content inventory from CSV (text/csv body or multipart field "file"): all rows or none; every rejected row is listed with its line and reason',
        description: 'Columns: title, url (; separated, first canonical), type, format, stage, status (default published), topics, segments, products (; separated), owner_email, publish_date, summary, external_id (upsert key), smes (names).',
        consumes: ['text/csv', 'multipart/form-data'],
        response: { 200: ContentImportResult, ...errorResponses },
      },
    },
    async (req) => importContentCsv({ ctx: ctxFor(req), csv: await csvText(req) }),
  );
  app.get('/content/items/:id', { config: read, schema: { tags, summary: 'A content item with consumption (views, readers, average depth), top readers and workflow history', params: IdParam, response: { 200: ContentItemDetail, ...errorResponses } } }, async (req) =>
    getItemDetail({ ctx: ctxFor(req), id: req.params.id }),
  );
  app.patch('/content/items/:id', { config: write, schema: { tags, summary: 'Change a content item (urls / smes replace the lists)', params: IdParam, body: ContentItemPatch, response: { 200: ContentItem, ...errorResponses } } }, async (req) =>
    updateItem({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/content/items/:id', { config: write, schema: { tags, summary: 'Delete a content item (its consumption and history go with it)', params: IdParam, response: { 204: z.null().describe('Deleted'), ...errorResponses } } }, async (req, reply) => {
    await deleteItem({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });
  app.post(
    '/content/items/:id/transition',
    { config: write, schema: { tags, summary: 'Move an item in the workflow (one step forward, back, or retired; draft → scheduled/published needs content:publish)', params: IdParam, body: TransitionInput, response: { 200: ContentItem, ...errorResponses } } },
    async (req) => transitionItem({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.patch('/content/items/:id/schedule', { config: write, schema: { tags, summary: 'Reschedule (calendar drag): set the publish date, or the due date with field=due', params: IdParam, body: RescheduleInput, response: { 200: ContentItem, ...errorResponses } } }, async (req) =>
    rescheduleItem({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.get('/content/calendar', { config: read, schema: { tags, summary: 'Planned and published items (publish dates) and due dates between from and to (≤ 62 days)', querystring: CalendarQuery, response: { 200: CalendarResponse, ...errorResponses } } }, async (req) =>
    calendar({ ctx: ctxFor(req), input: req.query }),
  );

  app.get('/content/contacts/:id', { config: read, schema: { tags, summary: "What a contact read: items with views, deepest read, active seconds, first and last view", params: IdParam, response: { 200: ContactContent, ...errorResponses } } }, async (req) =>
    contactContent({ ctx: ctxFor(req), contactId: req.params.id }),
  );

  app.get('/content/smes', { config: read, schema: { tags, summary: 'Subject-matter experts with their topics and contributions', querystring: z.object({ topic: z.string().max(60).optional() }), response: { 200: z.object({ items: z.array(Sme) }), ...errorResponses } } }, async (req) =>
    listSmes({ ctx: ctxFor(req), topic: req.query.topic }),
  );
  app.post('/content/smes', { config: write, schema: { tags, summary: 'Add a subject-matter expert', body: SmeInput, response: { 201: Sme, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createSme({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/content/smes/:id', { config: read, schema: { tags, summary: 'A subject-matter expert', params: IdParam, response: { 200: Sme, ...errorResponses } } }, async (req) => getSme({ ctx: ctxFor(req), id: req.params.id }));
  app.patch('/content/smes/:id', { config: write, schema: { tags, summary: 'Change a subject-matter expert', params: IdParam, body: SmePatch, response: { 200: Sme, ...errorResponses } } }, async (req) =>
    updateSme({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/content/smes/:id', { config: write, schema: { tags, summary: 'Remove a subject-matter expert (their contributions go with them)', params: IdParam, response: { 204: z.null().describe('Deleted'), ...errorResponses } } }, async (req, reply) => {
    await deleteSme({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });

  app.get('/content/settings', { config: read, schema: { tags, summary: 'URL matching settings (query parameters kept)', response: { 200: ContentSettings, ...errorResponses } } }, async (req) => getContentSettings({ ctx: ctxFor(req) }));
  app.put('/content/settings', { config: write, schema: { tags, summary: 'Change the query parameters that identify a page (re-normalises every URL rule and rebuilds consumption)', body: ContentSettings, response: { 200: ContentSettings, ...errorResponses } } }, async (req) =>
    updateContentSettings({ ctx: ctxFor(req), input: req.body }),
  );
  app.get(
    '/content/match',
    { config: read, schema: { tags, summary: 'Which item a page URL belongs to (normalised form and the matching item, or null)', querystring: z.object({ url: z.string().min(1).max(2000) }), response: { 200: z.object({ normalized: z.string().nullable(), itemId: z.number().int().nullable() }), ...errorResponses } } },
    async (req) => {
      const ctx = ctxFor(req);
      const m = await loadMatcher(ctx.db, 1);
      const normalized = normalizeUrl(req.query.url, m.keptParams);
      if (!normalized) throw new ValidationError('url: must be an http(s) URL or a path starting with /', [{ field: 'url', message: 'not a URL' }]);
      return { normalized, itemId: m.match({ url: req.query.url }) };
    },
  );
  app.post('/content/rematch', { config: write, schema: { tags, summary: 'Rebuild consumption and buying stages from all tracked events (after bulk URL changes)', response: { 202: z.object({ queued: z.boolean() }), ...errorResponses } } }, async (req, reply) => {
    await requestContentRematch(ctxFor(req));
    return reply.status(202).send({ queued: true });
  });
}
