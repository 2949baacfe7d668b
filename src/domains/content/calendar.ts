// The editorial calendar: items placed on their publish date (planned or actual) and on the due date of their next
// workflow step, between two dates (at most 62 days: a month or a week view). Dragging calls rescheduleItem.
import { and, between, eq, inArray, or } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { CalendarQuery } from '../../contracts/content.ts';
import { users } from '../identity/schema.ts';
import { isOverdue, todayUtc, WS } from './items-dto.ts';
import { contentItems } from './schema.ts';

export async function calendar({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const q = CalendarQuery.parse(input ?? {});
  const rows = await ctx.db
    .select()
    .from(contentItems)
    .where(and(eq(contentItems.workspaceId, WS), or(between(contentItems.publishDate, q.from, q.to), between(contentItems.dueDate, q.from, q.to))));
  const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((x): x is number => x !== null))];
  const owners = new Map(
    ownerIds.length ? (await ctx.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ownerIds))).map((u) => [u.id, u.name]) : [],
  );
  const today = todayUtc();
  const entries = [];
  for (const r of rows) {
    if (r.status === 'retired') continue;
    const base = { itemId: r.id, title: r.title, status: r.status, stage: r.stage, type: r.type, overdue: isOverdue(r, today), owner: r.ownerId ? (owners.get(r.ownerId) ?? null) : null };
    if (r.publishDate && r.publishDate >= q.from && r.publishDate <= q.to) entries.push({ ...base, kind: 'publish' as const, date: r.publishDate });
    if (r.dueDate && r.dueDate >= q.from && r.dueDate <= q.to) entries.push({ ...base, kind: 'due' as const, date: r.dueDate });
  }
  entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.itemId - b.itemId));
  return { entries };
}
