// Content item rows → API shape (owner, URLs, SMEs, overdue flag), and the small helpers the item verbs share.
import { asc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { WORKFLOW_STEPS, type ContentItem, type ContentStatus } from '../../contracts/content.ts';
import { ValidationError } from '../../errors.ts';
import { users } from '../identity/schema.ts';
import { contentItemSmes, contentItems, contentSmes, contentUrls } from './schema.ts';

export const WS = 1;
export type ItemRow = typeof contentItems.$inferSelect;

export function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

/** Position of a status in the workflow (retired: after everything). */
export function stepIndex(s: ContentStatus): number {
  const i = (WORKFLOW_STEPS as readonly string[]).indexOf(s);
  return i < 0 ? WORKFLOW_STEPS.length : i;
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Overdue: the due date is past while the item is still before its due step (no due step: before published),
 * or the publish date is past while the item is not yet published. Retired items are never overdue.
 */
export function isOverdue(r: Pick<ItemRow, 'status' | 'dueDate' | 'dueStatus' | 'publishDate'>, today = todayUtc()): boolean {
  if (r.status === 'retired') return false;
  const at = stepIndex(r.status);
  if (r.dueDate && r.dueDate < today && at < stepIndex(r.dueStatus ?? 'published')) return true;
  return !!(r.publishDate && r.publishDate < today && at < stepIndex('published'));
}

export async function toItemDtos(db: Queryable, rows: ItemRow[]): Promise<ContentItem[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((x): x is number => x !== null))];
  const [owners, urls, smes] = await Promise.all([
    ownerIds.length ? db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ownerIds)) : [],
    db.select().from(contentUrls).where(inArray(contentUrls.itemId, ids)).orderBy(asc(contentUrls.id)),
    db
      .select({ itemId: contentItemSmes.itemId, id: contentSmes.id, name: contentSmes.name, role: contentItemSmes.role })
      .from(contentItemSmes)
      .innerJoin(contentSmes, eq(contentSmes.id, contentItemSmes.smeId))
      .where(inArray(contentItemSmes.itemId, ids))
      .orderBy(asc(contentSmes.name)),
  ]);
  const ownerMap = new Map(owners.map((o) => [o.id, o]));
  const today = todayUtc();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    summary: r.summary,
    type: r.type,
    format: r.format,
    stage: r.stage,
    status: r.status,
    topics: r.topics,
    segments: r.segments,
    products: r.products,
    owner: r.ownerId === null ? null : (ownerMap.get(r.ownerId) ?? null),
    targetReader: r.targetReader,
    researchNotes: r.researchNotes,
    dueDate: r.dueDate,
    dueStatus: r.dueStatus,
    publishDate: r.publishDate,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    externalId: r.externalId,
    overdue: isOverdue(r, today),
    urls: urls
      .filter((u) => u.itemId === r.id)
      .map((u) => ({ id: u.id, url: u.url, normalized: u.normalized, kind: u.kind, canonical: u.canonical })),
    smes: smes.filter((s) => s.itemId === r.id).map((s) => ({ id: s.id, name: s.name, role: s.role })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}
