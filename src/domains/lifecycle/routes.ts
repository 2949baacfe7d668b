// HTTP routes of the lifecycle domain: a contact's lifecycle (history, manual move), sales-ready definitions
// (propose, approve, reject, history) and lifecycle settings. Deals are in ./deals-routes.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  ContactLifecycle,
  DecisionInput,
  Definition,
  DefinitionInput,
  DefinitionList,
  LifecycleSettingsInput,
  LifecycleSettingsResponse,
  ManualMoveInput,
  MoveResult,
} from '../../contracts/lifecycle.ts';
import { ctxFor } from '../../http/ctx.ts';
import { getContactLifecycle, moveContact } from './contact-lifecycle.ts';
import { decideDefinition, getDefinition, listDefinitions, proposeDefinition } from './definitions.ts';
import { getSettings, updateSettings } from './settings.ts';

export async function lifecycleRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['lifecycle'];

  app.get(
    '/contacts/:id/lifecycle',
    {
      config: { permission: 'lifecycle:read' },
      schema: { tags, summary: 'Lifecycle of a contact: stage, time in each stage, transition history, allowed manual moves', params: IdParam, response: { 200: ContactLifecycle, ...errorResponses } },
    },
    async (req) => getContactLifecycle({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.post(
    '/contacts/:id/lifecycle',
    {
      config: { permission: 'lifecycle:move' },
      schema: {
        tags,
        summary: 'Move a contact to another stage by hand (a reason is required; forbidden moves are a 400 naming the rule)',
        params: IdParam,
        body: ManualMoveInput,
        response: { 200: MoveResult, ...errorResponses },
      },
    },
    async (req) => moveContact({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.get(
    '/lifecycle/settings',
    { config: { permission: 'lifecycle:read' }, schema: { tags, summary: 'Lifecycle settings (defaults when never saved)', response: { 200: LifecycleSettingsResponse, ...errorResponses } } },
    async (req) => getSettings({ ctx: ctxFor(req) }),
  );

  app.put(
    '/lifecycle/settings',
    {
      config: { permission: 'lifecycle:configure' },
      schema: { tags, summary: 'Replace the lifecycle settings (lead / MQL rules, handoff points, routing, SLAs)', body: LifecycleSettingsInput, response: { 200: LifecycleSettingsResponse, ...errorResponses } },
    },
    async (req) => updateSettings({ ctx: ctxFor(req), input: req.body }),
  );

  app.get(
    '/lifecycle/definitions',
    { config: { permission: 'lifecycle:read' }, schema: { tags, summary: 'Sales-ready definition versions with their approvals, newest first', response: { 200: DefinitionList, ...errorResponses } } },
    async (req) => listDefinitions({ ctx: ctxFor(req) }),
  );

  app.post(
    '/lifecycle/definitions',
    {
      config: { permission: 'definitions:manage' },
      schema: { tags, summary: 'Propose a new sales-ready definition version (pending until one marketing and one sales user approve)', body: DefinitionInput, response: { 201: Definition, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await proposeDefinition({ ctx: ctxFor(req), input: req.body })),
  );

  app.get(
    '/lifecycle/definitions/:id',
    { config: { permission: 'lifecycle:read' }, schema: { tags, summary: 'One sales-ready definition version', params: IdParam, response: { 200: Definition, ...errorResponses } } },
    async (req) => getDefinition({ ctx: ctxFor(req), id: req.params.id }),
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/lifecycle/definitions/:id/${decision}`,
      {
        config: { permission: 'definitions:manage' },
        schema: {
          tags,
          summary:
            decision === 'approve'
              ? 'Approve a pending version for your side (your role: marketing or sales); active once both sides approved'
              : 'Reject a pending version for your side',
          description: 'Only signed-in marketing or sales users decide; admins and API keys get 403.',
          params: IdParam,
          body: DecisionInput.optional(),
          response: { 200: Definition, ...errorResponses },
        },
      },
      async (req) => decideDefinition({ ctx: ctxFor(req), id: req.params.id, decision, input: req.body ?? {} }),
    );
  }
}
