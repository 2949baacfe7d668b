// The editorial workflow: idea → research → sme_interview → draft → review → scheduled → published → audited
// (+ retired). A move goes one step forward, any number of steps back, to retired, or (retired) back to idea.
// Skipping review — draft straight to scheduled / published — needs content:publish (admins). Other skips are
// refused for everyone. Every move writes a history row and an audit row in one transaction.
import { eq } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { TransitionInput, WORKFLOW_STEPS, type ContentItem, type ContentStatus } from '../../contracts/content.ts';
import { ConflictError, ForbiddenError } from '../../errors.ts';
import { recordAudit } from '../identity/audit.ts';
import { can } from '../identity/permissions.ts';
import type { Role } from '../identity/schema.ts';
import { requestBuyingStageRefresh } from '../scoring/stage-refresh.ts';
import { requestContentRematch } from './consumption-jobs.ts';
import { fieldError, stepIndex, todayUtc, WS } from './items-dto.ts';
import { getItem, loadItemRow } from './items.ts';
import { invalidateMatcherCache } from './match.ts';
import { contentItems, contentWorkflowHistory } from './schema.ts';

export type MoveCheck = { ok: true; skippedReview: boolean } | { ok: false; reason: string; forbidden?: boolean };

/** Whether `role` may move an item from `from` to `to` (pure; the verb and the UI use it). */
export function checkMove(from: ContentStatus, to: ContentStatus, role: Role): MoveCheck {
  if (from === to) return { ok: false, reason: `the item is already ${to}` };
  if (to === 'retired') return { ok: true, skippedReview: false };
  if (from === 'retired') return to === 'idea' || to === 'draft' ? { ok: true, skippedReview: false } : { ok: false, reason: 'a retired item comes back as an idea or a draft' };
  const a = stepIndex(from);
  const b = stepIndex(to);
  if (b < a || b === a + 1) return { ok: true, skippedReview: false };
  const skipsReview = a <= stepIndex('draft') && b > stepIndex('review');
  if (from === 'draft' && (to === 'scheduled' || to === 'published')) {
    if (!can(role, 'content:publish')) return { ok: false, forbidden: true, reason: `skipping review (draft → ${to}) needs the content:publish permission (admins)` };
    return { ok: true, skippedReview: true };
  }
  if (from === 'review' && to === 'published') return { ok: true, skippedReview: false }; // reviewed: publish now
  if (from === 'scheduled' && to === 'audited') return { ok: false, reason: 'publish the item before auditing it' };
  return { ok: false, reason: `${from} → ${to} skips ${WORKFLOW_STEPS.slice(a + 1, b).join(', ')}${skipsReview ? ' (including review)' : ''}; move one step at a time` };
}

export async function transitionItem({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<ContentItem> {
  const data = TransitionInput.parse(input);
  let liveChanged = false;
  await withTransaction(ctx, async (tx) => {
    const before = await loadItemRow(tx, id, true);
    const check = checkMove(before.status, data.to, ctx.actor.role);
    if (!check.ok) {
      if (check.forbidden) throw new ForbiddenError(check.reason);
      throw before.status === data.to ? new ConflictError(check.reason) : fieldError('to', check.reason);
    }
    const set: Partial<typeof contentItems.$inferInsert> = { status: data.to, updatedAt: new Date() };
    if (data.to === 'published' && !before.publishedAt) {
      set.publishedAt = new Date();
      if (!before.publishDate || before.publishDate > todayUtc()) set.publishDate = todayUtc();
    }
    if (data.to === 'scheduled' && !before.publishDate) throw fieldError('publishDate', 'set a publish date before scheduling the item');
    // The due step reached: the due date is done with.
    if (before.dueStatus && stepIndex(data.to) >= stepIndex(before.dueStatus) && data.to !== 'retired') {
      set.dueDate = null;
      set.dueStatus = null;
    }
    liveChanged = data.to === 'retired' || before.status === 'retired';
    await tx.update(contentItems).set(set).where(eq(contentItems.id, id));
    await tx.insert(contentWorkflowHistory).values({
      workspaceId: WS,
      itemId: id,
      fromStatus: before.status,
      toStatus: data.to,
      note: data.note ?? null,
      skippedReview: check.skippedReview,
      actorId: ctx.actor.userId,
      actorLabel: ctx.actor.label,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'content_item.transitioned',
      entityType: 'content_item',
      entityId: id,
      summary: `Moved "${before.title}" ${before.status} → ${data.to}${check.skippedReview ? ' (review skipped)' : ''}${data.note ? `: ${data.note}` : ''}`,
      changes: { status: { from: before.status, to: data.to }, ...(check.skippedReview ? { skippedReview: { from: null, to: true } } : {}) },
    });
  });
  // Retired items stop matching pages (and come back when un-retired).
  if (liveChanged) invalidateMatcherCache();
  if (liveChanged) await Promise.all([requestContentRematch(ctx), requestBuyingStageRefresh(ctx)]);
  return getItem(ctx.db, id);
}
