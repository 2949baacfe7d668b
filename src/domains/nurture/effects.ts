// The steps with side effects, each written inside the executor's transaction (so it happens exactly when
// the step run commits): email through E (idempotency key nurture:<enrolment>:<seq>), content email, contact
// property, lifecycle stage (transitionInTx, cause rule: the graph decides, e.g. lead → marketing_qualified),
// owner notification, webhook event (nurture.step, to the step's endpoint or to every subscriber).
import type { Actor } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import type { Step } from '../../contracts/nurture.ts';
import type { LifecycleStage } from '../../contracts/lifecycle.ts';
import { isAllowed } from '../lifecycle/graph.ts';
import { transitionInTx } from '../lifecycle/transition.ts';
import { notify } from '../identity/notifications.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';
import type { EnqueueArgs, SendOutcome } from './email-adapter.ts';
import type { ContactFacts } from './facts.ts';
import type { ClaimedEnrolment } from './engine.ts';

export function programActor(programId: number): Actor {
  return { type: 'system', id: null, label: `nurture program ${programId}`, role: 'admin', userId: null };
}

type Pick = { itemId: number; title: string; stage: string } | null | undefined;

/**
 * What a send_email / send_content step asks E for (the executor sends a whole batch's at once), and how E's
 * answer becomes the step's outcome; or, with no content left for the contact, the outcome itself.
 */
export function emailRequest(a: { enrolment: ClaimedEnrolment; step: Extract<Step, { type: 'send_email' | 'send_content' }>; seq: number; facts: ContactFacts | undefined; pick: Pick }): { args: EnqueueArgs; outcome: (r: SendOutcome) => Record<string, unknown> } | { done: Record<string, unknown> } {
  const { enrolment: e, step, facts, pick } = a;
  const args: EnqueueArgs = { workspaceId: e.workspaceId, contactId: e.contactId, templateId: step.templateId, topicKey: step.topicKey, idempotencyKey: `nurture:${e.id}:${a.seq}`, programId: String(e.programId), stepId: step.id };
  const sent = (r: SendOutcome) => ({ email: r.status, messageId: r.messageId, ...(r.error ? { error: r.error } : {}) });
  if (step.type === 'send_email') return { args, outcome: sent };
  if (!pick) return { done: { email: 'skipped', reason: 'no unread live content for the contact’s stage or later', stage: facts?.buyingStage ?? step.fallbackStage } };
  return {
    args: { ...args, contentItemId: pick.itemId },
    outcome: (r) => ({ ...sent(r), contentItemId: pick.itemId, title: pick.title, stage: pick.stage, contactStage: facts?.buyingStage ?? null }),
  };
}

export async function runSideEffect(
  tx: Tx,
  // Email steps and property updates are not here: the executor batches them (emailRequest + sendEmails, one UPDATE per key/value).
  a: { enrolment: ClaimedEnrolment; step: Exclude<Step, { type: 'send_email' | 'send_content' | 'update_property' }>; seq: number; facts: ContactFacts | undefined; now: Date },
): Promise<Record<string, unknown>> {
  const { enrolment: e, step, facts, now } = a;
  switch (step.type) {
    case 'update_stage': {
      const from = (facts?.stage ?? 'subscriber') as LifecycleStage;
      if (from === step.stage) return { stage: step.stage, moved: false, reason: 'already there' };
      if (!isAllowed(from, step.stage, 'rule')) return { stage: step.stage, moved: false, reason: `${from} → ${step.stage} is not a move programs may make` };
      const r = await transitionInTx(tx, programActor(e.programId), { contactId: e.contactId, toStage: step.stage, cause: 'rule', reason: step.reason ?? `Nurture program ${e.programId}, step ${step.id}`, details: { programId: e.programId, enrolmentId: e.id, stepId: step.id }, now });
      if (facts && r) facts.stage = r.to;
      return { stage: step.stage, moved: r !== null, from };
    }
    case 'notify_owner': {
      const n = await notify(tx, {
        workspaceId: e.workspaceId,
        userIds: [facts?.ownerId],
        kind: 'nurture.step',
        title: step.message,
        body: `${facts?.email ?? `contact ${e.contactId}`} — nurture program step "${step.label ?? step.id}"`,
        link: `/contacts/${e.contactId}`,
      });
      return { notified: n, ownerId: facts?.ownerId ?? null };
    }
    case 'webhook': {
      const n = await emitWebhookEvent(tx, {
        type: 'nurture.step',
        workspaceId: e.workspaceId,
        contactId: e.contactId,
        now,
        ...(step.endpointId ? { target: step.endpointId } : {}),
        data: { programId: e.programId, version: e.version, enrolmentId: e.id, stepId: step.id, seq: a.seq, note: step.note ?? null, contactId: e.contactId, email: facts?.email ?? null, at: now.toISOString() },
      });
      if (!step.endpointId) return { deliveries: n };
      return n ? { deliveries: n, endpointId: step.endpointId } : { deliveries: 0, endpointId: step.endpointId, skipped: 'the webhook endpoint is disabled or was deleted' };
    }
    default:
      return {};
  }
}
