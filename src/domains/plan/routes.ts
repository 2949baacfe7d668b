// HTTP routes of the plan domain: campaigns (CRUD), a campaign's touch report, and the UTM codes seen in
// tracked events that no campaign claims yet.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import { Campaign, CampaignInput, CampaignList, CampaignListQuery, CampaignPatch, CampaignReport, CampaignReportQuery, UnmatchedUtmList } from '../../contracts/plan.ts';
import { ctxFor } from '../../http/ctx.ts';
import { campaignReport, unmatchedUtms } from './campaign-touches.ts';
import { createCampaign, deleteCampaign, getCampaign, listCampaigns, updateCampaign } from './campaigns.ts';

export async function planRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['campaigns'];

  app.get(
    '/campaigns',
    { config: { permission: 'campaigns:read' }, schema: { tags, summary: 'List campaigns with their touch totals (active and planned first)', querystring: CampaignListQuery, response: { 200: CampaignList, ...errorResponses } } },
    async (req) => listCampaigns({ ctx: ctxFor(req), input: req.query }),
  );

  app.get(
    '/campaigns/unmatched-utms',
    {
      config: { permission: 'campaigns:read' },
      schema: {
        tags,
        summary: 'utm_campaign codes seen in tracked events (last N days, default 90) that no campaign has yet, most touches first',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(730).default(90) }),
        response: { 200: UnmatchedUtmList, ...errorResponses },
      },
    },
    async (req) => unmatchedUtms({ ctx: ctxFor(req), days: req.query.days }),
  );

  app.post(
    '/campaigns',
    { config: { permission: 'campaigns:manage' }, schema: { tags, summary: 'Create a campaign; its utmCampaign code links tracked touches to it', body: CampaignInput, response: { 201: Campaign, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await createCampaign({ ctx: ctxFor(req), input: req.body })),
  );

  app.get(
    '/campaigns/:id',
    { config: { permission: 'campaigns:read' }, schema: { tags, summary: 'Get a campaign with its touch totals', params: IdParam, response: { 200: Campaign, ...errorResponses } } },
    async (req) => getCampaign({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.get(
    '/campaigns/:id/report',
    {
      config: { permission: 'campaigns:read' },
      schema: {
        tags,
        summary: "A campaign's touches: per day (default: the campaign's dates, else the last 90 days), by source/medium, touched contacts by lifecycle stage, latest touches",
        params: IdParam,
        querystring: CampaignReportQuery,
        response: { 200: CampaignReport, ...errorResponses },
      },
    },
    async (req) => campaignReport({ ctx: ctxFor(req), id: req.params.id, input: req.query }),
  );

  app.patch(
    '/campaigns/:id',
    { config: { permission: 'campaigns:manage' }, schema: { tags, summary: 'Change a campaign', params: IdParam, body: CampaignPatch, response: { 200: Campaign, ...errorResponses } } },
    async (req) => updateCampaign({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.delete(
    '/campaigns/:id',
    { config: { permission: 'campaigns:manage' }, schema: { tags, summary: 'Delete a campaign (its tracked touches stay in the events)', params: IdParam, response: { 204: z.null().describe('Deleted'), ...errorResponses } } },
    async (req, reply) => {
      await deleteCampaign({ ctx: ctxFor(req), id: req.params.id });
      return reply.status(204).send(null);
    },
  );
}
