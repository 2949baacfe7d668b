// Objectives: create, change, delete. The tree is company → marketing → team → individual: a company objective
// is a root, any other objective's parent is at its own level or above; a parent cannot be the objective itself
// or one of its descendants. Reading (tree, detail, progress) is in ./objectives-tree.ts.
import { and, eq, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ObjectiveInput, ObjectivePatch } from '../../contracts/objectives.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { LEVEL_RANK } from './objectives-math.ts';
import { objectives, type ObjectiveRow } from './schema-objectives.ts';

export const WS = 1;

export function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

export async function checkUser(db: Queryable, field: string, id: number | null | undefined): Promise<void> {
  if (id == null) return;
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
  if (!u) throw fieldError(field, `user ${id} does not exist`);
}

export async function loadObjectiveRow(db: Queryable, id: number, field?: string): Promise<ObjectiveRow> {
  const [row] = await db.select().from(objectives).where(and(eq(objectives.workspaceId, WS), eq(objectives.id, id)));
  if (!row) {
    if (field) throw fieldError(field, `objective ${id} does not exist`);
    throw new NotFoundError('Objective', id);
  }
  return row;
}

async function checkParent(db: Queryable, o: { id?: number; level: ObjectiveRow['level']; parentId: number | null }): Promise<void> {
  if (o.parentId === null) return;
  if (o.level === 'company') throw fieldError('parentId', 'a company objective is the top of the tree and has no parent');
  const parent = await loadObjectiveRow(db, o.parentId, 'parentId');
  if (LEVEL_RANK[parent.level] > LEVEL_RANK[o.level]) throw fieldError('parentId', `a ${o.level} objective cannot sit under a ${parent.level} objective (company → marketing → team → individual)`);
  if (o.id !== undefined) {
    // The new parent must not be this objective or one of its descendants.
    const res = await db.execute(sql`
      with recursive down as (select id from objectives where id = ${o.id} union all select c.id from objectives c join down on c.parent_id = down.id)
      select 1 from down where id = ${o.parentId} limit 1`);
    if (res.rows.length) throw fieldError('parentId', 'would make a cycle: the parent is this objective or one of its descendants');
  }
}

export async function createObjective({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ id: number }> {
  const body = ObjectiveInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    await checkUser(tx, 'ownerId', body.ownerId);
    await checkParent(tx, { level: body.level, parentId: body.parentId ?? null });
    const [row] = await tx
      .insert(objectives)
      .values({
        workspaceId: WS,
        parentId: body.parentId ?? null,
        level: body.level,
        title: body.title,
        description: body.description ?? null,
        ownerId: body.ownerId ?? null,
        periodStart: body.periodStart ?? null,
        periodEnd: body.periodEnd ?? null,
        status: body.status,
        createdBy: ctx.actor.userId,
      })
      .returning();
    await recordAudit(tx, ctx.actor, { action: 'objective.created', entityType: 'objective', entityId: row!.id, summary: `Created ${row!.level} objective "${row!.title}"` });
    return { id: row!.id };
  });
}

export async function updateObjective({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<void> {
  const patch = ObjectivePatch.parse(input);
  await withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(objectives).where(and(eq(objectives.workspaceId, WS), eq(objectives.id, id))).for('update');
    if (!before) throw new NotFoundError('Objective', id);
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as ObjectiveRow;
    if (next.periodStart && next.periodEnd && next.periodStart > next.periodEnd) throw fieldError('periodEnd', 'must be on or after the period start');
    await checkUser(tx, 'ownerId', patch.ownerId);
    if (patch.parentId !== undefined || patch.level !== undefined) await checkParent(tx, { id, level: next.level, parentId: next.parentId });
    if (patch.level !== undefined) {
      const kids = await tx.select({ level: objectives.level, title: objectives.title }).from(objectives).where(eq(objectives.parentId, id));
      const above = kids.find((k) => LEVEL_RANK[k.level] < LEVEL_RANK[next.level]);
      if (above) throw fieldError('level', `child objective "${above.title}" is a ${above.level} objective, above ${next.level}`);
    }
    const changes = diffFields(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    delete changes.updatedAt;
    if (!Object.keys(changes).length) return;
    await tx
      .update(objectives)
      .set({ parentId: next.parentId, level: next.level, title: next.title, description: next.description, ownerId: next.ownerId, periodStart: next.periodStart, periodEnd: next.periodEnd, status: next.status, updatedAt: new Date() })
      .where(eq(objectives.id, id));
    await recordAudit(tx, ctx.actor, { action: 'objective.updated', entityType: 'objective', entityId: id, summary: `Changed objective "${next.title}": ${Object.keys(changes).join(', ')}`, changes });
  });
}

export async function deleteObjective({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const row = await loadObjectiveRow(tx, id);
    const kids = await tx.select({ id: objectives.id, title: objectives.title }).from(objectives).where(eq(objectives.parentId, id)).limit(3);
    if (kids.length) {
      throw new ConflictError(`Objective "${row.title}" has child objectives (${kids.map((k) => `"${k.title}"`).join(', ')}); move or delete them first`, [{ field: 'id', message: 'has child objectives' }]);
    }
    await tx.delete(objectives).where(eq(objectives.id, id));
    await recordAudit(tx, ctx.actor, { action: 'objective.deleted', entityType: 'objective', entityId: id, summary: `Deleted objective "${row.title}" with its KPIs; its campaigns and initiatives now link to no objective` });
  });
}
