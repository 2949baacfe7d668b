// The coverage map: buying stage × content type, filterable by segment, topic and product, with item counts
// and per-cell performance (views, readers, average read depth, influenced contacts and pipeline) from the
// per-item rollup (./insights-refresh.ts) and the per-cell influence precomputed with it (./coverage-precompute.ts).
// Cells without a live item are gaps. One SQL statement (two when the items changed since the last refresh).
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { CONTENT_STAGES, CONTENT_TYPES, type ContentStage, type ContentType } from '../../contracts/content.ts';
import { CoverageQuery, type Coverage, type CoverageCell } from '../../contracts/content-insights.ts';
import { itemsKeySql, precomputedFacet } from './coverage-precompute.ts';

const WS = 1;

/** The item filter of the coverage map and the audit (alias `i` for content_items). */
export function itemFilter(q: { segment?: string; topic?: string; product?: string; stage?: string; type?: string }): SQL {
  const conds: SQL[] = [sql`i.workspace_id = ${WS}`, sql`i.status <> 'retired'`];
  if (q.segment) conds.push(sql`${q.segment} = any(i.segments)`);
  if (q.topic) conds.push(sql`${q.topic} = any(i.topics)`);
  if (q.product) conds.push(sql`${q.product} = any(i.products)`);
  if (q.stage) conds.push(sql`i.stage = ${q.stage}`);
  if (q.type) conds.push(sql`i.type = ${q.type}`);
  return sql.join(conds, sql` and `);
}

type CellRow = {
  stage: ContentStage;
  type: ContentType;
  items: number;
  live: number;
  views: string | number;
  readers: string | number;
  reads: string | number;
  depth_sum: number | null;
  influenced: number;
  pipeline: string | number | null;
  top: { id: number; title: string; views: number }[] | null;
  /** Distinct deals over every cell, the facets' cache key and the stats' age (the same on each row). */
  total_pipeline: string | number;
  facet_key: string;
  /** The items' version when the influence cells were precomputed (null: never). */
  items_key: string | null;
  refreshed_at: Date | string | null;
};

type Facets = Coverage['facets'];
/**
 * The filter values (every segment, topic and product of any item), cached per process by a key that changes
 * whenever an item is added, removed or edited (count, max id, max updated_at), so most requests run one statement.
 */
let facetCache: { key: string; facets: Facets } | null = null;

async function facetsFor(db: Pick<Db, 'execute'>, key: string | null): Promise<Facets> {
  if (key !== null && facetCache?.key === key) return facetCache.facets;
  const r = await db.execute(sql`
    select coalesce((select array_agg(distinct v order by v) from content_items, unnest(segments) v where workspace_id = ${WS}), '{}') as segments,
           coalesce((select array_agg(distinct v order by v) from content_items, unnest(topics) v where workspace_id = ${WS}), '{}') as topics,
           coalesce((select array_agg(distinct v order by v) from content_items, unnest(products) v where workspace_id = ${WS}), '{}') as products,
           ${itemsKeySql} as facet_key`);
  const f = r.rows[0] as Facets & { facet_key: string };
  const facets = { segments: f.segments ?? [], topics: f.topics ?? [], products: f.products ?? [] };
  facetCache = { key: f.facet_key, facets };
  return facets;
}

/** Live influence per cell: distinct influenced contacts and their distinct open or won deals, from content_influence. */
const liveInfluence = sql`
    fi as materialized (
      -- influenced contacts per cell (a contact counts once per cell), shared by the counts and the pipeline
      select distinct its.stage, its.type, f.contact_id from content_influence f join its on its.id = f.item_id
    ), inf as (
      select stage, type, count(*)::int as influenced from fi group by stage, type
    ), dd as materialized (
      -- their distinct open or won deals per cell
      select distinct fi.stage, fi.type, dl.id, dl.amount
      from fi join deal_contacts dc on dc.contact_id = fi.contact_id
      join deals dl on dl.id = dc.deal_id and dl.stage <> 'lost'
    ), pipe as (
      select stage, type, sum(amount) as pipeline from dd group by stage, type
    ), tot as (
      -- a deal in two cells counts once in the total
      select coalesce(sum(amount), 0) as total_pipeline from (select distinct id, amount from dd) x
    )`;

/** The same figures as precomputed by the last refresh for one filter (./coverage-precompute.ts). */
const precomputedInfluence = (facet: string) => sql`
    pc as (
      select stage, type, influenced, pipeline from content_coverage_cells where workspace_id = ${WS} and facet = ${facet}
    ), inf as (
      select stage, type, influenced from pc where stage <> '*'
    ), pipe as (
      select stage, type, pipeline from pc where stage <> '*'
    ), tot as (
      select coalesce((select pipeline from pc where stage = '*'), 0) as total_pipeline
    )`;

/**
 * The grid rows (only cells with items), computed by one statement. The influence columns come from the cells
 * the last refresh precomputed when the query has at most one filter and the items have not changed since;
 * otherwise (or with `live`) they are counted from content_influence. Exported for the benchmark and the tests.
 */
export async function coverageCells(db: Pick<Db, 'execute'>, q: CoverageQuery, opts: { live?: boolean } = {}): Promise<CellRow[]> {
  const facet = opts.live ? null : precomputedFacet(q);
  if (facet !== null) {
    const rows = await cellsStatement(db, q, precomputedInfluence(facet));
    const fresh = rows.length === 0 || (rows[0]!.items_key !== null && rows[0]!.items_key === rows[0]!.facet_key);
    if (fresh) return rows;
  }
  return cellsStatement(db, q, liveInfluence);
}

async function cellsStatement(db: Pick<Db, 'execute'>, q: CoverageQuery, influence: SQL): Promise<CellRow[]> {
  const where = itemFilter(q);
  const res = await db.execute(sql`
    with its as (
      select i.id, i.title, i.stage, i.type, i.status in ('published', 'audited') as live,
             coalesce(s.views, 0) as views, coalesce(s.readers, 0) as readers, coalesce(s.reads, 0) as reads, coalesce(s.depth_sum, 0) as depth_sum
      from content_items i left join content_item_stats s on s.item_id = i.id
      where ${where}
    ), cells as (
      select stage, type, count(*)::int as items, count(*) filter (where live)::int as live, sum(views) as views, sum(readers) as readers,
             sum(reads) as reads, sum(depth_sum)::float8 as depth_sum
      from its group by stage, type
    ), ${influence}, top as (
      select stage, type, json_agg(json_build_object('id', id, 'title', title, 'views', views) order by views desc, id) as top
      from (select its.*, row_number() over (partition by stage, type order by views desc, id) as n from its) r
      where n <= 3 group by stage, type
    )
    select c.*, coalesce(inf.influenced, 0) as influenced, coalesce(pipe.pipeline, 0) as pipeline, top.top, tot.total_pipeline, meta.*
    from cells c cross join tot
    cross join (
      select ${itemsKeySql} as facet_key,
             (select items_key from content_coverage_state where workspace_id = ${WS}) as items_key,
             (select max(refreshed_at) from content_item_stats where workspace_id = ${WS}) as refreshed_at
    ) meta
    left join inf using (stage, type)
    left join pipe using (stage, type)
    left join top using (stage, type)`);
  return res.rows as CellRow[];
}

function toCell(stage: ContentStage, type: ContentType, r: CellRow | undefined): CoverageCell {
  const reads = Number(r?.reads ?? 0);
  return {
    stage,
    type,
    items: r?.items ?? 0,
    live: r?.live ?? 0,
    views: Number(r?.views ?? 0),
    readers: Number(r?.readers ?? 0),
    avgDepthPct: reads > 0 ? Math.round((Number(r!.depth_sum) / reads) * 10) / 10 : null,
    influencedContacts: r?.influenced ?? 0,
    influencedPipeline: Number(r?.pipeline ?? 0),
    gap: (r?.live ?? 0) === 0,
    top: (r?.top ?? []).map((t) => ({ id: Number(t.id), title: t.title, views: Number(t.views) })),
  };
}

export async function coverageMap({ ctx, input }: { ctx: Pick<Ctx, 'db'>; input: unknown }): Promise<Coverage> {
  const q = CoverageQuery.parse(input ?? {});
  const rows = await coverageCells(ctx.db, q);
  // No row: no item matches the filters; the facets (of all items) are then read without a key.
  const facets = await facetsFor(ctx.db, rows[0]?.facet_key ?? null);
  const refreshedAt = rows.length ? rows[0]!.refreshed_at : (await ctx.db.execute(sql`select max(refreshed_at) as at from content_item_stats where workspace_id = ${WS}`)).rows[0]?.at;
  const byKey = new Map(rows.map((r) => [`${r.stage}|${r.type}`, r]));
  const cells = CONTENT_STAGES.flatMap((stage) => CONTENT_TYPES.map((type) => toCell(stage, type, byKey.get(`${stage}|${type}`))));
  return {
    stages: [...CONTENT_STAGES],
    types: [...CONTENT_TYPES],
    cells,
    totals: {
      items: cells.reduce((a, c) => a + c.items, 0),
      live: cells.reduce((a, c) => a + c.live, 0),
      gaps: cells.filter((c) => c.gap).length,
      views: cells.reduce((a, c) => a + c.views, 0),
      // A deal whose contacts read items of two cells counts in both cells but once in the total.
      influencedPipeline: Number(rows[0]?.total_pipeline ?? 0),
    },
    facets,
    refreshedAt: refreshedAt ? new Date(refreshedAt as string).toISOString() : null,
  };
}
