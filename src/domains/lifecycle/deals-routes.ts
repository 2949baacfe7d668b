// HTTP routes of deals: REST (list, get, create / upsert by externalId, change, delete) and CSV import / export.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import { Deal, DealExportQuery, DealImportResult, DealInput, DealListQuery, DealPage, DealPatch, DealUpsertInput } from '../../contracts/lifecycle.ts';
import { ctxFor } from '../../http/ctx.ts';
import { acceptCsvBodies, csvText } from '../../http/csv-upload.ts';
import { createDeal, deleteDeal, getDeal, listDeals, updateDeal, upsertDealByExternalId } from './deals.ts';
import { exportDealsCsv, importDealsCsv } from './deals-csv.ts';

export async function dealsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  acceptCsvBodies(app);
  const tags = ['deals'];

  app.get(
    '/deals',
    { config: { permission: 'deals:read' }, schema: { tags, summary: 'List deals, newest first (filters: stage, contactId, accountId, ownerId, q)', querystring: DealListQuery, response: { 200: DealPage, ...errorResponses } } },
    async (req) => listDeals({ ctx: ctxFor(req), input: req.query }),
  );

  app.get(
    '/deals/export',
    { config: { permission: 'deals:read' }, schema: { tags, summary: 'Download the filtered deals as CSV', querystring: DealExportQuery, produces: ['text/csv'], response: errorResponses } },
    async (req, reply) => {
      const exp = await exportDealsCsv({ ctx: ctxFor(req), input: req.query });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exp.filename}"`)
        .header('cache-control', 'no-store')
        .send(exp.csv as never);
    },
  );

  app.post(
    '/deals/import',
    {
      config: { permission: 'deals:write' },
      schema: {
        tags,
        summary: 'Import deals from CSV (text/csv body or multipart field "file"); valid rows are written, every rejected row is listed with its line and reason',
        description: 'Columns: external_id (upsert key), name, amount, currency, stage (intent, job_to_be_done, won, lost), close_date, owner_email, account_domain, contact_emails (; separated), lost_reason, won_at.',
        consumes: ['text/csv', 'multipart/form-data'],
        response: { 200: DealImportResult, ...errorResponses },
      },
    },
    async (req) => importDealsCsv({ ctx: ctxFor(req), csv: await csvText(req) }),
  );

  app.post(
    '/deals',
    {
      config: { permission: 'deals:write' },
      schema: { tags, summary: 'Create a deal (with an externalId that exists: update that deal, 200)', body: DealInput, response: { 200: Deal, 201: Deal, ...errorResponses } },
    },
    async (req, reply) => {
      const { deal, created } = await createDeal({ ctx: ctxFor(req), input: req.body });
      return reply.status(created ? 201 : 200).send(deal);
    },
  );

  app.put(
    '/deals/by-external/:externalId',
    {
      config: { permission: 'deals:write' },
      schema: {
        tags,
        summary: 'Create or update the deal with this CRM id (name required to create)',
        params: z.object({ externalId: z.string().min(1).max(200) }),
        body: DealUpsertInput,
        response: { 200: Deal, 201: Deal, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { deal, created } = await upsertDealByExternalId({ ctx: ctxFor(req), externalId: req.params.externalId, input: req.body });
      return reply.status(created ? 201 : 200).send(deal);
    },
  );

  app.get(
    '/deals/:id',
    { config: { permission: 'deals:read' }, schema: { tags, summary: 'Get a deal', params: IdParam, response: { 200: Deal, ...errorResponses } } },
    async (req) => getDeal({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.patch(
    '/deals/:id',
    {
      config: { permission: 'deals:write' },
      schema: { tags, summary: 'Change a deal (stage changes move its contacts: open → opportunity, won → customer, lost → recycled)', params: IdParam, body: DealPatch, response: { 200: Deal, ...errorResponses } },
    },
    async (req) => updateDeal({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.delete(
    '/deals/:id',
    { config: { permission: 'deals:write' }, schema: { tags, summary: 'Delete a deal (its contacts keep their stage and history)', params: IdParam, response: { 204: z.null().describe('Deleted'), ...errorResponses } } },
    async (req, reply) => {
      await deleteDeal({ ctx: ctxFor(req), id: req.params.id });
      return reply.status(204).send(null);
    },
  );
}
