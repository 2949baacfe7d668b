// Every CLI command; each lives in its own file under src/cli/commands/. Only the command being run is loaded:
// the others are registered by name and description alone (about.ts), so `revloop --help`, `--version` and a
// command that needs one domain do not pay for loading the whole app (seconds on a busy 2-core machine).
import type { Command } from 'commander';
import { ABOUT, type CommandName } from './about.ts';

type Register = (program: Command) => void;

const backup = async () => (await import('./backup.ts')).backupCommand;
/** The loader of the module that registers each command; backup and restore share one (backup.ts has both). */
const MODULES: Record<CommandName, () => Promise<Register>> = {
  start: async () => (await import('./start.ts')).startCommand,
  migrate: async () => (await import('./migrate.ts')).migrateCommand,
  users: async () => (await import('./users.ts')).usersCommand,
  doctor: async () => (await import('./doctor.ts')).doctorCommand,
  demo: async () => (await import('./demo.ts')).demoCommand,
  import: async () => (await import('./import.ts')).importCommand,
  export: async () => (await import('./export.ts')).exportCommand,
  sources: async () => (await import('./sources.ts')).sourcesCommand,
  deals: async () => (await import('./deals.ts')).dealsCommand,
  backup,
  restore: backup,
  content: async () => (await import('./content.ts')).contentCommand,
};

/** The command an argument list runs (`revloop help <command>` included), or null (help, version, unknown). */
export function invokedCommand(args: readonly string[]): CommandName | null {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return name !== undefined && Object.hasOwn(ABOUT, name) ? (name as CommandName) : null;
}

/**
 * Registers the module of the command that `args` runs, with all its options and subcommands, and every other
 * command by name and description only (enough for the top-level help and for commander to reject unknown
 * commands), in the order of about.ts.
 */
export async function registerCommands(program: Command, args: readonly string[] = process.argv.slice(2)): Promise<void> {
  const invoked = invokedCommand(args);
  const load = invoked ? MODULES[invoked] : null;
  const register = load ? await load() : null;
  for (const name of Object.keys(ABOUT) as CommandName[]) {
    if (program.commands.some((c) => c.name() === name)) continue;
    if (register && MODULES[name] === load) register(program);
    else program.command(name).description(ABOUT[name]);
  }
}
