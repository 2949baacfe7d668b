// HTTP routes of the contacts domain: contacts, accounts, custom property definitions, lists, timeline, CSV export.
// (CSV import routes live in ./import/routes.ts.)
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  Account,
  AccountExportQuery,
  AccountInput,
  AccountListQuery,
  AccountPage,
  AccountPatch,
  Contact,
  ContactExportQuery,
  ContactInput,
  ContactListQuery,
  ContactPage,
  ContactPatch,
  PropertyDefinition,
  PropertyDefinitionInput,
  PropertyDefinitionPatch,
  PropertyListQuery,
  TimelinePage,
  TimelineQuery,
} from '../../contracts/contacts.ts';
import { ctxFor } from '../../http/ctx.ts';
import * as svc from './service.ts';
import type { CsvExport } from './export.ts';

const noContent = { 204: z.null().describe('Deleted'), ...errorResponses };

function sendCsv(reply: FastifyReply, exp: CsvExport) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${exp.filename}"`)
    .header('cache-control', 'no-store')
    .send(exp.stream());
}

export async function contactsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  // ---------- contacts ----------
  let tags = ['contacts'];
  app.get(
    '/contacts',
    {
      config: { permission: 'contacts:read' },
      schema: {
        tags,
        summary: 'List contacts (filter, sort, keyset pagination)',
        description:
          'Filters: q (email, first or last name starts with; a full email matches exactly), lifecycleStage, ownerId, accountId, ' +
          'createdAfter (inclusive), createdBefore (exclusive), and custom properties as `prop.<key>=<value>`. ' +
          'Pass nextCursor back as cursor for the next page. total.count is exact up to 10,000 (capped: true above).',
        querystring: ContactListQuery,
        response: { 200: ContactPage, ...errorResponses },
      },
    },
    async (req) => svc.listContacts({ ctx: ctxFor(req), input: req.query }),
  );

  app.get(
    '/contacts/export',
    {
      config: { permission: 'contacts:export' },
      schema: {
        tags,
        summary: 'Download the filtered contacts as CSV (same filters and sort as the list)',
        querystring: ContactExportQuery,
        produces: ['text/csv'],
        response: errorResponses,
      },
    },
    async (req, reply) => sendCsv(reply, await svc.prepareContactExport({ ctx: ctxFor(req), input: req.query })),
  );

  app.post(
    '/contacts',
    {
      config: { permission: 'contacts:write' },
      schema: { tags, summary: 'Create a contact (linked to the account of its email domain unless accountId is given)', body: ContactInput, response: { 201: Contact, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await svc.createContact({ ctx: ctxFor(req), input: req.body })),
  );

  app.get(
    '/contacts/:id',
    { config: { permission: 'contacts:read' }, schema: { tags, summary: 'Get a contact', params: IdParam, response: { 200: Contact, ...errorResponses } } },
    async (req) => svc.getContact({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.patch(
    '/contacts/:id',
    {
      config: { permission: 'contacts:write' },
      schema: { tags, summary: 'Change a contact (properties merge; a null property value removes it)', params: IdParam, body: ContactPatch, response: { 200: Contact, ...errorResponses } },
    },
    async (req) => svc.updateContact({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.delete(
    '/contacts/:id',
    { config: { permission: 'contacts:write' }, schema: { tags, summary: 'Delete a contact', params: IdParam, response: noContent } },
    async (req, reply) => {
      await svc.deleteContact({ ctx: ctxFor(req), id: req.params.id });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/contacts/:id/timeline',
    {
      config: { permission: 'contacts:read' },
      schema: { tags, summary: 'Activity timeline of a contact, newest first', params: IdParam, querystring: TimelineQuery, response: { 200: TimelinePage, ...errorResponses } },
    },
    async (req) => svc.contactTimeline({ ctx: ctxFor(req), id: req.params.id, input: req.query }),
  );

  // ---------- accounts ----------
  tags = ['accounts'];
  app.get(
    '/accounts',
    {
      config: { permission: 'contacts:read' },
      schema: { tags, summary: 'List accounts (q: name or domain starts with)', querystring: AccountListQuery, response: { 200: AccountPage, ...errorResponses } },
    },
    async (req) => svc.listAccounts({ ctx: ctxFor(req), input: req.query }),
  );

  app.get(
    '/accounts/export',
    {
      config: { permission: 'contacts:export' },
      schema: { tags, summary: 'Download the filtered accounts as CSV', querystring: AccountExportQuery, produces: ['text/csv'], response: errorResponses },
    },
    async (req, reply) => sendCsv(reply, await svc.prepareAccountExport({ ctx: ctxFor(req), input: req.query })),
  );

  app.post(
    '/accounts',
    { config: { permission: 'contacts:write' }, schema: { tags, summary: 'Create an account', body: AccountInput, response: { 201: Account, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await svc.createAccount({ ctx: ctxFor(req), input: req.body })),
  );

  app.get(
    '/accounts/:id',
    { config: { permission: 'contacts:read' }, schema: { tags, summary: 'Get an account', params: IdParam, response: { 200: Account, ...errorResponses } } },
    async (req) => svc.getAccount({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.patch(
    '/accounts/:id',
    { config: { permission: 'contacts:write' }, schema: { tags, summary: 'Change an account', params: IdParam, body: AccountPatch, response: { 200: Account, ...errorResponses } } },
    async (req) => svc.updateAccount({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.delete(
    '/accounts/:id',
    { config: { permission: 'contacts:write' }, schema: { tags, summary: 'Delete an account (its contacts stay, unlinked)', params: IdParam, response: noContent } },
    async (req, reply) => {
      await svc.deleteAccount({ ctx: ctxFor(req), id: req.params.id });
      return reply.status(204).send(null);
    },
  );

  // ---------- custom property definitions ----------
  tags = ['properties'];
  app.get(
    '/properties',
    {
      config: { permission: 'contacts:read' },
      schema: { tags, summary: 'List custom property definitions', querystring: PropertyListQuery, response: { 200: z.object({ items: z.array(PropertyDefinition) }), ...errorResponses } },
    },
    async (req) => ({ items: await svc.listPropertyDefinitions({ ctx: ctxFor(req), input: req.query }) }),
  );

  app.get(
    '/properties/:id',
    { config: { permission: 'contacts:read' }, schema: { tags, summary: 'Get a custom property definition', params: IdParam, response: { 200: PropertyDefinition, ...errorResponses } } },
    async (req) => svc.getPropertyDefinition({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.post(
    '/properties',
    {
      config: { permission: 'properties:manage' },
      schema: { tags, summary: 'Define a custom property', body: PropertyDefinitionInput, response: { 201: PropertyDefinition, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await svc.createPropertyDefinition({ ctx: ctxFor(req), input: req.body })),
  );

  app.patch(
    '/properties/:id',
    {
      config: { permission: 'properties:manage' },
      schema: {
        tags,
        summary: 'Change a property’s label, description or enum options (an option still in use cannot be removed)',
        params: IdParam,
        body: PropertyDefinitionPatch,
        response: { 200: PropertyDefinition, ...errorResponses },
      },
    },
    async (req) => svc.updatePropertyDefinition({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.delete(
    '/properties/:id',
    {
      config: { permission: 'properties:manage' },
      schema: { tags, summary: 'Delete a property and its values on every contact or account', params: IdParam, response: noContent },
    },
    async (req, reply) => {
      await svc.deletePropertyDefinition({ ctx: ctxFor(req), id: req.params.id });
      return reply.status(204).send(null);
    },
  );
}
