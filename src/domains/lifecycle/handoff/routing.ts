// Who gets a new sales-ready lead: round-robin over the pool, the account owner, or a territory rule; every
// mode falls back to round-robin when it finds nobody. `routedBy` says which rule decided.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { NotFoundError } from '../../../errors.ts';
import { accounts, contacts } from '../../contacts/schema.ts';
import { users } from '../../identity/schema.ts';
import { lifecycleSettings } from '../schema.ts';
import type { HandoffSettings, Territory } from './settings-view.ts';

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

interface RoutingSubject {
  contact: Record<string, unknown> & { properties: Record<string, unknown>; ownerId: number | null };
  account: (Record<string, unknown> & { properties: Record<string, unknown>; ownerId: number | null }) | null;
}

async function loadSubject(tx: Tx, contactId: number): Promise<RoutingSubject> {
  const [contact] = await tx.select().from(contacts).where(eq(contacts.id, contactId));
  if (!contact) throw new NotFoundError('Contact', contactId);
  const account = contact.accountId ? ((await tx.select().from(accounts).where(eq(accounts.id, contact.accountId)))[0] ?? null) : null;
  return { contact: contact as any, account: account as any };
}

/**
 * A territory rule's field: `account.<name>` or `contact.<name>` (a column like country / industry /
 * employeeCount / title, or a custom property key); a bare name looks at the contact, then its account.
 */
export function fieldValue(subject: RoutingSubject, field: string): unknown {
  const pick = (obj: (Record<string, unknown> & { properties: Record<string, unknown> }) | null, name: string): unknown => {
    if (!obj) return undefined;
    const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (camel !== 'properties' && obj[camel] !== undefined && obj[camel] !== null) return obj[camel];
    const p = obj.properties ?? {};
    return p[name] ?? p[camel];
  };
  const [scope, ...rest] = field.split('.');
  if ((scope === 'account' || scope === 'contact') && rest.length) return pick(scope === 'account' ? subject.account : subject.contact, rest.join('.'));
  return pick(subject.contact, field) ?? pick(subject.account, field);
}

const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

export function matches(actual: unknown, op: string, expected: unknown): boolean {
  if (actual === undefined || actual === null || actual === '') return op === 'neq' ? expected != null : false;
  const a = norm(actual);
  switch (op) {
    case 'eq':
      return a === norm(expected) || String(a) === String(norm(expected));
    case 'neq':
      return !(a === norm(expected) || String(a) === String(norm(expected)));
    case 'in':
      return Array.isArray(expected) && expected.some((e) => a === norm(e) || String(a) === String(norm(e)));
    case 'contains':
      return String(a).includes(String(norm(expected)));
    case 'starts_with':
      return String(a).startsWith(String(norm(expected)));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const x = Number(actual);
      const y = Number(expected);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
      return op === 'gt' ? x > y : op === 'gte' ? x >= y : op === 'lt' ? x < y : x <= y;
    }
    default:
      return false;
  }
}

/** Chooses the owner of a new handoff for a contact by the workspace's routing settings. */
export async function routeHandoff(tx: Tx, workspaceId: number, contactId: number, routing: HandoffSettings['routing']): Promise<RouteResult> {
  if (routing.mode === 'account_owner' || routing.mode === 'territory') {
    const subject = await loadSubject(tx, contactId);
    if (routing.mode === 'account_owner') {
      for (const id of [subject.account?.ownerId, subject.contact.ownerId]) {
        if (id != null && (await activeWorkers(tx, [id])).has(id)) return { ownerId: id, routedBy: 'account_owner' };
      }
    } else {
      for (const t of routing.territories as Territory[]) {
        if (!t?.match || !matches(fieldValue(subject, String(t.match.field)), String(t.match.op), t.match.value)) continue;
        if ((await activeWorkers(tx, [t.ownerId])).has(t.ownerId)) return { ownerId: t.ownerId, routedBy: `territory:${t.name}` };
      }
    }
  }
  const ownerId = await nextRoundRobin(tx, workspaceId, routing.pool);
  return ownerId == null ? { ownerId: null, routedBy: 'unassigned' } : { ownerId, routedBy: 'round_robin' };
}
