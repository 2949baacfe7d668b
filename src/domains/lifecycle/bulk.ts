// Stage changes made in bulk outside transitionInTx (a contact CSV import that maps a stage column): the
// caller changes contacts.lifecycle_stage set-based and records here, in the same transaction, one
// transition per contact whose stage actually changed, so history, time in stage and conversion stay exact.
import type pg from 'pg';
import type { Actor } from '../../context.ts';
import type { LifecycleStage, TransitionCause } from '../../contracts/lifecycle.ts';

export interface BulkStageChange {
  contactId: number;
  from: LifecycleStage | null;
  to: LifecycleStage;
}

export async function recordBulkTransitions(
  client: pg.ClientBase,
  actor: Actor,
  changes: BulkStageChange[],
  opts: { cause: TransitionCause; reason: string; details?: Record<string, unknown>; workspaceId?: number },
): Promise<number> {
  if (changes.length === 0) return 0;
  const res = await client.query(
    `insert into lifecycle_transitions (workspace_id, contact_id, from_stage, to_stage, cause, reason, details, actor_type, actor_id, actor_label)
     select $1, c, f, t, $2, $3, $4::jsonb, $5, $6, $7
     from unnest($8::int8[], $9::text[], $10::text[]) as u(c, f, t)`,
    [
      opts.workspaceId ?? 1,
      opts.cause,
      opts.reason,
      JSON.stringify(opts.details ?? {}),
      actor.type,
      actor.userId,
      actor.label,
      changes.map((c) => c.contactId),
      changes.map((c) => c.from),
      changes.map((c) => c.to),
    ],
  );
  return res.rowCount ?? 0;
}
