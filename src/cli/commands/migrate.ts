import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import { loadConfig } from '../../config.ts';
import { withDatabase } from '../database.ts';

export function migrateCommand(program: Command) {
  program
    .command('migrate')
    .description(ABOUT.migrate)
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { dataDir?: string }) => {
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      await withDatabase(config, async () => {
        console.log('Migrations applied.');
      });
    });
}
