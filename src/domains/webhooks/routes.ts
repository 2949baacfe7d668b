// HTTP routes of the outgoing webhooks (Settings → Webhooks). All need webhooks:manage (admins).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  CreateWebhookEndpointInput,
  DeliveryParams,
  UpdateWebhookEndpointInput,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
} from '../../contracts/webhooks.ts';
import { ctxFor } from '../../http/ctx.ts';
import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, rotateSecret, updateEndpoint } from './endpoints.ts';
import { listDeliveries, redeliver, sendTestEvent } from './deliveries.ts';

export async function webhookRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];
  const config = { permission: 'webhooks:manage' as const };

  app.get('/webhooks', { config, schema: { tags, summary: 'Webhook endpoints and the event types they can subscribe to', response: { 200: WebhookEndpointList, ...errorResponses } } }, async (req) =>
    listEndpoints({ ctx: ctxFor(req) }),
  );
  app.post(
    '/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'Create an endpoint; the answer holds its signing secret (whsec_…), shown only this once',
        description: 'The URL must not resolve to a loopback, private, link-local, CGNAT, multicast or metadata address unless WEBHOOKS_ALLOW_PRIVATE=true.',
        body: CreateWebhookEndpointInput,
        response: { 201: WebhookEndpointWithSecret, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await createEndpoint({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/webhooks/:id', { config, schema: { tags, summary: 'One endpoint', params: IdParam, response: { 200: WebhookEndpoint, ...errorResponses } } }, async (req) =>
    getEndpoint({ ctx: ctxFor(req), id: req.params.id }),
  );
  app.patch(
    '/webhooks/:id',
    { config, schema: { tags, summary: 'Change URL, description, event types, or enable / disable', params: IdParam, body: UpdateWebhookEndpointInput, response: { 200: WebhookEndpoint, ...errorResponses } } },
    async (req) => updateEndpoint({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/webhooks/:id', { config, schema: { tags, summary: 'Delete an endpoint and its delivery log', params: IdParam, response: { 204: z.null(), ...errorResponses } } }, async (req, reply) => {
    await deleteEndpoint({ ctx: ctxFor(req), id: req.params.id });
    return reply.code(204).send(null);
  });
  app.post(
    '/webhooks/:id/rotate-secret',
    { config, schema: { tags, summary: 'New signing secret (shown once); the old one also signs for 24 hours', params: IdParam, response: { 200: WebhookEndpointWithSecret, ...errorResponses } } },
    async (req) => rotateSecret({ ctx: ctxFor(req), id: req.params.id }),
  );
  app.post('/webhooks/:id/test', { config, schema: { tags, summary: 'Send a webhook.test event now and return its delivery', params: IdParam, response: { 200: WebhookDelivery, ...errorResponses } } }, async (req) =>
    sendTestEvent({ ctx: ctxFor(req), endpointId: req.params.id }),
  );
  app.get(
    '/webhooks/:id/deliveries',
    { config, schema: { tags, summary: 'Delivery log, newest first, with every attempt', params: IdParam, querystring: WebhookDeliveryQuery, response: { 200: WebhookDeliveryPage, ...errorResponses } } },
    async (req) => listDeliveries({ ctx: ctxFor(req), endpointId: req.params.id, input: req.query }),
  );
  app.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    { config, schema: { tags, summary: 'Send a delivery again now (same webhook-id)', params: DeliveryParams, response: { 200: WebhookDelivery, ...errorResponses } } },
    async (req) => redeliver({ ctx: ctxFor(req), endpointId: req.params.id, deliveryId: req.params.deliveryId }),
  );
}
