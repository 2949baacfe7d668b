// HTTP routes of the marketing fitness test: the scorecard now, its stored history, a snapshot on demand.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/common.ts';
import { FitnessHistory, FitnessScorecard } from '../../contracts/spend.ts';
import { ctxFor } from '../../http/ctx.ts';
import { fitnessHistory, fitnessScorecard, takeFitnessSnapshot } from './fitness.ts';

export async function fitnessRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const read = { permission: 'spend:read' } as const;
  const manage = { permission: 'spend:manage' } as const;
  const tags = ['plan'];
  app.get('/plan/fitness', { config: read, schema: { tags, summary: 'The marketing fitness test now: four yes/no answers with evidence and thresholds', response: { 200: FitnessScorecard, ...errorResponses } } }, async (req) =>
    fitnessScorecard({ ctx: ctxFor(req) }),
  );
  app.get('/plan/fitness/history', { config: read, schema: { tags, summary: 'Stored fitness snapshots, newest first', response: { 200: FitnessHistory, ...errorResponses } } }, async (req) => fitnessHistory({ ctx: ctxFor(req) }));
  app.post('/plan/fitness/snapshots', { config: manage, schema: { tags, summary: 'Take and store a fitness snapshot now', response: { 201: FitnessScorecard, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send((await takeFitnessSnapshot({ ctx: ctxFor(req), trigger: 'manual' }))!),
  );

}
