// `revloop content import <file.csv>`: imports a content inventory, all or nothing (every rejected row printed with
// its line and reason; exit 1 and nothing written when any row is rejected), then attaches past tracked views to the
// items. `revloop content rematch`: rebuilds consumption and buying stages from every tracked event.
import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import { loadConfig } from '../../config.ts';
import { importContentCsv } from '../../domains/content/import-csv.ts';
import { rematchContent } from '../../domains/content/consumption-jobs.ts';
import { withDatabase } from '../database.ts';
import { cliFail, importCsvFile } from '../common.ts';

const fail = cliFail('content');

export function contentCommand(program: Command) {
  const content = program.command('content').description(ABOUT.content);

  content
    .command('import')
    .description('Import a content inventory CSV (columns: title, url, type, format, stage, status, topics, segments, products, owner_email, publish_date, summary, external_id, smes); all rows or none')
    .argument('<file>', 'the CSV file')
    .option('--json', 'print the result as JSON')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (file: string, opts: { json?: boolean; dataDir?: string }) => {
      const result = await importCsvFile({ file, dataDir: opts.dataDir, fail }, async (ctx, csv, database) => {
        const r = await importContentCsv({ ctx, csv });
        if (r.imported) await rematchContent(database.db);
        return r;
      });
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      else if (result.imported) console.log(`${result.rows} rows imported: ${result.created} new, ${result.updated} updated.`);
      else {
        console.log(`${result.rows} rows: nothing imported, ${result.rejected.length} problems to fix first:`);
        for (const r of result.rejected) console.log(`line ${r.row}: ${r.reason}`);
      }
      if (!result.imported) process.exit(1);
    });

  content
    .command('rematch')
    .description('Rebuild content consumption (views, readers, depth) and buying stages from every tracked event')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { dataDir?: string }) => {
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      await withDatabase(config, (database) => rematchContent(database.db));
      console.log('Content consumption rebuilt.');
    });
}
