// HTTP routes of the sales handoff: the queue, decisions (accept / reject / recycle), reassign, and the
// symptoms dashboard.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, IdParam } from '../../../contracts/common.ts';
import {
  AcceptHandoffInput,
  Handoff,
  HandoffListQuery,
  HandoffPage,
  ReassignHandoffInput,
  RecycleHandoffInput,
  RejectHandoffInput,
  Symptoms,
  SymptomsQuery,
} from '../../../contracts/handoff.ts';
import { ctxFor } from '../../../http/ctx.ts';
import { acceptHandoff, reassignHandoff, recycleHandoff, rejectHandoff } from './decide.ts';
import { getHandoff, listHandoffs } from './queue.ts';
import { getSymptoms } from './symptoms.ts';

export async function handoffRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['handoff'];

  app.get(
    '/handoffs',
    {
      config: { permission: 'lifecycle:read' },
      schema: {
        tags,
        summary: 'The sales handoff queue',
        description:
          'Filters: status, owner (me, unassigned or a user id), breached (true / false), contactId. Pending leads come most ' +
          'urgent first (by SLA due time); others newest first. Each lead carries the why: scores, consumed content, field notes.',
        querystring: HandoffListQuery,
        response: { 200: HandoffPage, ...errorResponses },
      },
    },
    async (req) => listHandoffs({ ctx: ctxFor(req), input: req.query }),
  );

  app.get(
    '/handoffs/:id',
    { config: { permission: 'lifecycle:read' }, schema: { tags, summary: 'One handoff', params: IdParam, response: { 200: Handoff, ...errorResponses } } },
    async (req) => getHandoff(ctxFor(req).db, req.params.id),
  );

  const decision = (summary: string, body: typeof RejectHandoffInput | typeof RecycleHandoffInput) => ({
    config: { permission: 'handoff:work' as const },
    schema: { tags, summary, params: IdParam, body, response: { 200: Handoff, ...errorResponses } },
  });

  app.post(
    '/handoffs/:id/accept',
    {
      config: { permission: 'handoff:work' },
      schema: { tags, summary: 'Accept a lead: the contact becomes sales-accepted (409 when already decided)', params: IdParam, body: AcceptHandoffInput.nullish(), response: { 200: Handoff, ...errorResponses } },
    },
    async (req) => acceptHandoff({ ctx: ctxFor(req), id: req.params.id, input: req.body ?? {} }),
  );
  app.post(
    '/handoffs/:id/reject',
    decision('Reject a lead with a reason: the contact is recycled, or disqualified with disqualify: true', RejectHandoffInput),
    async (req) => rejectHandoff({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.post(
    '/handoffs/:id/recycle',
    decision('Recycle a lead back to nurture with a reason (history kept; the reason is shown to marketing)', RecycleHandoffInput),
    async (req) => recycleHandoff({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.post(
    '/handoffs/:id/reassign',
    {
      config: { permission: 'handoff:work' },
      schema: { tags, summary: 'Give a pending lead to another sales user', params: IdParam, body: ReassignHandoffInput, response: { 200: Handoff, ...errorResponses } },
    },
    async (req) => reassignHandoff({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.get(
    '/lifecycle/symptoms',
    {
      config: { permission: 'lifecycle:read' },
      schema: {
        tags: ['lifecycle'],
        summary: 'Symptoms dashboard: leads not followed up, SLA breaches per rep, decision reasons, sales-ready → opportunity trend',
        querystring: SymptomsQuery,
        response: { 200: Symptoms, ...errorResponses },
      },
    },
    async (req) => getSymptoms({ ctx: ctxFor(req), input: req.query }),
  );
}
