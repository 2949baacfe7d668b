// The import job: streams the file, validates each row and writes chunks. Each chunk commits in ONE
// transaction with its import_errors rows, the counters, checkpointLine and bytesProcessed, so a job
// restarted after a crash resumes after the last committed line and the counts still add up
// (processed = inserted + updated + rejected).
import { and, eq, inArray } from 'drizzle-orm';
import type pg from 'pg';
import type { Logger } from 'pino';
import { systemActor, type Actor } from '../../../context.ts';
import type { Db } from '../../../db/client.ts';
import { recordAudit } from '../../identity/audit.ts';
import { users } from '../../identity/schema.ts';
import { imports, propertyDefinitions, type Import } from '../schema.ts';
import { CsvFileError, detectDelimiter, headerNames, readCsv, readHead, type CsvRecord } from './csv-file.ts';
import { compileMapping, isRejection, rawRow, validateAccount, validateContact, type AccountRow, type ContactRow, type Rejection } from './rows.ts';
import type { ImportObjectType } from './targets.ts';
import { removeUpload } from './upload-files.ts';
import { writeAccounts, writeContacts } from './write.ts';

/** Rows per chunk transaction. Throughput per CPU-second is the same at 2,500 and 5,000 (bench/import); 2,500 keeps peak RSS lower. */
export const DEFAULT_CHUNK_SIZE = 2500;

export interface ImportProgress {
  processedRows: number;
  insertedRows: number;
  updatedRows: number;
  rejectedRows: number;
  bytesProcessed: number;
  fileSize: number;
}

export interface RunImportOptions {
  db: Db;
  importId: number;
  log: Logger;
  /** Who the completion audit row names; defaults to the user who created the import. */
  actor?: Actor;
  chunkSize?: number;
  /** Stop (as a crash would) after this many committed chunks. For tests of resuming. */
  maxChunks?: number;
  /** Mark the import failed on any error (CLI), instead of leaving it running for the job queue to retry. */
  failOnAnyError?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** DATA_DIR: an uploaded file (DATA_DIR/uploads) is removed once its import completed or was cancelled. */
  dataDir?: string;
}

/** The chunk's optimistic check failed: the import was cancelled or another runner moved it on. */
class Superseded extends Error {}

async function actorFor(db: Db, imp: Import): Promise<Actor> {
  if (imp.createdBy === null) return systemActor;
  const [u] = await db.select().from(users).where(eq(users.id, imp.createdBy));
  return u ? { type: 'user', id: String(u.id), label: u.email, role: u.role, userId: u.id } : systemActor;
}

export async function markFailed(db: Db, importId: number, message: string) {
  // Only an unfinished import can fail: a completed or cancelled one keeps its state.
  await db
    .update(imports)
    .set({ status: 'failed', errorMessage: message, finishedAt: new Date() })
    .where(and(inArray(imports.id, [importId]), inArray(imports.status, ['queued', 'running'])));
}

export async function runImport(opts: RunImportOptions): Promise<Import> {
  const { db, importId, log } = opts;
  const load = async () => (await db.select().from(imports).where(eq(imports.id, importId)))[0];
  let imp = await load();
  if (!imp) throw new Error(`import ${importId} not found`);
  if (imp.status !== 'queued' && imp.status !== 'running') return imp;
  [imp] = await db
    .update(imports)
    .set({ status: 'running', startedAt: imp.startedAt ?? new Date() })
    .where(eq(imports.id, importId))
    .returning();
  const cleanUp = async (row: Import) => {
    if (opts.dataDir && (row.status === 'completed' || row.status === 'cancelled')) await removeUpload(opts.dataDir, row.filePath);
    return row;
  };
  try {
    await processFile(opts, imp!);
  } catch (err) {
    if (err instanceof Superseded) return cleanUp((await load())!);
    if (err instanceof CsvFileError || opts.failOnAnyError) {
      log.warn({ err, importId }, 'import failed');
      await markFailed(db, importId, err instanceof CsvFileError ? err.message : `Import stopped: ${(err as Error).message}`);
      return (await load())!;
    }
    throw err; // database trouble: the job queue retries, and the retry resumes after the checkpoint
  }
  return cleanUp((await load())!);
}

async function processFile(opts: RunImportOptions, imp: Import): Promise<void> {
  const { db, log } = opts;
  const objectType = imp.objectType as ImportObjectType;
  const mapping = imp.mapping ?? {};
  const options = { updateExisting: imp.options?.updateExisting !== false, createAccounts: imp.options?.createAccounts !== false };
  const props = await db
    .select()
    .from(propertyDefinitions)
    .where(eq(propertyDefinitions.objectType, objectType === 'contacts' ? 'contact' : 'account'));
  const userMap = new Map((await db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email.toLowerCase(), u.id]));
  const pool = (db as unknown as { $client: pg.Pool }).$client;

  const delimiter = detectDelimiter((await readHead(imp.filePath)).toString('utf8').replace(/^\uFEFF/, ''));
  let compiled: ReturnType<typeof compileMapping> | null = null;
  const keyTarget = objectType === 'contacts' ? 'email' : 'domain';
  let keyColumn: string | null = null;
  const state = {
    checkpoint: imp.checkpointLine,
    processedRows: imp.processedRows,
    insertedRows: imp.insertedRows,
    updatedRows: imp.updatedRows,
    rejectedRows: imp.rejectedRows,
    bytesProcessed: imp.bytesProcessed,
  };
  const accountCache = new Map<string, number>();
  const actor = opts.actor ?? (await actorFor(db, imp));
  const progress = () => opts.onProgress?.({ ...state, fileSize: imp.fileSize });
  progress();

  /** Validation (CPU, in this process) — runs while the previous chunk is still being written. */
  const prepareChunk = (records: CsvRecord[]) => {
    const rejections: Rejection[] = [];
    const valid: (ContactRow | AccountRow)[] = [];
    for (const rec of records) {
      const r = objectType === 'contacts' ? validateContact(compiled!, rec) : validateAccount(compiled!, rec);
      if (isRejection(r)) rejections.push(r);
      else valid.push(r);
    }
    return { records, rejections, valid };
  };

  const commitChunk = async ({ records, rejections, valid }: ReturnType<typeof prepareChunk>, bytes: number) => {
    const lastLine = records[records.length - 1]!.line;
    const client = await pool.connect();
    let result: { inserted: number; updated: number };
    try {
      // A crash can lose at most the last chunk, and then loses its checkpoint with it: the retry redoes it.
      await client.query('begin; set local synchronous_commit = off');
      const writeOpts = {
        ...options,
        keyColumn,
        accountCache,
        actor,
        importId: imp.id,
        reject: (row: { line: number; fields: string[] }, column: string | null, reason: string) =>
          rejections.push({ line: row.line, column, reason, row: rawRow(compiled!.headers, row.fields) }),
      };
      result =
        objectType === 'contacts'
          ? await writeContacts(client, valid as ContactRow[], writeOpts)
          : await writeAccounts(client, valid as AccountRow[], writeOpts);
      if (rejections.length > 0) {
        rejections.sort((a, b) => a.line - b.line);
        await client.query(
          `insert into import_errors (import_id, line, "column", reason, row)
           select $1, l, c, r, w from unnest($2::int[], $3::text[], $4::text[], $5::jsonb[]) as t(l, c, r, w)`,
          [imp.id, rejections.map((r) => r.line), rejections.map((r) => r.column), rejections.map((r) => r.reason), rejections.map((r) => JSON.stringify(r.row))],
        );
      }
      if (result.inserted + result.updated + rejections.length !== records.length) {
        throw new Error(`import ${imp.id}: counts do not add up at line ${lastLine}`);
      }
      const res = await client.query(
        `update imports set processed_rows = processed_rows + $2, inserted_rows = inserted_rows + $3, updated_rows = updated_rows + $4,
                rejected_rows = rejected_rows + $5, checkpoint_line = $6, bytes_processed = $7
          where id = $1 and status = 'running' and checkpoint_line = $8`,
        [imp.id, records.length, result.inserted, result.updated, rejections.length, lastLine, bytes, state.checkpoint],
      );
      if (res.rowCount !== 1) throw new Superseded();
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      accountCache.clear(); // an account may have been deleted meanwhile: look them up again on the retry
      throw err;
    } finally {
      client.release();
    }
    state.checkpoint = lastLine;
    state.processedRows += records.length;
    state.insertedRows += result.inserted;
    state.updatedRows += result.updated;
    state.rejectedRows += rejections.length;
    state.bytesProcessed = bytes;
    progress();
  };

  // Validation and parsing of chunk N+1 overlap with the database writing chunk N; commits stay in order.
  let pending: Promise<unknown> | null = null;
  const settle = async () => {
    if (!pending) return;
    const err = await pending;
    pending = null;
    if (err) throw err;
  };
  let chunks = 0;
  try {
    for await (const item of readCsv(imp.filePath, { delimiter, batchSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE })) {
      if ('header' in item) {
        const headers = headerNames(item.header.fields);
        if (headers.join('\u0000') !== imp.headers.join('\u0000')) throw new CsvFileError('The file changed since it was uploaded: its header is different');
        compiled = compileMapping(objectType, headers, mapping, props, userMap);
        const keyIdx = compiled.index.get(keyTarget) ?? compiled.index.get('name');
        keyColumn = keyIdx === undefined ? null : headers[keyIdx]!;
        continue;
      }
      const records = item.records.filter((r) => r.line > state.checkpoint);
      if (records.length === 0) continue;
      const prepared = prepareChunk(records);
      await settle();
      pending = commitChunk(prepared, item.bytes).then(
        () => null,
        (err: unknown) => err,
      );
      if (opts.maxChunks !== undefined && ++chunks >= opts.maxChunks) {
        await settle();
        log.info({ importId: imp.id, checkpoint: state.checkpoint }, 'import paused (maxChunks)');
        throw new Superseded();
      }
    }
  } catch (err) {
    if (pending) await pending; // let an in-flight chunk finish (or roll back) before reporting
    throw err;
  }
  await settle();
  if (!compiled) throw new CsvFileError('The file has no header row');

  await db.transaction(async (tx) => {
    const [done] = await tx
      .update(imports)
      .set({ status: 'completed', finishedAt: new Date(), bytesProcessed: imp.fileSize, errorMessage: null })
      .where(eq(imports.id, imp.id))
      .returning();
    const noun = objectType === 'contacts' ? 'contacts' : 'accounts';
    await recordAudit(tx, actor, {
      action: 'import.completed',
      entityType: 'import',
      entityId: imp.id,
      summary: `Imported ${done!.processedRows} ${noun} from ${imp.filename}: ${done!.insertedRows} new, ${done!.updatedRows} updated, ${done!.rejectedRows} rejected`,
      changes: { processed: done!.processedRows, inserted: done!.insertedRows, updated: done!.updatedRows, rejected: done!.rejectedRows },
    });
  });
  state.bytesProcessed = imp.fileSize;
  progress();
}
