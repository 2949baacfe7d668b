// The rollups derived from the touch rollup and the transitions, kept in the same transaction as them
// (./rollup.ts):
//  - analytics_paths: per contact, its touches' credit keys in order (the Markov model's paths), recomputed for the
//    contacts whose touches changed in this refresh (collected in the temp table analytics_dirty), every contact
//    when the campaigns changed (the keys resolve UTM codes to campaigns and channels) or on a full rebuild;
//  - analytics_path_edges: the Markov transition counts of those paths per first / last touch month, kept with them
//    (the old path's counts subtracted, the new path's added: equal to a count over every path at all times);
//  - analytics_spans: per transition the stage entered and when it was left (the next transition), recomputed for
//    the contacts with new transitions, every contact when transitions vanished or on a full rebuild.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { campaignsKeySql, keyExpr, PATH_SEP, touchScope } from './keys.ts';
import { resolvedTouches } from './query.ts';

const WS = 1;

/** Temp tables of the contacts whose touches (analytics_dirty) / transitions (analytics_dirty_spans) changed. */
export async function createDirtyTables(tx: Queryable): Promise<void> {
  await tx.execute(sql`create temp table if not exists analytics_dirty (contact_id bigint primary key) on commit drop`);
  await tx.execute(sql`create temp table if not exists analytics_dirty_spans (contact_id bigint primary key) on commit drop`);
}

/** Contacts named by a query (one column contact_id) become dirty. */
export function markDirty(select: ReturnType<typeof sql>, table: 'analytics_dirty' | 'analytics_dirty_spans' = 'analytics_dirty') {
  return sql`insert into ${sql.raw(table)} (contact_id) select distinct d.contact_id from (${select}) d where d.contact_id is not null on conflict do nothing`;
}

/**
 * The Markov transition counts of a set of path rows (`src`: first_at, last_at and the three path columns), one
 * row per (kind, first month, last month, from, to) with `sign` × how many: from '' is the start, to '' the end.
 */
function pathEdges(src: SQL, sign: 1 | -1): SQL {
  return sql`
    select k.kind as path_kind, date_trunc('month', s.first_at, 'UTC') as first_month, date_trunc('month', s.last_at, 'UTC') as last_month,
           case when i = 1 then '' else k.a[i - 1] end as from_state, coalesce(k.a[i], '') as to_state, ${sign}::int * count(*)::int as n
    from ${src} s
    cross join lateral (values ('campaign', string_to_array(s.campaign_path, ${PATH_SEP})), ('channel', string_to_array(s.channel_path, ${PATH_SEP})),
                               ('content', string_to_array(s.content_path, ${PATH_SEP}))) k(kind, a)
    cross join lateral generate_series(1, cardinality(k.a) + 1) i
    where k.a is not null and (i = 1 or i > cardinality(k.a) or k.a[i] <> k.a[i - 1])
    group by 1, 2, 3, 4, 5`;
}

export async function refreshPaths(tx: Queryable, opts: { all: boolean }): Promise<{ paths: number; rebuilt: boolean }> {
  const [st] = (await tx.execute(sql`select campaigns_key, ${campaignsKeySql} as now_key,
      not exists (select 1 from analytics_path_edges where workspace_id = ${WS}) and exists (select 1 from analytics_paths where workspace_id = ${WS}) as edges_missing
      from analytics_state where workspace_id = ${WS}`)).rows as { campaigns_key: string | null; now_key: string; edges_missing: boolean }[];
  const all = opts.all || st!.campaigns_key !== st!.now_key || st!.edges_missing;
  const order = sql`order by t.occurred_at, t.source_key`;
  const select = (scope: SQL) => sql`
    select ${WS}, t.contact_id, min(t.occurred_at), max(t.occurred_at),
           string_agg(${keyExpr('campaign')}, ${PATH_SEP} ${order}), string_agg(${keyExpr('channel')}, ${PATH_SEP} ${order}),
           string_agg(${keyExpr('content')}, ${PATH_SEP} ${order}) filter (where ${touchScope('content')})
    from ${resolvedTouches('rollup')} t where ${scope} group by t.contact_id`;
  const insertPaths = sql`insert into analytics_paths (workspace_id, contact_id, first_at, last_at, campaign_path, channel_path, content_path)`;
  let paths: number;
  if (all) {
    await tx.execute(sql`delete from analytics_paths where workspace_id = ${WS}`);
    await tx.execute(sql`delete from analytics_path_edges where workspace_id = ${WS}`);
    paths = (await tx.execute(sql`${insertPaths} ${select(sql`true`)}`)).rowCount ?? 0;
    await tx.execute(sql`insert into analytics_path_edges (workspace_id, path_kind, first_month, last_month, from_state, to_state, n)
      select ${WS}, e.* from (${pathEdges(sql`(select * from analytics_paths where workspace_id = ${WS})`, 1)}) e`);
  } else {
    // The dirty contacts' old paths leave their edges' counts, their new paths add theirs.
    await tx.execute(sql`create temp table if not exists analytics_edge_delta (path_kind text, first_month timestamptz, last_month timestamptz, from_state text, to_state text, n int) on commit drop`);
    await tx.execute(sql`with old as (delete from analytics_paths p using analytics_dirty d where p.workspace_id = ${WS} and p.contact_id = d.contact_id returning p.*)
      insert into analytics_edge_delta ${pathEdges(sql`old`, -1)}`);
    const [r] = (await tx.execute(sql`with new as (${insertPaths} ${select(sql`t.contact_id in (select contact_id from analytics_dirty)`)} returning *),
      d as (insert into analytics_edge_delta ${pathEdges(sql`new`, 1)})
      select count(*)::int as n from new`)).rows as { n: number }[];
    paths = r!.n;
    await tx.execute(sql`insert into analytics_path_edges (workspace_id, path_kind, first_month, last_month, from_state, to_state, n)
      select ${WS}, path_kind, first_month, last_month, from_state, to_state, sum(n)::int from analytics_edge_delta group by 2, 3, 4, 5, 6 having sum(n) <> 0
      on conflict (workspace_id, path_kind, first_month, last_month, from_state, to_state) do update set n = analytics_path_edges.n + excluded.n`);
    await tx.execute(sql`delete from analytics_path_edges where workspace_id = ${WS} and n = 0`);
    await tx.execute(sql`truncate analytics_edge_delta`);
  }
  await tx.execute(sql`update analytics_state set campaigns_key = ${st!.now_key} where workspace_id = ${WS}`);
  return { paths, rebuilt: all };
}

export async function refreshSpans(tx: Queryable, opts: { all: boolean; sinceTransition: number }): Promise<number> {
  if (!opts.all) {
    await tx.execute(markDirty(sql`select contact_id from lifecycle_transitions where workspace_id = ${WS} and id > ${opts.sinceTransition}`, 'analytics_dirty_spans'));
  }
  const scope = opts.all ? sql`true` : sql`lt.contact_id in (select contact_id from analytics_dirty_spans)`;
  if (opts.all) await tx.execute(sql`delete from analytics_spans where workspace_id = ${WS}`);
  else await tx.execute(sql`delete from analytics_spans s using analytics_dirty_spans d where s.workspace_id = ${WS} and s.contact_id = d.contact_id`);
  const ins = await tx.execute(sql`
    insert into analytics_spans (workspace_id, transition_id, contact_id, stage, entered_at, left_at)
    select ${WS}, lt.id, lt.contact_id, lt.to_stage, lt.occurred_at, lead(lt.occurred_at) over (partition by lt.contact_id order by lt.occurred_at, lt.id)
    from lifecycle_transitions lt where lt.workspace_id = ${WS} and ${scope}`);
  return ins.rowCount ?? 0;
}

/** Nurture rows of the contacts whose transitions or touches changed (all: every contact); after refreshPaths. */
export async function refreshNurture(tx: Queryable, opts: { all: boolean }): Promise<number> {
  // Never built (the table came after the other rollups): build it all.
  const [st] = (await tx.execute(sql`select not exists (select 1 from analytics_nurture where workspace_id = ${WS})
      and exists (select 1 from lifecycle_transitions where workspace_id = ${WS} and to_stage = 'sales_ready') as missing`)).rows as { missing: boolean }[];
  const all = opts.all || st!.missing;
  const dirty = sql`(select contact_id from analytics_dirty union select contact_id from analytics_dirty_spans)`;
  if (all) await tx.execute(sql`delete from analytics_nurture where workspace_id = ${WS}`);
  else await tx.execute(sql`delete from analytics_nurture n where n.workspace_id = ${WS} and n.contact_id in ${dirty}`);
  const ins = await tx.execute(sql`
    insert into analytics_nurture (workspace_id, contact_id, sales_ready_at, started_at)
    select ${WS}, sr.contact_id, sr.at, least(c.created_at, coalesce(p.first_at, c.created_at))
    from (select lt.contact_id, min(lt.occurred_at) as at from lifecycle_transitions lt
          where lt.workspace_id = ${WS} and lt.to_stage = 'sales_ready' and ${all ? sql`true` : sql`lt.contact_id in ${dirty}`} group by lt.contact_id) sr
    join contacts c on c.id = sr.contact_id
    left join analytics_paths p on p.workspace_id = ${WS} and p.contact_id = sr.contact_id`);
  return ins.rowCount ?? 0;
}
