// bench/analytics: the embedded PostgreSQL the bench runs on, and the generated data. The cluster lives in
// BENCH_DIR when given (kept between runs: contacts, transitions and deals are generated once, events are topped
// up to BENCH_EVENTS, so 1M → 3M → 10M events each generate only what is new), else in a temp dir deleted at the end.
//
// Data (set-based generate_series SQL): 60 campaigns; contacts created over 365 days; events over 365 days (25 %
// with a campaign's utm_campaign, from known contacts; the rest page views without UTM); lifecycle transitions
// (every contact a lead; 30 % MQL, 12 % sales-ready, 7 % sales-accepted, 6 % opportunity, 3 % customer); deals for
// the opportunities (half won), each with its contact.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { connect, type Database } from '../../src/db/client.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { runMigrations } from '../../src/db/migrate.ts';

export interface Cluster {
  database: Database;
  dir: string;
  kept: boolean;
  /** What the data was last rolled up at ({} when never): the full rollup is rebuilt (timed) when it changed. */
  meta: Record<string, unknown>;
  saveMeta(m: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function openCluster(): Promise<Cluster> {
  const kept = Boolean(process.env.BENCH_DIR);
  const dir = process.env.BENCH_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'revloop-bench-analytics-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'revloop_bench' });
  await runMigrations(pg.url);
  const database = connect(pg.url, { max: 4 });
  await database.db.execute(sql`set work_mem = '64MB'`);
  const metaFile = path.join(dir, 'bench-meta.json');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await database.close().catch(() => undefined);
    await pg.stop().catch(() => undefined);
    if (!kept) rmSync(dir, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void close().finally(() => process.exit(130)));
  return {
    database,
    dir,
    kept,
    meta: existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as Record<string, unknown>) : {},
    saveMeta: (m) => writeFileSync(metaFile, JSON.stringify(m)),
    close,
  };
}

const count = async (db: Database['db'], table: string): Promise<number> =>
  Number(((await db.execute(sql.raw(`select count(*)::bigint as n from ${table}`))).rows[0] as { n: string }).n);

/** Generates what is missing for the sizes asked; returns true when anything was added. */
export async function generate(db: Database['db'], sizes: { contacts: number; events: number; deals: number }, log: (...a: unknown[]) => void): Promise<boolean> {
  const t0 = performance.now();
  let added = false;
  if ((await count(db, 'contacts')) === 0) {
    await db.execute(sql`insert into sources (name, write_key_hash, write_key_prefix) values ('bench', 'bench-hash', 'bench')`);
    await db.execute(sql`insert into campaigns (name, utm_campaign, channel) select 'Campaign ' || i, 'bench-' || i, (array['email','paid_search','paid_social','webinar','event','content'])[1 + i % 6] from generate_series(1, 60) i`);
    await db.execute(sql`insert into contacts (email, created_at) select 'c' || i || '@bench.test', now() - (i % 365) * interval '1 day' - (i % 86400) * interval '1 second' from generate_series(1, ${sizes.contacts}) i`);
    // Transitions: lead at creation, then further stages 5–30 days apart for the shares above.
    await db.execute(sql`
      insert into lifecycle_transitions (contact_id, from_stage, to_stage, cause, actor_type, actor_label, occurred_at)
      select c.id, s.from_stage, s.to_stage, 'rule', 'system', 'system', c.created_at + s.k * (5 + c.id % 25) * interval '1 day'
      from contacts c cross join lateral (values (0, null, 'lead', 1.0), (1, 'lead', 'marketing_qualified', 0.30), (2, 'marketing_qualified', 'sales_ready', 0.12),
                                                 (3, 'sales_ready', 'sales_accepted', 0.07), (4, 'sales_accepted', 'opportunity', 0.06), (5, 'opportunity', 'customer', 0.03)) s(k, from_stage, to_stage, share)
      where (hashint8(c.id) & 1023) / 1024.0 < s.share`);
    await db.execute(sql`
      insert into deals (name, amount, stage, created_at, won_at)
      select 'Deal ' || x.id, 1000 + x.id % 20000, case when x.rn % 2 = 0 then 'won' else 'intent' end, x.opp_at, case when x.rn % 2 = 0 then x.opp_at + interval '20 days' end
      from (select lt.contact_id as id, lt.occurred_at as opp_at, row_number() over (order by lt.contact_id) as rn from lifecycle_transitions lt where lt.to_stage = 'opportunity') x
      where x.rn <= ${sizes.deals}`);
    await db.execute(sql`insert into deal_contacts (deal_id, contact_id) select d.id, substr(d.name, 6)::bigint from deals d`);
    log(`generated ${sizes.contacts} contacts, transitions, deals in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    added = true;
  }
  const have = await count(db, 'events');
  if (have < sizes.events) {
    const t1 = performance.now();
    const [{ min, src }] = (await db.execute(sql`select (select min(id) from contacts)::bigint as min, (select min(id) from sources)::int as src`)).rows as { min: number; src: number }[];
    const n = Number(((await db.execute(sql`select count(*)::bigint as n from contacts`)).rows[0] as { n: string }).n);
    // In slices of 1M so each statement stays short.
    for (let from = have + 1; from <= sizes.events; from += 1_000_000) {
      const to = Math.min(sizes.events, from + 999_999);
      await db.execute(sql`
        insert into events (source_id, message_id, type, contact_id, timestamp, received_at, utm_campaign, utm_medium, page_path)
        select ${src}, 'm' || i, 'page', ${min} + (hashint8(i) & 2147483647) % ${n}, ts, ts,
               case when i % 4 = 0 then 'bench-' || (1 + (hashint8(i * 7) & 2147483647) % 60) end, case when i % 4 = 0 then 'cpc' end, '/p' || (i % 500)
        from generate_series(${from}::bigint, ${to}::bigint) i, lateral (select now() - ((hashint8(i * 3) & 2147483647) % (365 * 86400)) * interval '1 second' as ts) x`);
      log(`  events ${to}`);
    }
    log(`generated events ${have} → ${sizes.events} in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    added = true;
  }
  if (added) await db.execute(sql`analyze`);
  return added;
}
