// transitionInTx: the one way a contact's lifecycle stage changes. Locks the contact, checks the move against
// the stage graph (./graph.ts), updates contacts.lifecycle_stage, stores the transition (time, cause, actor)
// and the audit row (which the contact timeline shows), all in the caller's transaction. Entering
// sales_ready opens the sales handoff unless the contact's handoff point is self-service.
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { LIFECYCLE_LABELS, type LifecycleStage, type TransitionCause } from '../../contracts/lifecycle.ts';
import { recordAudit } from '../identity/audit.ts';
import { contacts } from '../contacts/schema.ts';
import { handoffs, lifecycleTransitions } from './schema.ts';
import { forbiddenReason, isAllowed } from './graph.ts';
import { getLifecycleSettings, handoffPointFor } from './settings.ts';
import { loadSubjects } from './subject.ts';
import { openHandoff } from './handoff/open.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';

export interface TransitionInput {
  contactId: number;
  toStage: LifecycleStage;
  cause: TransitionCause;
  reason?: string | null;
  details?: Record<string, unknown>;
  /** The time of the move (tests with a simulated clock); now by default. */
  now?: Date;
}

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

const CAUSE_WORDS: Record<TransitionCause, string> = {
  rule: 'by rule',
  manual: 'by hand',
  deal: 'by deal',
  handoff: 'in the handoff queue',
  import: 'by import',
  api: 'by API',
  self_service: 'self-service purchase',
};

export async function transitionInTx(
  tx: Tx,
  actor: Actor,
  input: TransitionInput,
): Promise<{ from: LifecycleStage; to: LifecycleStage; transitionId: number } | null> {
  const [contact] = await tx
    .select({ id: contacts.id, workspaceId: contacts.workspaceId, stage: contacts.lifecycleStage })
    .from(contacts)
    .where(eq(contacts.id, input.contactId))
    .for('update');
  if (!contact) throw new NotFoundError('Contact', input.contactId);
  const from = contact.stage;
  const to = input.toStage;
  if (from === to) return null;
  if (!isAllowed(from, to, input.cause)) throw fieldError('toStage', forbiddenReason(from, to, input.cause));
  const reason = input.reason?.trim() || null;
  if (input.cause === 'manual' && !reason) throw fieldError('reason', 'a manual move needs a reason');
  if (to === 'disqualified' && !reason) throw fieldError('reason', 'disqualifying a contact needs a reason');

  let handoff: { handoffId: number; ownerId: number | null } | null = null;
  let selfService: string | null = null;
  if (to === 'sales_ready') {
    const settings = await getLifecycleSettings(tx, contact.workspaceId);
    const subject = (await loadSubjects(tx, [contact.id])).get(contact.id)!;
    const point = handoffPointFor(settings, subject);
    if (point?.mode === 'self_service') {
      if (input.cause !== 'import' && input.cause !== 'api') {
        throw fieldError('toStage', `the contact's handoff point "${point.name}" is self-service: it skips sales_ready and becomes a customer when it buys`);
      }
      selfService = point.name;
    }
  }

  const now = input.now ?? new Date();
  const details = { ...(input.details ?? {}) };
  await tx.update(contacts).set({ lifecycleStage: to, updatedAt: now }).where(eq(contacts.id, contact.id));
  const [row] = await tx
    .insert(lifecycleTransitions)
    .values({
      workspaceId: contact.workspaceId,
      contactId: contact.id,
      fromStage: from,
      toStage: to,
      cause: input.cause,
      reason,
      details,
      actorType: actor.type,
      actorId: actor.userId,
      actorLabel: actor.label,
      occurredAt: now,
    })
    .returning({ id: lifecycleTransitions.id });
  const transitionId = row!.id;

  // Leaving sales_ready other than through the queue (a deal, the API): the pending handoff is closed, so it
  // does not sit in the queue or breach its SLA for a lead sales already has.
  if (from === 'sales_ready' && input.cause !== 'handoff') {
    await tx
      .update(handoffs)
      .set({ status: to === 'disqualified' ? 'rejected' : to === 'recycled' ? 'recycled' : 'accepted', decidedAt: now, decidedBy: actor.userId, reason: `Contact moved to ${to} (${input.cause})` })
      .where(and(eq(handoffs.contactId, contact.id), eq(handoffs.status, 'pending')));
  }

  if (to === 'sales_ready' && !selfService) {
    handoff = await openHandoff(tx, actor, { contactId: contact.id, why: { transitionId, reason, ...details }, now });
    await tx
      .update(lifecycleTransitions)
      .set({ details: { ...details, handoffId: handoff.handoffId } })
      .where(eq(lifecycleTransitions.id, transitionId));
  }

  await recordAudit(tx, actor, {
    action: 'lifecycle.transition',
    entityType: 'contact',
    entityId: contact.id,
    summary: `Stage ${LIFECYCLE_LABELS[from]} → ${LIFECYCLE_LABELS[to]} (${CAUSE_WORDS[input.cause]})${reason ? `: ${reason}` : ''}`,
    changes: { lifecycleStage: { from, to }, ...(handoff ? { handoffId: { from: null, to: handoff.handoffId } } : {}) },
  });
  const change = { contactId: contact.id, from, to, cause: input.cause, reason, transitionId, actor: actor.label, handoffId: handoff?.handoffId ?? null, at: now.toISOString() };
  await emitWebhookEvent(tx, { type: 'lifecycle.changed', workspaceId: contact.workspaceId, contactId: contact.id, now, data: change });
  if (to === 'sales_ready') await emitWebhookEvent(tx, { type: 'lifecycle.sales_ready', workspaceId: contact.workspaceId, contactId: contact.id, now, data: { ...change, ownerId: handoff?.ownerId ?? null, selfService: selfService !== null } });
  return { from, to, transitionId };
}
