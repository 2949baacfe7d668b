// HTTP routes of the scoring domain: score models, buying-stage rules, and the explained scores of a
// contact or an account. (Rescore routes live with the rescore runtime.)
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import { AccountScores, ContactScores } from '../../contracts/scoring-explain.ts';
import {
  ScoreModel,
  ScoreModelInput,
  ScoreModelList,
  ScoreModelListQuery,
  ScoreModelPatch,
  StageRule,
  StageRuleInput,
  StageRuleList,
  StageRulePatch,
} from '../../contracts/scoring.ts';
import { ctxFor } from '../../http/ctx.ts';
import { explainAccountScores, explainContactScores, ScoresQuery } from './explain.ts';
import * as models from './models.ts';
import * as stageRules from './stage-rules.ts';

const tags = ['scoring'];
const read = { permission: 'scoring:read' } as const;
const manage = { permission: 'scoring:manage' } as const;

export async function scoringRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  // ---------- models ----------
  app.get(
    '/scoring/models',
    {
      config: read,
      schema: {
        tags,
        summary: 'List score models (the default fit and engagement models are created on first use)',
        querystring: ScoreModelListQuery,
        response: { 200: ScoreModelList, ...errorResponses },
      },
    },
    async (req) => models.listModels({ ctx: ctxFor(req), input: req.query }),
  );

  app.post(
    '/scoring/models',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a fit or engagement model',
        description:
          'Fit rules: `{ id, label, field, op, value?, points }` over contact fields, `prop.<key>`, `account.<field>`, `account.prop.<key>`. ' +
          'Engagement rules: `{ id, label, match: { type?, event?, urlPattern?, conditions }, points, cap?: { maxPoints?, maxTimes?, period } }`. ' +
          'Rule ids are unique within a model; errors name the field (e.g. `rules.2.op`).',
        body: ScoreModelInput,
        response: { 201: ScoreModel, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await models.createModel({ ctx: ctxFor(req), input: req.body })),
  );

  app.get(
    '/scoring/models/:id',
    { config: read, schema: { tags, summary: 'Get a score model', params: IdParam, response: { 200: ScoreModel, ...errorResponses } } },
    async (req) => models.getModel({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.patch(
    '/scoring/models/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a score model (a change of rules, grades or half-life makes a new version)',
        params: IdParam,
        body: ScoreModelPatch,
        response: { 200: ScoreModel, ...errorResponses },
      },
    },
    async (req) => models.updateModel({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.post(
    '/scoring/models/:id/archive',
    {
      config: manage,
      schema: { tags, summary: 'Archive a score model (not the default one); it stops scoring', params: IdParam, response: { 200: ScoreModel, ...errorResponses } },
    },
    async (req) => models.archiveModel({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.post(
    '/scoring/models/:id/restore',
    { config: manage, schema: { tags, summary: 'Restore an archived score model', params: IdParam, response: { 200: ScoreModel, ...errorResponses } } },
    async (req) => models.restoreModel({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.post(
    '/scoring/models/:id/default',
    {
      config: manage,
      schema: { tags, summary: 'Make a model the default of its kind (lifecycle rules and the contact page use it)', params: IdParam, response: { 200: ScoreModel, ...errorResponses } },
    },
    async (req) => models.setDefaultModel({ ctx: ctxFor(req), id: req.params.id }),
  );

  // ---------- buying-stage rules ----------
  app.get(
    '/scoring/stage-rules',
    { config: read, schema: { tags, summary: 'List buying-stage rules (page URL pattern → stage), in order', response: { 200: StageRuleList, ...errorResponses } } },
    async (req) => stageRules.listStageRules({ ctx: ctxFor(req) }),
  );

  app.post(
    '/scoring/stage-rules',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add a buying-stage rule',
        description: 'pattern is a URL path prefix (`/pricing` matches `/pricing/enterprise`) or a glob (`/blog/*`). The first matching rule (by position) gives a page its stage.',
        body: StageRuleInput,
        response: { 201: StageRule, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await stageRules.createStageRule({ ctx: ctxFor(req), input: req.body })),
  );

  app.patch(
    '/scoring/stage-rules/:id',
    { config: manage, schema: { tags, summary: 'Change a buying-stage rule', params: IdParam, body: StageRulePatch, response: { 200: StageRule, ...errorResponses } } },
    async (req) => stageRules.updateStageRule({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );

  app.delete(
    '/scoring/stage-rules/:id',
    { config: manage, schema: { tags, summary: 'Remove a buying-stage rule', params: IdParam, response: { 204: z.null().describe('Deleted'), ...errorResponses } } },
    async (req, reply) => {
      await stageRules.deleteStageRule({ ctx: ctxFor(req), id: req.params.id });
      return reply.status(204).send(null);
    },
  );

  // ---------- explained scores ----------
  app.get(
    '/contacts/:id/scores',
    {
      config: read,
      schema: {
        tags,
        summary: "A contact's fit, engagement and buying stage, with every point explained",
        description: 'Default models unless fitModelId / engagementModelId are given. Engagement is decayed to now.',
        params: IdParam,
        querystring: ScoresQuery,
        response: { 200: ContactScores, ...errorResponses },
      },
    },
    async (req) => explainContactScores({ ctx: ctxFor(req), id: req.params.id, input: req.query }),
  );

  app.get(
    '/accounts/:id/scores',
    {
      config: read,
      schema: {
        tags,
        summary: "An account's scores: best contact fit, sum of contact engagement",
        params: IdParam,
        response: { 200: AccountScores, ...errorResponses },
      },
    },
    async (req) => explainAccountScores({ ctx: ctxFor(req), id: req.params.id }),
  );
}
