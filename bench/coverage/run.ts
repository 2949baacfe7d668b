// bench/coverage: the coverage map (buying stage × content type with per-cell views, readers, read depth,
// influenced contacts and pipeline) over 5,000 content items and 10M tracked events. Target: p95 ≤ 300 ms warm,
// and ≤ 1.5× ONE hand-written SQL query computing the same grid in the same run.
//
//   npx node bench/coverage/run.ts                                            # 5,000 items, 10M events
//   BENCH_EVENTS=1000000 npx node bench/coverage/run.ts                       # a quick look
//   BENCH_ROLLUP=sql npx node bench/coverage/run.ts                           # consumption rollups by SQL (faster set-up)
//
// Starts its own embedded PostgreSQL (deleted afterwards) and generates with generate_series: 5,000 items (6
// stages × 2 types, 4 segments, 40 topics, 3 products; 5 % drafts, 2 % retired) each with an exact URL rule;
// 200k contacts; 10M events over 180 days (70 % page views of content pages with a popularity skew, 20 % Content
// Read tracks with depth and active seconds, 10 % other tracks; 60 % from known contacts, 40 % anonymous);
// lifecycle transitions (5 % of contacts sales-ready, 2 % opportunity, 1 % customer), deals for the
// opportunities (some won, some lost), buying stages for a third of the contacts, 20k ratings.
//
// Then the rollups, timed, the way the product builds them:
//   - content_daily and content_consumption: the content domain's rebuild (rebuildDaily + rebuildConsumption,
//     what the rematch job runs; BENCH_ROLLUP=sql writes the same tables with one INSERT … SELECT each instead);
//   - content_item_stats and content_influence: refreshContentInsights (the 5-minute job).
// Measured, interleaved, after warm-up:
//   1. revloop: GET /api/v1/content/coverage through the app (auth, validation, the verb, JSON), all items and
//      with a segment filter;
//   2. baseline: ONE hand-written SQL statement computing the same cells (items, live, views, readers, depth,
//      influenced contacts, pipeline) from the same tables; the cells of 1 and 2 are compared;
//   3. for information: ONE SQL statement computing the grid straight from content_daily / content_consumption /
//      lifecycle_transitions / deals (no per-item rollup): what the map would cost without the refresh job.
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { startBench } from '../ingest-shared.ts';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { noJobs } from '../../src/jobs.ts';
import { newApiKey } from '../../src/domains/identity/secrets.ts';
import { rebuildConsumption } from '../../src/domains/content/consumption-jobs.ts';
import { rebuildDaily } from '../../src/domains/content/consumption.ts';
import { refreshContentInsights } from '../../src/domains/content/insights-refresh.ts';
import { coverageCells, coverageMap } from '../../src/domains/content/coverage.ts';
import type { Coverage } from '../../src/contracts/content-insights.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 5_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 200_000);
const ROLLUP = process.env.BENCH_ROLLUP === 'sql' ? 'sql' : 'product';
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const STAGES = ['epiphany', 'awareness', 'interest', 'consideration', 'purchase', 'post_sale'];

const b = await startBench('coverage', 5400);
const db = b.database.db;
const secs = (t0: number) => (performance.now() - t0) / 1000;
const q = async <T>(s: ReturnType<typeof sql>) => (await db.execute(s)).rows as T[];

try {
  let t0 = performance.now();
  const stagesArr = sql.raw(`array[${STAGES.map((s) => `'${s}'`).join(',')}]`);
  await db.execute(sql`
    insert into content_items (title, type, stage, status, segments, topics, products, published_at, created_at, updated_at)
    select 'Item ' || g, (array['aspirational','practical'])[1 + g % 2], (${stagesArr})[1 + (g / 2) % 6],
           case when g % 20 = 0 then 'draft' when g % 50 = 1 then 'retired' else 'published' end,
           array[(array['enterprise','mid-market','smb','public-sector'])[1 + g % 4]],
           array['topic-' || (g % 40), 'theme-' || (g % 7)], array[(array['crm','analytics','platform'])[1 + g % 3]],
           now() - make_interval(days => (g % 900)::int), now() - make_interval(days => (g % 900 + 3)::int), now() - make_interval(days => ((g * 7) % 500)::int)
    from generate_series(1, ${ITEMS}) g`);
  await db.execute(sql`
    insert into content_urls (item_id, url, normalized, kind, canonical)
    select id, 'https://example.com/c/item-' || id, 'example.com/c/item-' || id, 'exact', true from content_items`);
  await db.execute(sql`
    insert into contacts (email, lifecycle_stage)
    select 'c' || g || '@corp' || (g % 997) || '.test', case when g % 100 = 0 then 'customer' when g % 50 = 0 then 'opportunity' when g % 20 = 0 then 'sales_ready' else 'lead' end
    from generate_series(1, ${CONTACTS}) g`);
  console.log(`bench/coverage: ${ITEMS} items, ${CONTACTS} contacts in ${secs(t0).toFixed(1)} s`);

  // Events: drop the indexes no part of this bench reads (faster generation); the product's rebuild keeps the PK,
  // the contact index (per-contact consumption) and the ingest indexes.
  await db.execute(sql`drop index events_workspace_event_time_idx; drop index events_workspace_time_idx`);
  // The SQL rollups read nothing but the events themselves: the ingest-side indexes go too (faster generation).
  if (ROLLUP === 'sql') await db.execute(sql`drop index events_source_received_idx; drop index events_unresolved_anon_idx; drop index events_contact_time_idx`);
  t0 = performance.now();
  const STEP = 1_000_000;
  for (let from = 1; from <= EVENTS; from += STEP) {
    const to = Math.min(EVENTS, from + STEP - 1);
    await db.execute(sql`
      insert into events (source_id, message_id, type, event, contact_id, anonymous_id, "timestamp", received_at, properties, page_url, page_path)
      select ${b.sourceId}, g::text,
             case when g % 10 < 7 then 'page' else 'track' end,
             case when g % 10 in (7, 8) then 'Content Read' when g % 10 = 9 then 'Feature Used' end,
             case when g % 5 < 3 then 1 + ((g * 7919) % ${CONTACTS}) end,
             case when g % 5 >= 3 then 'anon-' || (g % 500000) end,
             now() - make_interval(secs => (g * 104729) % (180 * 86400)),
             now() - interval '1 minute',
             case when g % 10 in (7, 8) then jsonb_build_object('url', 'https://example.com/c/item-' || x.item, 'path', '/c/item-' || x.item,
                                                              'maxScrollPercent', (g * 13) % 101, 'activeSeconds', (g * 7) % 300)
                  else '{}'::jsonb end,
             case when g % 10 < 7 then case when g % 20 = 0 then 'https://example.com/pricing' else 'https://example.com/c/item-' || x.item end end,
             case when g % 10 < 7 then case when g % 20 = 0 then '/pricing' else '/c/item-' || x.item end end
      from generate_series(${from}::int8, ${to}::int8) g,
           lateral (select 1 + floor(${ITEMS} * power(((g * 2654435761) % 1000003) / 1000003.0, 2))::int as item) x`);
    process.stdout.write(`\r  generating events: ${to} / ${EVENTS} (${secs(t0).toFixed(0)} s)`);
  }
  console.log(`\n  ${EVENTS} events in ${secs(t0).toFixed(1)} s`);

  t0 = performance.now();
  await db.execute(sql`
    insert into lifecycle_transitions (contact_id, from_stage, to_stage, cause, actor_type, actor_label, occurred_at)
    select id, 'lead', 'sales_ready', 'rule', 'system', 'bench', now() - make_interval(days => (5 + id % 150)::int) from contacts where id % 20 = 0`);
  await db.execute(sql`
    insert into lifecycle_transitions (contact_id, from_stage, to_stage, cause, actor_type, actor_label, occurred_at)
    select id, 'sales_ready', 'opportunity', 'deal', 'system', 'bench', now() - make_interval(days => (2 + id % 120)::int) from contacts where id % 50 = 0`);
  await db.execute(sql`
    insert into lifecycle_transitions (contact_id, from_stage, to_stage, cause, actor_type, actor_label, occurred_at)
    select id, 'opportunity', 'customer', 'deal', 'system', 'bench', now() - make_interval(days => (1 + id % 60)::int) from contacts where id % 100 = 0`);
  await db.execute(sql`
    insert into deals (name, amount, stage, external_id)
    select 'Deal ' || id, 5000 + (id % 97) * 1000, case when id % 100 = 0 then 'won' when id % 150 = 0 then 'lost' else 'intent' end, 'bench-' || id
    from contacts where id % 50 = 0`);
  await db.execute(sql`insert into deal_contacts (deal_id, contact_id) select d.id, substring(d.external_id from 7)::bigint from deals d`);
  await db.execute(sql`
    insert into contact_buying_stages (contact_id, stage) select id, (${stagesArr})[1 + id % 6] from contacts where id % 3 = 0`);
  await db.execute(sql`
    insert into content_ratings (item_id, reader_key, anonymous_id, rating)
    select 1 + (g * 31) % ${ITEMS}, 'a:r' || g, 'r' || g, 1 + (g * 7) % 5 from generate_series(1, 20000) g
    where exists (select 1 from content_items where id = 1 + (g * 31) % ${ITEMS})`);
  await db.execute(sql`analyze`);
  console.log(`  transitions, deals, buying stages, ratings in ${secs(t0).toFixed(1)} s`);

  // ---- rollups ----
  t0 = performance.now();
  if (ROLLUP === 'product') {
    await db.transaction((tx) => rebuildDaily(tx, 1));
    const daily = secs(t0);
    const t1 = performance.now();
    const contacts = await rebuildConsumption(db, 1);
    console.log(`  content rollups by the product's rebuild: content_daily ${daily.toFixed(1)} s, content_consumption ${secs(t1).toFixed(1)} s (${contacts} contacts)`);
  } else {
    await db.execute(sql`
      insert into content_daily (item_id, day, views, anonymous_views, reads, depth_sum, active_seconds)
      select u.item_id, (e."timestamp" at time zone 'UTC')::date, count(*) filter (where e.type = 'page'), count(*) filter (where e.type = 'page' and e.contact_id is null),
             count(*) filter (where e.event = 'Content Read'), coalesce(sum(least(100, greatest(0, (e.properties->>'maxScrollPercent')::int))) filter (where e.event = 'Content Read'), 0),
             coalesce(sum(least(14400, greatest(0, (e.properties->>'activeSeconds')::int))) filter (where e.event = 'Content Read'), 0)
      from events e join content_urls u on u.normalized = 'example.com' || coalesce(e.page_path, e.properties->>'path')
      where (e.type = 'page' or e.event = 'Content Read') group by 1, 2`);
    await db.execute(sql`
      insert into content_consumption (item_id, contact_id, views, reads, max_depth_pct, active_seconds, first_at, last_at)
      select u.item_id, e.contact_id, count(*) filter (where e.type = 'page'), count(*) filter (where e.event = 'Content Read'),
             coalesce(max((e.properties->>'maxScrollPercent')::int) filter (where e.event = 'Content Read'), 0),
             coalesce(sum((e.properties->>'activeSeconds')::int) filter (where e.event = 'Content Read'), 0), min(e."timestamp"), max(e."timestamp")
      from events e join content_urls u on u.normalized = 'example.com' || coalesce(e.page_path, e.properties->>'path')
      where e.contact_id is not null and (e.type = 'page' or e.event = 'Content Read') group by 1, 2`);
    console.log(`  content rollups by SQL (BENCH_ROLLUP=sql): ${secs(t0).toFixed(1)} s`);
  }
  await db.execute(sql`vacuum analyze content_daily`);
  await db.execute(sql`vacuum analyze content_consumption`);
  const [sizes] = await q<{ daily: number; cons: number }>(sql`select (select count(*) from content_daily)::int as daily, (select count(*) from content_consumption)::int as cons`);
  t0 = performance.now();
  const refresh = await refreshContentInsights(db);
  const refreshS = secs(t0);
  await db.execute(sql`vacuum analyze content_item_stats`);
  await db.execute(sql`vacuum analyze content_influence`);
  console.log(`  insights refresh (content_item_stats + content_influence): ${refreshS.toFixed(1)} s (${refresh.items} items, ${refresh.influenced} influence rows; rollups: ${sizes!.daily} daily rows, ${sizes!.cons} consumption rows)`);

  // ---- the app ----
  const config = loadConfig({ DATA_DIR: process.env.TMPDIR ?? '/tmp', LOG_LEVEL: 'silent' }, {});
  const app = await buildApp({ db, jobs: noJobs, config, logger: pino({ level: 'error' }) });
  await app.ready();
  const k = newApiKey();
  await db.execute(sql`insert into api_keys (name, prefix, key_hash, role) values ('bench', ${k.prefix}, ${k.hash}, 'viewer')`);
  const headers = { authorization: `Bearer ${k.key}` };
  const product = async (qs: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/content/coverage${qs}`, headers });
    if (res.statusCode !== 200) throw new Error(`coverage → ${res.statusCode} ${res.body}`);
    return res.json() as Coverage;
  };

  // The baseline: one hand-written statement, same cells from the same tables (no top items, no facets).
  const baselineSql = (segment: string | null) => sql`
    with its as (
      select id, stage, type, status in ('published', 'audited') as live from content_items
      where workspace_id = 1 and status <> 'retired' ${segment ? sql`and ${segment} = any(segments)` : sql``}
    ), inf as (
      select distinct its.stage, its.type, f.contact_id from content_influence f join its on its.id = f.item_id
    ), pipe as (
      select stage, type, sum(amount) as pipeline
      from (select distinct inf.stage, inf.type, dl.id, dl.amount from inf join deal_contacts dc on dc.contact_id = inf.contact_id
            join deals dl on dl.id = dc.deal_id and dl.stage <> 'lost') x
      group by stage, type
    )
    select its.stage, its.type, count(*)::int as items, count(*) filter (where its.live)::int as live,
           coalesce(sum(s.views), 0)::int8 as views, coalesce(sum(s.readers), 0)::int8 as readers,
           round((sum(s.depth_sum) / nullif(sum(s.reads), 0))::numeric, 1)::float8 as depth,
           (select count(*) from inf where inf.stage = its.stage and inf.type = its.type)::int as influenced,
           coalesce(max(pipe.pipeline), 0)::float8 as pipeline
    from its
    left join content_item_stats s on s.item_id = its.id
    left join pipe on pipe.stage = its.stage and pipe.type = its.type
    group by its.stage, its.type`;
  type BRow = { stage: string; type: string; items: number; live: number; views: string; readers: string; depth: number | null; influenced: number; pipeline: number };
  const baseline = (segment: string | null) => q<BRow>(baselineSql(segment));

  // Same numbers?
  for (const seg of [null, 'enterprise']) {
    const p = await product(seg ? `?segment=${seg}` : '');
    const bl = new Map((await baseline(seg)).map((r) => [`${r.stage}|${r.type}`, r]));
    let diffs = 0;
    for (const c of p.cells) {
      const r = bl.get(`${c.stage}|${c.type}`);
      const same = r
        ? r.items === c.items && r.live === c.live && Number(r.views) === c.views && Number(r.readers) === c.readers && Math.abs((r.depth ?? -1) - (c.avgDepthPct ?? -1)) < 0.06 && r.influenced === c.influencedContacts && Math.abs(Number(r.pipeline) - c.influencedPipeline) < 0.01
        : c.items === 0;
      if (!same) {
        diffs++;
        console.log('  DIFF', c.stage, c.type, JSON.stringify(c), JSON.stringify(r));
      }
    }
    console.log(`  cells ${seg ? `(segment=${seg}) ` : ''}compared with the baseline: ${diffs ? `${diffs} DIFFER` : 'identical'} (${p.totals.items} items, ${p.totals.gaps} gaps, $${p.totals.influencedPipeline} influenced)`);
  }

  const timeIt = async (fn: () => Promise<unknown>) => {
    const s = performance.now();
    await fn();
    return performance.now() - s;
  };
  const pct = (xs: number[], p: number) => [...xs].sort((a, c) => a - c)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
  for (let i = 0; i < 5; i++) {
    await product('');
    await baseline(null);
  }
  const results: Record<string, number[]> = { product: [], productSeg: [], baseline: [], baselineSeg: [], verb: [], cells: [] };
  for (let i = 0; i < RUNS; i++) {
    results.product!.push(await timeIt(() => product('')));
    results.baseline!.push(await timeIt(() => baseline(null)));
    results.productSeg!.push(await timeIt(() => product('?segment=enterprise')));
    results.baselineSeg!.push(await timeIt(() => baseline('enterprise')));
    results.verb!.push(await timeIt(() => coverageMap({ ctx: { db }, input: {} })));
    results.cells!.push(await timeIt(() => coverageCells(db, {})));
  }
  const line = (label: string, xs: number[]) => console.log(`  ${label.padEnd(52)} p50 ${pct(xs, 50).toFixed(1).padStart(7)} ms   p95 ${pct(xs, 95).toFixed(1).padStart(7)} ms`);
  line('revloop: GET /content/coverage', results.product!);
  line('baseline: one SQL statement, same grid', results.baseline!);
  line('revloop: GET /content/coverage?segment=enterprise', results.productSeg!);
  line('baseline: one SQL statement, segment=enterprise', results.baselineSeg!);
  line('  where the time goes: the verb without HTTP', results.verb!);
  line('  where the time goes: its grid statement alone', results.cells!);

  // For information: the grid straight from the raw rollups (exact distinct readers per cell), a few runs.
  const raw = () =>
    db.execute(sql`
      with its as (select id, stage, type, status in ('published', 'audited') as live from content_items where workspace_id = 1 and status <> 'retired'),
      d as (select item_id, sum(views) as views, sum(reads) as reads, sum(depth_sum) as depth_sum from content_daily group by item_id),
      c as (select its.stage, its.type, count(distinct cc.contact_id) as readers from content_consumption cc join its on its.id = cc.item_id group by 1, 2),
      f as (select distinct its.stage, its.type, cc.contact_id from content_consumption cc join its on its.id = cc.item_id
            join lifecycle_transitions t on t.contact_id = cc.contact_id and t.to_stage in ('sales_ready', 'opportunity', 'customer') and t.occurred_at > cc.first_at),
      p as (select stage, type, sum(amount) as pipeline from (select distinct f.stage, f.type, dl.id, dl.amount from f join deal_contacts dc on dc.contact_id = f.contact_id
            join deals dl on dl.id = dc.deal_id and dl.stage <> 'lost') x group by 1, 2)
      select its.stage, its.type, count(*), count(*) filter (where live), sum(d.views), max(c.readers), sum(d.depth_sum) / nullif(sum(d.reads), 0),
             (select count(distinct contact_id) from f where f.stage = its.stage and f.type = its.type), max(p.pipeline)
      from its left join d on d.item_id = its.id left join c on c.stage = its.stage and c.type = its.type left join p on p.stage = its.stage and p.type = its.type
      group by its.stage, its.type`);
  const rawTimes: number[] = [];
  for (let i = 0; i < 3; i++) rawTimes.push(await timeIt(raw));
  console.log(`  for information: one SQL statement from the raw rollups (no per-item stats)   ${Math.min(...rawTimes).toFixed(0)} ms best of 3`);

  const p95 = pct(results.product!, 95);
  const ratio = p95 / pct(results.baseline!, 95);
  const ratioSeg = pct(results.productSeg!, 95) / pct(results.baselineSeg!, 95);
  console.log(
    `  p95 ${p95.toFixed(1)} ms (target ≤ 300 ms) ${p95 <= 300 ? 'MET' : 'NOT MET'}; ratio ${ratio.toFixed(2)}× the SQL baseline at p95 (target ≤ 1.5×) ${ratio <= 1.5 ? 'MET' : 'NOT MET'}; with a segment filter ${ratioSeg.toFixed(2)}×`,
  );
  console.log(`  load average now: ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  await app.close();
} finally {
  await b.close();
}
