// KPIs of an objective (a catalog metric with filters, or a manual metric) and the check-ins of manual KPIs.
import { and, eq } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { CheckinInput, KpiInput, KpiPatch, type KpiFilters } from '../../contracts/objectives.ts';
import { NotFoundError } from '../../errors.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { checkFilterRefs } from './metrics/filters.ts';
import { checkMetricBinding } from './metrics/registry.ts';
import './metrics/catalog.ts';
import { fieldError, loadObjectiveRow, WS } from './objectives.ts';
import { kpiCheckins, objectiveKpis, type ObjectiveKpiRow } from './schema-objectives.ts';

async function loadKpi(db: Ctx['db'], id: number): Promise<ObjectiveKpiRow> {
  const [row] = await db.select().from(objectiveKpis).where(and(eq(objectiveKpis.workspaceId, WS), eq(objectiveKpis.id, id)));
  if (!row) throw new NotFoundError('KPI', id);
  return row;
}

async function checkBinding(db: Ctx['db'], k: { source: 'metric' | 'manual'; metricKey: string | null; filters: KpiFilters }): Promise<void> {
  if (k.source === 'metric') {
    checkMetricBinding(k.metricKey, k.filters);
    await checkFilterRefs(db, k.filters);
  } else {
    if (k.metricKey) throw fieldError('metricKey', 'a manual KPI has no catalog metric (use source "metric")');
    if (Object.keys(k.filters).length) throw fieldError('filters', 'a manual KPI takes no filters');
  }
}

export async function createKpi({ ctx, objectiveId, input }: { ctx: Ctx; objectiveId: number; input: unknown }): Promise<{ id: number }> {
  const body = KpiInput.parse(input);
  const objective = await loadObjectiveRow(ctx.db, objectiveId);
  await checkBinding(ctx.db, { source: body.source, metricKey: body.metricKey ?? null, filters: body.filters });
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(objectiveKpis)
      .values({
        workspaceId: WS,
        objectiveId,
        name: body.name,
        source: body.source,
        metricKey: body.source === 'metric' ? body.metricKey! : null,
        filters: body.filters,
        unit: body.unit ?? null,
        baseline: body.baseline ?? null,
        target: body.target ?? null,
        direction: body.direction,
      })
      .returning();
    await recordAudit(tx, ctx.actor, { action: 'objective.kpi_added', entityType: 'objective', entityId: objectiveId, summary: `Added KPI "${row!.name}" to objective "${objective.title}"` });
    return { id: row!.id };
  });
}

export async function updateKpi({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<void> {
  const patch = KpiPatch.parse(input);
  const before = await loadKpi(ctx.db, id);
  const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as ObjectiveKpiRow;
  await checkBinding(ctx.db, next);
  const changes = diffFields(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
  if (!Object.keys(changes).length) return;
  await withTransaction(ctx, async (tx) => {
    await tx
      .update(objectiveKpis)
      .set({ name: next.name, metricKey: next.metricKey, filters: next.filters, unit: next.unit, baseline: next.baseline, target: next.target, direction: next.direction, updatedAt: new Date() })
      .where(eq(objectiveKpis.id, id));
    await recordAudit(tx, ctx.actor, { action: 'objective.kpi_updated', entityType: 'objective', entityId: before.objectiveId, summary: `Changed KPI "${next.name}": ${Object.keys(changes).join(', ')}`, changes });
  });
}

export async function deleteKpi({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  const before = await loadKpi(ctx.db, id);
  await withTransaction(ctx, async (tx) => {
    await tx.delete(objectiveKpis).where(eq(objectiveKpis.id, id));
    await recordAudit(tx, ctx.actor, { action: 'objective.kpi_deleted', entityType: 'objective', entityId: before.objectiveId, summary: `Deleted KPI "${before.name}" and its check-ins` });
  });
}

export async function addCheckin({ ctx, kpiId, input }: { ctx: Ctx; kpiId: number; input: unknown }): Promise<{ id: number }> {
  const body = CheckinInput.parse(input);
  const kpi = await loadKpi(ctx.db, kpiId);
  if (kpi.source !== 'manual') throw fieldError('kpiId', `KPI "${kpi.name}" is computed from the metric catalog; only manual KPIs take check-ins`);
  const at = body.at ? new Date(body.at) : new Date();
  if (at.getTime() > Date.now() + 60_000) throw fieldError('at', 'cannot be in the future');
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.insert(kpiCheckins).values({ workspaceId: WS, kpiId, value: body.value, at, note: body.note ?? null, byUserId: ctx.actor.userId }).returning();
    await recordAudit(tx, ctx.actor, { action: 'objective.kpi_checkin', entityType: 'objective', entityId: kpi.objectiveId, summary: `Checked in ${body.value} on KPI "${kpi.name}"` });
    return { id: row!.id };
  });
}

export async function deleteCheckin({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  const [row] = await ctx.db.select().from(kpiCheckins).where(and(eq(kpiCheckins.workspaceId, WS), eq(kpiCheckins.id, id)));
  if (!row) throw new NotFoundError('Check-in', id);
  const kpi = await loadKpi(ctx.db, row.kpiId);
  await withTransaction(ctx, async (tx) => {
    await tx.delete(kpiCheckins).where(eq(kpiCheckins.id, id));
    await recordAudit(tx, ctx.actor, { action: 'objective.kpi_checkin_deleted', entityType: 'objective', entityId: kpi.objectiveId, summary: `Deleted the check-in of ${row.value} on KPI "${kpi.name}"` });
  });
}
