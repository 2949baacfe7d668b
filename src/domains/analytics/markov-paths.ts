// The paths of the data-driven (Markov) model that did not convert: every filtered contact touched in the window
// (lookback included) who is on none of the window's deals, as (path, how many contacts). From the path rollup
// (analytics_paths: one row per contact whose touches all lie in the window; touches read only for the contacts
// straddling its edges) when it is current, else from the touches.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { AttributionQuery } from '../../contracts/analytics.ts';
import { campaignsKeySql, keyExpr, PATH_SEP, touchScope } from './keys.ts';
import { and, contactFilters, resolvedTouches, windowOf, WS } from './query.ts';
import { dealWindow } from './attribution.ts';

export interface PathCount {
  path: string;
  n: number;
}

/** The path rollup can serve: built, and built with the campaigns as they are now. */
async function pathsCurrent(db: Queryable): Promise<boolean> {
  const r = await db.execute(sql`select coalesce((select campaigns_key from analytics_state where workspace_id = ${WS}) = ${campaignsKeySql}, false) as ok`);
  return Boolean((r.rows[0] as { ok: boolean }).ok);
}

const PATH_COLUMN = { campaign: 'campaign_path', channel: 'channel_path', content: 'content_path' } as const;

export async function nonConvertingPaths(db: Queryable, q: AttributionQuery, source: 'rollup' | 'raw', dealFilters: SQL[], lookback: SQL): Promise<PathCount[]> {
  const w = windowOf(q);
  const lo = sql`(${w.start} - ${lookback})`;
  const hi = w.end;
  const key = keyExpr(q.groupBy);
  const fromTouches = async (contacts: SQL) => sql`
    select string_agg(${key}, ${PATH_SEP} order by t.occurred_at, t.source_key) as path
    from ${resolvedTouches(source)} t
    where t.occurred_at >= ${lo} and t.occurred_at < ${hi} and ${touchScope(q.groupBy)} and ${and(await contactFilters(db, q, sql`t.contact_id`, source))}
      and ${contacts} and not exists (select 1 from conv where conv.contact_id = t.contact_id)
    group by t.contact_id`;
  const conv = sql`dl as ${dealWindow(q, dealFilters)}, conv as (select distinct dc.contact_id from dl join deal_contacts dc on dc.deal_id = dl.id)`;

  let p: SQL;
  if (source === 'rollup' && (await pathsCurrent(db))) {
    const col = sql.raw(`p.${PATH_COLUMN[q.groupBy]}`);
    const inside = sql`p.first_at >= ${lo} and p.last_at < ${hi}`;
    p = sql`
      select ${col} as path from analytics_paths p
      where p.workspace_id = ${WS} and ${inside} and ${col} is not null and ${and(await contactFilters(db, q, sql`p.contact_id`, source))}
        and not exists (select 1 from conv where conv.contact_id = p.contact_id)
      union all
      ${await fromTouches(sql`t.contact_id in (select p.contact_id from analytics_paths p where p.workspace_id = ${WS} and p.last_at >= ${lo} and p.first_at < ${hi} and not (${inside}))`)}`;
  } else {
    p = await fromTouches(sql`true`);
  }
  const res = await db.execute(sql`with ${conv}, p as (${p}) select path, count(*)::int as n from p group by path`);
  return res.rows as unknown as PathCount[];
}
