// HTTP routes of the analytics domain: funnel, attribution (+ content influence), CPOD / ROI, the board report
// (JSON, CSV, PDF), offline touches (API + CSV import), settings and a rollup refresh.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../contracts/common.ts';
import {
  AnalyticsSettings,
  AttributionQuery,
  AttributionReport,
  BoardQuery,
  BoardReport,
  ContentInfluenceReport,
  CpodQuery,
  CpodReport,
  FunnelQuery,
  FunnelReport,
  OfflineImportResult,
  OfflineTouch,
  OfflineTouchInput,
} from '../../contracts/analytics.ts';
import { ValidationError } from '../../errors.ts';
import { ctxFor } from '../../http/ctx.ts';
import { acceptCsvBodies, csvText } from '../../http/csv-upload.ts';
import { attribution } from './attribution.ts';
import './metrics.ts'; // registers CPOD in the objectives' metric catalog
import { boardCsv, boardReport } from './board.ts';
import { boardPdf } from './board-pdf.ts';
import { contentInfluence } from './content-influence.ts';
import { cpod } from './cpod.ts';
import { funnel } from './funnel.ts';
import { createOfflineTouch, importOfflineCsv, listOfflineTouches } from './offline.ts';
import { refreshAnalyticsRollups } from './rollup.ts';
import { getAnalyticsSettings, updateAnalyticsSettings } from './settings.ts';

function sendFile(reply: FastifyReply, type: string, filename: string, body: string | Buffer) {
  return reply.header('content-type', type).header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(body);
}

export async function analyticsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  acceptCsvBodies(app);
  const tags = ['analytics'];
  const read = { permission: 'analytics:read' } as const;
  const manage = { permission: 'analytics:manage' } as const;

  app.get('/analytics/funnel', { config: read, schema: { tags, summary: 'Funnel: per stage entries, conversion, yield, velocity (median / p90 days); stage flows incl. recycle and disqualify; entries per period; nurture period', querystring: FunnelQuery, response: { 200: FunnelReport, ...errorResponses } } }, async (req) =>
    funnel({ ctx: ctxFor(req), input: req.query }),
  );
  app.get('/analytics/attribution', { config: read, schema: { tags, summary: 'Attribution of won revenue or pipeline created, every model side by side, per campaign / content item / channel (credits in cents, summing exactly to the total)', querystring: AttributionQuery, response: { 200: AttributionReport, ...errorResponses } } }, async (req) =>
    attribution({ ctx: ctxFor(req), input: req.query }),
  );
  app.get('/analytics/content-influence', { config: read, schema: { tags, summary: 'Pipeline and revenue touched by each content item (read before the deal was created / won) and by content stage', querystring: z.intersection(AttributionQuery, z.object({})), response: { 200: ContentInfluenceReport, ...errorResponses } } }, async (req) =>
    contentInfluence({ ctx: ctxFor(req), input: req.query }),
  );
  app.get('/analytics/cpod', { config: read, schema: { tags, summary: 'CPOD = (marketing + sales cost) ÷ won revenue per period (null: no revenue), campaign ROI and cost per sales-ready lead / opportunity / customer', querystring: CpodQuery, response: { 200: CpodReport, ...errorResponses } } }, async (req) =>
    cpod({ ctx: ctxFor(req), input: req.query }),
  );
  app.get('/analytics/board', { config: read, schema: { tags, summary: 'The board report: one page per quarter', querystring: BoardQuery, response: { 200: BoardReport, ...errorResponses } } }, async (req) =>
    boardReport({ ctx: ctxFor(req), input: req.query }),
  );
  app.get('/analytics/board.csv', { config: read, schema: { tags, summary: 'The board report as CSV (quarter, figure, label, value)', querystring: BoardQuery, produces: ['text/csv'], response: errorResponses } }, async (req, reply) => {
    const report = await boardReport({ ctx: ctxFor(req), input: req.query });
    return sendFile(reply, 'text/csv; charset=utf-8', `board-report-${req.query.quarter}.csv`, boardCsv(report));
  });
  app.get('/analytics/board.pdf', { config: read, schema: { tags, summary: 'The board report as PDF (one page per quarter, rendered by headless Chromium with the same charts)', querystring: BoardQuery, produces: ['application/pdf'], response: errorResponses } }, async (req, reply) => {
    const report = await boardReport({ ctx: ctxFor(req), input: req.query });
    const pdf = await boardPdf(report);
    return sendFile(reply, 'application/pdf', `board-report-${req.query.quarter}.pdf`, pdf);
  });

  app.get('/analytics/offline-touches', { config: read, schema: { tags, summary: 'Offline touches, newest first (optionally of one contact)', querystring: z.object({ contactId: z.coerce.number().int().positive().optional() }), response: { 200: z.object({ items: z.array(OfflineTouch) }), ...errorResponses } } }, async (req) => ({
    items: await listOfflineTouches({ ctx: ctxFor(req), contactId: req.query.contactId }),
  }));
  app.post('/analytics/offline-touches', { config: manage, schema: { tags, summary: 'Record an offline touch (event visit, call, meeting …) of a contact (by id or email); upsert by externalId', body: OfflineTouchInput, response: { 201: OfflineTouch, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createOfflineTouch({ ctx: ctxFor(req), input: req.body })),
  );
  app.post(
    '/analytics/offline-touches/import',
    { config: manage, schema: { tags, summary: 'Import offline touches from CSV (text/csv or multipart "file"; columns external_id, email | contact_id, campaign_id, kind, occurred_at, note): all rows or none; a 400 lists every rejected row in error.details (field, line, message)', consumes: ['text/csv', 'multipart/form-data'], response: { 200: OfflineImportResult, ...errorResponses } } },
    async (req) => {
      const result = await importOfflineCsv({ ctx: ctxFor(req), csv: await csvText(req) });
      if (result.rejected.length) {
        throw new ValidationError(
          `file: ${result.rejected.length} row(s) rejected, nothing imported (line ${result.rejected[0]!.line}: ${result.rejected[0]!.reason})`,
          result.rejected.map((r) => ({ field: r.column, line: r.line, message: r.reason })),
        );
      }
      return result;
    },
  );

  app.get('/analytics/settings', { config: read, schema: { tags, summary: 'Analytics settings (time-decay half-life, lookback)', response: { 200: AnalyticsSettings, ...errorResponses } } }, async (req) => getAnalyticsSettings({ ctx: ctxFor(req) }));
  app.patch('/analytics/settings', { config: manage, schema: { tags, summary: 'Change the analytics settings', body: AnalyticsSettings.partial().strict(), response: { 200: AnalyticsSettings, ...errorResponses } } }, async (req) =>
    updateAnalyticsSettings({ ctx: ctxFor(req), input: req.body }),
  );
  app.post('/analytics/rollup/refresh', { config: manage, schema: { tags, summary: 'Bring the analytics rollups up to date now (the job does it every minute)', response: { 200: z.object({ eventTouches: z.number(), resolved: z.number(), merged: z.number(), contentTouches: z.number(), offlineTouches: z.number(), stageDays: z.number(), ms: z.number() }), ...errorResponses } } }, async (req) =>
    refreshAnalyticsRollups(ctxFor(req).db),
  );
}
