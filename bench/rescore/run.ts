// bench/rescore: full rescore of 1M contacts with 10M events, against a single set-based SQL UPDATE that
// computes the same engagement scores, in the same run. Targets: ≤ 60 s and ≤ 2× the SQL baseline.
//
//   npx node bench/rescore/run.ts                                   # 1M contacts, 10M events
//   BENCH_CONTACTS=100000 BENCH_EVENTS=1000000 npx node bench/rescore/run.ts   # a quick look
//   BENCH_MIX=0 …                                                    # every contact's events of one kind
//
// Starts its own embedded PostgreSQL (deleted afterwards) with the default fit and engagement models and
// generates the data with generate_series: 50k accounts, contacts (titles, phones, free-mail domains), and
// events over the last 180 days (page views of /blog, /pricing, /docs, content reads with a percentage,
// form fills, email clicks, demo requests), ~10 per contact, each contact with a mix of them (BENCH_MIX=0:
// all of a contact's events of one kind, as the generator was before the ledger became one row per contact
// × rule; the old per-event ledger had one row per matching event either way). The three events indexes the rescore never reads (by
// workspace/event, by source, by workspace/time) are dropped before generating, only to make generation
// faster; the primary key and the (contact_id, timestamp) index stay.
//
// Measured, in this order:
//   1. baseline: ONE `UPDATE contact_scores … FROM (…)` computing every contact's engagement score from the
//      events (same compiled rules, caps and decay as the rescore), without a ledger or explanations;
//   2. revloop: runRescore of the default engagement model (what a change of it triggers): rebuilds the
//      ledger (score_ledger, one row per contact × rule with counts and decay sums) and contact_scores with
//      the per-rule breakdown, in chunks with progress;
//   3. revloop: the full rescore of every active model (fit + engagement).
// The engagement scores of 1 and 2 are compared (must be identical).
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { startBench } from '../ingest-shared.ts';
import type { EngagementRule } from '../../src/contracts/scoring.ts';
import { defaultModel, ensureDefaultModels } from '../../src/domains/scoring/defaults.ts';
import { engagementLedgerSql } from '../../src/domains/scoring/rescore-sql.ts';
import { runRescore } from '../../src/domains/scoring/rescore.ts';
import { rescoreRuns } from '../../src/domains/scoring/schema.ts';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const ACCOUNTS = Math.max(1, Math.round(CONTACTS / 20));
/** Each contact gets a mix of behaviours (default); BENCH_MIX=0: all of a contact's events are of one kind (the generator before the ledger change). */
const MIX = process.env.BENCH_MIX !== '0';

const b = await startBench('rescore', 3600);
const db = b.database.db;
const log = pino({ level: 'warn' });
const secs = (t0: number) => (performance.now() - t0) / 1000;
try {
  await ensureDefaultModels(db, 1);
  const eng = (await defaultModel(db, 1, 'engagement'))!;
  let t0 = performance.now();
  await db.execute(sql`
    insert into accounts (name, domain, industry, employee_count, country)
    select 'Account ' || g, 'acct' || g || '.test', (array['Software','Retail','Finance','Health'])[1 + g % 4], (g * 37) % 8000, (array['DE','US','FR','CH','GB'])[1 + g % 5]
    from generate_series(1, ${ACCOUNTS}) g`);
  await db.execute(sql`
    insert into contacts (email, title, phone, account_id)
    select 'c' || g || case when g % 5 = 0 then '@gmail.com' else '@corp' || (g % 997) || '.test' end,
           (array['VP Sales','Director of Marketing','Engineer','Chief Executive Officer','Analyst','Head of Growth',null])[1 + g % 7],
           case when g % 3 = 0 then '+49 30 ' || g end,
           case when g % 2 = 0 then 1 + (g % ${ACCOUNTS}) end
    from generate_series(1, ${CONTACTS}) g`);
  console.log(`bench/rescore: ${CONTACTS} contacts, ${ACCOUNTS} accounts in ${secs(t0).toFixed(1)} s (${MIX ? 'each contact a mix of behaviours' : 'each contact one kind of behaviour'})`);

  await db.execute(sql`drop index events_workspace_event_time_idx; drop index events_source_received_idx; drop index events_workspace_time_idx`);
  t0 = performance.now();
  const STEP = 1_000_000;
  for (let from = 1; from <= EVENTS; from += STEP) {
    const to = Math.min(EVENTS, from + STEP - 1);
    await db.execute(sql`
      insert into events (source_id, message_id, type, event, contact_id, "timestamp", received_at, properties, page_path)
      select ${b.sourceId}, g::text,
             case when g % 10 in (0, 1, 2, 3, 4, 8) then 'page' else 'track' end,
             case g % 10 when 5 then 'Content Read' when 6 then 'Form Submitted' when 7 then 'Email Link Clicked'
                         when 9 then case when g % 50 = 9 then 'Demo Requested' else 'Feature Used' end end,
             1 + ((g * 7919 + ${MIX ? sql`g / ${CONTACTS}` : sql`0`}) % ${CONTACTS}),
             now() - make_interval(secs => (g * 104729) % (180 * 86400)),
             now(),
             case when g % 10 = 5 then jsonb_build_object('percent', (g * 13) % 100) else '{}'::jsonb end,
             case when g % 10 in (0, 1, 2, 3) then '/blog/post-' || (g % 300) when g % 10 = 4 then '/pricing' when g % 10 = 8 then '/docs/start' end
      from generate_series(${from}::int8, ${to}::int8) g`);
    process.stdout.write(`\r  generating events: ${to} / ${EVENTS} (${secs(t0).toFixed(0)} s)`);
  }
  await db.execute(sql`analyze`);
  console.log(`\n  ${EVENTS} events in ${secs(t0).toFixed(1)} s`);

  // The scores the baseline updates exist already (an UPDATE, not an insert).
  await db.execute(sql`
    insert into contact_scores (contact_id, model_id, score, model_version)
    select id, ${eng.id}, 0, ${eng.version} from contacts`);
  await db.execute(sql`vacuum analyze contact_scores`);

  // 1. Baseline: one UPDATE with the same compiled rules, caps and decay.
  const ledgerSql = engagementLedgerSql(eng.rules as EngagementRule[], sql`e.workspace_id = 1 and e.contact_id is not null and not e.is_bot`);
  const now = new Date();
  const hl = eng.halfLifeDays!;
  t0 = performance.now();
  const updated = await db.execute(sql`
    update contact_scores cs set score = x.score, computed_at = ${now.toISOString()}::timestamptz
    from (
      select contact_id, floor(sum(points * power(0.5::float8, greatest(0, extract(epoch from (${now.toISOString()}::timestamptz - occurred_at)))::float8 / 86400.0 / ${hl}::float8)) * 100 + 0.5) / 100 as score
      from (${ledgerSql}) l
      group by contact_id
    ) x
    where cs.contact_id = x.contact_id and cs.model_id = ${eng.id}`);
  const baseline = secs(t0);
  console.log(`  baseline: one SQL UPDATE of the engagement scores   ${baseline.toFixed(1)} s (${updated.rowCount} rows)`);
  await db.execute(sql`create unlogged table bench_baseline as select contact_id, score from contact_scores where model_id = ${eng.id}`);

  // 2. revloop: rescore of the engagement model (ledger + scores + breakdown), with progress.
  const timed = async (label: string, modelId: number | null) => {
    const [run] = await db.insert(rescoreRuns).values({ modelId }).returning();
    const start = performance.now();
    const progress = setInterval(() => {
      void db
        .select()
        .from(rescoreRuns)
        .then((rows) => rows.find((r) => r.id === run!.id))
        .then((r) => r && process.stdout.write(`\r  ${label}: ${r.processed} / ${r.total ?? '?'} contacts (${secs(start).toFixed(0)} s)   `));
    }, 5000);
    await runRescore(db, run!.id, { now: () => now });
    clearInterval(progress);
    const [done] = await db.select().from(rescoreRuns).then((rows) => rows.filter((r) => r.id === run!.id));
    if (done!.status !== 'completed') throw new Error(`rescore ${done!.status}: ${done!.error}`);
    return secs(start);
  };
  const engOnly = await timed('engagement rescore', eng.id);
  const ledger = ((await db.execute(sql`select count(*)::int as n from score_ledger`)).rows[0] as { n: number }).n;
  const diff = (
    await db.execute(sql`
      select count(*)::int as n from bench_baseline bb join contact_scores cs on cs.contact_id = bb.contact_id and cs.model_id = ${eng.id}
      where abs(cs.score - bb.score) > 0.005`)
  ).rows[0] as { n: number };
  console.log(`\r  revloop: rescore of the engagement model             ${engOnly.toFixed(1)} s (${ledger} ledger rows; ${diff.n} scores differ from the baseline)`);
  const all = await timed('full rescore', null);
  console.log(`\r  revloop: full rescore, every active model (fit + engagement)  ${all.toFixed(1)} s`);
  const ratio = engOnly / baseline;
  console.log(`  ratio ${ratio.toFixed(2)}× the SQL baseline (target ≤ 2×) ${ratio <= 2 ? 'MET' : 'NOT MET'}; full rescore ${all.toFixed(1)} s (target ≤ 60 s) ${all <= 60 ? 'MET' : 'NOT MET'}${diff.n ? '; SCORES DIFFER' : ''}`);
  log.info('done');
} finally {
  await b.close();
}
