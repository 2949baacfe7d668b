// `revloop sources create <name>` (prints the new write key alone on its last line), `sources list`, `sources revoke <id>`.
import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import { loadConfig } from '../../config.ts';
import { CreateSourceInput } from '../../contracts/tracking.ts';
import { createSource, listSources, revokeSource } from '../../domains/tracking/sources.ts';
import { AppError } from '../../errors.ts';
import { withDatabase } from '../database.ts';
import { cliCtx, cliFail } from '../common.ts';

const fail = cliFail('sources');

export function sourcesCommand(program: Command) {
  const sources = program.command('sources').description(ABOUT.sources);

  sources
    .command('create')
    .description('Create a source; prints its write key (shown only this once) alone on the last line')
    .argument('<name>', 'a name for the source, e.g. "Website"')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (name: string, opts: { dataDir?: string }) => {
      const check = CreateSourceInput.safeParse({ name });
      if (!check.success) return fail('<name> must be 1 to 200 characters', 2);
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      const created = await withDatabase(config, (database) => createSource({ ctx: cliCtx(database.db, config.dataDir), input: check.data }));
      console.log(`Created source "${created.source.name}" (id ${created.source.id}).`);
      console.log('Its write key is shown only now: send it as the HTTP Basic user name (empty password) to /v1/track, /v1/batch …');
      console.log(created.writeKey);
    });

  sources
    .command('list')
    .description('List sources')
    .option('--json', 'print JSON instead of a table')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { json?: boolean; dataDir?: string }) => {
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      const rows = await withDatabase(config, (database) => listSources({ ctx: cliCtx(database.db, config.dataDir) }));
      if (opts.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) {
        console.log('No sources yet. Create one with `revloop sources create Website`.');
        return;
      }
      const table = rows.map((s) => ({
        id: String(s.id),
        name: s.name,
        key: `${s.writeKeyPrefix}…`,
        status: s.revokedAt ? `revoked ${s.revokedAt.slice(0, 10)}` : 'active',
        created: s.createdAt.slice(0, 16).replace('T', ' '),
      }));
      const cols = ['id', 'name', 'key', 'status', 'created'] as const;
      const head: Record<(typeof cols)[number], string> = { id: 'ID', name: 'NAME', key: 'WRITE KEY', status: 'STATUS', created: 'CREATED' };
      const width = Object.fromEntries(cols.map((c) => [c, Math.max(head[c].length, ...table.map((r) => r[c].length))])) as Record<(typeof cols)[number], number>;
      const line = (r: Record<(typeof cols)[number], string>) => cols.map((c) => r[c].padEnd(width[c])).join('  ').trimEnd();
      console.log(line(head));
      for (const r of table) console.log(line(r));
    });

  sources
    .command('revoke')
    .description('Revoke a source’s write key (its events are kept)')
    .argument('<id>', 'source id (see `revloop sources list`)')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (id: string, opts: { dataDir?: string }) => {
      const n = Number(id);
      if (!Number.isSafeInteger(n) || n <= 0) return fail(`<id> must be a positive number (got "${id}")`, 2);
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      try {
        const s = await withDatabase(config, (database) => revokeSource({ ctx: cliCtx(database.db, config.dataDir), id: n }));
        console.log(`Revoked the write key of source "${s.name}" (id ${s.id}).`);
      } catch (err) {
        if (err instanceof AppError && err.status < 500) return fail(err.message, 1);
        throw err;
      }
    });
}
