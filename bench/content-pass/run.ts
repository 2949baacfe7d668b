// bench/content-pass: what content consumption and content-driven buying stages add to a scoring pass.
//
//   npx node bench/content-pass/run.ts            # 2,000 contacts, 5,000 content items, 6 rounds per mode
//   BENCH_ROUNDS=10 BENCH_ITEMS=5000 npx node bench/content-pass/run.ts
//
// Own embedded PostgreSQL and the real app (ingest through POST /v1/batch, which writes the scoring inbox). 2,000 known
// contacts get a reading history first (~30 events each: pages of 40 blog posts, Content Read with depth, pricing).
// Then rounds cycle three modes on the same data: "content" (5,000 live items, 40 of them on the blog pages),
// "baseline" (every item retired, so nothing matches, no buying-stage rules: the pass skips both) and "rules" (items
// retired, one URL → stage rule for /blog: the buying-stage inference as it ran before content items existed). Each
// round sends 3,000 new events for random contacts and times the scoring passes that drain the inbox (one pass:
// engagement, fit, buying stage, content consumption, lifecycle; one transaction). Prints ms per 1,000 events for
// each mode (median of its rounds) and the ratios content / baseline and content / rules. Bounded: ~2–4 minutes.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { basicAuth, startBench } from '../ingest-shared.ts';
import { ensureDefaultModels } from '../../src/domains/scoring/defaults.ts';
import { scoreInboxBatch } from '../../src/domains/scoring/worker.ts';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 2000);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PER_ROUND = 3000;
const HOST = 'https://www.bench.example.com';

const b = await startBench('content-pass', 900);
const db = b.database.db;
try {
  await ensureDefaultModels(db, 1);
  await db.execute(sql`insert into contacts (email, lifecycle_stage) select 'c' || g || '@bench.test', 'lead' from generate_series(1, ${CONTACTS}) g`);
  await db.execute(sql`insert into identities (kind, value, contact_id) select 'user', 'u-' || id, id from contacts`);
  const ids = (await db.execute(sql`select id from contacts`)).rows.map((r) => Number(r.id));
  await db.execute(sql`insert into content_items (title, type, stage, status) select 'Bench item ' || g, case when g % 2 = 0 then 'practical' else 'aspirational' end,
    (array['epiphany','awareness','interest','consideration','purchase','post_sale'])[1 + g % 6], 'published' from generate_series(1, ${ITEMS}) g`);
  await db.execute(sql`insert into content_urls (item_id, url, normalized, kind, canonical)
    select id, u, 'bench.example.com' || substr(u, length(${HOST}) + 1), 'exact', true from (
      select id, case when rn <= 40 then ${HOST} || '/blog/post-' || (rn - 1) else ${HOST} || '/library/item-' || id end as u
      from (select id, row_number() over (order by id) as rn from content_items) n) x`);

  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const message = (i: number, userId: string) => {
    const post = `${HOST}/blog/post-${i % 40}${i % 3 ? '/' : '?utm_source=newsletter'}`;
    switch (i % 4) {
      case 0:
        return { type: 'page', userId, properties: { url: `${HOST}/pricing`, path: '/pricing' }, messageId: randomUUID() };
      case 1:
        return { type: 'track', userId, event: 'Content Read', properties: { url: post, path: new URL(post).pathname, maxScrollPercent: 30 + (i % 70), activeSeconds: i % 300 }, messageId: randomUUID() };
      default:
        return { type: 'page', userId, properties: { url: post, path: new URL(post).pathname }, messageId: randomUUID() };
    }
  };
  const headers = { 'content-type': 'application/json', authorization: basicAuth(b.writeKey) };
  const send = async (n: number, who: () => string) => {
    for (let sent = 0; sent < n; sent += 500) {
      const batch = Array.from({ length: Math.min(500, n - sent) }, (_, i) => message(sent + i, who()));
      const res = await fetch(`${b.url}/v1/batch`, { method: 'POST', headers, body: JSON.stringify({ batch }) });
      if (res.status !== 200) throw new Error(`batch: ${res.status} ${await res.text()}`);
    }
  };
  const drain = async () => {
    let ms = 0;
    let events = 0;
    for (;;) {
      const t0 = performance.now();
      const r = await scoreInboxBatch(db);
      ms += performance.now() - t0;
      events += r.events;
      if (r.inboxRows === 0) return { ms, events };
    }
  };
  const setMode = async (mode: 'content' | 'baseline' | 'rules') => {
    await db.execute(sql`update content_items set status = ${mode === 'content' ? 'published' : 'retired'}, updated_at = now()`);
    await db.execute(sql`delete from buying_stage_rules`);
    if (mode === 'rules') await db.execute(sql`insert into buying_stage_rules (pattern, stage, position) values ('/blog', 'interest', 0)`);
  };

  // History: ~30 events per contact, scored (not timed).
  let k = 0;
  await send(CONTACTS * 30, () => `u-${ids[k++ % ids.length]}`);
  await setMode('content');
  await drain();
  const consumption = Number(((await db.execute(sql`select count(*)::int as n from content_consumption`)).rows[0] as { n: number }).n);

  const results: Record<'content' | 'baseline' | 'rules', number[]> = { content: [], baseline: [], rules: [] };
  const MODES = ['content', 'baseline', 'rules'] as const;
  for (let r = 0; r < ROUNDS * 3; r++) {
    const mode = MODES[r % 3]!;
    await setMode(mode);
    await send(PER_ROUND, () => `u-${pick(ids)}`);
    const { ms, events } = await drain();
    results[mode].push((ms / Math.max(1, events)) * 1000);
    if (process.env.BENCH_VERBOSE) console.log(`  round ${r + 1} ${mode}: ${events} events in ${ms.toFixed(0)} ms`);
  }
  const median = (xs: number[]) => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)]!;
  const c = median(results.content);
  const base = median(results.baseline);
  const rules = median(results.rules);
  const os = await import('node:os');
  console.log(`bench/content-pass: ${CONTACTS} contacts (~${Math.round((CONTACTS * 30 + ROUNDS * 3 * PER_ROUND) / CONTACTS)} events each by the end), ${ITEMS} content items (40 on the pages read), ${ROUNDS} rounds per mode of ${PER_ROUND} events`);
  console.log(`  consumption rows after the history: ${consumption}`);
  console.log(`  scoring pass, ms per 1,000 events (median): baseline ${base.toFixed(0)}, stage rules only ${rules.toFixed(0)}, with content ${c.toFixed(0)}`);
  console.log(`  ratio content / baseline ${(c / base).toFixed(2)}×, content / stage rules only ${(c / rules).toFixed(2)}×`);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`  rounds: content [${fmt(results.content)}], baseline [${fmt(results.baseline)}], rules [${fmt(results.rules)}]; load average ${os.loadavg()[0]!.toFixed(1)}`);
} finally {
  await b.close();
}
