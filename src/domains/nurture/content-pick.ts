// The stage-aware content step: for each contact, the next live content item written for its inferred buying
// stage (contact_buying_stages, from the content domain's consumption; the step's fallback stage when none is
// known), skipping items the contact consumed (content_consumption) or any program already sent it. When the
// stage is exhausted the following stages are tried, in funnel order. One statement per batch.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { CONTENT_STAGES, LIVE_STATUSES } from '../../contracts/content.ts';

export interface PickRequest {
  key: number;
  contactId: number;
  stage: string;
}

export async function pickContent(tx: Queryable, workspaceId: number, reqs: PickRequest[]): Promise<Map<number, { itemId: number; title: string; stage: string } | null>> {
  const out = new Map<number, { itemId: number; title: string; stage: string } | null>();
  if (!reqs.length) return out;
  const order = `{${CONTENT_STAGES.join(',')}}`;
  const { rows } = await tx.execute<{ k: string; id: number | null; title: string | null; stage: string | null }>(sql`
    select s.k::text as k, p.id, p.title, p.stage
    from unnest(${`{${reqs.map((r) => r.key).join(',')}}`}::bigint[], ${`{${reqs.map((r) => r.contactId).join(',')}}`}::bigint[],
      ${`{${reqs.map((r) => r.stage).join(',')}}`}::text[]) as s(k, contact_id, stage)
    left join lateral (
      select i.id, i.title, i.stage from content_items i
      where i.workspace_id = ${workspaceId} and i.status = any(${`{${LIVE_STATUSES.join(',')}}`}::text[])
        and array_position(${order}::text[], i.stage) >= array_position(${order}::text[], s.stage)
        and not exists (select 1 from content_consumption cc where cc.item_id = i.id and cc.contact_id = s.contact_id)
        and not exists (select 1 from nurture_step_runs r where r.contact_id = s.contact_id and r.content_item_id = i.id)
      order by array_position(${order}::text[], i.stage), i.published_at nulls last, i.id
      limit 1
    ) p on true`);
  for (const r of rows) out.set(Number(r.k), r.id === null ? null : { itemId: r.id, title: r.title!, stage: r.stage! });
  return out;
}
