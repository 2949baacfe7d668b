import type { Command } from 'commander';
import { ABOUT } from './about.ts';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../config.ts';
import { loadDemo, DemoInput } from '../../demo/index.ts';
import { ConflictError } from '../../errors.ts';
import { withDatabase } from '../database.ts';
import { cliCtx } from '../common.ts';

export function demoCommand(program: Command) {
  program
    .command('demo')
    .description(ABOUT.demo)
    .option('--contacts <n>', 'number of contacts', '12000')
    .option('--seed <seed>', 'same seed, same company', 'revloop')
    .option('--data-dir <dir>', 'data directory (env DATA_DIR, default ./data)')
    .action(async (opts: { contacts: string; seed: string; dataDir?: string }) => {
      const input = DemoInput.safeParse({ contacts: opts.contacts, seed: opts.seed });
      if (!input.success) {
        const issue = input.error.issues[0]!;
        console.error(`revloop demo: --${String(issue.path[0])} ${issue.message} (got "${String(opts[issue.path[0] as 'contacts' | 'seed'])}")`);
        process.exit(2);
      }
      const config = loadConfig({ DATA_DIR: opts.dataDir });
      const bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: 'Loading demo data {bar} {percentage}% | {step}', hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      let started = false;
      const t0 = Date.now();
      try {
        const result = await withDatabase(config, (database) =>
          loadDemo({
            ctx: cliCtx(database.db, config.dataDir),
            input: input.data,
            onProgress: (done, total, step) => {
              if (!started) (started = true), bar.start(total, 0, { step });
              bar.update(done, { step });
            },
          }),
        );
        bar.stop();
        const c = result.counts;
        console.log(
          `Demo data loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s (seed ${result.seed}): ` +
            `${c.accounts ?? 0} accounts, ${c.contacts ?? 0} contacts, ${c.users ?? 0} new users, ${c.propertyDefinitions ?? 0} custom properties.`,
        );
        if (c.contentItems) {
          console.log(
            `Content: ${c.contentItems} items, ${c.smes ?? 0} SMEs, ${c.contentEvents ?? 0} tracked page views and reads, ` +
              `${c.contentRatings ?? 0} reader ratings, ${c.fieldIntel ?? 0} field intel entries.`,
          );
        }
        if (c.emailTemplates) {
          console.log(
            `Email & nurture: ${c.emailConsents ?? 0} consents (${c.emailConsentsWithdrawn ?? 0} withdrawn), ${c.emailTemplates} templates, ${c.emailMessages ?? 0} messages sent ` +
              `(${c.emailOpens ?? 0} opened, ${c.emailClicks ?? 0} clicked, ${c.emailUnsubscribes ?? 0} unsubscribes, ${c.emailBounces ?? 0} bounces, ${c.emailComplaints ?? 0} complaints), ` +
              `${c.nurturePrograms ?? 0} nurture programs with ${c.nurtureEnrolments ?? 0} enrolments.`,
          );
        }
        if (result.users.length) {
          console.log(`Owners: ${result.users.map((u) => `${u.name} <${u.email}> (${u.role})`).join(', ')}.`);
          console.log('They have random passwords nobody knows; an admin can set their passwords in Settings → Users.');
        }
      } catch (err) {
        bar.stop();
        if (err instanceof ConflictError) {
          console.error(`revloop demo: ${err.message}`);
          process.exit(1);
        }
        throw err;
      }
    });
}
