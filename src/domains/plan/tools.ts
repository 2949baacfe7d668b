// Martech tools: name, vendor, annual cost, owner, the objective the purchase serves, and the job-map steps it serves.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable, Tx } from '../../db/client.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { ToolInput, ToolPatch, type Tool } from '../../contracts/spend.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { fieldError } from './costs.ts';
import { loadSteps } from './job-map.ts';
import { objectives } from './schema-objectives.ts';
import { costLines, tools, toolSteps, type ToolRow } from './schema-spend.ts';

const WS = 1;

async function toDtos(db: Queryable, rows: ToolRow[]): Promise<Tool[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const ownerIds = [...new Set(rows.flatMap((r) => (r.ownerId === null ? [] : [r.ownerId])))];
  const objIds = [...new Set(rows.flatMap((r) => (r.objectiveId === null ? [] : [r.objectiveId])))];
  const steps = await loadSteps(db);
  const stepKey = new Map(steps.map((s) => [s.id, s]));
  const [owners, objs, links, spend] = await Promise.all([
    ownerIds.length ? db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ownerIds)) : [],
    objIds.length ? db.select({ id: objectives.id, title: objectives.title }).from(objectives).where(inArray(objectives.id, objIds)) : [],
    db.select().from(toolSteps).where(inArray(toolSteps.toolId, ids)),
    db
      .select({ toolId: costLines.toolId, spend: sql<string>`sum(coalesce(${costLines.actual}, ${costLines.planned}))` })
      .from(costLines)
      .where(inArray(costLines.toolId, ids))
      .groupBy(costLines.toolId),
  ]);
  const ownerMap = new Map(owners.map((o) => [o.id, o]));
  const objMap = new Map(objs.map((o) => [o.id, o]));
  const spendMap = new Map(spend.map((s) => [s.toolId, Number(s.spend)]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    vendor: r.vendor,
    annualCost: r.annualCost === null ? null : Number(r.annualCost),
    currency: r.currency,
    owner: r.ownerId === null ? null : (ownerMap.get(r.ownerId) ?? null),
    objective: r.objectiveId === null ? null : (objMap.get(r.objectiveId) ?? null),
    note: r.note,
    steps: links
      .filter((l) => l.toolId === r.id)
      .map((l) => stepKey.get(l.stepId))
      .filter((s) => !!s)
      .sort((a, b) => a!.position - b!.position)
      .map((s) => s!.key),
    spend: spendMap.get(r.id) ?? 0,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function listTools({ ctx }: { ctx: Ctx }): Promise<{ items: Tool[] }> {
  const rows = await ctx.db.select().from(tools).where(eq(tools.workspaceId, WS)).orderBy(asc(sql`lower(${tools.name})`));
  return { items: await toDtos(ctx.db, rows) };
}

export async function getTool({ ctx, id }: { ctx: Ctx; id: number }): Promise<Tool> {
  const [row] = await ctx.db.select().from(tools).where(and(eq(tools.workspaceId, WS), eq(tools.id, id)));
  if (!row) throw new NotFoundError('Tool', id);
  return (await toDtos(ctx.db, [row]))[0]!;
}

async function checkRefs(db: Queryable, input: { ownerId?: number | null; objectiveId?: number | null; name?: string }, exceptId?: number): Promise<void> {
  if (input.ownerId != null) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.ownerId));
    if (!u) throw fieldError('ownerId', `user ${input.ownerId} does not exist`);
  }
  if (input.objectiveId != null) {
    const [o] = await db.select({ id: objectives.id }).from(objectives).where(and(eq(objectives.workspaceId, WS), eq(objectives.id, input.objectiveId)));
    if (!o) throw fieldError('objectiveId', `objective ${input.objectiveId} does not exist`);
  }
  if (input.name !== undefined) {
    const [other] = await db.select({ id: tools.id, name: tools.name }).from(tools).where(and(eq(tools.workspaceId, WS), sql`lower(${tools.name}) = lower(${input.name})`));
    if (other && other.id !== exceptId) throw new ConflictError(`name: there is already a tool named "${other.name}" (${other.id})`, [{ field: 'name', message: `already used by tool ${other.id}` }]);
  }
}

/** Step keys → step ids (400 naming `steps` for an unknown key). */
async function stepIds(db: Queryable, keys: string[]): Promise<number[]> {
  const steps = await loadSteps(db);
  const byKey = new Map(steps.map((s) => [s.key, s.id]));
  const unknown = keys.filter((k) => !byKey.has(k));
  if (unknown.length) throw fieldError('steps', `unknown job-map step ${unknown.map((k) => `"${k}"`).join(', ')}; steps: ${steps.map((s) => s.key).join(', ')}`);
  return [...new Set(keys.map((k) => byKey.get(k)!))];
}

async function setSteps(tx: Tx, toolId: number, ids: number[]): Promise<void> {
  await tx.delete(toolSteps).where(eq(toolSteps.toolId, toolId));
  if (ids.length) await tx.insert(toolSteps).values(ids.map((stepId) => ({ toolId, stepId })));
}

export async function createTool({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Tool> {
  const body = ToolInput.parse(input);
  await checkRefs(ctx.db, body);
  const ids = await stepIds(ctx.db, body.steps ?? []);
  const id = await withTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(tools)
      .values({ workspaceId: WS, name: body.name, vendor: body.vendor ?? null, annualCost: body.annualCost ?? null, currency: body.currency, ownerId: body.ownerId ?? null, objectiveId: body.objectiveId ?? null, note: body.note ?? null, createdBy: ctx.actor.userId })
      .returning();
    await setSteps(tx, row!.id, ids);
    await recordAudit(tx, ctx.actor, { action: 'tool.created', entityType: 'tool', entityId: row!.id, summary: `Added tool "${row!.name}"${body.steps?.length ? ` (steps: ${body.steps.join(', ')})` : ''}` });
    return row!.id;
  });
  return getTool({ ctx, id });
}

export async function updateTool({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<Tool> {
  const patch = ToolPatch.parse(input);
  await checkRefs(ctx.db, patch, id);
  const ids = patch.steps === undefined ? undefined : await stepIds(ctx.db, patch.steps);
  await withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(tools).where(and(eq(tools.workspaceId, WS), eq(tools.id, id))).for('update');
    if (!before) throw new NotFoundError('Tool', id);
    const { steps: _s, ...fields } = patch;
    const next = { ...before, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) } as ToolRow;
    const changes = diffFields(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    if (ids) {
      const prev = (await tx.select({ stepId: toolSteps.stepId }).from(toolSteps).where(eq(toolSteps.toolId, id))).map((r) => r.stepId).sort();
      if (JSON.stringify(prev) !== JSON.stringify([...ids].sort())) {
        changes.steps = { from: prev, to: ids };
        await setSteps(tx, id, ids);
      }
    }
    if (!Object.keys(changes).length) return;
    await tx
      .update(tools)
      .set({ name: next.name, vendor: next.vendor, annualCost: next.annualCost, currency: next.currency, ownerId: next.ownerId, objectiveId: next.objectiveId, note: next.note, updatedAt: new Date() })
      .where(eq(tools.id, id));
    await recordAudit(tx, ctx.actor, { action: 'tool.updated', entityType: 'tool', entityId: id, summary: `Changed tool "${next.name}": ${Object.keys(changes).join(', ')}`, changes });
  });
  return getTool({ ctx, id });
}

export async function deleteTool({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.delete(tools).where(and(eq(tools.workspaceId, WS), eq(tools.id, id))).returning();
    if (!row) throw new NotFoundError('Tool', id);
    await recordAudit(tx, ctx.actor, { action: 'tool.deleted', entityType: 'tool', entityId: id, summary: `Deleted tool "${row.name}"; its cost lines stay, now unlinked` });
  });
}
