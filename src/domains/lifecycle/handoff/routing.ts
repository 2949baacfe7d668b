// Who gets a new sales-ready lead: round-robin over the pool, the account owner, or a territory rule; every
// mode falls back to round-robin when it finds nobody. `routedBy` says which rule decided.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { LifecycleSettings } from '../../../contracts/lifecycle.ts';
import { NotFoundError } from '../../../errors.ts';
import { accounts } from '../../contacts/schema.ts';
import { users } from '../../identity/schema.ts';
import { matches } from '../match.ts';
import { lifecycleSettings } from '../schema.ts';
import { loadSubjects } from '../subject.ts';

export interface RouteResult {
  ownerId: number | null;
  /** round_robin | account_owner | territory:<name> | unassigned */
  routedBy: string;
}

/** Active (not disabled) users among ids; sales and admins only, since they are the ones who can work the queue. */
async function activeWorkers(tx: Tx, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), isNull(users.disabledAt), inArray(users.role, ['sales', 'admin'])));
  return new Set(rows.map((r) => r.id));
}

/**
 * Next user of the round-robin pool after the one who got the last lead. Concurrency safe: a transaction-level
 * advisory lock per workspace serialises the read-advance-write of the pointer, so two leads opened at once
 * go to two different people. An empty pool means every active sales user (by id).
 */
export async function nextRoundRobin(tx: Tx, workspaceId: number, pool: number[]): Promise<number | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(${HANDOFF_RR_LOCK}, ${workspaceId})`);
  let candidates: number[];
  if (pool.length) {
    const ok = await activeWorkers(tx, pool);
    candidates = [...new Set(pool)].filter((id) => ok.has(id));
  } else {
    const rows = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'sales'), isNull(users.disabledAt)))
      .orderBy(asc(users.id));
    candidates = rows.map((r) => r.id);
  }
  if (!candidates.length) return null;
  const [row] = await tx
    .select({ last: lifecycleSettings.lastRoutedUserId })
    .from(lifecycleSettings)
    .where(eq(lifecycleSettings.workspaceId, workspaceId));
  const last = row?.last ?? null;
  const idx = last == null ? -1 : candidates.indexOf(last);
  // Pointer not in the pool (removed, or first lead): for an id-ordered pool continue after it; else start over.
  let next: number;
  if (idx >= 0) next = candidates[(idx + 1) % candidates.length]!;
  else if (last != null && !pool.length) next = candidates.find((id) => id > last) ?? candidates[0]!;
  else next = candidates[0]!;
  await tx
    .insert(lifecycleSettings)
    .values({ workspaceId, settings: {}, lastRoutedUserId: next })
    .onConflictDoUpdate({ target: lifecycleSettings.workspaceId, set: { lastRoutedUserId: next } });
  return next;
}
/** Advisory lock class for the round-robin pointer (any constant distinct from other advisory locks). */
const HANDOFF_RR_LOCK = 5_001;

async function accountOwnerId(tx: Tx, accountId: number): Promise<number | null> {
  const [a] = await tx.select({ ownerId: accounts.ownerId }).from(accounts).where(eq(accounts.id, accountId));
  return a?.ownerId ?? null;
}

/** Chooses the owner of a new handoff for a contact by the workspace's routing settings. */
export async function routeHandoff(tx: Tx, workspaceId: number, contactId: number, routing: LifecycleSettings['routing']): Promise<RouteResult> {
  if (routing.mode === 'account_owner' || routing.mode === 'territory') {
    const subject = (await loadSubjects(tx, [contactId])).get(contactId);
    if (!subject) throw new NotFoundError('Contact', contactId);
    if (routing.mode === 'account_owner') {
      const accountOwner = subject.accountId ? await accountOwnerId(tx, subject.accountId) : null;
      for (const id of [accountOwner, subject.ownerId]) {
        if (id != null && (await activeWorkers(tx, [id])).has(id)) return { ownerId: id, routedBy: 'account_owner' };
      }
    } else {
      // First matching territory whose owner can still work the queue.
      for (const t of routing.territories) {
        if (!matches(t.match, subject)) continue;
        if ((await activeWorkers(tx, [t.ownerId])).has(t.ownerId)) return { ownerId: t.ownerId, routedBy: `territory:${t.name}` };
      }
    }
  }
  const ownerId = await nextRoundRobin(tx, workspaceId, routing.pool);
  return ownerId == null ? { ownerId: null, routedBy: 'unassigned' } : { ownerId, routedBy: 'round_robin' };
}
