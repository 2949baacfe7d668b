// Initiatives: bodies of work under an objective (campaigns may link to one). An initiative with no objective
// is a random act in the random-acts report.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { InitiativeInput, InitiativePatch, type Initiative } from '../../contracts/objectives.ts';
import { NotFoundError } from '../../errors.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { checkUser, fieldError, loadObjectiveRow, WS } from './objectives.ts';
import { campaigns } from './schema.ts';
import { initiatives, type InitiativeRow } from './schema-objectives.ts';

export async function toInitiativeDtos(db: Queryable, rows: InitiativeRow[]): Promise<Initiative[]> {
  if (!rows.length) return [];
  const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((x): x is number => x !== null))];
  const owners = ownerIds.length ? await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ownerIds)) : [];
  const counts = await db
    .select({ id: campaigns.initiativeId, n: sql<number>`count(*)::int` })
    .from(campaigns)
    .where(inArray(campaigns.initiativeId, rows.map((r) => r.id)))
    .groupBy(campaigns.initiativeId);
  const ownerMap = new Map(owners.map((o) => [o.id, o]));
  const countMap = new Map(counts.map((c) => [c.id, c.n]));
  return rows.map((r) => ({
    id: r.id,
    objectiveId: r.objectiveId,
    name: r.name,
    description: r.description,
    owner: r.ownerId === null ? null : (ownerMap.get(r.ownerId) ?? null),
    startDate: r.startDate,
    endDate: r.endDate,
    campaigns: countMap.get(r.id) ?? 0,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listInitiatives({ ctx, input }: { ctx: Ctx; input: { objectiveId?: number } }): Promise<{ items: Initiative[] }> {
  const conds = [eq(initiatives.workspaceId, WS)];
  if (input.objectiveId !== undefined) conds.push(eq(initiatives.objectiveId, input.objectiveId));
  const rows = await ctx.db.select().from(initiatives).where(and(...conds)).orderBy(asc(initiatives.startDate), asc(initiatives.id)).limit(1000);
  return { items: await toInitiativeDtos(ctx.db, rows) };
}

async function loadInitiative(db: Queryable, id: number): Promise<InitiativeRow> {
  const [row] = await db.select().from(initiatives).where(and(eq(initiatives.workspaceId, WS), eq(initiatives.id, id)));
  if (!row) throw new NotFoundError('Initiative', id);
  return row;
}

export async function getInitiative({ ctx, id }: { ctx: Ctx; id: number }): Promise<Initiative> {
  return (await toInitiativeDtos(ctx.db, [await loadInitiative(ctx.db, id)]))[0]!;
}

export async function createInitiative({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Initiative> {
  const body = InitiativeInput.parse(input);
  const id = await withTransaction(ctx, async (tx) => {
    if (body.objectiveId != null) await loadObjectiveRow(tx, body.objectiveId, 'objectiveId');
    await checkUser(tx, 'ownerId', body.ownerId);
    const [row] = await tx
      .insert(initiatives)
      .values({ workspaceId: WS, objectiveId: body.objectiveId ?? null, name: body.name, description: body.description ?? null, ownerId: body.ownerId ?? null, startDate: body.startDate ?? null, endDate: body.endDate ?? null, createdBy: ctx.actor.userId })
      .returning();
    await recordAudit(tx, ctx.actor, { action: 'initiative.created', entityType: 'initiative', entityId: row!.id, summary: `Created initiative "${row!.name}"` });
    return row!.id;
  });
  return getInitiative({ ctx, id });
}

export async function updateInitiative({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<Initiative> {
  const patch = InitiativePatch.parse(input);
  await withTransaction(ctx, async (tx) => {
    const before = await loadInitiative(tx, id);
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as InitiativeRow;
    if (next.startDate && next.endDate && next.startDate > next.endDate) throw fieldError('endDate', 'must be on or after the start date');
    if (patch.objectiveId != null) await loadObjectiveRow(tx, patch.objectiveId, 'objectiveId');
    await checkUser(tx, 'ownerId', patch.ownerId);
    const changes = diffFields(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    if (!Object.keys(changes).length) return;
    await tx
      .update(initiatives)
      .set({ objectiveId: next.objectiveId, name: next.name, description: next.description, ownerId: next.ownerId, startDate: next.startDate, endDate: next.endDate, updatedAt: new Date() })
      .where(eq(initiatives.id, id));
    await recordAudit(tx, ctx.actor, { action: 'initiative.updated', entityType: 'initiative', entityId: id, summary: `Changed initiative "${next.name}": ${Object.keys(changes).join(', ')}`, changes });
  });
  return getInitiative({ ctx, id });
}

export async function deleteInitiative({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const row = await loadInitiative(tx, id);
    await tx.delete(initiatives).where(eq(initiatives.id, id));
    await recordAudit(tx, ctx.actor, { action: 'initiative.deleted', entityType: 'initiative', entityId: id, summary: `Deleted initiative "${row.name}"; its campaigns keep their objective` });
  });
}
