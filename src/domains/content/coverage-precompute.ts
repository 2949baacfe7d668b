// The coverage map's per-cell influence (content_coverage_cells), recomputed inside the insights refresh's
// transaction right after content_influence: for the unfiltered map and each single segment / topic / product
// value, the distinct influenced contacts per stage × type cell and the pipeline of their distinct open or won
// deals, plus each filter's total ('*' cell: a deal shared by cells counts once). The map reads these rows
// instead of counting distinct contacts and deals at request time, as long as the items have not changed since
// (content_coverage_state.items_key); otherwise it computes them live (./coverage.ts).
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

const WS = 1;
type Tx = Pick<Db, 'execute'>;

/** The items' version: count | max id | max updated_at (also the map's facet-cache key). */
export const itemsKeySql = sql`(select count(*) || '|' || coalesce(max(id), 0) || '|' || coalesce(max(updated_at)::text, '') from content_items where workspace_id = ${WS})`;

/** The facet of a coverage query when the precomputed cells can answer it ('' = no filter), else null. */
export function precomputedFacet(q: { segment?: string; topic?: string; product?: string }): string | null {
  const set = (['segment', 'topic', 'product'] as const).filter((k) => q[k] !== undefined);
  if (set.length === 0) return '';
  if (set.length > 1) return null;
  return `${set[0]}:${q[set[0]!]}`;
}

export async function precomputeCoverageCells(tx: Tx, now: string): Promise<number> {
  await tx.execute(sql`delete from content_coverage_cells where workspace_id = ${WS}`);
  const res = await tx.execute(sql`
    insert into content_coverage_cells (workspace_id, facet, stage, type, influenced, pipeline)
    with its as (
      select id, stage, type, segments, topics, products from content_items where workspace_id = ${WS} and status <> 'retired'
    ), fk as (
      select id, stage, type, '' as facet from its
      union all select id, stage, type, 'segment:' || v from its, unnest(segments) v
      union all select id, stage, type, 'topic:' || v from its, unnest(topics) v
      union all select id, stage, type, 'product:' || v from its, unnest(products) v
    ), fi as materialized (
      select distinct fk.facet, fk.stage, fk.type, f.contact_id from content_influence f join fk on fk.id = f.item_id
      where f.workspace_id = ${WS}
    ), dd as materialized (
      select distinct fi.facet, fi.stage, fi.type, dl.id, dl.amount
      from fi join deal_contacts dc on dc.contact_id = fi.contact_id
      join deals dl on dl.id = dc.deal_id and dl.stage <> 'lost'
    ), inf as (
      select facet, stage, type, count(*)::int as influenced from fi group by facet, stage, type
    ), pipe as (
      select facet, stage, type, sum(amount) as pipeline from dd group by facet, stage, type
    ), tot as (
      select facet, sum(amount) as pipeline from (select distinct facet, id, amount from dd) x group by facet
    )
    select ${WS}::int, inf.facet, inf.stage, inf.type, inf.influenced, coalesce(pipe.pipeline, 0)
    from inf left join pipe using (facet, stage, type)
    union all
    select ${WS}::int, facet, '*', '*', 0, pipeline from tot`);
  await tx.execute(sql`
    insert into content_coverage_state (workspace_id, items_key, refreshed_at) values (${WS}, ${itemsKeySql}, ${now}::timestamptz)
    on conflict (workspace_id) do update set items_key = excluded.items_key, refreshed_at = excluded.refreshed_at`);
  return res.rowCount ?? 0;
}
