// The revloop CLI (commander). Exit codes: 0 ok, 1 failure, 2 bad usage or configuration.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { DataDirLockedError } from '../db/embedded.ts';
import { VERSION } from '../version.ts';
import { registerCommands } from './commands/index.ts';

const program = new Command('revloop')
  .description('revloop — closed-loop B2B marketing operations')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

await registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(`revloop: ${(err as Error).message ?? err}`);
  if (process.env.REVLOOP_DEBUG) console.error(err);
  process.exit(1);
}
