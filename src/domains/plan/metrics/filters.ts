// SQL fragments that apply a KPI's filters to the contacts a metric counts. The segment filter is the market
// domain's segmentMemberFilter (current members, kept up to date as data changes); the campaign filter keeps contacts touched by the campaign (a
// tracked, non-bot event whose utm_campaign is its code, any case); the product filter keeps contacts whose `product`
// property is that product (deals carry no product; the analytics domain's filters read the same property).
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../../db/client.ts';
import type { KpiFilters } from '../../../contracts/objectives.ts';
import { ValidationError } from '../../../errors.ts';
import { segmentMemberFilter } from '../../market/membership.ts';
import { segments } from '../../market/schema.ts';

const WS = 1;

/** `<contactCol> in (...)` for each filter given (a true fragment when none). */
export async function contactFilterSql(db: Queryable, contactCol: SQL, filters: KpiFilters): Promise<SQL> {
  const parts: SQL[] = [sql`true`];
  if (filters.segmentId !== undefined) {
    await assertSegment(db, filters.segmentId);
    parts.push(segmentMemberFilter(filters.segmentId, contactCol));
  }
  if (filters.campaignId !== undefined) {
    const code = await campaignCode(db, filters.campaignId);
    parts.push(sql`${contactCol} in (select e.contact_id from events e where e.workspace_id = ${WS} and e.utm_campaign is not null and lower(e.utm_campaign) = ${code} and not e.is_bot and e.contact_id is not null)`);
  }
  if (filters.product !== undefined) {
    // The product a contact is interested in: its `product` property (as the analytics filters read it).
    parts.push(sql`${contactCol} in (select pc.id from contacts pc where pc.workspace_id = ${WS} and pc.properties->>'product' = ${filters.product})`);
  }
  return sql.join(parts, sql` and `);
}

async function campaignCode(db: Queryable, id: number): Promise<string> {
  const res = await db.execute(sql`select utm_campaign from campaigns where workspace_id = ${WS} and id = ${id}`);
  const row = res.rows[0] as { utm_campaign: string } | undefined;
  if (!row) throw new ValidationError(`filters.campaignId: campaign ${id} does not exist`, [{ field: 'filters.campaignId', message: `campaign ${id} does not exist` }]);
  return row.utm_campaign;
}

async function assertSegment(db: Queryable, id: number): Promise<void> {
  const [row] = await db.select({ id: segments.id }).from(segments).where(and(eq(segments.workspaceId, WS), eq(segments.id, id)));
  if (!row) throw new ValidationError(`filters.segmentId: segment ${id} does not exist`, [{ field: 'filters.segmentId', message: `segment ${id} does not exist` }]);
}

/** Checks that the filters' segment and campaign exist (called when a KPI is saved). */
export async function checkFilterRefs(db: Queryable, filters: KpiFilters): Promise<void> {
  if (filters.segmentId !== undefined) await assertSegment(db, filters.segmentId);
  if (filters.campaignId !== undefined) await campaignCode(db, filters.campaignId);
}

/** [from 00:00 UTC, the day after `to` 00:00 UTC) as timestamptz bounds. */
export function bounds(from: string, to: string): { start: string; end: string } {
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
  return { start: `${from}T00:00:00Z`, end };
}
