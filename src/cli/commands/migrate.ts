import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { withDatabase } from '../database.ts';

export function migrateCommand(program: Command) {
  program
    .command('migrate')
    .description('Apply database migrations (embedded PostgreSQL unless DATABASE_URL is set) and exit')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { dataDir?: string }) => {
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      await withDatabase(config, async () => {
        console.log('Migrations applied.');
      });
    });
}
