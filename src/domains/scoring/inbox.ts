// The scoring inbox: an outbox between ingest and the scorer. Whoever ties events to a contact (ingest,
// identity stitching, a merge) adds ONE row listing those events in the same statement or transaction, so
// an acknowledged event is scored even if the process dies right after the commit. A statement trigger
// (migration 0005) NOTIFYs `revloop_scoring` at commit; the scoring worker LISTENs, claims rows with
// FOR UPDATE SKIP LOCKED and deletes them in the transaction that writes the scores.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';

/** The channel the inbox trigger notifies and the scoring worker listens on. */
export const SCORING_CHANNEL = 'revloop_scoring';

/**
 * An INSERT of one inbox row per workspace for the rows of a CTE, to be used as another CTE of the same
 * statement. `cte` must expose id, workspace_id, received_at, contact_id and is_bot (the RETURNING of an
 * insert into or update of events). Bot events and events without a contact are not scored.
 */
export function inboxInsertFrom(cte: string): SQL {
  if (!/^[a-z_]+$/.test(cte)) throw new Error(`inboxInsertFrom: bad CTE name ${cte}`);
  return sql`insert into scoring_inbox (workspace_id, event_ids, received_from, received_to)
    select workspace_id, array_agg(id order by id), min(received_at), max(received_at)
    from ${sql.raw(cte)} where contact_id is not null and not is_bot
    group by workspace_id`;
}

export interface InboxClaim {
  /** Inbox rows claimed (already deleted inside the caller's transaction). */
  rows: number;
  ids: number[];
  eventIds: number[];
  receivedFrom: Date | null;
  receivedTo: Date | null;
}

/**
 * Claims up to `limit` inbox rows, oldest first, skipping rows another worker holds, and deletes them in the
 * caller's transaction: a rollback (crash, error) puts them back untouched.
 */
export async function claimInbox(tx: Queryable, limit: number, exclude: readonly number[] = []): Promise<InboxClaim> {
  const res = await tx.execute(sql`
    with claimed as (
      select id from scoring_inbox ${exclude.length ? sql`where id <> all(${sql.param([...exclude])}::int8[])` : sql``}
      order by id limit ${limit} for update skip locked
    ),
    gone as (delete from scoring_inbox s using claimed c where s.id = c.id returning s.id, s.event_ids, s.received_from, s.received_to)
    select count(*)::int as rows, coalesce((select array_agg(id) from gone), '{}') as ids,
           coalesce((select array_agg(distinct e) from gone, unnest(gone.event_ids) e), '{}') as event_ids,
           min(received_from) as received_from, max(received_to) as received_to
    from gone`);
  const r = res.rows[0] as { rows: number; ids: (string | number)[]; event_ids: (string | number)[]; received_from: Date | string | null; received_to: Date | string | null };
  return {
    rows: r.rows,
    ids: r.ids.map(Number),
    eventIds: r.event_ids.map(Number),
    receivedFrom: r.received_from == null ? null : new Date(r.received_from),
    receivedTo: r.received_to == null ? null : new Date(r.received_to),
  };
}

/** Adds one inbox row for events already stored (tests, tools, re-scoring a contact's history). */
export async function enqueueEvents(db: Queryable, workspaceId: number, eventIds: number[], receivedFrom: Date, receivedTo: Date): Promise<void> {
  if (!eventIds.length) return;
  await db.execute(sql`insert into scoring_inbox (workspace_id, event_ids, received_from, received_to)
    values (${workspaceId}, ${sql.param(eventIds)}::int8[], ${receivedFrom.toISOString()}::timestamptz, ${receivedTo.toISOString()}::timestamptz)`);
}

/** Inbox rows waiting (for the health view and benchmarks). */
export async function inboxDepth(db: Queryable): Promise<number> {
  const res = await db.execute(sql`select count(*)::int as n from scoring_inbox`);
  return (res.rows[0] as { n: number }).n;
}
