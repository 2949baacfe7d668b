// The market domain's segment membership, behind one small adapter (S builds it in parallel): entry by
// segment and the in_segment condition go through here.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';

/** Contacts of contactIds that are members of the segment. */
export async function segmentMembersAmong(tx: Queryable, segmentId: number, contactIds: number[]): Promise<Set<number>> {
  if (!contactIds.length) return new Set();
  const { rows } = await tx.execute<{ id: string }>(sql`
    select contact_id::text as id from segment_members
    where segment_id = ${segmentId} and contact_id = any(${sql.raw(`'{${contactIds.join(',')}}'`)}::bigint[])`);
  return new Set(rows.map((r) => Number(r.id)));
}

/** A SQL condition on a contacts.id column expression: the contact is in the segment. */
export function inSegmentSql(segmentId: number, contactIdExpr: SQL): SQL {
  return sql`${contactIdExpr} in (select sm.contact_id from segment_members sm where sm.segment_id = ${segmentId})`;
}
