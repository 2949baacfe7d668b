// A contact's lifecycle: current stage, time in each stage, history of transitions, allowed manual moves;
// and the manual move (with a reason).
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { ManualMoveInput, type ContactLifecycle, type LifecycleStage, type Transition } from '../../contracts/lifecycle.ts';
import { contacts } from '../contacts/schema.ts';
import { dealContacts, deals, lifecycleTransitions } from './schema.ts';
import { allowedMoves } from './graph.ts';
import { getLifecycleSettings, handoffPointFor } from './settings.ts';
import { loadSubjects } from './subject.ts';
import { transitionInTx } from './transition.ts';

type TransitionRow = typeof lifecycleTransitions.$inferSelect;

export function toTransitionDto(r: TransitionRow): Transition {
  return {
    id: r.id,
    fromStage: r.fromStage,
    toStage: r.toStage,
    cause: r.cause,
    reason: r.reason,
    details: r.details ?? {},
    actor: r.actorLabel,
    at: r.occurredAt.toISOString(),
  };
}

/** Seconds spent in each stage, from the contact's creation over its transitions (oldest first) up to now. */
export function timeInStages(createdAt: Date, current: LifecycleStage, rows: readonly TransitionRow[], now: Date) {
  const acc = new Map<LifecycleStage, { seconds: number; visits: number }>();
  const add = (stage: LifecycleStage, from: Date, to: Date) => {
    const e = acc.get(stage) ?? { seconds: 0, visits: 0 };
    e.seconds += Math.max(0, (to.getTime() - from.getTime()) / 1000);
    e.visits += 1;
    acc.set(stage, e);
  };
  let stage: LifecycleStage = rows[0]?.fromStage ?? current;
  let since = createdAt;
  for (const r of rows) {
    add(stage, since, r.occurredAt);
    stage = r.toStage;
    since = r.occurredAt;
  }
  add(stage, since, now);
  return { since, entries: [...acc].map(([s, e]) => ({ stage: s, seconds: Math.round(e.seconds), visits: e.visits })) };
}

export async function loadContactLifecycle(db: Queryable, id: number, now = new Date()): Promise<ContactLifecycle> {
  const subject = (await loadSubjects(db, [id])).get(id);
  if (!subject) throw new NotFoundError('Contact', id);
  const stage = subject.lifecycleStage as LifecycleStage;
  const rows = await db
    .select()
    .from(lifecycleTransitions)
    .where(eq(lifecycleTransitions.contactId, id))
    .orderBy(asc(lifecycleTransitions.occurredAt), asc(lifecycleTransitions.id));
  const times = timeInStages(subject.createdAt, stage, rows, now);
  const settings = await getLifecycleSettings(db, subject.workspaceId);
  const point = handoffPointFor(settings, subject);
  const [open] = await db
    .select({ stage: deals.stage })
    .from(deals)
    .innerJoin(dealContacts, eq(dealContacts.dealId, deals.id))
    .where(and(eq(dealContacts.contactId, id), inArray(deals.stage, ['intent', 'job_to_be_done'])))
    .orderBy(desc(deals.stage));
  return {
    contactId: id,
    stage,
    since: times.since.toISOString(),
    secondsInStage: Math.round(Math.max(0, now.getTime() - times.since.getTime()) / 1000),
    handoffPoint: point ? { name: point.name, mode: point.mode } : null,
    opportunityCycle: open ? (open.stage as 'intent' | 'job_to_be_done') : null,
    allowedMoves: allowedMoves(stage, 'manual').filter((s) => !(s === 'sales_ready' && point?.mode === 'self_service')),
    history: rows.map(toTransitionDto).reverse(),
    timeInStage: times.entries,
  };
}

export async function getContactLifecycle({ ctx, id }: { ctx: Ctx; id: number }): Promise<ContactLifecycle> {
  return loadContactLifecycle(ctx.db, id);
}

/** Moves a contact by hand: the move must be allowed from its stage, and needs a reason. */
export async function moveContact({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const body = ManualMoveInput.parse(input);
  const [exists] = await ctx.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id));
  if (!exists) throw new NotFoundError('Contact', id);
  const moved = await withTransaction(ctx, (tx) => transitionInTx(tx, ctx.actor, { contactId: id, toStage: body.toStage, cause: 'manual', reason: body.reason }));
  const lifecycle = await loadContactLifecycle(ctx.db, id);
  const transition = moved ? (lifecycle.history.find((h) => h.id === moved.transitionId) ?? null) : null;
  return { moved: moved !== null, transition, lifecycle };
}
