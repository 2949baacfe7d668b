// CSV uploads for the import routes (deals, content, costs, lists, offline touches): the body is the CSV itself
// (`text/csv`) or a multipart form with a `file` field, at most 10 MB either way.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../errors.ts';

export const CSV_UPLOAD_LIMIT = 10 * 1024 * 1024;

/** Lets a route plugin receive `text/csv` bodies as a string (once per Fastify encapsulation context). */
export function acceptCsvBodies(app: FastifyInstance): void {
  if (!app.hasContentTypeParser('text/csv')) app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_UPLOAD_LIMIT }, (_req, body, done) => done(null, body));
}

/** The uploaded CSV's text; a 400 naming `file` when there is none or it is too large. */
export async function csvText(req: FastifyRequest): Promise<string> {
  if (req.isMultipart()) {
    const file = await req.file({ limits: { fileSize: CSV_UPLOAD_LIMIT } });
    if (!file) throw new ValidationError('file: a CSV file is required (multipart field "file")', [{ field: 'file', message: 'is required' }]);
    const buf = await file.toBuffer();
    if (file.file.truncated) throw new ValidationError(`file: larger than ${CSV_UPLOAD_LIMIT / 1024 / 1024} MB`, [{ field: 'file', message: 'too large' }]);
    return buf.toString('utf8');
  }
  if (typeof req.body !== 'string') throw new ValidationError('file: send the CSV as text/csv or multipart/form-data (field "file")', [{ field: 'file', message: 'is required' }]);
  return req.body;
}
