// Cost lines: planned / actual spend per month and category, linked to a campaign or a tool (or to nothing: spend
// nobody tied to a goal). A line's objective comes through its campaign or tool. One line per (campaign | tool |
// neither) × month × category (409 on a second one; the CSV import updates it instead).
import { and, asc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { CostLineInput, CostLinePatch, CostLineQuery, type CostCategory, type CostLine, type CostLineList } from '../../contracts/spend.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { campaigns } from './schema.ts';
import { objectives } from './schema-objectives.ts';
import { costLines, tools, type CostLineRow } from './schema-spend.ts';

const WS = 1;

export function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

/** What a line cost: the actual once reported, else the plan. */
export const spendSql = sql<number>`coalesce(${costLines.actual}, ${costLines.planned})`;
const objectiveIdSql = sql<number | null>`coalesce(${campaigns.objectiveId}, ${tools.objectiveId})`;

function lineSelect(db: Queryable) {
  return db
    .select({
      line: costLines,
      campaignName: campaigns.name,
      toolName: tools.name,
      objectiveId: objectiveIdSql,
      objectiveTitle: objectives.title,
    })
    .from(costLines)
    .leftJoin(campaigns, eq(campaigns.id, costLines.campaignId))
    .leftJoin(tools, eq(tools.id, costLines.toolId))
    .leftJoin(objectives, eq(objectives.id, objectiveIdSql));
}

type Joined = { line: CostLineRow; campaignName: string | null; toolName: string | null; objectiveId: number | null; objectiveTitle: string | null };
function toDto(r: Joined): CostLine {
  const l = r.line;
  return {
    id: l.id,
    campaign: l.campaignId === null ? null : { id: l.campaignId, name: r.campaignName ?? '' },
    tool: l.toolId === null ? null : { id: l.toolId, name: r.toolName ?? '' },
    objective: r.objectiveId === null ? null : { id: Number(r.objectiveId), title: r.objectiveTitle ?? '' },
    month: l.month,
    category: l.category,
    planned: Number(l.planned),
    actual: l.actual === null ? null : Number(l.actual),
    currency: l.currency,
    note: l.note,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}

export function costConditions(q: { from?: string; to?: string; campaignId?: number; toolId?: number; category?: CostCategory }): SQL[] {
  const conds: SQL[] = [eq(costLines.workspaceId, WS)];
  if (q.from) conds.push(gte(costLines.month, q.from));
  if (q.to) conds.push(lte(costLines.month, q.to));
  if (q.campaignId) conds.push(eq(costLines.campaignId, q.campaignId));
  if (q.toolId) conds.push(eq(costLines.toolId, q.toolId));
  if (q.category) conds.push(eq(costLines.category, q.category));
  return conds;
}

/** Cost lines in [from, to] (months), optionally of one campaign / tool / category, with totals by category and month. */
export async function costLines_({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<CostLineList> {
  const q = CostLineQuery.parse(input ?? {});
  const rows = await lineSelect(ctx.db)
    .where(and(...costConditions(q)))
    .orderBy(asc(costLines.month), asc(costLines.category), asc(costLines.id))
    .limit(10_000);
  const items = rows.map(toDto);
  const sum = (xs: CostLine[]) => ({ planned: round(xs.reduce((a, x) => a + x.planned, 0)), actual: round(xs.reduce((a, x) => a + (x.actual ?? 0), 0)) });
  const group = <K extends string>(key: (x: CostLine) => K) => {
    const m = new Map<K, CostLine[]>();
    for (const x of items) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
    return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  };
  return {
    items,
    totals: sum(items),
    byCategory: group((x) => x.category).map(([category, xs]) => ({ category, ...sum(xs) })),
    byMonth: group((x) => x.month).map(([month, xs]) => ({ month, ...sum(xs) })),
  };
}
export { costLines_ as costLines };

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export async function getCostLine({ ctx, id }: { ctx: Ctx; id: number }): Promise<CostLine> {
  const [row] = await lineSelect(ctx.db).where(and(eq(costLines.workspaceId, WS), eq(costLines.id, id)));
  if (!row) throw new NotFoundError('Cost line', id);
  return toDto(row);
}

/** Checks the campaign / tool exist (400 naming the field). */
export async function checkCostRefs(db: Queryable, input: { campaignId?: number | null; toolId?: number | null }): Promise<void> {
  if (input.campaignId != null) {
    const [c] = await db.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.workspaceId, WS), eq(campaigns.id, input.campaignId)));
    if (!c) throw fieldError('campaignId', `campaign ${input.campaignId} does not exist`);
  }
  if (input.toolId != null) {
    const [t] = await db.select({ id: tools.id }).from(tools).where(and(eq(tools.workspaceId, WS), eq(tools.id, input.toolId)));
    if (!t) throw fieldError('toolId', `tool ${input.toolId} does not exist`);
  }
}

type Key = { campaignId: number | null; toolId: number | null; month: string; category: CostCategory };
export async function findByKey(db: Queryable, k: Key): Promise<CostLineRow | undefined> {
  const [row] = await db
    .select()
    .from(costLines)
    .where(
      and(
        eq(costLines.workspaceId, WS),
        k.campaignId === null ? sql`${costLines.campaignId} is null` : eq(costLines.campaignId, k.campaignId),
        k.toolId === null ? sql`${costLines.toolId} is null` : eq(costLines.toolId, k.toolId),
        eq(costLines.month, k.month),
        eq(costLines.category, k.category),
      ),
    );
  return row;
}

function duplicate(k: Key, existingId: number): ConflictError {
  return new ConflictError(`month: there is already a ${k.category} cost line for ${k.month.slice(0, 7)} on this ${k.campaignId ? 'campaign' : k.toolId ? 'tool' : 'unlinked spend'} (line ${existingId}); change that one`, [
    { field: 'month', message: `already has a ${k.category} line (${existingId})` },
  ]);
}

export async function createCostLine({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<CostLine> {
  const body = CostLineInput.parse(input);
  await checkCostRefs(ctx.db, body);
  const key: Key = { campaignId: body.campaignId ?? null, toolId: body.toolId ?? null, month: body.month, category: body.category };
  const id = await withTransaction(ctx, async (tx) => {
    const existing = await findByKey(tx, key);
    if (existing) throw duplicate(key, existing.id);
    const [row] = await tx
      .insert(costLines)
      .values({ workspaceId: WS, ...key, planned: body.planned, actual: body.actual ?? null, currency: body.currency, note: body.note ?? null, createdBy: ctx.actor.userId })
      .returning();
    await recordAudit(tx, ctx.actor, { action: 'cost_line.created', entityType: 'cost_line', entityId: row!.id, summary: `Added ${row!.category} cost for ${row!.month.slice(0, 7)}: planned ${row!.planned}, actual ${row!.actual ?? '—'}` });
    return row!.id;
  });
  return getCostLine({ ctx, id });
}

export async function updateCostLine({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<CostLine> {
  const patch = CostLinePatch.parse(input);
  await checkCostRefs(ctx.db, patch);
  await withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(costLines).where(and(eq(costLines.workspaceId, WS), eq(costLines.id, id))).for('update');
    if (!before) throw new NotFoundError('Cost line', id);
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as CostLineRow;
    if (next.campaignId !== null && next.toolId !== null) throw fieldError('toolId', 'a cost line links to a campaign or a tool, not both');
    const changes = diffFields(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    if (!Object.keys(changes).length) return;
    const other = await findByKey(tx, next);
    if (other && other.id !== id) throw duplicate(next, other.id);
    await tx
      .update(costLines)
      .set({ campaignId: next.campaignId, toolId: next.toolId, month: next.month, category: next.category, planned: next.planned, actual: next.actual, currency: next.currency, note: next.note, updatedAt: new Date() })
      .where(eq(costLines.id, id));
    await recordAudit(tx, ctx.actor, { action: 'cost_line.updated', entityType: 'cost_line', entityId: id, summary: `Changed cost line ${id}: ${Object.keys(changes).join(', ')}`, changes });
  });
  return getCostLine({ ctx, id });
}

export async function deleteCostLine({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.delete(costLines).where(and(eq(costLines.workspaceId, WS), eq(costLines.id, id))).returning();
    if (!row) throw new NotFoundError('Cost line', id);
    await recordAudit(tx, ctx.actor, { action: 'cost_line.deleted', entityType: 'cost_line', entityId: id, summary: `Deleted ${row.category} cost line for ${row.month.slice(0, 7)} (planned ${row.planned}, actual ${row.actual ?? '—'})` });
  });
}
