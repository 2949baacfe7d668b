import type { Command } from 'commander';
import { startCommand } from './start.ts';
import { migrateCommand } from './migrate.ts';
import { usersCommand } from './users.ts';
import { doctorCommand } from './doctor.ts';
import { demoCommand } from './demo.ts';
import { importCommand } from './import.ts';
import { exportCommand } from './export.ts';
import { sourcesCommand } from './sources.ts';
import { dealsCommand } from './deals.ts';
import { backupCommand } from './backup.ts';
import { contentCommand } from './content.ts';

/** Every CLI command. Each lives in its own file under src/cli/commands/. */
export function registerCommands(program: Command) {
  startCommand(program);
  migrateCommand(program);
  usersCommand(program);
  doctorCommand(program);
  demoCommand(program);
  importCommand(program);
  exportCommand(program);
  sourcesCommand(program);
  dealsCommand(program);
  backupCommand(program);
  contentCommand(program);
}
