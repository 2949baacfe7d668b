// `revloop export contacts|accounts [--out file.csv] [filters]`: streams the filtered list as CSV
// (formula-injection safe) to stdout or a file. Exit codes: 0 done, 1 failure, 2 usage errors.
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import pino from 'pino';
import { ZodError } from 'zod';
import { loadConfig } from '../../config.ts';
import { cliActor, type Ctx } from '../../context.ts';
import { noJobs } from '../../jobs.ts';
import { exportAccountsCsv, exportContactsCsv } from '../../domains/contacts/service.ts';
import { withDatabase } from '../database.ts';

interface ExportCliOptions {
  out?: string;
  q?: string;
  lifecycleStage?: string;
  ownerId?: string;
  accountId?: string;
  createdAfter?: string;
  createdBefore?: string;
  sort?: string;
  prop?: string[];
  dataDir?: string;
}

/** stdout as a Writable that is never ended (pipeline would otherwise try to close it). */
function stdoutWritable(): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      if (process.stdout.write(chunk)) cb();
      else process.stdout.once('drain', () => cb());
    },
  });
}

function usage(message: string): never {
  console.error(`revloop export: ${message}`);
  process.exit(2);
}

export function exportCommand(program: Command) {
  program
    .command('export')
    .description(ABOUT.export)
    .argument('<object>', 'contacts or accounts')
    .option('--out <file.csv>', 'write to this file instead of stdout')
    .option('--q <text>', 'search: email / name (contacts) or name / domain (accounts) starts with')
    .option('--lifecycle-stage <stage>', 'contacts only: lifecycle stage')
    .option('--owner-id <id>', 'owner user id')
    .option('--account-id <id>', 'contacts only: account id')
    .option('--created-after <iso>', 'contacts only: created at or after (ISO 8601)')
    .option('--created-before <iso>', 'contacts only: created before (ISO 8601)')
    .option('--sort <sort>', 'sort, e.g. -createdAt, email, name')
    .option('--prop <key=value>', 'contacts only: custom property filter (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (object: string, opts: ExportCliOptions) => {
      if (object !== 'contacts' && object !== 'accounts') usage(`unknown object "${object}": use contacts or accounts`);
      const input: Record<string, string> = {};
      const set = (k: string, v: string | undefined) => v !== undefined && (input[k] = v);
      set('q', opts.q);
      set('ownerId', opts.ownerId);
      set('sort', opts.sort);
      if (object === 'contacts') {
        set('lifecycleStage', opts.lifecycleStage);
        set('accountId', opts.accountId);
        set('createdAfter', opts.createdAfter);
        set('createdBefore', opts.createdBefore);
        for (const p of opts.prop ?? []) {
          const eq = p.indexOf('=');
          if (eq <= 0) usage(`--prop must be key=value (got "${p}")`);
          input[`prop.${p.slice(0, eq)}`] = p.slice(eq + 1);
        }
      } else if (opts.lifecycleStage || opts.accountId || opts.prop || opts.createdAfter || opts.createdBefore) {
        usage('--lifecycle-stage, --account-id, --created-after/--created-before and --prop filter contacts only');
      }
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      let code = 0;
      try {
        await withDatabase(config, async (database) => {
          const ctx: Ctx = { db: database.db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: config.dataDir };
          const out = opts.out ? createWriteStream(opts.out) : stdoutWritable();
          const run = object === 'contacts' ? exportContactsCsv : exportAccountsCsv;
          const { rows } = await run({ ctx, input, out });
          console.error(`Exported ${rows} ${object}${opts.out ? ` to ${opts.out}` : ''}.`);
        });
      } catch (err) {
        if (opts.out) await unlink(opts.out).catch(() => undefined);
        if (err instanceof ZodError) {
          const i = err.issues[0]!;
          console.error(`revloop export: ${i.path.join('.') || 'filters'}: ${i.message}`);
          code = 2;
        } else if ((err as { status?: number }).status === 400) {
          console.error(`revloop export: ${(err as Error).message}`);
          code = 2;
        } else throw err;
      }
      process.exit(code);
    });
}
