// HTTP routes of the objectives: the metric catalog, the objective tree, objectives, KPIs, check-ins, initiatives.
// Reading needs objectives:read (every role); changing needs objectives:manage (admin, marketing).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import { CheckinInput, Initiative, InitiativeInput, InitiativePatch, KpiInput, KpiPatch, MetricDef, MetricValueQuery, ObjectiveDetail, ObjectiveInput, ObjectivePatch, ObjectiveTree, ObjectiveTreeQuery } from '../../contracts/objectives.ts';
import { ctxFor } from '../../http/ctx.ts';
import { fieldError } from './objectives.ts';
import { createObjective, deleteObjective, updateObjective } from './objectives.ts';
import { createInitiative, deleteInitiative, getInitiative, listInitiatives, updateInitiative } from './objectives-initiatives.ts';
import { addCheckin, createKpi, deleteCheckin, deleteKpi, updateKpi } from './objectives-kpis.ts';
import { objectiveDetail, objectiveTree } from './objectives-tree.ts';
import { checkMetricBinding, listMetrics, metricDef } from './metrics/registry.ts';
import './metrics/catalog.ts';

const Created = z.object({ id: z.number().int() });
const NoContent = z.null().describe('Deleted');

export async function objectiveRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const read = { permission: 'objectives:read' } as const;
  const manage = { permission: 'objectives:manage' } as const;
  const tags = ['objectives'];

  app.get('/metrics', { config: read, schema: { tags, summary: 'The metric catalog: every metric a KPI can be bound to, computed from live data', response: { 200: z.object({ items: z.array(MetricDef) }), ...errorResponses } } }, async () => ({ items: listMetrics() }));

  app.get(
    '/metrics/:key/value',
    {
      config: read,
      schema: { tags, summary: "One metric's value for a period [from, to] (UTC days, inclusive) with optional filters", params: z.object({ key: z.string().max(100) }), querystring: MetricValueQuery, response: { 200: z.object({ metric: MetricDef, from: z.string(), to: z.string(), value: z.number().nullable() }), ...errorResponses } },
    },
    async (req) => {
      const { from, to, ...filters } = req.query;
      let metric;
      try {
        metric = checkMetricBinding(req.params.key, filters);
      } catch (err) {
        if ((err as Error).message.startsWith('metricKey')) throw fieldError('key', `"${req.params.key}" is not in the metric catalog`);
        throw err;
      }
      return { metric: metricDef(metric), from, to, value: await metric.compute({ ctx: ctxFor(req), from, to, filters }) };
    },
  );

  app.get(
    '/objectives',
    { config: read, schema: { tags, summary: 'The objective tree (company → marketing → team → individual) with KPIs, progress rolled up, SMART checks and at-risk flags; period filters to objectives overlapping it', querystring: ObjectiveTreeQuery, response: { 200: ObjectiveTree, ...errorResponses } } },
    async (req) => objectiveTree({ ctx: ctxFor(req), input: req.query }),
  );
  app.post('/objectives', { config: manage, schema: { tags, summary: 'Create an objective', body: ObjectiveInput, response: { 201: ObjectiveDetail, ...errorResponses } } }, async (req, reply) => {
    const ctx = ctxFor(req);
    const { id } = await createObjective({ ctx, input: req.body });
    return reply.status(201).send(await objectiveDetail({ ctx, id }));
  });
  app.get('/objectives/:id', { config: read, schema: { tags, summary: "An objective's page: KPIs with weekly trends and check-ins, children, ancestors, initiatives, campaigns", params: IdParam, response: { 200: ObjectiveDetail, ...errorResponses } } }, async (req) =>
    objectiveDetail({ ctx: ctxFor(req), id: req.params.id }),
  );
  app.patch('/objectives/:id', { config: manage, schema: { tags, summary: 'Change an objective', params: IdParam, body: ObjectivePatch, response: { 200: ObjectiveDetail, ...errorResponses } } }, async (req) => {
    const ctx = ctxFor(req);
    await updateObjective({ ctx, id: req.params.id, input: req.body });
    return objectiveDetail({ ctx, id: req.params.id });
  });
  app.delete('/objectives/:id', { config: manage, schema: { tags, summary: 'Delete an objective with its KPIs (409 while it has children)', params: IdParam, response: { 204: NoContent, ...errorResponses } } }, async (req, reply) => {
    await deleteObjective({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });

  app.post('/objectives/:id/kpis', { config: manage, schema: { tags, summary: 'Add a KPI: a catalog metric (with filters) or a manual metric', params: IdParam, body: KpiInput, response: { 201: Created, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createKpi({ ctx: ctxFor(req), objectiveId: req.params.id, input: req.body })),
  );
  app.patch('/objectives/kpis/:id', { config: manage, schema: { tags, summary: 'Change a KPI', params: IdParam, body: KpiPatch, response: { 204: z.null(), ...errorResponses } } }, async (req, reply) => {
    await updateKpi({ ctx: ctxFor(req), id: req.params.id, input: req.body });
    return reply.status(204).send(null);
  });
  app.delete('/objectives/kpis/:id', { config: manage, schema: { tags, summary: 'Delete a KPI and its check-ins', params: IdParam, response: { 204: NoContent, ...errorResponses } } }, async (req, reply) => {
    await deleteKpi({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });
  app.post('/objectives/kpis/:id/checkins', { config: manage, schema: { tags, summary: 'Check in a value on a manual KPI', params: IdParam, body: CheckinInput, response: { 201: Created, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await addCheckin({ ctx: ctxFor(req), kpiId: req.params.id, input: req.body })),
  );
  app.delete('/objectives/checkins/:id', { config: manage, schema: { tags, summary: 'Delete a check-in', params: IdParam, response: { 204: NoContent, ...errorResponses } } }, async (req, reply) => {
    await deleteCheckin({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });

  const itags = ['initiatives'];
  app.get(
    '/initiatives',
    { config: read, schema: { tags: itags, summary: 'Initiatives (optionally of one objective)', querystring: z.object({ objectiveId: z.coerce.number().int().positive().optional() }), response: { 200: z.object({ items: z.array(Initiative) }), ...errorResponses } } },
    async (req) => listInitiatives({ ctx: ctxFor(req), input: req.query }),
  );
  app.post('/initiatives', { config: manage, schema: { tags: itags, summary: 'Create an initiative under an objective', body: InitiativeInput, response: { 201: Initiative, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createInitiative({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/initiatives/:id', { config: read, schema: { tags: itags, summary: 'Get an initiative', params: IdParam, response: { 200: Initiative, ...errorResponses } } }, async (req) => getInitiative({ ctx: ctxFor(req), id: req.params.id }));
  app.patch('/initiatives/:id', { config: manage, schema: { tags: itags, summary: 'Change an initiative', params: IdParam, body: InitiativePatch, response: { 200: Initiative, ...errorResponses } } }, async (req) =>
    updateInitiative({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/initiatives/:id', { config: manage, schema: { tags: itags, summary: 'Delete an initiative (its campaigns keep their objective)', params: IdParam, response: { 204: NoContent, ...errorResponses } } }, async (req, reply) => {
    await deleteInitiative({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });
}
