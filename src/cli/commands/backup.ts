// `revloop backup [--out file]` and `revloop restore <file> [--force]`: a consistent copy of the whole database
// in one gzip file, and back (src/db/backup). Backup works while revloop runs (it reads the running embedded
// PostgreSQL, or DATABASE_URL); restore needs revloop stopped. Exit codes: 0 done, 1 failure, 2 usage errors.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import cliProgress from 'cli-progress';
import { loadConfig, type Config } from '../../config.ts';
import { connect } from '../../db/client.ts';
import { backupDatabase } from '../../db/backup/backup.ts';
import { readBackupHeader, RestoreError, restoreDatabase } from '../../db/backup/restore.ts';
import { DataDirLockedError, lockDataDir, runningEmbeddedUrl } from '../../db/embedded.ts';
import { withDatabase } from '../database.ts';

function usage(message: string): never {
  console.error(`revloop: ${message}`);
  process.exit(2);
}

async function withBackupSource<T>(config: Config, fn: (url: string) => Promise<T>): Promise<T> {
  if (config.DATABASE_URL) return fn(config.DATABASE_URL);
  try {
    lockDataDir(config.dataDir)(); // free: nothing runs, start the embedded database for the backup
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    const url = runningEmbeddedUrl(config.dataDir);
    if (!url) throw err;
    return fn(url); // revloop is running: read its database while it works (a consistent snapshot)
  }
  return withDatabase(config, (_db, url) => fn(url));
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export function backupCommand(program: Command) {
  program
    .command('backup')
    .description(ABOUT.backup)
    .option('--out <file>', 'backup file (default: revloop-backup-<date>-<time>.gz in the current directory)')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { out?: string; dataDir?: string }) => {
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      const file = path.resolve(opts.out ?? `revloop-backup-${stamp()}.gz`);
      if (existsSync(file)) usage(`${file} already exists; choose another --out`);
      if (!existsSync(path.dirname(file))) usage(`directory ${path.dirname(file)} does not exist`);
      const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'backup [{bar}] {value}/{total} tables  {table}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
      const result = await withBackupSource(config, async (url) => {
        const database = connect(url, { max: 1, applicationName: 'revloop-backup' });
        try {
          return await backupDatabase(database.pool, file, (p) => {
            if (p.index === 1) bar?.start(p.total, 0, { table: '' });
            bar?.update(p.index, { table: p.table });
          });
        } finally {
          bar?.stop();
          await database.close();
        }
      });
      console.log(`Backed up ${result.tables} tables, ${result.rows} rows (${(result.bytes / 1024 / 1024).toFixed(1)} MB).`);
      console.log('Keep the webhook secret key with it (WEBHOOK_SECRET_KEY, or DATA_DIR/webhook-secret.key): the webhook secrets in the backup are encrypted with it.');
      console.log(file);
    });

  program
    .command('restore')
    .description(ABOUT.restore)
    .argument('<file>', 'backup file')
    .option('--force', 'replace the data of a database that already holds revloop data')
    .option('--check', 'only read the backup header and say what it holds')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (file: string, opts: { force?: boolean; check?: boolean; dataDir?: string }) => {
      if (!existsSync(file)) usage(`${file}: no such file`);
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      try {
        const header = await readBackupHeader(file);
        console.log(`Backup of ${header.createdAt} by revloop ${header.revloopVersion} (schema ${header.migrations.at(-1) ?? 'empty'}).`);
        if (opts.check) return;
        const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'restore [{bar}] {value}/{total} tables  {table}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
        const result = await withDatabase(config, async (database, url) => {
          try {
            return await restoreDatabase(url, database.pool, file, {
              force: opts.force,
              onProgress: (p) => {
                if (p.index === 1) bar?.start(p.total, 0, { table: '' });
                bar?.update(p.index, { table: p.table });
              },
            });
          } finally {
            bar?.stop();
          }
        });
        console.log(`Restored ${result.tables} tables, ${result.rows} rows.`);
      } catch (err) {
        if (err instanceof RestoreError) {
          console.error(`revloop restore: ${err.message}`);
          process.exit(1);
        }
        throw err;
      }
    });
}
