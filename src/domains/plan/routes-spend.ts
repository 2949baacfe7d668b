// HTTP routes of the plan domain's spend side: cost lines (REST, CSV import / export), tools, the job map and the
// Frankenstack report, the random-acts report, the planning view, and a content item's objective (fitness: routes-fitness.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import {
  CostImportResult, CostLine, CostLineInput, CostLineList, CostLinePatch, CostLineQuery, FrankenstackReport, JobMapStep, JobMapStepPatch,
  PlanningQuery, PlanningView, RandomActsQuery, RandomActsReport, Tool, ToolInput, ToolList, ToolPatch,
} from '../../contracts/spend.ts';
import { ctxFor } from '../../http/ctx.ts';
import { acceptCsvBodies, csvText } from '../../http/csv-upload.ts';
import { ContentObjectiveInput, setContentObjective } from './content-objective.ts';
import { costLines, createCostLine, deleteCostLine, getCostLine, updateCostLine } from './costs.ts';
import { exportCostsCsv, importCostsCsv } from './costs-csv.ts';
import { frankenstackReport, getJobMap, resetJobMap, updateJobMapStep } from './job-map.ts';
import { planningView } from './planning.ts';
import { randomActs } from './random-acts.ts';
import './metrics-spend.ts';
import { createTool, deleteTool, getTool, listTools, updateTool } from './tools.ts';

const JobMap = z.object({ job: z.string(), steps: z.array(JobMapStep) });

export async function spendRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  acceptCsvBodies(app);
  const read = { permission: 'spend:read' } as const;
  const manage = { permission: 'spend:manage' } as const;
  const deleted = { 204: z.null().describe('Deleted'), ...errorResponses };

  // ---- cost lines ----
  let tags = ['costs'];
  app.get('/costs', { config: read, schema: { tags, summary: 'Cost lines by month (filters: from, to as YYYY-MM, campaignId, toolId, category) with totals by category and month', querystring: CostLineQuery, response: { 200: CostLineList, ...errorResponses } } }, async (req) =>
    costLines({ ctx: ctxFor(req), input: req.query }),
  );
  app.get('/costs/export', { config: read, schema: { tags, summary: 'Download the filtered cost lines as CSV (formula-safe)', querystring: CostLineQuery, produces: ['text/csv'], response: errorResponses } }, async (req, reply) => {
    const exp = await exportCostsCsv({ ctx: ctxFor(req), input: req.query });
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${exp.filename}"`).header('cache-control', 'no-store').send(exp.csv as never);
  });
  app.post(
    '/costs/import',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Import cost lines from CSV (text/csv body or multipart field "file"): all rows or none; every rejected row is listed with its line, column and reason',
        description: 'Columns: month (YYYY-MM), category (media, content, events, tools, people, sales, other), planned, actual, currency, campaign (utm_campaign code or name), tool (name), note. A row whose campaign/tool × month × category already has a line updates it.',
        consumes: ['text/csv', 'multipart/form-data'],
        response: { 200: CostImportResult, ...errorResponses },
      },
    },
    async (req) => importCostsCsv({ ctx: ctxFor(req), csv: await csvText(req) }),
  );
  app.post('/costs', { config: manage, schema: { tags, summary: 'Add a cost line (one per campaign | tool | neither × month × category)', body: CostLineInput, response: { 201: CostLine, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createCostLine({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/costs/:id', { config: read, schema: { tags, summary: 'Get a cost line', params: IdParam, response: { 200: CostLine, ...errorResponses } } }, async (req) => getCostLine({ ctx: ctxFor(req), id: req.params.id }));
  app.patch('/costs/:id', { config: manage, schema: { tags, summary: 'Change a cost line', params: IdParam, body: CostLinePatch, response: { 200: CostLine, ...errorResponses } } }, async (req) =>
    updateCostLine({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/costs/:id', { config: manage, schema: { tags, summary: 'Delete a cost line', params: IdParam, response: deleted } }, async (req, reply) => {
    await deleteCostLine({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });

  // ---- tools, job map ----
  tags = ['tools'];
  app.get('/tools', { config: read, schema: { tags, summary: 'Martech tools with their objective, job-map steps and linked spend', response: { 200: ToolList, ...errorResponses } } }, async (req) => listTools({ ctx: ctxFor(req) }));
  app.post('/tools', { config: manage, schema: { tags, summary: 'Add a tool (steps: job-map step keys it serves)', body: ToolInput, response: { 201: Tool, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createTool({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/tools/:id', { config: read, schema: { tags, summary: 'Get a tool', params: IdParam, response: { 200: Tool, ...errorResponses } } }, async (req) => getTool({ ctx: ctxFor(req), id: req.params.id }));
  app.patch('/tools/:id', { config: manage, schema: { tags, summary: 'Change a tool (steps replaces its step list)', params: IdParam, body: ToolPatch, response: { 200: Tool, ...errorResponses } } }, async (req) =>
    updateTool({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/tools/:id', { config: manage, schema: { tags, summary: 'Delete a tool (its cost lines stay, unlinked)', params: IdParam, response: deleted } }, async (req, reply) => {
    await deleteTool({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });
  app.get('/job-map', { config: read, schema: { tags, summary: 'The job map of "create a qualified lead": Step 0 apart, then define … conclude, each with desired outcomes', response: { 200: JobMap, ...errorResponses } } }, async (req) =>
    getJobMap({ ctx: ctxFor(req) }),
  );
  app.patch(
    '/job-map/steps/:key',
    { config: manage, schema: { tags, summary: "Edit a step's name, goal or outcome statements", params: z.object({ key: z.string().min(1).max(60) }), body: JobMapStepPatch, response: { 200: JobMapStep, ...errorResponses } } },
    async (req) => updateJobMapStep({ ctx: ctxFor(req), key: req.params.key, input: req.body }),
  );
  app.post('/job-map/reset', { config: manage, schema: { tags, summary: 'Put the default template back (tool mappings stay)', response: { 200: JobMap, ...errorResponses } } }, async (req) => resetJobMap({ ctx: ctxFor(req) }));
  app.get('/job-map/frankenstack', { config: read, schema: { tags, summary: 'Tools laid on the job map: gaps (no tool), overlaps (several tools and their cost)', response: { 200: FrankenstackReport, ...errorResponses } } }, async (req) =>
    frankenstackReport({ ctx: ctxFor(req) }),
  );

  // ---- reports ----
  tags = ['plan'];
  app.get('/plan/random-acts', { config: read, schema: { tags, summary: 'Campaigns, cost lines, content items and tools linked to no objective, with their spend and share of total spend', querystring: RandomActsQuery, response: { 200: RandomActsReport, ...errorResponses } } }, async (req) =>
    randomActs({ ctx: ctxFor(req), input: req.query }),
  );
  app.get('/plan/planning', { config: read, schema: { tags, summary: "The quarter's campaigns by objective with budget, planned and actual spend (default: this quarter)", querystring: PlanningQuery, response: { 200: PlanningView, ...errorResponses } } }, async (req) =>
    planningView({ ctx: ctxFor(req), input: req.query }),
  );
  app.put(
    '/content/items/:id/objective',
    { config: { permission: 'content:write' }, schema: { tags: ['content'], summary: 'Link a content item to the objective it serves (null unlinks)', params: IdParam, body: ContentObjectiveInput, response: { 200: z.object({ id: z.number().int(), objective: z.object({ id: z.number().int(), title: z.string() }).nullable() }), ...errorResponses } } },
    async (req) => setContentObjective({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
}
