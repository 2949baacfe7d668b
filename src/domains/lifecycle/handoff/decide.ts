// Working the queue: accept, reject (disqualify or recycle, with a reason), recycle (back to nurture), and
// reassign. Each decision moves the contact through the lifecycle (transitionInTx: stage, transition row,
// audit) and closes the handoff in the same transaction; a decided handoff cannot be decided again (409).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../../context.ts';
import type { Tx } from '../../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../errors.ts';
import { AcceptHandoffInput, ReassignHandoffInput, RecycleHandoffInput, RejectHandoffInput, type Handoff, type HandoffStatus } from '../../../contracts/handoff.ts';
import type { LifecycleStage } from '../../../contracts/lifecycle.ts';
import { contacts } from '../../contacts/schema.ts';
import { recordAudit } from '../../identity/audit.ts';
import { notify } from '../../identity/notifications.ts';
import { users } from '../../identity/schema.ts';
import { handoffs } from '../schema.ts';
import { getLifecycleSettings } from '../settings.ts';
import { transitionInTx } from '../transition.ts';
import { contactLabel } from './open.ts';
import { getHandoff } from './queue.ts';

/** settings.sla.salesAcceptedFollowUpHours: after accepting, the rep has this long to follow the lead up. */
export function followUpSlaHours(settings: { sla: Record<string, number | undefined> }): number | null {
  const h = settings.sla.salesAcceptedFollowUpHours;
  return typeof h === 'number' && h > 0 ? h : null;
}

async function lockPending(tx: Tx, id: number) {
  const [h] = await tx.select().from(handoffs).where(eq(handoffs.id, id)).for('update');
  if (!h) throw new NotFoundError('Handoff', id);
  if (h.status !== 'pending') {
    throw new ConflictError(`Handoff ${id} was already ${h.status}${h.decidedAt ? ` at ${h.decidedAt.toISOString()}` : ''}`, { status: h.status, decidedAt: h.decidedAt?.toISOString() ?? null });
  }
  const [c] = await tx.select().from(contacts).where(eq(contacts.id, h.contactId));
  return { h, contact: c! };
}

async function decide(
  ctx: Ctx,
  id: number,
  outcome: Exclude<HandoffStatus, 'pending'>,
  toStage: LifecycleStage,
  reason: string | null,
  extra: Record<string, unknown> = {},
  now = new Date(),
): Promise<Handoff> {
  await withTransaction(ctx, async (tx) => {
    const { h, contact } = await lockPending(tx, id);
    // The contact may have moved on since (a deal made it an opportunity): accepting then only closes the
    // handoff; rejecting or recycling still moves it, if the stage graph allows.
    const moves = !(outcome === 'accepted' && contact.lifecycleStage !== 'sales_ready');
    const moved = moves
      ? await transitionInTx(tx, ctx.actor, { contactId: h.contactId, toStage, cause: 'handoff', reason, details: { handoffId: h.id, ...extra }, now })
      : null;
    // The follow-up SLA starts when sales accepts (if the workspace set one).
    const followUpHours = outcome === 'accepted' ? followUpSlaHours(await getLifecycleSettings(tx, h.workspaceId)) : null;
    const followUpDueAt = followUpHours ? new Date(now.getTime() + followUpHours * 3_600_000) : null;
    await tx.update(handoffs).set({ status: outcome, decidedAt: now, decidedBy: ctx.actor.userId, reason, followUpDueAt }).where(eq(handoffs.id, h.id));
    const who = contactLabel(contact);
    const verb = outcome === 'accepted' ? 'Accepted' : outcome === 'rejected' ? 'Rejected' : 'Recycled';
    await recordAudit(tx, ctx.actor, {
      action: `handoff.${outcome}`,
      entityType: 'handoff',
      entityId: h.id,
      summary: `${verb} ${who}${reason ? `: ${reason}` : ''}`,
      changes: {
        status: { from: 'pending', to: outcome },
        contactId: h.contactId,
        reason,
        lifecycleStage: moved ? { from: moved.from, to: moved.to } : null,
        breached: h.breachedAt !== null,
        ...extra,
      },
    });
  });
  return getHandoff(ctx.db, id, now);
}

export async function acceptHandoff({ ctx, id, input, now }: { ctx: Ctx; id: number; input: unknown; now?: Date }) {
  const body = AcceptHandoffInput.parse(input ?? {});
  return decide(ctx, id, 'accepted', 'sales_accepted', body.note ?? null, {}, now);
}

export async function rejectHandoff({ ctx, id, input, now }: { ctx: Ctx; id: number; input: unknown; now?: Date }) {
  const body = RejectHandoffInput.parse(input);
  return decide(ctx, id, 'rejected', body.disqualify ? 'disqualified' : 'recycled', body.reason, { disqualify: body.disqualify }, now);
}

/** Back to nurture: the contact becomes recycled (its whole history stays) and re-qualifies by rule later. */
export async function recycleHandoff({ ctx, id, input, now }: { ctx: Ctx; id: number; input: unknown; now?: Date }) {
  const body = RecycleHandoffInput.parse(input);
  return decide(ctx, id, 'recycled', 'recycled', body.reason, {}, now);
}

export async function reassignHandoff({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const body = ReassignHandoffInput.parse(input);
  await withTransaction(ctx, async (tx) => {
    const { h, contact } = await lockPending(tx, id);
    const [u] = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.id, body.ownerId), isNull(users.disabledAt), inArray(users.role, ['sales', 'admin'])));
    if (!u) throw new ValidationError(`ownerId: user ${body.ownerId} is not an active sales user or admin`, [{ field: 'ownerId', message: 'must be an active sales user or admin' }]);
    if (h.ownerId === u.id) return;
    await tx.update(handoffs).set({ ownerId: u.id, routedBy: 'manual' }).where(eq(handoffs.id, h.id));
    const who = contactLabel(contact);
    await recordAudit(tx, ctx.actor, {
      action: 'handoff.reassigned',
      entityType: 'handoff',
      entityId: h.id,
      summary: `Reassigned ${who} to ${u.name}${body.reason ? `: ${body.reason}` : ''}`,
      changes: { ownerId: { from: h.ownerId, to: u.id }, contactId: h.contactId, reason: body.reason ?? null },
    });
    await notify(tx, {
      workspaceId: h.workspaceId,
      userIds: [u.id],
      kind: 'handoff.assigned',
      title: `Lead reassigned to you: ${who}`,
      body: h.dueAt ? `Accept by ${h.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : null,
      link: `/handoff?id=${h.id}`,
    });
  });
  return getHandoff(ctx.db, id);
}
