// Import verbs: create (from an uploaded file: preview + suggested mapping), start (validate the mapping,
// queue the job), get, list, errors (JSON pages and a downloadable CSV).
import { Readable } from 'node:stream';
import { and, asc, desc, eq, gt, inArray } from 'drizzle-orm';
import { stringify } from 'csv-stringify';
import { withTransaction, type Ctx } from '../../../context.ts';
import { StartImportInput, type Import as ImportDto, type ImportPreview } from '../../../contracts/imports.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../errors.ts';
import { recordAudit } from '../../identity/audit.ts';
import { users } from '../../identity/schema.ts';
import { csvRow } from '../csv-safe.ts';
import { importErrors, imports, propertyDefinitions, type Import } from '../schema.ts';
import { CsvFileError, readPreview } from './csv-file.ts';
import { removeUpload } from './upload-files.ts';
import { IMPORT_QUEUE } from './jobs.ts';
import { importTargets, suggestMapping, validateMapping, type ImportObjectType } from './targets.ts';

const EMAILISH = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function toImportDto(row: Import, createdBy: string | null = null): ImportDto {
  return {
    id: row.id,
    objectType: row.objectType as ImportObjectType,
    status: row.status,
    filename: row.filename,
    fileSize: row.fileSize,
    headers: row.headers,
    mapping: row.mapping ?? null,
    progress: row.status === 'completed' ? 1 : row.fileSize > 0 ? Math.min(1, row.bytesProcessed / row.fileSize) : 0,
    processedRows: row.processedRows,
    insertedRows: row.insertedRows,
    updatedRows: row.updatedRows,
    rejectedRows: row.rejectedRows,
    errorMessage: row.errorMessage,
    createdBy,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

async function propsFor(ctx: Ctx, objectType: ImportObjectType) {
  return ctx.db
    .select()
    .from(propertyDefinitions)
    .where(eq(propertyDefinitions.objectType, objectType === 'contacts' ? 'contact' : 'account'))
    .orderBy(asc(propertyDefinitions.label));
}

async function loadImport(ctx: Ctx, id: number) {
  const [row] = await ctx.db
    .select({ imp: imports, createdBy: users.email })
    .from(imports)
    .leftJoin(users, eq(users.id, imports.createdBy))
    .where(and(eq(imports.id, id), eq(imports.workspaceId, 1)));
  if (!row) throw new NotFoundError('Import', id);
  return row;
}

export interface CreateImportInput {
  objectType: ImportObjectType;
  /** Name shown to people (the uploaded file's name). */
  filename: string;
  /** Where the file is on disk (DATA_DIR/uploads/… for uploads; the user's file for the CLI). */
  filePath: string;
  fileSize: number;
}

/** Reads the header and first rows of a file on disk, records the import (status uploaded) and suggests a mapping. */
export async function createImport({ ctx, input }: { ctx: Ctx; input: CreateImportInput }): Promise<ImportPreview> {
  let preview;
  try {
    preview = await readPreview(input.filePath);
  } catch (err) {
    if (err instanceof CsvFileError) throw new ValidationError(err.message, [{ field: 'file', message: err.message }]);
    throw err;
  }
  const { headers, rows } = preview;
  const props = await propsFor(ctx, input.objectType);
  const suggestedMapping = suggestMapping(input.objectType, headers, props);
  if (rows.length === 0) {
    throw new ValidationError('The file has a header but no data rows', [{ field: 'file', message: 'no data rows' }]);
  }
  if (input.objectType === 'contacts') {
    const mappedEmail = Object.values(suggestedMapping).includes('email');
    const emailValues = headers.some((_, i) => rows.some((r) => EMAILISH.test((r[i] ?? '').trim())));
    if (!mappedEmail && !emailValues) {
      const msg = 'No column looks like an email address; contacts need one (a header such as "Email", or values like ada@acme.com)';
      throw new ValidationError(msg, [{ field: 'file', message: msg }]);
    }
  }
  const [row] = await ctx.db
    .insert(imports)
    .values({
      objectType: input.objectType,
      filename: input.filename.slice(0, 255),
      filePath: input.filePath,
      fileSize: input.fileSize,
      headers,
      createdBy: ctx.actor.userId,
    })
    .returning();
  return {
    import: toImportDto(row!, ctx.actor.userId ? ctx.actor.label : null),
    sampleRows: rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? '']))),
    suggestedMapping,
    targets: importTargets(input.objectType, props),
  };
}

/**
 * Validates the mapping, stores it with the options and sets the import queued. Enqueues the job unless
 * `enqueue` is false (the CLI runs the import in-process).
 */
export async function startImport({ ctx, id, input, enqueue = true }: { ctx: Ctx; id: number; input: unknown; enqueue?: boolean }): Promise<ImportDto> {
  const parsed = StartImportInput.parse(input);
  const { imp, createdBy } = await loadImport(ctx, id);
  if (imp.status !== 'uploaded') throw new ConflictError(`Import ${id} is already ${imp.status}; upload the file again to import it again`, { status: imp.status });
  const objectType = imp.objectType as ImportObjectType;
  const mapping = validateMapping(objectType, imp.headers, parsed.mapping, await propsFor(ctx, objectType));
  const updated = await withTransaction(ctx, async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ status: 'queued', mapping, options: parsed.options })
      .where(and(eq(imports.id, id), eq(imports.status, 'uploaded')))
      .returning();
    if (!row) throw new ConflictError(`Import ${id} was started already`);
    const mapped = Object.entries(mapping).filter(([, t]) => t !== null).map(([h, t]) => `${h} → ${t}`);
    await recordAudit(tx, ctx.actor, {
      action: 'import.started',
      entityType: 'import',
      entityId: id,
      summary: `Started importing ${objectType} from ${imp.filename}`,
      changes: { mapping: mapped, options: parsed.options },
    });
    return row;
  });
  // Enqueued after the commit, so the worker never sees the import before it is queued.
  if (enqueue) {
    try {
      await ctx.jobs.send(IMPORT_QUEUE, { importId: id }, { singletonKey: `import-${id}` });
    } catch (err) {
      await ctx.db.update(imports).set({ status: 'uploaded' }).where(and(eq(imports.id, id), eq(imports.status, 'queued')));
      throw err;
    }
  }
  return toImportDto(updated, createdBy);
}

/** The preview of an uploaded import again (the mapping screen after a reload). */
export async function getImportPreview({ ctx, id }: { ctx: Ctx; id: number }): Promise<ImportPreview> {
  const { imp, createdBy } = await loadImport(ctx, id);
  let rows: string[][] = [];
  try {
    rows = (await readPreview(imp.filePath)).rows;
  } catch {
    // The file is gone (completed imports remove their upload): the preview has no sample rows.
  }
  const objectType = imp.objectType as ImportObjectType;
  const props = await propsFor(ctx, objectType);
  return {
    import: toImportDto(imp, createdBy),
    sampleRows: rows.map((r) => Object.fromEntries(imp.headers.map((h, i) => [h, r[i] ?? '']))),
    suggestedMapping: imp.mapping ?? suggestMapping(objectType, imp.headers, props),
    targets: importTargets(objectType, props),
  };
}

/** Stops an import that has not finished. A running job stops at its next chunk; committed chunks stay. */
export async function cancelImport({ ctx, id }: { ctx: Ctx; id: number }): Promise<ImportDto> {
  const { imp, createdBy } = await loadImport(ctx, id);
  const row = await withTransaction(ctx, async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ status: 'cancelled', finishedAt: new Date() })
      .where(and(eq(imports.id, id), inArray(imports.status, ['uploaded', 'queued', 'running'])))
      .returning();
    if (!row) throw new ConflictError(`Import ${id} is already ${imp.status}`, { status: imp.status });
    await recordAudit(tx, ctx.actor, {
      action: 'import.cancelled',
      entityType: 'import',
      entityId: id,
      summary: `Cancelled the import of ${imp.filename} after ${row.processedRows} rows`,
    });
    return row;
  });
  if (imp.status !== 'running') await removeUpload(ctx.dataDir, imp.filePath);
  return toImportDto(row, createdBy);
}

/** Forgets an import that was never started (the CLI, after a mapping it could not use). */
export async function discardImport({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await ctx.db.delete(imports).where(and(eq(imports.id, id), eq(imports.status, 'uploaded')));
}

export async function getImport({ ctx, id }: { ctx: Ctx; id: number }): Promise<ImportDto> {
  const { imp, createdBy } = await loadImport(ctx, id);
  return toImportDto(imp, createdBy);
}

export async function listImports({ ctx, limit = 100 }: { ctx: Ctx; limit?: number }): Promise<{ items: ImportDto[] }> {
  const rows = await ctx.db
    .select({ imp: imports, createdBy: users.email })
    .from(imports)
    .leftJoin(users, eq(users.id, imports.createdBy))
    .where(eq(imports.workspaceId, 1))
    .orderBy(desc(imports.id))
    .limit(limit);
  return { items: rows.map((r) => toImportDto(r.imp, r.createdBy)) };
}

export async function listImportErrors({ ctx, id, input }: { ctx: Ctx; id: number; input: { limit: number; cursor?: string } }) {
  await loadImport(ctx, id);
  const after = input.cursor ? Number(input.cursor) : 0;
  if (!Number.isSafeInteger(after) || after < 0) throw new ValidationError('cursor: not a cursor returned by this endpoint', [{ field: 'cursor', message: 'invalid cursor' }]);
  const rows = await ctx.db
    .select()
    .from(importErrors)
    .where(and(eq(importErrors.importId, id), gt(importErrors.id, after)))
    .orderBy(asc(importErrors.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return {
    items: items.map((r) => ({ line: r.line, column: r.column, reason: r.reason, row: r.row ?? null })),
    nextCursor: rows.length > input.limit ? String(items[items.length - 1]!.id) : null,
  };
}

/**
 * The error report as CSV: line, column, reason, then the file's original columns. Streamed from the
 * database in pages; every cell is formula-injection safe.
 */
export async function importErrorsCsv({ ctx, id }: { ctx: Ctx; id: number }): Promise<{ filename: string; stream: Readable }> {
  const { imp } = await loadImport(ctx, id);
  const headers = imp.headers;
  async function* rows() {
    yield csvRow(['line', 'column', 'reason', ...headers]);
    let after = 0;
    for (;;) {
      const page = await ctx.db
        .select()
        .from(importErrors)
        .where(and(eq(importErrors.importId, id), gt(importErrors.id, after)))
        .orderBy(asc(importErrors.id))
        .limit(2000);
      for (const r of page) {
        const raw = r.row ?? {};
        yield csvRow([r.line, r.column ?? '', r.reason, ...headers.map((h) => raw[h] ?? '')]);
      }
      if (page.length < 2000) return;
      after = page[page.length - 1]!.id;
    }
  }
  const base = imp.filename.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_') || 'import';
  return { filename: `${base}-errors.csv`, stream: Readable.from(rows()).pipe(stringify({ bom: true })) };
}
