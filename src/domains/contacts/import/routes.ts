// HTTP routes of CSV import: upload (preview + suggested mapping), start, progress, list, error report.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../../contracts/common.ts';
import { Import, ImportErrorPage, ImportList, ImportObject, ImportPreview, StartImportInput } from '../../../contracts/imports.ts';
import { ValidationError } from '../../../errors.ts';
import { ctxFor } from '../../../http/ctx.ts';
import { cancelImport, createImport, getImport, getImportPreview, importErrorsCsv, listImportErrors, listImports, startImport } from './service.ts';
import { receiveCsvUpload, removeQuietly } from './upload.ts';

const ErrorsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), cursor: z.string().max(30).optional() });

export async function importRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['imports'];
  const config = { permission: 'contacts:import' as const };

  app.post(
    '/imports',
    {
      config,
      schema: {
        tags,
        summary: 'Upload a CSV (multipart: field "file", field "objectType" = contacts | accounts); answers a preview and a suggested mapping',
        consumes: ['multipart/form-data'],
        response: { 201: ImportPreview, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const ctx = ctxFor(req);
      const upload = await receiveCsvUpload(req, ctx.dataDir, req.server.config.MAX_UPLOAD_MB);
      try {
        const objectType = ImportObject.safeParse(upload.fields.objectType ?? 'contacts');
        if (!objectType.success) {
          throw new ValidationError('objectType: must be contacts or accounts', [{ field: 'objectType', message: 'must be contacts or accounts' }]);
        }
        const preview = await createImport({ ctx, input: { objectType: objectType.data, filename: upload.filename, filePath: upload.filePath, fileSize: upload.fileSize } });
        return reply.status(201).send(preview);
      } catch (err) {
        await removeQuietly(upload.filePath);
        throw err;
      }
    },
  );

  app.post(
    '/imports/:id/start',
    { config, schema: { tags, summary: 'Confirm the mapping and start the import in the background', params: IdParam, body: StartImportInput, response: { 202: Import, ...errorResponses } } },
    async (req, reply) => reply.status(202).send(await startImport({ ctx: ctxFor(req), id: req.params.id, input: req.body })),
  );

  app.get('/imports', { config, schema: { tags, summary: 'Imports, newest first', response: { 200: ImportList } } }, async (req) => listImports({ ctx: ctxFor(req) }));

  app.get(
    '/imports/:id',
    { config, schema: { tags, summary: 'One import with its progress (0..1) and counts', params: IdParam, response: { 200: Import, ...errorResponses } } },
    async (req) => getImport({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.get(
    '/imports/:id/preview',
    { config, schema: { tags, summary: 'The preview and mapping targets of an import again (sample rows while the file is kept)', params: IdParam, response: { 200: ImportPreview, ...errorResponses } } },
    async (req) => getImportPreview({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.post(
    '/imports/:id/cancel',
    { config, schema: { tags, summary: 'Cancel an import that has not finished; rows already committed stay', params: IdParam, response: { 200: Import, ...errorResponses } } },
    async (req) => cancelImport({ ctx: ctxFor(req), id: req.params.id }),
  );

  app.get(
    '/imports/:id/errors',
    {
      config,
      schema: { tags, summary: 'Rejected rows with line, column and reason', params: IdParam, querystring: ErrorsQuery, response: { 200: ImportErrorPage, ...errorResponses } },
    },
    async (req) => listImportErrors({ ctx: ctxFor(req), id: req.params.id, input: req.query }),
  );

  app.get(
    '/imports/:id/errors.csv',
    { config, schema: { tags, summary: 'Downloadable error report: line, column, reason, then the original columns', params: IdParam } },
    async (req, reply) => {
      const { filename, stream } = await importErrorsCsv({ ctx: ctxFor(req), id: req.params.id });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(stream);
    },
  );
}
