// Funnel breakdown: the stage figures (entries, conversion, yield, velocity) once per value of a dimension —
// segment, campaign, channel, product or owner — for the values of the contacts with stage changes in the window
// (the top 12 by those contacts). Each value is the view's filters plus that value as a filter (the same
// condition as ?segmentId= / campaignId= / channel= / product= / ownerId=), read from the transitions.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { FunnelBreakdown, FunnelQuery, FunnelReport } from '../../contracts/analytics.ts';
import { CHANNEL_LABELS, type CampaignChannel } from '../../contracts/plan.ts';
import { stageMetrics } from './funnel-stages.ts';
import { and, contactFilters, resolvedTouches, windowOf, WS } from './query.ts';

export const BREAKDOWN_VALUES = 12;

function valuesQuery(dim: FunnelBreakdown, active: SQL, touchSrc: 'rollup' | 'raw'): SQL {
  const top = sql`group by 1, 2 order by n desc, 2 limit ${BREAKDOWN_VALUES}`;
  switch (dim) {
    case 'segment':
      return sql`select s.id::text as value, s.name as label, count(distinct a.contact_id)::int as n
                 from ${active} a join segment_members sm on sm.contact_id = a.contact_id join segments s on s.id = sm.segment_id ${top}`;
    case 'product':
      return sql`select c.properties->>'product' as value, c.properties->>'product' as label, count(*)::int as n
                 from ${active} a join contacts c on c.id = a.contact_id where c.properties->>'product' is not null ${top}`;
    case 'owner':
      return sql`select u.id::text as value, u.name as label, count(*)::int as n
                 from ${active} a join contacts c on c.id = a.contact_id join users u on u.id = c.owner_id ${top}`;
    case 'campaign':
      return sql`select cm.id::text as value, cm.name as label, count(distinct a.contact_id)::int as n
                 from ${active} a join ${resolvedTouches(touchSrc)} t on t.contact_id = a.contact_id join campaigns cm on cm.id = t.cid and cm.workspace_id = ${WS} ${top}`;
    case 'channel':
      return sql`select t.ch as value, t.ch as label, count(distinct a.contact_id)::int as n
                 from ${active} a join ${resolvedTouches(touchSrc)} t on t.contact_id = a.contact_id where t.ch is not null ${top}`;
  }
}

function asFilter(dim: FunnelBreakdown, value: string): Partial<FunnelQuery> {
  if (dim === 'segment') return { segmentId: Number(value) };
  if (dim === 'campaign') return { campaignId: Number(value) };
  if (dim === 'owner') return { ownerId: Number(value) };
  if (dim === 'product') return { product: value };
  return { channel: value };
}

export async function funnelBreakdown(db: Queryable, q: FunnelQuery, dim: FunnelBreakdown, touchSrc: 'rollup' | 'raw'): Promise<NonNullable<FunnelReport['breakdown']>> {
  if (dim === 'segment' && !(await db.execute(sql`select to_regclass('segment_members') is not null as ok`)).rows[0]?.ok) return { dimension: dim, rows: [] };
  const w = windowOf(q);
  const base = and(await contactFilters(db, q, sql`lt.contact_id`, touchSrc));
  const active = sql`(select distinct lt.contact_id from lifecycle_transitions lt
                      where lt.workspace_id = ${WS} and lt.occurred_at >= ${w.start} and lt.occurred_at < ${w.end} and ${base})`;
  const values = (await db.execute(valuesQuery(dim, active, touchSrc))).rows as { value: string; label: string; n: number }[];
  const rows: NonNullable<FunnelReport['breakdown']>['rows'] = [];
  for (const v of values) {
    const filter = and(await contactFilters(db, { ...q, ...asFilter(dim, v.value) }, sql`lt.contact_id`, touchSrc));
    const { stages } = await stageMetrics(db, q, 'raw', filter, false);
    const label = dim === 'channel' ? (CHANNEL_LABELS[v.value as CampaignChannel] ?? v.value) : v.label;
    rows.push({ value: v.value, label, stages });
  }
  return { dimension: dim, rows };
}
