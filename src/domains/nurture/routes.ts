// HTTP routes of the nurture domain: programs (CRUD, activate / pause / resume), their stats, dry run and
// test send, enrolments (per program, step or contact, with step runs), and the webhook endpoints a step can call.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import { DryRunInput, DryRunResult, EnrolmentDetail, EnrolmentList, EnrolmentListQuery, Program, ProgramInput, ProgramList, ProgramPatch, ProgramStats, TestSendInput, TestSendResult, WebhookTargetList } from '../../contracts/nurture.ts';
import { ctxFor } from '../../http/ctx.ts';
import { createProgram, deleteProgram, getProgram, listPrograms, setProgramStatus, updateProgram } from './programs.ts';
import { getEnrolment, listEnrolments, programStats } from './stats.ts';
import { dryRun, testSend } from './dry-run.ts';
import { listWebhookTargets } from '../webhooks/endpoints.ts';

export async function nurtureRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['nurture'];
  const read = { permission: 'nurture:read' } as const;
  const manage = { permission: 'nurture:manage' } as const;

  app.get('/nurture/programs', { config: read, schema: { tags, summary: 'List nurture programs with enrolment counts (active first)', response: { 200: ProgramList, ...errorResponses } } }, async (req) =>
    listPrograms({ ctx: ctxFor(req) }),
  );
  app.post(
    '/nurture/programs',
    { config: manage, schema: { tags, summary: 'Create a nurture program (draft): entry criteria, steps, exit criteria, goals, re-entry rule', body: ProgramInput, response: { 201: Program, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await createProgram({ ctx: ctxFor(req), input: req.body })),
  );
  app.get('/nurture/programs/:id', { config: read, schema: { tags, summary: 'Get a nurture program', params: IdParam, response: { 200: Program, ...errorResponses } } }, async (req) =>
    getProgram({ ctx: ctxFor(req), id: req.params.id }),
  );
  app.patch(
    '/nurture/programs/:id',
    {
      config: manage,
      schema: { tags, summary: 'Change a program; once activated, a changed definition is a new version (enrolments in flight keep theirs)', params: IdParam, body: ProgramPatch, response: { 200: Program, ...errorResponses } },
    },
    async (req) => updateProgram({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.delete('/nurture/programs/:id', { config: manage, schema: { tags, summary: 'Delete a program that never ran', params: IdParam, response: { 204: z.null(), ...errorResponses } } }, async (req, reply) => {
    await deleteProgram({ ctx: ctxFor(req), id: req.params.id });
    return reply.status(204).send(null);
  });
  for (const action of ['activate', 'pause', 'resume'] as const) {
    app.post(
      `/nurture/programs/:id/${action}`,
      { config: manage, schema: { tags, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a program`, params: IdParam, response: { 200: Program, ...errorResponses } } },
      async (req) => setProgramStatus({ ctx: ctxFor(req), id: req.params.id, action }),
    );
  }
  app.get('/nurture/programs/:id/stats', { config: read, schema: { tags, summary: 'Enrolments per step (waiting, runs, outcomes), end reasons, versions in flight', params: IdParam, response: { 200: ProgramStats, ...errorResponses } } }, async (req) =>
    programStats({ ctx: ctxFor(req), id: req.params.id }),
  );
  app.post(
    '/nurture/programs/:id/dry-run',
    { config: read, schema: { tags, summary: 'Who would enter now and where they would be after N days (writes nothing)', params: IdParam, body: DryRunInput, response: { 200: DryRunResult, ...errorResponses } } },
    async (req) => dryRun({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.post(
    '/nurture/programs/:id/test-send',
    { config: manage, schema: { tags, summary: "Send one email step to one contact now (consent and suppression still apply)", params: IdParam, body: TestSendInput, response: { 200: TestSendResult, ...errorResponses } } },
    async (req) => testSend({ ctx: ctxFor(req), id: req.params.id, input: req.body }),
  );
  app.get(
    '/nurture/webhook-targets',
    { config: read, schema: { tags, summary: 'Webhook endpoints a webhook step can call (name and host only; managing them needs webhooks:manage)', response: { 200: WebhookTargetList, ...errorResponses } } },
    async (req) => listWebhookTargets({ ctx: ctxFor(req) }),
  );
  app.get('/nurture/enrolments', { config: read, schema: { tags, summary: 'Enrolments by program, step, status or contact (newest first)', querystring: EnrolmentListQuery, response: { 200: EnrolmentList, ...errorResponses } } }, async (req) =>
    listEnrolments({ ctx: ctxFor(req), input: req.query }),
  );
  app.get('/nurture/enrolments/:id', { config: read, schema: { tags, summary: 'One enrolment with its step runs', params: IdParam, response: { 200: EnrolmentDetail, ...errorResponses } } }, async (req) =>
    getEnrolment({ ctx: ctxFor(req), id: req.params.id }),
  );
}
