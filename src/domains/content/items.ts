// Content items: create, change, delete, reschedule (calendar drag). Each write is one transaction with its audit
// row; URL rule changes queue the consumption rematch (past views re-attributed) and the buying-stage refresh.
import { and, eq, inArray } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable, Tx } from '../../db/client.ts';
import { ContentItemInput, ContentItemPatch, RescheduleInput, type ContentItem } from '../../contracts/content.ts';
import { ForbiddenError, NotFoundError } from '../../errors.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { can } from '../identity/permissions.ts';
import { users } from '../identity/schema.ts';
import { requestBuyingStageRefresh } from '../scoring/stage-refresh.ts';
import { requestContentRematch } from './consumption-jobs.ts';
import { fieldError, stepIndex, toItemDtos, WS, type ItemRow } from './items-dto.ts';
import { invalidateMatcherCache } from './match.ts';
import { contentItemSmes, contentItems, contentSmes, contentWorkflowHistory } from './schema.ts';
import { replaceItemUrls } from './urls.ts';

const AUDITED = ['title', 'summary', 'type', 'format', 'stage', 'topics', 'segments', 'products', 'ownerId', 'targetReader', 'researchNotes', 'dueDate', 'dueStatus', 'publishDate', 'externalId'] as const;

function pick(r: Partial<ItemRow>): Record<string, unknown> {
  return Object.fromEntries(AUDITED.map((k) => [k, r[k] ?? null]));
}

export async function checkOwner(db: Queryable, ownerId: number | null | undefined, field = 'ownerId'): Promise<void> {
  if (ownerId == null) return;
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, ownerId));
  if (!u) throw fieldError(field, `user ${ownerId} does not exist`);
}

export async function setItemSmes(tx: Tx, itemId: number, smes: readonly { smeId: number; role: string }[], field = 'smes'): Promise<void> {
  const ids = [...new Set(smes.map((s) => s.smeId))];
  if (ids.length) {
    const found = new Set((await tx.select({ id: contentSmes.id }).from(contentSmes).where(and(inArray(contentSmes.id, ids), eq(contentSmes.workspaceId, WS)))).map((r) => r.id));
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw fieldError(field, `SME ${missing} does not exist`);
  }
  await tx.delete(contentItemSmes).where(eq(contentItemSmes.itemId, itemId));
  const seen = new Set<number>();
  const rows = smes.filter((s) => !seen.has(s.smeId) && seen.add(s.smeId)).map((s) => ({ itemId, smeId: s.smeId, role: s.role }));
  if (rows.length) await tx.insert(contentItemSmes).values(rows);
}

export async function loadItemRow(db: Queryable, id: number, lock = false): Promise<ItemRow> {
  const q = db.select().from(contentItems).where(and(eq(contentItems.id, id), eq(contentItems.workspaceId, WS)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFoundError('Content item', id);
  return row;
}

export async function getItem(db: Queryable, id: number): Promise<ContentItem> {
  return (await toItemDtos(db, [await loadItemRow(db, id)]))[0]!;
}

/** Creates an item (status idea unless given; scheduled / published / audited at creation needs content:publish). */
export async function createItem({ ctx, input, tx: outer }: { ctx: Ctx; input: unknown; tx?: Tx }): Promise<ContentItem> {
  const data = ContentItemInput.parse(input);
  if (stepIndex(data.status) > stepIndex('review') && data.status !== 'retired' && !can(ctx.actor.role, 'content:publish'))
    throw new ForbiddenError(`Creating an item as ${data.status} skips review: only roles with content:publish (admins) may do that`);
  const run = async (tx: Tx) => {
    await checkOwner(tx, data.ownerId);
    const { urls, smes, status, ...fields } = data;
    const [row] = await tx
      .insert(contentItems)
      .values({ workspaceId: WS, ...fields, status, publishedAt: status === 'published' || status === 'audited' ? new Date() : null, createdBy: ctx.actor.userId })
      .returning();
    const item = row!;
    await replaceItemUrls(tx, item.id, urls);
    await setItemSmes(tx, item.id, smes);
    await tx.insert(contentWorkflowHistory).values({ workspaceId: WS, itemId: item.id, fromStatus: null, toStatus: status, note: 'created', actorId: ctx.actor.userId, actorLabel: ctx.actor.label });
    await recordAudit(tx, ctx.actor, {
      action: 'content_item.created',
      entityType: 'content_item',
      entityId: item.id,
      summary: `Created content item "${item.title}" (${item.stage}, ${item.type}, ${item.status})`,
      changes: diffFields({}, { ...pick(item), status, urls: urls.map((u) => u.url) }),
    });
    return item;
  };
  const row = outer ? await run(outer) : await withTransaction(ctx, run);
  if (!outer && data.urls.length) await Promise.all([requestContentRematch(ctx), requestBuyingStageRefresh(ctx)]);
  return getItem(outer ?? ctx.db, row.id);
}

/** Changes fields of an item; `urls` / `smes` replace the lists. The workflow status changes through transitionItem. */
export async function updateItem({ ctx, id, input, tx: outer }: { ctx: Ctx; id: number; input: unknown; tx?: Tx }): Promise<ContentItem> {
  const data = ContentItemPatch.parse(input);
  let rematch = false;
  const run = async (tx: Tx) => {
    const before = await loadItemRow(tx, id, true);
    if (data.ownerId !== undefined) await checkOwner(tx, data.ownerId);
    const { urls, smes, ...fields } = data;
    const set: Partial<ItemRow> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) (set as Record<string, unknown>)[k] = v;
    const changes: Record<string, unknown> = diffFields(pick(before), { ...pick(before), ...set });
    if (urls) {
      const old = (await toItemDtos(tx, [before]))[0]!.urls.map((u) => `${u.kind} ${u.normalized}`).sort();
      const next = (await replaceItemUrls(tx, id, urls)).map((u) => `${u.kind} ${u.normalized}`).sort();
      if (JSON.stringify(old) !== JSON.stringify(next)) {
        changes.urls = { from: old, to: next };
        rematch = true;
      }
    }
    if (smes) {
      await setItemSmes(tx, id, smes);
      changes.smes = { to: smes.map((s) => s.smeId) };
    }
    if ('stage' in changes) rematch = true;
    if (!Object.keys(changes).length) return;
    await tx.update(contentItems).set({ ...set, updatedAt: new Date() }).where(eq(contentItems.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'content_item.updated',
      entityType: 'content_item',
      entityId: id,
      summary: `Changed content item "${set.title ?? before.title}": ${Object.keys(changes).join(', ')}`,
      changes,
    });
  };
  if (outer) await run(outer);
  else await withTransaction(ctx, run);
  if (rematch) invalidateMatcherCache();
  if (!outer && rematch) await Promise.all([requestContentRematch(ctx), requestBuyingStageRefresh(ctx)]);
  return getItem(outer ?? ctx.db, id);
}

/** Calendar drag: moves the publish date (or the due date) of an item. */
export async function rescheduleItem({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<ContentItem> {
  const data = RescheduleInput.parse(input);
  const before = await loadItemRow(ctx.db, id);
  if (data.field === 'publish' && (before.status === 'published' || before.status === 'audited'))
    throw fieldError('date', 'the item is already published; change its publish date in the item form if the record is wrong');
  return updateItem({ ctx, id, input: data.field === 'publish' ? { publishDate: data.date } : { dueDate: data.date } });
}

export async function deleteItem({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const before = await loadItemRow(tx, id, true);
    await tx.delete(contentItems).where(eq(contentItems.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'content_item.deleted',
      entityType: 'content_item',
      entityId: id,
      summary: `Deleted content item "${before.title}"`,
      changes: diffFields(pick(before), pick({})),
    });
  });
  invalidateMatcherCache();
  await requestBuyingStageRefresh(ctx);
}
