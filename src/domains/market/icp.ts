// ICP definitions: a market's ideal customer profile. Each ICP owns a fit model (score_models, kind fit,
// not the default), so its rules are scored by the scoring domain exactly like any fit model: on every
// contact / account change (scoreContactFit), by the scoring worker, and by a full rescore of that model
// started when the ICP is created or its rules change. The ICP grade of a contact is that model's grade.
import { sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { IcpInput, IcpPatch, type Icp } from '../../contracts/market.ts';
import { DEFAULT_GRADES } from '../../contracts/scoring.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { scoreModels } from '../scoring/schema.ts';
import { startRescore } from '../scoring/rescore.ts';
import { scoreFitForContacts } from '../scoring/fit.ts';

/** Up to this many contacts are graded inline, in the ICP's transaction; more: a background rescore of its model. */
const INLINE_GRADE_LIMIT = 20_000;

/** Grades every contact under the ICP's model now when there are few, else reports that a rescore is needed. */
async function gradeInline(tx: Queryable): Promise<boolean> {
  const res = await tx.execute(sql`select id from contacts where workspace_id = 1 order by id limit ${INLINE_GRADE_LIMIT + 1}`);
  if (res.rows.length > INLINE_GRADE_LIMIT) return false;
  await scoreFitForContacts(tx, 1, res.rows.map((r) => Number(r.id)));
  return true;
}
import { icpDefinitions, type IcpRow } from './schema.ts';

async function assertMarket(db: Queryable, id: number | null | undefined) {
  if (id == null) return;
  const res = await db.execute(sql`select 1 from markets where id = ${id} and workspace_id = 1`);
  if (!res.rows.length) throw new ValidationError(`marketId: market ${id} does not exist`, [{ field: 'marketId', message: `market ${id} does not exist` }]);
}

async function assertNameFree(db: Queryable, name: string, exceptId?: number) {
  const res = await db.execute(sql`select id from icp_definitions where workspace_id = 1 and lower(name) = lower(${name}) ${exceptId ? sql`and id <> ${exceptId}` : sql``}`);
  if (res.rows.length) throw new ConflictError(`An ICP named "${name}" already exists`, { field: 'name' });
}

async function toDtos(db: Queryable, rows: IcpRow[]): Promise<Icp[]> {
  if (!rows.length) return [];
  const res = await db.execute(sql`
    select i.id, m.rules, m.grades, m.version, mk.name as market_name,
      coalesce((select jsonb_object_agg(g, n) from (select s.grade as g, count(*)::int as n from contact_scores s where s.model_id = i.fit_model_id group by s.grade) x), '{}'::jsonb) as grade_counts
    from icp_definitions i join score_models m on m.id = i.fit_model_id left join markets mk on mk.id = i.market_id
    where i.id = any(${sql.param(rows.map((r) => r.id))}::int[])`);
  const extra = new Map(res.rows.map((r) => [Number(r.id), r as Record<string, unknown>]));
  return rows.map((r) => {
    const e = extra.get(r.id)!;
    return {
      id: r.id,
      name: r.name,
      marketId: r.marketId,
      marketName: (e.market_name as string | null) ?? null,
      description: r.description,
      fitModelId: r.fitModelId,
      rules: e.rules,
      grades: e.grades,
      version: Number(e.version),
      gradeCounts: e.grade_counts as Record<string, number>,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

async function loadRow(db: Queryable, id: number): Promise<IcpRow> {
  const [row] = await db.select().from(icpDefinitions).where(sql`${icpDefinitions.id} = ${id} and ${icpDefinitions.workspaceId} = 1`);
  if (!row) throw new NotFoundError('ICP', id);
  return row;
}

export async function listIcps({ ctx }: { ctx: Ctx }) {
  const rows = await ctx.db.select().from(icpDefinitions).where(sql`${icpDefinitions.workspaceId} = 1`).orderBy(icpDefinitions.name);
  return { items: await toDtos(ctx.db, rows) };
}

export async function getIcp({ ctx, id }: { ctx: Ctx; id: number }) {
  return (await toDtos(ctx.db, [await loadRow(ctx.db, id)]))[0]!;
}

export async function createIcp({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Icp> {
  const data = IcpInput.parse(input);
  const icp = await withTransaction(ctx, async (tx) => {
    await assertMarket(tx, data.marketId);
    await assertNameFree(tx, data.name);
    const [model] = await tx
      .insert(scoreModels)
      .values({ workspaceId: 1, kind: 'fit', name: `ICP: ${data.name}`, description: data.description ?? null, rules: data.rules, grades: data.grades ?? DEFAULT_GRADES, isDefault: false, createdBy: ctx.actor.userId })
      .returning();
    const [row] = await tx
      .insert(icpDefinitions)
      .values({ name: data.name, marketId: data.marketId ?? null, description: data.description ?? null, fitModelId: model!.id, createdBy: ctx.actor.userId })
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: 'icp.created',
      entityType: 'icp',
      entityId: row!.id,
      summary: `Created ICP "${row!.name}" (fit model ${model!.id}, ${data.rules.length} rules)`,
      changes: diffFields({}, { name: row!.name, marketId: row!.marketId, rules: data.rules, grades: model!.grades }),
    });
    return { ...row!, graded: await gradeInline(tx) };
  });
  if (!icp.graded) await startRescore({ ctx, input: { modelId: icp.fitModelId } }); // grades every existing contact under the new model
  return getIcp({ ctx, id: icp.id });
}

export async function updateIcp({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<Icp> {
  const data = IcpPatch.parse(input);
  const rescore = await withTransaction(ctx, async (tx) => {
    const before = await loadRow(tx, id);
    if (data.marketId !== undefined) await assertMarket(tx, data.marketId);
    if (data.name !== undefined) await assertNameFree(tx, data.name, id);
    const [model] = await tx.select().from(scoreModels).where(sql`${scoreModels.id} = ${before.fitModelId}`).for('update');
    const after = { name: data.name ?? before.name, marketId: data.marketId === undefined ? before.marketId : data.marketId, description: data.description === undefined ? before.description : data.description };
    const rules = data.rules ?? model!.rules;
    const grades = data.grades ?? model!.grades;
    const scoring = JSON.stringify(rules) !== JSON.stringify(model!.rules) || JSON.stringify(grades) !== JSON.stringify(model!.grades);
    const changes = { ...diffFields({ name: before.name, marketId: before.marketId, description: before.description }, after), ...(scoring ? { rules: { from: model!.rules, to: rules } } : {}) };
    if (!Object.keys(changes).length) return false;
    await tx.update(icpDefinitions).set({ ...after, updatedAt: sql`now()` }).where(sql`${icpDefinitions.id} = ${id}`);
    await tx
      .update(scoreModels)
      .set({ name: `ICP: ${after.name}`, description: after.description, rules, grades, version: scoring ? model!.version + 1 : model!.version, updatedAt: sql`now()` })
      .where(sql`${scoreModels.id} = ${before.fitModelId}`);
    await recordAudit(tx, ctx.actor, { action: 'icp.updated', entityType: 'icp', entityId: id, summary: `Updated ICP "${after.name}": ${Object.keys(changes).join(', ')}`, changes });
    return scoring && !(await gradeInline(tx));
  });
  const icp = await loadRow(ctx.db, id);
  if (rescore) await startRescore({ ctx, input: { modelId: icp.fitModelId } });
  return getIcp({ ctx, id });
}

/** Deletes the ICP; its fit model is archived (scores stay explainable), segments reading its grade must change first. */
export async function deleteIcp({ ctx, id }: { ctx: Ctx; id: number }) {
  await withTransaction(ctx, async (tx) => {
    const before = await loadRow(tx, id);
    const used = await tx.execute(sql`select name from segments where jsonb_path_exists(rule, '$.** ? (@.kind == "grade" && @.icpId == $id)', jsonb_build_object('id', ${id}::int)) limit 1`);
    if (used.rows.length) throw new ConflictError(`ICP "${before.name}" is used by segment "${used.rows[0]!.name}"; change that rule first`, { field: 'id' });
    await tx.delete(icpDefinitions).where(sql`${icpDefinitions.id} = ${id}`);
    await tx.update(scoreModels).set({ active: false, updatedAt: sql`now()` }).where(sql`${scoreModels.id} = ${before.fitModelId}`);
    await recordAudit(tx, ctx.actor, { action: 'icp.deleted', entityType: 'icp', entityId: id, summary: `Deleted ICP "${before.name}" (fit model ${before.fitModelId} archived)`, changes: { name: { from: before.name, to: null } } });
  });
}
