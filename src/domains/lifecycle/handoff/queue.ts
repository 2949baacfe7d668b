// The sales handoff queue, read side: pending leads most urgent first (then decided ones newest first),
// with the owner, the contact and the why.
import { aliasedTable, and, count, eq, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../../context.ts';
import type { Queryable } from '../../../db/client.ts';
import { NotFoundError, ValidationError } from '../../../errors.ts';
import { HandoffListQuery, HandoffWhy, type Handoff, type HandoffPage } from '../../../contracts/handoff.ts';
import { accounts, contacts } from '../../contacts/schema.ts';
import { users } from '../../identity/schema.ts';
import { handoffs } from '../schema.ts';
import { contactLabel } from './open.ts';

const owner = aliasedTable(users, 'owner');
const decider = aliasedTable(users, 'decider');

function selectHandoffs(db: Queryable) {
  return db
    .select({ h: handoffs, c: contacts, accountName: accounts.name, owner, decider })
    .from(handoffs)
    .innerJoin(contacts, eq(contacts.id, handoffs.contactId))
    .leftJoin(accounts, eq(accounts.id, contacts.accountId))
    .leftJoin(owner, eq(owner.id, handoffs.ownerId))
    .leftJoin(decider, eq(decider.id, handoffs.decidedBy));
}
type Row = Awaited<ReturnType<ReturnType<typeof selectHandoffs>['where']>>[number];

const ref = (u: { id: number; name: string; email: string } | null) => (u ? { id: u.id, name: u.name, email: u.email } : null);

/** The stored why, as the contract shapes it; a malformed part (hand-edited row, older shape) is dropped, never a 500. */
function whyOf(raw: Record<string, unknown> | null): Handoff['why'] {
  const parsed = HandoffWhy.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const { consumedContent: _c, fieldNotes: _f, ...rest } = raw ?? {};
  return { ...rest, consumedContent: [], fieldNotes: [] };
}

function toDto(r: Row, now: Date): Handoff {
  const { h, c } = r;
  return {
    id: h.id,
    status: h.status,
    contact: { id: c.id, email: c.email, name: contactLabel(c), title: c.title, accountName: r.accountName ?? null, lifecycleStage: c.lifecycleStage },
    owner: ref(r.owner),
    routedBy: h.routedBy,
    why: whyOf(h.why),
    dueAt: h.dueAt?.toISOString() ?? null,
    breachedAt: h.breachedAt?.toISOString() ?? null,
    overdue: h.status === 'pending' && (h.breachedAt !== null || (h.dueAt !== null && h.dueAt.getTime() <= now.getTime())),
    decidedAt: h.decidedAt?.toISOString() ?? null,
    decidedBy: ref(r.decider),
    followUpDueAt: h.followUpDueAt?.toISOString() ?? null,
    followUpBreachedAt: h.followUpBreachedAt?.toISOString() ?? null,
    reason: h.reason,
    createdAt: h.createdAt.toISOString(),
  };
}

export async function getHandoff(db: Queryable, id: number, now = new Date()): Promise<Handoff> {
  const [row] = await selectHandoffs(db).where(eq(handoffs.id, id));
  if (!row) throw new NotFoundError('Handoff', id);
  return toDto(row, now);
}

// Keyset cursor: pending leads sort by (due time, id) ascending; others by id descending.
function encodeCursor(h: Row['h'], pendingOrder: boolean): string {
  return Buffer.from(pendingOrder ? `p|${(h.dueAt ?? h.createdAt).toISOString()}|${h.id}` : `d|${h.id}`).toString('base64url');
}
function decodeCursor(cursor: string, pendingOrder: boolean): SQL {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const bad = () => new ValidationError('cursor: is not a cursor returned by this list', [{ field: 'cursor', message: 'invalid cursor' }]);
  if (pendingOrder) {
    const ts = new Date(parts[1] ?? '');
    const id = Number(parts[2]);
    if (parts[0] !== 'p' || Number.isNaN(ts.getTime()) || !Number.isSafeInteger(id)) throw bad();
    return sql`(coalesce(${handoffs.dueAt}, ${handoffs.createdAt}), ${handoffs.id}) > (${ts.toISOString()}::timestamptz, ${id})`;
  }
  const id = Number(parts[1]);
  if (parts[0] !== 'd' || !Number.isSafeInteger(id)) throw bad();
  return lt(handoffs.id, id);
}

export async function listHandoffs({ ctx, input, now = new Date() }: { ctx: Pick<Ctx, 'db' | 'actor'>; input: unknown; now?: Date }): Promise<HandoffPage> {
  const q = HandoffListQuery.parse(input);
  const me = ctx.actor.userId;
  const conds: SQL[] = [eq(handoffs.workspaceId, 1)];
  if (q.status) conds.push(eq(handoffs.status, q.status));
  if (q.owner === 'me') conds.push(me == null ? sql`false` : eq(handoffs.ownerId, me));
  else if (q.owner === 'unassigned') conds.push(isNull(handoffs.ownerId));
  else if (typeof q.owner === 'number') conds.push(eq(handoffs.ownerId, q.owner));
  if (q.breached === true) conds.push(isNotNull(handoffs.breachedAt));
  if (q.breached === false) conds.push(isNull(handoffs.breachedAt));
  if (q.contactId) conds.push(eq(handoffs.contactId, q.contactId));
  const pendingOrder = q.status === 'pending';
  if (q.cursor) conds.push(decodeCursor(q.cursor, pendingOrder));
  const rows = await selectHandoffs(ctx.db)
    .where(and(...conds))
    .orderBy(...(pendingOrder ? [sql`coalesce(${handoffs.dueAt}, ${handoffs.createdAt})`, handoffs.id] : [sql`${handoffs.id} desc`]))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const [counts] = await ctx.db
    .select({
      pending: count(),
      pendingMine: me == null ? sql<number>`0` : sql<number>`count(*) filter (where ${handoffs.ownerId} = ${me})`,
      breached: sql<number>`count(*) filter (where ${handoffs.breachedAt} is not null)`,
    })
    .from(handoffs)
    .where(and(eq(handoffs.workspaceId, 1), eq(handoffs.status, 'pending')));
  return {
    items: items.map((r) => toDto(r, now)),
    nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1]!.h, pendingOrder) : null,
    counts: { pending: Number(counts?.pending ?? 0), pendingMine: Number(counts?.pendingMine ?? 0), breached: Number(counts?.breached ?? 0) },
  };
}
