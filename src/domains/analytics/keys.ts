// The credit key of a touch (SQL over resolvedTouches `t`): a campaign (or its UTM code), a content item, or a
// channel. Shared by attribution and the path rollup, so both build the same Markov states.
import { sql, type SQL } from 'drizzle-orm';

export type GroupBy = 'campaign' | 'content' | 'channel';

export function keyExpr(groupBy: GroupBy): SQL {
  if (groupBy === 'content') return sql`('content:' || t.content_item_id)`;
  if (groupBy === 'channel') return sql`('channel:' || t.ch)`;
  return sql`(case when t.cid is not null then 'campaign:' || t.cid when t.utm_campaign is not null then 'utm:' || t.utm_campaign
                   when t.kind = 'content' then 'content' else 'kind:' || t.kind end)`;
}

export function touchScope(groupBy: GroupBy): SQL {
  // Content: reads and email clicks of messages carrying a content item.
  return groupBy === 'content' ? sql`t.content_item_id is not null` : sql`true`;
}

/** Separator of the states in a stored path. */
export const PATH_SEP = '\u0001';

/** Fingerprint of what the keys resolve with (every campaign's id, UTM code and channel). */
export const campaignsKeySql = sql`(select md5(coalesce(string_agg(id || ':' || coalesce(utm_campaign, '') || ':' || coalesce(channel, ''), ',' order by id), '')) from campaigns)`;
