// In-app notifications (the bell in the header): written by other domains inside their own transaction with
// notify(), read and marked read by their recipient only.
import { and, count, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { NotFoundError, UnauthorizedError } from '../../errors.ts';
import { notifications, users } from './schema.ts';

export interface NotifyInput {
  workspaceId?: number;
  userIds: (number | null | undefined)[];
  kind: string;
  title: string;
  body?: string | null;
  link?: string | null;
}

/** One notification per distinct recipient (nulls skipped); returns how many were written. */
export async function notify(tx: Queryable, input: NotifyInput): Promise<number> {
  const ids = [...new Set(input.userIds.filter((x): x is number => typeof x === 'number'))];
  if (!ids.length) return 0;
  await tx.insert(notifications).values(
    ids.map((userId) => ({ workspaceId: input.workspaceId ?? 1, userId, kind: input.kind, title: input.title, body: input.body ?? null, link: input.link ?? null })),
  );
  return ids.length;
}

/** Active admins (the managers of the sales team) — recipients of escalations such as SLA breaches. */
export async function managerIds(db: Queryable): Promise<number[]> {
  const rows = await db.select({ id: users.id }).from(users).where(and(eq(users.role, 'admin'), isNull(users.disabledAt)));
  return rows.map((r) => r.id);
}

function me(ctx: Ctx): number {
  if (ctx.actor.userId == null) throw new UnauthorizedError('Notifications belong to a user; this API key has no user');
  return ctx.actor.userId;
}

export function toNotificationDto(n: typeof notifications.$inferSelect) {
  return { id: n.id, kind: n.kind, title: n.title, body: n.body, link: n.link, readAt: n.readAt?.toISOString() ?? null, createdAt: n.createdAt.toISOString() };
}

export async function listNotifications({ ctx, input }: { ctx: Ctx; input: { unread?: boolean; limit: number; cursor?: string } }) {
  const userId = me(ctx);
  const conds = [eq(notifications.userId, userId)];
  if (input.unread) conds.push(isNull(notifications.readAt));
  const before = input.cursor ? Number(input.cursor) : NaN;
  if (Number.isSafeInteger(before) && before > 0) conds.push(lt(notifications.id, before));
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(and(...conds))
    .orderBy(desc(notifications.id))
    .limit(input.limit + 1);
  const [unread] = await ctx.db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  const items = rows.slice(0, input.limit).map(toNotificationDto);
  return { items, unread: Number(unread?.n ?? 0), nextCursor: rows.length > input.limit ? String(items[items.length - 1]!.id) : null };
}

export async function markNotificationRead({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const userId = me(ctx);
  const [row] = await ctx.db.select().from(notifications).where(and(eq(notifications.id, input.id), eq(notifications.userId, userId)));
  // Someone else's notification is as unknown as a missing one.
  if (!row) throw new NotFoundError('Notification', input.id);
  if (row.readAt) return toNotificationDto(row);
  const [updated] = await ctx.db.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, input.id)).returning();
  return toNotificationDto(updated!);
}

export async function markAllNotificationsRead({ ctx }: { ctx: Ctx }) {
  const userId = me(ctx);
  const rows = await ctx.db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { marked: rows.length };
}

/** Unread count per user, for tests and the bell. */
export async function unreadCount(db: Queryable, userIds: number[]) {
  if (!userIds.length) return new Map<number, number>();
  const rows = await db
    .select({ userId: notifications.userId, n: count() })
    .from(notifications)
    .where(and(inArray(notifications.userId, userIds), isNull(notifications.readAt)))
    .groupBy(notifications.userId);
  return new Map(rows.map((r) => [r.userId, Number(r.n)]));
}
