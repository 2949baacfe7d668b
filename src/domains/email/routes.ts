// HTTP API of the email domain (/api/v1/email/…). Reading needs email:read; changing email:manage.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  ConsentInput, ConsentList, ConsentQuery, ConsentRecord, DomainInput, DomainPatch, EmailHealth, EmailParam, EmailSettings, EmailTemplate, EmailTemplateList, EmailTopic, EmailTopicList,
  HealthQuery, MessageParam, OutboxDetail, OutboxPage, OutboxQuery, Preview, PreviewInput, SendingDomain, SendingDomainList, SettingsInput, Suppression, SuppressionInput, SuppressionList,
  SuppressionQuery, TemplateInput, TemplatePatch, TestSendInput, TopicInput,
} from '../../contracts/email.ts';
import { ctxFor } from '../../http/ctx.ts';
import { addConsent, createTopic, listConsents, listTopics } from './consent.ts';
import { checkDomain, createDomain, deleteDomain, listDomains, updateDomain } from './domains.ts';
import { emailHealth } from './health.ts';
import './metrics.ts'; // registers the email health metrics in the objectives' metric catalog
import { processInbound } from './inbound.ts';
import { cancelMessage, getOutboxMessage, listOutbox, retryMessage } from './outbox.ts';
import { defaultBaseUrl, getEmailSettings, loadSettings, updateEmailSettings } from './settings.ts';
import { addSuppression, listSuppressions, removeSuppression } from './suppressions.ts';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, previewTemplate, testSend, toTemplateDto, updateTemplate } from './templates.ts';

const read = { permission: 'email:read' as const };
const manage = { permission: 'email:manage' as const };

async function baseUrl(req: FastifyRequest): Promise<string> {
  const s = await loadSettings(req.server.deps.db);
  return s.trackingBaseUrl ?? defaultBaseUrl(req.server.deps.db) ?? `${req.protocol}://${req.host}`;
}

export async function emailRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['email'];
  for (const type of ['message/rfc822', 'multipart/report']) {
    fastify.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 2_000_000 }, (_req, body, done) => done(null, body));
  }

  app.get('/email/settings', { config: read, schema: { tags, summary: 'Sender, SMTP (the password is never returned), tracking URL, alert thresholds', response: { 200: EmailSettings, ...errorResponses } } }, async (req) => getEmailSettings({ ctx: ctxFor(req) }));
  app.patch('/email/settings', { config: manage, schema: { tags, summary: 'Change email settings (no SMTP host: messages stay in the embedded outbox)', body: SettingsInput, response: { 200: EmailSettings, ...errorResponses } } }, async (req) => updateEmailSettings({ ctx: ctxFor(req), input: req.body }));

  // templates
  app.get('/email/templates', { config: read, schema: { tags, summary: 'Email templates', response: { 200: EmailTemplateList, ...errorResponses } } }, async (req) => listTemplates({ ctx: ctxFor(req) }));
  app.post('/email/templates', { config: manage, schema: { tags, summary: 'Create a template (MJML + Liquid; a bad one is rejected with the line named)', body: TemplateInput, response: { 201: EmailTemplate, ...errorResponses } } }, async (req, reply) =>
    reply.code(201).send(await createTemplate({ ctx: ctxFor(req), input: req.body })),
  );
  app.post('/email/templates/preview', { config: read, schema: { tags, summary: 'Render unsaved MJML + Liquid for a contact (or sample data)', body: PreviewInput, response: { 200: Preview, ...errorResponses } } }, async (req) =>
    previewTemplate({ ctx: ctxFor(req), id: null, input: req.body, baseUrl: await baseUrl(req) }),
  );
  app.get('/email/templates/:id', { config: read, schema: { tags, summary: 'One template', params: IdParam, response: { 200: EmailTemplate, ...errorResponses } } }, async (req) => toTemplateDto(await getTemplate({ ctx: ctxFor(req), id: req.params.id })));
  app.patch('/email/templates/:id', { config: manage, schema: { tags, summary: 'Change a template', params: IdParam, body: TemplatePatch, response: { 200: EmailTemplate, ...errorResponses } } }, async (req) => updateTemplate({ ctx: ctxFor(req), id: req.params.id, input: req.body }));
  app.delete('/email/templates/:id', { config: manage, schema: { tags, summary: 'Delete a template (not while messages using it are queued)', params: IdParam, response: { 204: z.null(), ...errorResponses } } }, async (req, reply) => {
    await deleteTemplate({ ctx: ctxFor(req), id: req.params.id });
    return reply.code(204).send(null);
  });
  app.post('/email/templates/:id/preview', { config: read, schema: { tags, summary: 'Render a template for a contact', params: IdParam, body: PreviewInput, response: { 200: Preview, ...errorResponses } } }, async (req) =>
    previewTemplate({ ctx: ctxFor(req), id: req.params.id, input: req.body, baseUrl: await baseUrl(req) }),
  );
  app.post('/email/templates/:id/test', { config: manage, schema: { tags, summary: 'Queue a test message of the template for a contact', params: IdParam, body: TestSendInput, response: { 202: z.object({ messageId: z.string(), to: z.string() }), ...errorResponses } } }, async (req, reply) =>
    reply.code(202).send(await testSend({ ctx: ctxFor(req), id: req.params.id, input: req.body })),
  );

  // topics and consent
  app.get('/email/topics', { config: read, schema: { tags, summary: 'Subscription topics with current consent counts', response: { 200: EmailTopicList, ...errorResponses } } }, async (req) => listTopics({ ctx: ctxFor(req) }));
  app.post('/email/topics', { config: manage, schema: { tags, summary: 'Create a subscription topic', body: TopicInput, response: { 201: EmailTopic, ...errorResponses } } }, async (req, reply) => reply.code(201).send(await createTopic({ ctx: ctxFor(req), input: req.body })));
  app.get('/email/consents', { config: read, schema: { tags, summary: 'Consent records, newest first (with contactId: the current state per topic)', querystring: ConsentQuery, response: { 200: ConsentList, ...errorResponses } } }, async (req) => listConsents({ ctx: ctxFor(req), input: req.query }));
  app.post('/email/consents', { config: manage, schema: { tags, summary: 'Record consent given or withdrawn (source, time, text)', body: ConsentInput, response: { 201: ConsentRecord, ...errorResponses } } }, async (req, reply) => reply.code(201).send(await addConsent({ ctx: ctxFor(req), input: req.body })));

  // suppressions
  app.get('/email/suppressions', { config: read, schema: { tags, summary: 'Suppressed addresses', querystring: SuppressionQuery, response: { 200: SuppressionList, ...errorResponses } } }, async (req) => listSuppressions({ ctx: ctxFor(req), input: req.query }));
  app.post('/email/suppressions', { config: manage, schema: { tags, summary: 'Suppress an address', body: SuppressionInput, response: { 201: Suppression, ...errorResponses } } }, async (req, reply) => reply.code(201).send(await addSuppression({ ctx: ctxFor(req), input: req.body })));
  app.delete('/email/suppressions/:email', { config: manage, schema: { tags, summary: 'Remove an address from the suppression list', params: EmailParam, response: { 204: z.null(), ...errorResponses } } }, async (req, reply) => {
    await removeSuppression({ ctx: ctxFor(req), email: req.params.email });
    return reply.code(204).send(null);
  });

  // outbox
  app.get('/email/outbox', { config: read, schema: { tags, summary: 'Messages, newest first, with their state', querystring: OutboxQuery, response: { 200: OutboxPage, ...errorResponses } } }, async (req) => listOutbox({ ctx: ctxFor(req), input: req.query }));
  app.get('/email/outbox/:id', { config: read, schema: { tags, summary: 'One message: rendered HTML, text, headers, links', params: MessageParam, response: { 200: OutboxDetail, ...errorResponses } } }, async (req) => getOutboxMessage({ ctx: ctxFor(req), id: req.params.id }));
  app.post('/email/outbox/:id/retry', { config: manage, schema: { tags, summary: 'Queue a failed or blocked message again', params: MessageParam, response: { 200: OutboxDetail, ...errorResponses } } }, async (req) => retryMessage({ ctx: ctxFor(req), id: req.params.id }));
  app.post('/email/outbox/:id/cancel', { config: manage, schema: { tags, summary: 'Cancel a queued message', params: MessageParam, response: { 200: OutboxDetail, ...errorResponses } } }, async (req) => cancelMessage({ ctx: ctxFor(req), id: req.params.id }));

  // sending domains
  app.get('/email/domains', { config: read, schema: { tags, summary: 'Sending domains with their SPF, DKIM and DMARC records', response: { 200: SendingDomainList, ...errorResponses } } }, async (req) => listDomains({ ctx: ctxFor(req) }));
  app.post('/email/domains', { config: manage, schema: { tags, summary: 'Add a sending domain (a DKIM key pair is generated)', body: DomainInput, response: { 201: SendingDomain, ...errorResponses } } }, async (req, reply) => reply.code(201).send(await createDomain({ ctx: ctxFor(req), input: req.body })));
  app.patch('/email/domains/:id', { config: manage, schema: { tags, summary: 'Change the throttle or SPF include', params: IdParam, body: DomainPatch, response: { 200: SendingDomain, ...errorResponses } } }, async (req) => updateDomain({ ctx: ctxFor(req), id: req.params.id, input: req.body }));
  app.delete('/email/domains/:id', { config: manage, schema: { tags, summary: 'Remove a sending domain', params: IdParam, response: { 204: z.null(), ...errorResponses } } }, async (req, reply) => {
    await deleteDomain({ ctx: ctxFor(req), id: req.params.id });
    return reply.code(204).send(null);
  });
  app.post('/email/domains/:id/check', { config: manage, schema: { tags, summary: 'Look the SPF, DKIM and DMARC records up in DNS now', params: IdParam, response: { 200: SendingDomain, ...errorResponses } } }, async (req) => checkDomain({ ctx: ctxFor(req), id: req.params.id }));

  // bounces and complaints
  app.post(
    '/email/inbound',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Process a bounce (DSN, RFC 3464) or complaint (ARF, RFC 5965): the raw message as the body (message/rfc822 or text/plain)',
        response: { 200: z.object({ id: z.number(), kind: z.string(), recipient: z.string(), status: z.string().nullable(), diagnostic: z.string().nullable(), messageId: z.string().nullable(), suppressed: z.boolean() }), ...errorResponses },
      },
    },
    async (req) => processInbound({ ctx: ctxFor(req), raw: typeof req.body === 'string' ? req.body : '' }),
  );

  app.get('/email/health', { config: read, schema: { tags, summary: 'Email health by day, campaign and program', querystring: HealthQuery, response: { 200: EmailHealth, ...errorResponses } } }, async (req) => emailHealth({ ctx: ctxFor(req), input: req.query }));
}
