// `revloop deals import <file.csv>` (valid rows written, every rejected row printed with its line and reason;
// exit 1 when any row was rejected) and `revloop deals export [--out file]` (formula-safe CSV).
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import { loadConfig } from '../../config.ts';
import { exportDealsCsv, importDealsCsv } from '../../domains/lifecycle/deals-csv.ts';
import { withDatabase } from '../database.ts';
import { cliCtx, cliFail, importCsvFile } from '../common.ts';

const fail = cliFail('deals');

export function dealsCommand(program: Command) {
  const deals = program.command('deals').description(ABOUT.deals);

  deals
    .command('import')
    .description('Import deals from a CSV (columns: external_id, name, amount, currency, stage, close_date, owner_email, account_domain, contact_emails, lost_reason, won_at)')
    .argument('<file>', 'the CSV file')
    .option('--json', 'print the result as JSON')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (file: string, opts: { json?: boolean; dataDir?: string }) => {
      const result = await importCsvFile({ file, dataDir: opts.dataDir, fail }, (ctx, csv) => importDealsCsv({ ctx, csv }));
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      else {
        console.log(`${result.processed} rows: ${result.inserted} new, ${result.updated} updated, ${result.rejected.length} rejected.`);
        for (const r of result.rejected) console.log(`line ${r.line}${r.externalId ? ` (${r.externalId})` : ''}: ${r.reason}`);
      }
      if (result.rejected.length) process.exit(1);
    });

  deals
    .command('export')
    .description('Export every deal as CSV (stdout, or --out file)')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { out?: string; dataDir?: string }) => {
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      const exp = await withDatabase(config, (database) => exportDealsCsv({ ctx: cliCtx(database.db, config.dataDir), input: {} }));
      if (opts.out) {
        await writeFile(opts.out, exp.csv);
        console.error(`Wrote ${opts.out}`);
      } else process.stdout.write(exp.csv);
    });
}
