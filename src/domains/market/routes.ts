// HTTP routes of the market domain: markets, segments (builder fields, preview, members, history, rebuild),
// static lists (members by id/email, CSV of emails) and ICP definitions.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  ContactList,
  ContactListInput,
  ContactListList,
  ContactListPatch,
  Icp,
  IcpInput,
  IcpList,
  IcpPatch,
  ListMembersChange,
  ListMembersResult,
  Market,
  MarketInput,
  MarketList,
  MarketPatch,
  RebuildResult,
  RuleFieldList,
  Segment,
  SegmentHistory,
  SegmentHistoryQuery,
  SegmentInput,
  SegmentList,
  SegmentListQuery,
  SegmentMemberPage,
  SegmentMembersQuery,
  SegmentPatch,
  SegmentPreview,
  SegmentPreviewInput,
} from '../../contracts/market.ts';
import { ctxFor } from '../../http/ctx.ts';
import { acceptCsvBodies, csvText } from '../../http/csv-upload.ts';
import { createIcp, deleteIcp, getIcp, listIcps, updateIcp } from './icp.ts';
import { addListMembers, createList, deleteList, getList, importListCsv, listLists, listMembers, removeListMembers, updateList } from './lists.ts';
import { createMarket, deleteMarket, getMarket, listMarkets, updateMarket } from './markets.ts';
import { ruleFields } from './rule-fields.ts';
import { createSegment, deleteSegment, getSegment, listSegments, previewSegment, rebuildSegmentNow, segmentHistory, segmentMembers, updateSegment } from './segments.ts';

export async function marketRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  acceptCsvBodies(app);
  const read = { permission: 'market:read' } as const;
  const manage = { permission: 'market:manage' } as const;
  const deleted = { 204: z.null().describe('Deleted'), ...errorResponses };

  // ---- markets ----
  let tags = ['markets'];
  app.get('/markets', { config: read, schema: { tags, summary: 'Markets (jobs to be done) with their segment, ICP and contact counts', response: { 200: MarketList, ...errorResponses } } }, async (req) => listMarkets({ ctx: ctxFor(req) }));
  app.post('/markets', { config: manage, schema: { tags, summary: 'Create a market: the job the customer is trying to get done, stated without products', body: MarketInput, response: { 201: Market, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createMarket({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/markets/:id', { config: read, schema: { tags, summary: 'Get a market', params: IdParam, response: { 200: Market, ...errorResponses } } }, async (req) => getMarket({ ctx: ctxFor(req), id: req.params.id }));
  app.patch('/markets/:id', { config: manage, schema: { tags, summary: 'Change a market', params: IdParam, body: MarketPatch, response: { 200: Market, ...errorResponses } } }, async (req) =>
    updateMarket({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/markets/:id', { config: manage, schema: { tags, summary: 'Delete a market (its segments and ICPs stay, without a market)', params: IdParam, response: deleted } }, async (req, reply) => {
    await deleteMarket({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });

  // ---- segments ----
  tags = ['segments'];
  app.get('/segments', { config: read, schema: { tags, summary: 'Segments (filter by market, status)', querystring: SegmentListQuery, response: { 200: SegmentList, ...errorResponses } } }, async (req) =>
    listSegments({ ctx: ctxFor(req), input: req.query }),
  );
  app.get('/segments/fields', { config: read, schema: { tags, summary: "The builder's pickers: fields (built-in and custom, typed, with their operators), tracked event names, lists and ICPs", response: { 200: RuleFieldList, ...errorResponses } } }, async (req) =>
    ruleFields({ ctx: ctxFor(req) }),
  );
  app.post('/segments/preview', { config: read, schema: { tags, summary: 'Count and sample the contacts a rule matches now (nothing stored)', body: SegmentPreviewInput, response: { 200: SegmentPreview, ...errorResponses } } }, async (req) =>
    previewSegment({ ctx: ctxFor(req), input: req.body }),
  );
  app.post('/segments', { config: manage, schema: { tags, summary: 'Create a segment; its members are built at once and kept current as data changes', body: SegmentInput, response: { 201: Segment, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createSegment({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/segments/:id', { config: read, schema: { tags, summary: 'Get a segment', params: IdParam, response: { 200: Segment, ...errorResponses } } }, async (req) => getSegment({ ctx: ctxFor(req), id: req.params.id }));
  app.patch('/segments/:id', { config: manage, schema: { tags, summary: 'Change a segment (a new rule rebuilds its members; archived segments are not maintained)', params: IdParam, body: SegmentPatch, response: { 200: Segment, ...errorResponses } } }, async (req) =>
    updateSegment({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/segments/:id', { config: manage, schema: { tags, summary: 'Delete a segment', params: IdParam, response: deleted } }, async (req, reply) => {
    await deleteSegment({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });
  app.post('/segments/:id/rebuild', { config: manage, schema: { tags, summary: 'Rebuild the members from the rule over every contact (one statement)', params: IdParam, response: { 200: RebuildResult, ...errorResponses } } }, async (req) =>
    rebuildSegmentNow({ ctx: ctxFor(req), id: req.params.id }),
  );
  app.get('/segments/:id/members', { config: read, schema: { tags, summary: 'Members, by contact id (after = the last id of the previous page)', params: IdParam, querystring: SegmentMembersQuery, response: { 200: SegmentMemberPage, ...errorResponses } } }, async (req) =>
    segmentMembers({ ctx: ctxFor(req), id: req.params.id, input: req.query }),
  );
  app.get('/segments/:id/history', { config: read, schema: { tags, summary: 'Joins and leaves per day (last N days) and the latest 20', params: IdParam, querystring: SegmentHistoryQuery, response: { 200: SegmentHistory, ...errorResponses } } }, async (req) =>
    segmentHistory({ ctx: ctxFor(req), id: req.params.id, input: req.query }),
  );

  // ---- static lists ----
  tags = ['lists'];
  app.get('/lists', { config: read, schema: { tags, summary: 'Static lists', response: { 200: ContactListList, ...errorResponses } } }, async (req) => listLists({ ctx: ctxFor(req) }));
  app.post('/lists', { config: manage, schema: { tags, summary: 'Create a static list', body: ContactListInput, response: { 201: ContactList, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createList({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/lists/:id', { config: read, schema: { tags, summary: 'Get a list', params: IdParam, response: { 200: ContactList, ...errorResponses } } }, async (req) => getList({ ctx: ctxFor(req), id: req.params.id }));
  app.patch('/lists/:id', { config: manage, schema: { tags, summary: 'Rename or describe a list', params: IdParam, body: ContactListPatch, response: { 200: ContactList, ...errorResponses } } }, async (req) =>
    updateList({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/lists/:id', { config: manage, schema: { tags, summary: 'Delete a list (409 while a segment rule reads it)', params: IdParam, response: deleted } }, async (req, reply) => {
    await deleteList({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });
  app.get('/lists/:id/members', { config: read, schema: { tags, summary: 'Members, by contact id', params: IdParam, querystring: SegmentMembersQuery, response: { 200: SegmentMemberPage, ...errorResponses } } }, async (req) =>
    listMembers({ ctx: ctxFor(req), id: req.params.id, input: req.query }),
  );
  app.post('/lists/:id/members', { config: manage, schema: { tags, summary: 'Add contacts by id or email (emails that are not contacts are listed)', params: IdParam, body: ListMembersChange, response: { 200: ListMembersResult, ...errorResponses } } }, async (req) =>
    addListMembers({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.post('/lists/:id/members/remove', { config: manage, schema: { tags, summary: 'Remove contacts by id or email', params: IdParam, body: ListMembersChange, response: { 200: ListMembersResult, ...errorResponses } } }, async (req) =>
    removeListMembers({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.post(
    '/lists/:id/import',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add the contacts of a CSV of emails (text/csv body or multipart field "file"; column "email", else the first column); emails that are not contacts are listed with their line',
        params: IdParam,
        querystring: z.object({ mode: z.enum(['add', 'remove']).default('add') }),
        consumes: ['text/csv', 'multipart/form-data'],
        response: { 200: ListMembersResult, ...errorResponses },
      },
    },
    async (req) => importListCsv({ ctx: ctxFor(req), id: req.params.id, csv: await csvText(req), mode: req.query.mode }),
  );

  // ---- ICP ----
  tags = ['icp'];
  app.get('/icps', { config: read, schema: { tags, summary: 'ICP definitions with their grade distribution', response: { 200: IcpList, ...errorResponses } } }, async (req) => listIcps({ ctx: ctxFor(req) }));
  app.post('/icps', { config: manage, schema: { tags, summary: 'Create an ICP: its rules become a fit model (scored like any fit model; a rescore grades existing contacts)', body: IcpInput, response: { 201: Icp, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createIcp({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/icps/:id', { config: read, schema: { tags, summary: 'Get an ICP', params: IdParam, response: { 200: Icp, ...errorResponses } } }, async (req) => getIcp({ ctx: ctxFor(req), id: req.params.id }));
  app.patch('/icps/:id', { config: manage, schema: { tags, summary: 'Change an ICP (new rules: new model version and a rescore)', params: IdParam, body: IcpPatch, response: { 200: Icp, ...errorResponses } } }, async (req) =>
    updateIcp({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/icps/:id', { config: manage, schema: { tags, summary: 'Delete an ICP (its fit model is archived; 409 while a segment reads its grade)', params: IdParam, response: deleted } }, async (req, reply) => {
    await deleteIcp({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });
}
