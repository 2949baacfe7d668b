// openHandoff: a contact became sales-ready and goes to sales. Called by the lifecycle transition (B's
// transitionInTx) inside its transaction: routes the lead to an owner, sets the SLA deadline and notifies
// the owner in-app, all in the caller's transaction.
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../../context.ts';
import type { Tx } from '../../../db/client.ts';
import { NotFoundError } from '../../../errors.ts';
import { contacts } from '../../contacts/schema.ts';
import { recordAudit } from '../../identity/audit.ts';
import { notify } from '../../identity/notifications.ts';
import { handoffs } from '../schema.ts';
import { routeHandoff } from './routing.ts';
import { getLifecycleSettings } from '../settings.ts';
import { consumedContent, fieldNotes, scoreWhy } from './why.ts';

const HOUR = 3_600_000;

export function contactLabel(c: { firstName: string | null; lastName: string | null; email: string }): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return name || c.email;
}

/**
 * Opens the pending handoff of a contact (one per contact at a time: if one is already pending it is
 * returned unchanged). `why` is what the caller knows (scores, definition version); consumed content and
 * field notes are added here. `now` is for tests with a simulated clock.
 */
export async function openHandoff(
  tx: Tx,
  actor: Actor,
  input: { contactId: number; why?: Record<string, unknown>; now?: Date },
): Promise<{ handoffId: number; ownerId: number | null }> {
  const [contact] = await tx.select().from(contacts).where(eq(contacts.id, input.contactId));
  if (!contact) throw new NotFoundError('Contact', input.contactId);
  const [existing] = await tx
    .select({ id: handoffs.id, ownerId: handoffs.ownerId })
    .from(handoffs)
    .where(and(eq(handoffs.contactId, contact.id), eq(handoffs.status, 'pending')));
  if (existing) return { handoffId: existing.id, ownerId: existing.ownerId };

  const settings = await getLifecycleSettings(tx, contact.workspaceId);
  const route = await routeHandoff(tx, contact.workspaceId, contact.id, settings.routing);
  const now = input.now ?? new Date();
  const dueAt = new Date(now.getTime() + settings.sla.salesReadyAcceptHours * HOUR);
  const why = {
    ...(await scoreWhy(tx, contact.workspaceId, contact.id, input.why)),
    ...(input.why ?? {}),
    consumedContent: await consumedContent(tx, contact.id),
    fieldNotes: fieldNotes(contact.properties),
  };
  const [row] = await tx
    .insert(handoffs)
    .values({ workspaceId: contact.workspaceId, contactId: contact.id, ownerId: route.ownerId, routedBy: route.routedBy, why, dueAt, createdAt: now })
    .returning({ id: handoffs.id });
  const handoffId = row!.id;
  const who = contactLabel(contact);
  await recordAudit(tx, actor, {
    action: 'handoff.opened',
    entityType: 'handoff',
    entityId: handoffId,
    summary: `Handed ${who} to sales (${route.routedBy})`,
    changes: { contactId: contact.id, ownerId: route.ownerId, routedBy: route.routedBy, dueAt: dueAt.toISOString() },
  });
  await notify(tx, {
    workspaceId: contact.workspaceId,
    userIds: [route.ownerId],
    kind: 'handoff.assigned',
    title: `New sales-ready lead: ${who}`,
    body: `Accept within ${settings.sla.salesReadyAcceptHours} h (by ${dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
    link: `/handoff?id=${handoffId}`,
  });
  return { handoffId, ownerId: route.ownerId };
}
