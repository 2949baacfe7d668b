// Buying-stage rules (page URL pattern → stage): list, create, change, delete, with audit rows.
import { and, asc, eq, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { NotFoundError } from '../../errors.ts';
import { StageRuleInput, StageRulePatch, type StageRule } from '../../contracts/scoring.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { buyingStageRules } from './schema.ts';
import { requestBuyingStageRefresh } from './stage-refresh.ts';

const WS = 1;
type Row = typeof buyingStageRules.$inferSelect;

function toDto(r: Row): StageRule {
  return { id: r.id, pattern: r.pattern, stage: r.stage, position: r.position, createdAt: r.createdAt.toISOString() };
}

export async function listStageRules({ ctx }: { ctx: Ctx }): Promise<{ items: StageRule[] }> {
  const rows = await ctx.db
    .select()
    .from(buyingStageRules)
    .where(eq(buyingStageRules.workspaceId, WS))
    .orderBy(asc(buyingStageRules.position), asc(buyingStageRules.id));
  return { items: rows.map(toDto) };
}

export async function createStageRule({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<StageRule> {
  const data = StageRuleInput.parse(input);
  const rule = await withTransaction(ctx, async (tx) => {
    let position = data.position;
    if (position === undefined) {
      const res = await tx.execute(sql`select coalesce(max(position) + 1, 0)::int as p from buying_stage_rules where workspace_id = ${WS}`);
      position = Number(res.rows[0]!.p);
    }
    const [row] = await tx.insert(buyingStageRules).values({ workspaceId: WS, pattern: data.pattern, stage: data.stage, position }).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'buying_stage_rule.created',
      entityType: 'buying_stage_rule',
      entityId: row!.id,
      summary: `Pages ${row!.pattern} → buying stage ${row!.stage}`,
      changes: diffFields({}, { pattern: row!.pattern, stage: row!.stage, position: row!.position }),
    });
    return toDto(row!);
  });
  await requestBuyingStageRefresh(ctx);
  return rule;
}

export async function updateStageRule({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<StageRule> {
  const data = StageRulePatch.parse(input);
  let changed = false;
  const rule = await withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(buyingStageRules).where(and(eq(buyingStageRules.id, id), eq(buyingStageRules.workspaceId, WS))).for('update');
    if (!before) throw new NotFoundError('Buying-stage rule', id);
    const after = { pattern: data.pattern ?? before.pattern, stage: data.stage ?? before.stage, position: data.position ?? before.position };
    const changes = diffFields({ pattern: before.pattern, stage: before.stage, position: before.position }, after);
    if (!Object.keys(changes).length) return toDto(before);
    changed = true;
    const [row] = await tx.update(buyingStageRules).set(after).where(eq(buyingStageRules.id, id)).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'buying_stage_rule.updated',
      entityType: 'buying_stage_rule',
      entityId: id,
      summary: `Changed buying-stage rule ${after.pattern} → ${after.stage}: ${Object.keys(changes).join(', ')}`,
      changes,
    });
    return toDto(row!);
  });
  if (changed) await requestBuyingStageRefresh(ctx);
  return rule;
}

export async function deleteStageRule({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [before] = await tx.delete(buyingStageRules).where(and(eq(buyingStageRules.id, id), eq(buyingStageRules.workspaceId, WS))).returning();
    if (!before) throw new NotFoundError('Buying-stage rule', id);
    await recordAudit(tx, ctx.actor, {
      action: 'buying_stage_rule.deleted',
      entityType: 'buying_stage_rule',
      entityId: id,
      summary: `Removed buying-stage rule ${before.pattern} → ${before.stage}`,
      changes: diffFields({ pattern: before.pattern, stage: before.stage }, { pattern: null, stage: null }),
    });
  });
  await requestBuyingStageRefresh(ctx);
}
