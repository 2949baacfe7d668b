// bench/nurture: 100,000 contacts entering a 5-step program; target ≥ 2,000 steps/s sustained.
//
//   npx node bench/nurture/run.ts                         # 100k contacts, 2 workers
//   BENCH_CONTACTS=10000 npx node bench/nurture/run.ts    # a quick look
//   BENCH_WORKERS=1 BENCH_BATCH=500 …                     # worker count, claim size
//
// Own embedded PostgreSQL (deleted afterwards). Every contact has consent for the program's topic, so both
// email steps really enqueue a message through the email domain's enqueueEmails (consent, suppression and
// idempotency checked per message, one call per batch). The program (on a simulated clock):
//   1 send_email "welcome" → 2 wait 2 days → 3 branch (engagement ≥ 10? both lead on) → 4 update_property
//   → 5 send_email "follow-up"
// Measured: entry (one INSERT … SELECT), then the executor: BENCH_WORKERS concurrent workers (runDueBatch in a
// loop, claim SKIP LOCKED, BENCH_BATCH enrolments per transaction) drain steps 1–2, the clock moves 2 days, they
// drain 3–5. Steps/s = step runs ÷ wall time of the two drains; "sustained" also reports the slowest 5-second
// window of either drain (the last, partial window excluded). Baseline in the same run: the same rows written by
// set-based SQL only (500k step-run rows + 200k message rows with generate_series into copies of the tables,
// no per-contact logic) — the floor of what writing the results costs. Every step run is checked to be
// unique per (enrolment, seq) and every contact to have exactly 2 messages.
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { startBench } from '../ingest-shared.ts';
import { SimClock } from '../../src/domains/nurture/clock.ts';
import { runDueBatch } from '../../src/domains/nurture/engine.ts';
import { enrolDue } from '../../src/domains/nurture/enrol.ts';
import { nurtureProgramVersions, nurturePrograms } from '../../src/domains/nurture/schema.ts';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const TARGET = 2000;
/** BENCH_EMAIL=0: both email steps become property updates (the executor's own ceiling, without E's statements). */
const EMAIL = process.env.BENCH_EMAIL !== '0';

const b = await startBench('nurture', Number(process.env.BENCH_TIMEOUT_S ?? 3600));
const db = b.database.db;
const secs = (t0: number) => (performance.now() - t0) / 1000;
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ');
const one = async <T>(q: ReturnType<typeof sql>) => ((await db.execute(q)).rows[0] as T);
try {
  console.log(`bench/nurture: ${CONTACTS} contacts, ${WORKERS} workers, batch ${BATCH}, ${EMAIL ? 'two email steps through enqueueEmails' : 'BENCH_EMAIL=0 (no email steps)'}; load average at start ${load()} (${os.cpus().length} cores)`);
  let t0 = performance.now();
  await db.execute(sql`insert into contacts (email, first_name, lifecycle_stage, properties)
    select 'c' || g || '@corp' || (g % 997) || '.test', 'C' || g, 'lead', jsonb_build_object('cohort', 'bench') from generate_series(1, ${CONTACTS}) g`);
  const topic = await one<{ id: number }>(sql`insert into email_topics (key, name) values ('nurture', 'Nurture') returning id`);
  const tpl = await one<{ id: number }>(sql`insert into email_templates (name, subject, mjml, compiled_html, topic_id)
    values ('Welcome', 'Hi {{ contact.first_name }}', '<mjml><mj-body></mj-body></mjml>', '<html></html>', ${topic.id}) returning id`);
  await db.execute(sql`insert into email_consents (contact_id, topic_id, status, source, recorded_by) select id, ${topic.id}, 'granted', 'form', 'bench' from contacts`);
  await db.execute(sql`analyze`);
  console.log(`  data: ${secs(t0).toFixed(1)} s`);

  const clock = new SimClock(new Date());
  const definition = {
    entry: { property: { key: 'cohort', value: 'bench' } },
    steps: [
      EMAIL ? { id: 'welcome', type: 'send_email', templateId: tpl.id, topicKey: 'nurture' } : { id: 'welcome', type: 'update_property', key: 'welcomed', value: true },
      { id: 'wait', type: 'wait', duration: { days: 2, hours: 0, minutes: 0 } },
      { id: 'engaged', type: 'branch', condition: { kind: 'score_at_least', score: 'engagement', value: 10 }, yes: 'tag', no: 'tag' },
      { id: 'tag', type: 'update_property', key: 'nurtured', value: true },
      EMAIL ? { id: 'follow-up', type: 'send_email', templateId: tpl.id, topicKey: 'nurture' } : { id: 'follow-up', type: 'update_property', key: 'followed_up', value: true },
    ],
    exit: [{ kind: 'stage_in', stages: ['sales_ready', 'customer'] }, { kind: 'unsubscribed' }],
    goals: [],
    reentry: { mode: 'never', cooldownDays: 0 },
  } as const;
  const [p] = await db.insert(nurturePrograms).values({ name: 'Bench', status: 'active', definition: definition as never, activatedAt: clock.now() }).returning();
  await db.insert(nurtureProgramVersions).values({ programId: p!.id, version: 1, definition: definition as never });

  t0 = performance.now();
  const entered = await enrolDue({ db, clock, programId: p!.id });
  console.log(`  entry: ${entered} enrolments in ${secs(t0).toFixed(1)} s`);

  // What autovacuum's ANALYZE does on a live server as tables grow (its 1-minute naptime is longer than a
  // drain): without fresh statistics the email domain's idempotency lookup is planned as a scan of the
  // workspace's messages (see docs/benchmarks.md).
  let slowest = Infinity;
  const drain = async () => {
    let going = true;
    const analyzer = (async () => {
      while (going) {
        await new Promise((r) => setTimeout(r, 3000));
        if (going) await db.execute(sql`analyze email_messages, nurture_enrolments, nurture_step_runs, contacts`);
      }
    })();
    const start = performance.now();
    const done: { at: number; steps: number }[] = [];
    const worker = async (i: number) => {
      let steps = 0;
      for (;;) {
        const r = await runDueBatch({ db, clock, worker: `w${i + 1}`, batchSize: BATCH });
        if (!r.claimed) return steps;
        steps += r.steps;
        done.push({ at: (performance.now() - start) / 1000, steps: r.steps });
      }
    };
    try {
      const counts = await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
      const end = (performance.now() - start) / 1000;
      const windows = Array.from({ length: Math.floor(end / 5) }, (_, w) => done.filter((d) => d.at >= w * 5 && d.at < w * 5 + 5).reduce((a, d) => a + d.steps, 0) / 5);
      slowest = Math.min(slowest, ...windows);
      return counts;
    } finally {
      going = false;
      await analyzer;
    }
  };
  t0 = performance.now();
  const first = (await drain()).reduce((a, x) => a + x, 0);
  const t1 = secs(t0);
  console.log(`  steps 1–2: ${first} step runs in ${t1.toFixed(1)} s (${Math.round(first / t1)} steps/s), load ${load()}`);
  clock.advanceDays(2);
  const t2s = performance.now();
  const second = (await drain()).reduce((a, x) => a + x, 0);
  const t2 = secs(t2s);
  console.log(`  steps 3–5: ${second} step runs in ${t2.toFixed(1)} s (${Math.round(second / t2)} steps/s), load ${load()}`);
  const total = first + second;
  const wall = t1 + t2;
  const rate = total / wall;

  const check = await one<{ runs: number; keys: number; msgs: number; per2: number; done: number }>(sql`
    select (select count(*)::int from nurture_step_runs) as runs,
      (select count(distinct (enrolment_id, seq))::int from nurture_step_runs) as keys,
      (select count(*)::int from email_messages) as msgs,
      (select count(*)::int from (select contact_id from email_messages group by 1 having count(*) = 2) x) as per2,
      (select count(*)::int from nurture_enrolments where status = 'completed') as done`);

  // Baseline: the same rows, set-based.
  await db.execute(sql`create table bench_runs (like nurture_step_runs including all)`);
  await db.execute(sql`create table bench_msgs (like email_messages including all)`);
  const tb = performance.now();
  await db.execute(sql`insert into bench_runs (workspace_id, enrolment_id, program_id, contact_id, seq, step_id, step_type, outcome, ran_at)
    select 1, e.id, e.program_id, e.contact_id, s, 'step' || s, 'x', '{}', now() from nurture_enrolments e, generate_series(1, 5) s`);
  await db.execute(sql`insert into bench_msgs (workspace_id, contact_id, template_id, topic_id, to_email, idempotency_key, from_domain, next_attempt_at)
    select 1, e.contact_id, ${tpl.id}, ${topic.id}, 'x@y.test', 'b:' || e.id || ':' || s, 'example.com', now() from nurture_enrolments e, generate_series(1, 2) s`);
  await db.execute(sql`update nurture_enrolments set seq = seq`);
  const base = secs(tb);
  const baseRate = total / base;

  console.log(`  check: ${check.runs} step runs (${check.keys} distinct enrolment×seq keys), ${check.msgs} messages, ${check.per2} contacts with exactly 2, ${check.done} completed`);
  console.log(`  baseline (set-based writes of the same rows): ${base.toFixed(1)} s = ${Math.round(baseRate)} steps/s`);
  const slow = Number.isFinite(slowest) ? `slowest 5 s window ${Math.round(slowest)} steps/s` : 'drains shorter than 5 s';
  console.log(`RESULT bench/nurture: ${total} steps in ${wall.toFixed(1)} s = ${Math.round(rate)} steps/s sustained, ${slow} (target ≥ ${TARGET}: ${rate >= TARGET && !(slowest < TARGET) ? 'met' : 'NOT met'}); ${(rate / baseRate).toFixed(2)}× the set-based baseline; load at end ${load()}`);
  const ok = check.runs === CONTACTS * 5 && check.keys === check.runs && check.msgs === (EMAIL ? CONTACTS * 2 : 0) && check.per2 === (EMAIL ? CONTACTS : 0) && check.done === CONTACTS;
  if (!ok) {
    console.error('bench/nurture: CHECK FAILED');
    process.exitCode = 1;
  }
} finally {
  await b.close();
}
