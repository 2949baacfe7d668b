// HTTP routes of the full rescore: start one (scoring:manage), follow its progress (scoring:read).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import { RescoreRequest, RescoreRun, RescoreRunList } from '../../contracts/rescore.ts';
import { ctxFor } from '../../http/ctx.ts';
import { getRescoreRun, listRescoreRuns, startRescore } from './rescore.ts';

const tags = ['scoring'];

export async function rescoreRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/scoring/rescore',
    {
      config: { permission: 'scoring:manage' },
      schema: {
        tags,
        summary: 'Start a full rescore of every contact (one model, or every active model) as a background job',
        body: RescoreRequest.optional(),
        response: { 202: RescoreRun, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(202).send(await startRescore({ ctx: ctxFor(req), input: req.body ?? {} })),
  );

  app.get(
    '/scoring/rescore',
    { config: { permission: 'scoring:read' }, schema: { tags, summary: 'The latest rescore runs, newest first', response: { 200: RescoreRunList, ...errorResponses } } },
    async (req) => listRescoreRuns({ ctx: ctxFor(req) }),
  );

  app.get(
    '/scoring/rescore/:id',
    {
      config: { permission: 'scoring:read' },
      schema: { tags, summary: 'Progress of a rescore run', params: IdParam, response: { 200: RescoreRun, ...errorResponses } },
    },
    async (req) => getRescoreRun({ ctx: ctxFor(req), id: req.params.id }),
  );
}
