// Score models: list, get, create, change (a change of rules, grades or half-life bumps `version`),
// archive / restore, make default. Every change records an audit row in the same transaction.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import {
  EngagementModelPatch,
  FitModelPatch,
  ScoreModelInput,
  ScoreModelListQuery,
  ScoreModelPatch,
  type ScoreModel,
} from '../../contracts/scoring.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { ensureDefaultModels, type ScoreModelRow } from './defaults.ts';
import { scoreModels } from './schema.ts';

const WS = 1;

export function toModelDto(r: ScoreModelRow): ScoreModel {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    description: r.description,
    rules: r.rules as ScoreModel['rules'],
    grades: (r.grades as ScoreModel['grades']) ?? null,
    halfLifeDays: r.halfLifeDays,
    isDefault: r.isDefault,
    active: r.active,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

async function lockModel(tx: Queryable, id: number): Promise<ScoreModelRow> {
  const [row] = await tx.select().from(scoreModels).where(and(eq(scoreModels.id, id), eq(scoreModels.workspaceId, WS))).for('update');
  if (!row) throw new NotFoundError('Score model', id);
  return row;
}

/** The value with object keys sorted (jsonb stores keys in its own order), so equal rules compare equal. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

/** The fields of a model as audit rows show them (rules and grades canonical, so only real changes differ). */
function auditable(m: Pick<ScoreModelRow, 'name' | 'description' | 'rules' | 'grades' | 'halfLifeDays' | 'isDefault' | 'active' | 'version'>) {
  return {
    name: m.name,
    description: m.description,
    rules: canonical(m.rules),
    grades: canonical(m.grades),
    halfLifeDays: m.halfLifeDays,
    isDefault: m.isDefault,
    active: m.active,
    version: m.version,
  };
}

/** Clears is_default on the other models of the kind (the caller sets it on one). */
async function clearDefault(tx: Queryable, kind: string, exceptId: number) {
  await tx
    .update(scoreModels)
    .set({ isDefault: false, updatedAt: sql`now()` })
    .where(and(eq(scoreModels.workspaceId, WS), eq(scoreModels.kind, kind as 'fit'), eq(scoreModels.isDefault, true), ne(scoreModels.id, exceptId)));
}

export async function listModels({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ items: ScoreModel[] }> {
  const q = ScoreModelListQuery.parse(input ?? {});
  await ensureDefaultModels(ctx.db, WS);
  const rows = await ctx.db
    .select()
    .from(scoreModels)
    .where(and(eq(scoreModels.workspaceId, WS), q.kind ? eq(scoreModels.kind, q.kind) : undefined, q.archived ? undefined : eq(scoreModels.active, true)))
    .orderBy(asc(scoreModels.kind), asc(scoreModels.id));
  return { items: rows.map(toModelDto) };
}

export async function getModel({ ctx, id }: { ctx: Ctx; id: number }): Promise<ScoreModel> {
  const [row] = await ctx.db.select().from(scoreModels).where(and(eq(scoreModels.id, id), eq(scoreModels.workspaceId, WS)));
  if (!row) throw new NotFoundError('Score model', id);
  return toModelDto(row);
}

export async function createModel({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ScoreModel> {
  const data = ScoreModelInput.parse(input);
  await ensureDefaultModels(ctx.db, WS);
  return withTransaction(ctx, async (tx) => {
    const values: typeof scoreModels.$inferInsert = {
      workspaceId: WS,
      kind: data.kind,
      name: data.name,
      description: data.description ?? null,
      rules: data.rules,
      grades: data.kind === 'fit' ? (data.grades ?? { A: 80, B: 60, C: 40, D: 20 }) : null,
      halfLifeDays: data.kind === 'engagement' ? (data.halfLifeDays === undefined ? 30 : data.halfLifeDays) : null,
      isDefault: data.isDefault ?? false,
      createdBy: ctx.actor.userId,
    };
    const [row] = await tx.insert(scoreModels).values(values).returning();
    if (row!.isDefault) await clearDefault(tx, row!.kind, row!.id);
    await recordAudit(tx, ctx.actor, {
      action: 'score_model.created',
      entityType: 'score_model',
      entityId: row!.id,
      summary: `Created ${row!.kind} model "${row!.name}"${row!.isDefault ? ' (default)' : ''}`,
      changes: diffFields({}, auditable(row!)),
    });
    return toModelDto(row!);
  });
}

export async function updateModel({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<ScoreModel> {
  ScoreModelPatch.parse(input);
  return withTransaction(ctx, async (tx) => {
    const before = await lockModel(tx, id);
    const data = before.kind === 'fit' ? FitModelPatch.parse(input) : EngagementModelPatch.parse(input);
    const after = {
      ...before,
      name: data.name ?? before.name,
      description: data.description === undefined ? before.description : data.description,
      rules: data.rules ?? before.rules,
      grades: 'grades' in data && data.grades ? data.grades : before.grades,
      halfLifeDays: 'halfLifeDays' in data && data.halfLifeDays !== undefined ? data.halfLifeDays : before.halfLifeDays,
    };
    const changes = diffFields(auditable(before), auditable(after));
    if (!Object.keys(changes).length) return toModelDto(before);
    // Anything that changes scores makes a new version (a rescore brings stored scores to it).
    const scoring = ['rules', 'grades', 'halfLifeDays'].some((k) => k in changes);
    const version = scoring ? before.version + 1 : before.version;
    if (scoring) changes.version = { from: before.version, to: version };
    const [row] = await tx
      .update(scoreModels)
      .set({ name: after.name, description: after.description, rules: after.rules, grades: after.grades, halfLifeDays: after.halfLifeDays, version, updatedAt: sql`now()` })
      .where(eq(scoreModels.id, id))
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: 'score_model.updated',
      entityType: 'score_model',
      entityId: id,
      summary: `Updated ${before.kind} model "${after.name}": ${Object.keys(changes).join(', ')}${scoring ? ` (version ${version})` : ''}`,
      changes,
    });
    return toModelDto(row!);
  });
}

export async function archiveModel({ ctx, id }: { ctx: Ctx; id: number }): Promise<ScoreModel> {
  return withTransaction(ctx, async (tx) => {
    const before = await lockModel(tx, id);
    if (!before.active) return toModelDto(before);
    if (before.isDefault)
      throw new ConflictError(`"${before.name}" is the default ${before.kind} model; make another ${before.kind} model the default first`, { field: 'isDefault' });
    const [row] = await tx.update(scoreModels).set({ active: false, updatedAt: sql`now()` }).where(eq(scoreModels.id, id)).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'score_model.archived',
      entityType: 'score_model',
      entityId: id,
      summary: `Archived ${before.kind} model "${before.name}"`,
      changes: { active: { from: true, to: false } },
    });
    return toModelDto(row!);
  });
}

export async function restoreModel({ ctx, id }: { ctx: Ctx; id: number }): Promise<ScoreModel> {
  return withTransaction(ctx, async (tx) => {
    const before = await lockModel(tx, id);
    if (before.active) return toModelDto(before);
    const [row] = await tx.update(scoreModels).set({ active: true, updatedAt: sql`now()` }).where(eq(scoreModels.id, id)).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'score_model.restored',
      entityType: 'score_model',
      entityId: id,
      summary: `Restored ${before.kind} model "${before.name}"`,
      changes: { active: { from: false, to: true } },
    });
    return toModelDto(row!);
  });
}

export async function setDefaultModel({ ctx, id }: { ctx: Ctx; id: number }): Promise<ScoreModel> {
  return withTransaction(ctx, async (tx) => {
    // Lock every model of the workspace's kinds in id order, so two concurrent "make default" calls serialize.
    await tx.execute(sql`select id from score_models where workspace_id = ${WS} order by id for update`);
    const before = await lockModel(tx, id);
    if (!before.active) throw new ConflictError(`"${before.name}" is archived; restore it before making it the default`, { field: 'active' });
    if (before.isDefault) return toModelDto(before);
    const [previous] = await tx
      .select({ id: scoreModels.id, name: scoreModels.name })
      .from(scoreModels)
      .where(and(eq(scoreModels.workspaceId, WS), eq(scoreModels.kind, before.kind), eq(scoreModels.isDefault, true)));
    await clearDefault(tx, before.kind, id);
    const [row] = await tx.update(scoreModels).set({ isDefault: true, updatedAt: sql`now()` }).where(eq(scoreModels.id, id)).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'score_model.default_set',
      entityType: 'score_model',
      entityId: id,
      summary: `Made "${before.name}" the default ${before.kind} model${previous ? ` instead of "${previous.name}"` : ''}`,
      changes: { isDefault: { from: false, to: true }, ...(previous ? { previousDefault: { from: previous.id, to: null } } : {}) },
    });
    return toModelDto(row!);
  });
}
