// Recomputes the content insights rollup in ONE transaction: content_influence (who read an item and later
// became sales-ready / opportunity / customer) and content_item_stats (views, readers, depth, stage fit,
// ratings, influence per item). Set-based SQL over content_daily, content_consumption, contact buying
// stages, ratings, lifecycle_transitions and deals; run by the `content.insights.refresh` job every 5 minutes
// and on demand (POST /content/insights/refresh). Then the coverage map's per-cell influence (./coverage-precompute.ts). A transaction-level advisory lock keeps two refreshes
// from interleaving; readers keep seeing the previous figures until it commits.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { CONTENT_STAGES } from '../../contracts/content.ts';
import { precomputeCoverageCells } from './coverage-precompute.ts';

const WS = 1;
const LOCK_KEY = 0x636f_7631; // "cov1"
/** Stages that count as influenced, most advanced last. */
export const INFLUENCE_STAGES = ['sales_ready', 'opportunity', 'customer'] as const;

const stageArray = sql.raw(`array[${CONTENT_STAGES.map((s) => `'${s}'`).join(',')}]::text[]`);

export interface RefreshResult {
  items: number;
  influenced: number;
  ms: number;
}

export async function refreshContentInsights(db: Db, opts: { now?: Date } = {}): Promise<RefreshResult> {
  const t0 = performance.now();
  const now = (opts.now ?? new Date()).toISOString();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    await tx.execute(sql`delete from content_influence where workspace_id = ${WS}`);
    const inf = await tx.execute(sql`
      insert into content_influence (item_id, contact_id, workspace_id, reached_stage, reached_at, first_read_at)
      select distinct on (c.item_id, c.contact_id) c.item_id, c.contact_id, ${WS}, t.to_stage, t.occurred_at, c.first_at
      from lifecycle_transitions t
      join content_consumption c on c.contact_id = t.contact_id and c.workspace_id = ${WS} and t.occurred_at > c.first_at
      where t.workspace_id = ${WS} and t.to_stage in ('sales_ready', 'opportunity', 'customer')
      order by c.item_id, c.contact_id, array_position(array['sales_ready','opportunity','customer']::text[], t.to_stage) desc, t.occurred_at`);
    const stats = await tx.execute(sql`
      insert into content_item_stats as s (item_id, workspace_id, views, anonymous_views, readers, reads, depth_sum, active_seconds, views_90d,
        last_viewed_at, stage_known_readers, stage_fit_readers, ratings, rating_sum, influenced_contacts, influenced_pipeline, refreshed_at)
      select i.id, i.workspace_id, coalesce(d.views, 0), coalesce(d.anon, 0), coalesce(c.readers, 0), coalesce(d.reads, 0), coalesce(d.depth_sum, 0),
             coalesce(d.active, 0), coalesce(d.views90, 0), greatest(c.last_at, d.last_day::timestamptz), coalesce(c.known, 0), coalesce(c.fit, 0),
             coalesce(r.n, 0), coalesce(r.total, 0), coalesce(f.n, 0), coalesce(p.pipeline, 0), ${now}::timestamptz
      from content_items i
      left join (
        select item_id, sum(views) as views, sum(anonymous_views) as anon, sum(reads) as reads, sum(depth_sum) as depth_sum, sum(active_seconds) as active,
               sum(views) filter (where day > (${now}::timestamptz - interval '90 days')::date) as views90, max(day) as last_day
        from content_daily where workspace_id = ${WS} group by item_id
      ) d on d.item_id = i.id
      left join (
        select c.item_id, count(*) as readers, max(c.last_at) as last_at, count(b.stage) as known,
               count(*) filter (where abs(array_position(${stageArray}, b.stage) - array_position(${stageArray}, ci.stage)) <= 1) as fit
        from content_consumption c
        join content_items ci on ci.id = c.item_id
        left join contact_buying_stages b on b.contact_id = c.contact_id
        where c.workspace_id = ${WS}
        group by c.item_id
      ) c on c.item_id = i.id
      left join (select item_id, count(*) as n, sum(rating) as total from content_ratings where workspace_id = ${WS} group by item_id) r on r.item_id = i.id
      left join (select item_id, count(*) as n from content_influence where workspace_id = ${WS} group by item_id) f on f.item_id = i.id
      left join (
        select item_id, sum(amount) as pipeline from (
          select distinct f.item_id, dl.id, dl.amount
          from content_influence f
          join deal_contacts dc on dc.contact_id = f.contact_id
          join deals dl on dl.id = dc.deal_id and dl.stage <> 'lost'
          where f.workspace_id = ${WS}
        ) x group by item_id
      ) p on p.item_id = i.id
      where i.workspace_id = ${WS}
      on conflict (item_id) do update set views = excluded.views, anonymous_views = excluded.anonymous_views, readers = excluded.readers,
        reads = excluded.reads, depth_sum = excluded.depth_sum, active_seconds = excluded.active_seconds, views_90d = excluded.views_90d,
        last_viewed_at = excluded.last_viewed_at, stage_known_readers = excluded.stage_known_readers, stage_fit_readers = excluded.stage_fit_readers,
        ratings = excluded.ratings, rating_sum = excluded.rating_sum, influenced_contacts = excluded.influenced_contacts,
        influenced_pipeline = excluded.influenced_pipeline, refreshed_at = excluded.refreshed_at`);
    await precomputeCoverageCells(tx, now);
    return { items: stats.rowCount ?? 0, influenced: inf.rowCount ?? 0, ms: performance.now() - t0 };
  });
}

/** When the stats were last recomputed (null: never). */
export async function statsRefreshedAt(db: Pick<Db, 'execute'>): Promise<string | null> {
  const r = await db.execute(sql`select max(refreshed_at) as at from content_item_stats where workspace_id = ${WS}`);
  const at = (r.rows[0] as { at: Date | string | null } | undefined)?.at;
  return at ? new Date(at).toISOString() : null;
}
