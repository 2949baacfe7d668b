// Receiving an upload: the multipart file is streamed to DATA_DIR/uploads/<random>.csv (never buffered in
// memory), capped at MAX_UPLOAD_MB; a partial file is removed on any failure.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../../../errors.ts';

export interface ReceivedUpload {
  filename: string;
  filePath: string;
  fileSize: number;
  fields: Record<string, string>;
}

const tooLarge = (maxMb: number) =>
  new AppError(413, 'payload_too_large', `The file is larger than the upload limit of ${maxMb} MB (setting MAX_UPLOAD_MB); split it or raise the limit`);

export async function removeQuietly(filePath: string | null) {
  if (filePath) await unlink(filePath).catch(() => undefined);
}

export async function receiveCsvUpload(req: FastifyRequest, dataDir: string, maxMb: number): Promise<ReceivedUpload> {
  if (!req.isMultipart()) {
    throw new ValidationError('Send the CSV as multipart/form-data with a file field named "file"', [{ field: 'file', message: 'is required' }]);
  }
  const dir = path.join(dataDir, 'uploads');
  await mkdir(dir, { recursive: true });
  let filePath: string | null = null;
  let filename = '';
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== 'file' || filePath) {
        part.file.resume();
        throw new ValidationError(`Unexpected file field "${part.fieldname}"; send one file in the field "file"`, [{ field: part.fieldname, message: 'unexpected file' }]);
      }
      filePath = path.join(dir, `${randomBytes(12).toString('hex')}.csv`);
      // Only a label (the file is stored under a random name); control characters (NUL: PostgreSQL refuses it) dropped.
      filename = path.basename(part.filename || 'upload.csv').replace(/[\u0000-\u001f\u007f]/g, '') || 'upload.csv';
      await pipeline(part.file, createWriteStream(filePath, { flags: 'wx', mode: 0o600 }));
      if (part.file.truncated) throw tooLarge(maxMb);
    }
  } catch (err) {
    await removeQuietly(filePath);
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxMb);
    throw err;
  }
  if (!filePath) throw new ValidationError('file: a CSV file is required (multipart field "file")', [{ field: 'file', message: 'is required' }]);
  const { size } = await stat(filePath);
  return { filename, filePath, fileSize: size, fields };
}
