// Objectives API: the tree, an objective's page, objectives, KPIs, check-ins, initiatives and the metric catalog.
import type { z } from 'zod';
import type { CheckinInput, Initiative, InitiativeInput, KpiInput, MetricDef, ObjectiveDetail, ObjectiveInput, ObjectiveNode, ObjectiveTree } from '../../../src/contracts/objectives.ts';
import { del, get, patch, post, qs } from './client.ts';

export type { Initiative, MetricDef, ObjectiveDetail, ObjectiveNode, ObjectiveTree };
export type Kpi = ObjectiveDetail['kpis'][number];
export type ObjectiveLevel = ObjectiveNode['level'];
export type ObjectiveStatus = ObjectiveNode['status'];
export { OBJECTIVE_LEVEL_LABELS } from '../../../src/contracts/objectives.ts';
export const OBJECTIVE_LEVELS: ObjectiveLevel[] = ['company', 'marketing', 'team', 'individual'];
export const OBJECTIVE_STATUSES: ObjectiveStatus[] = ['draft', 'active', 'achieved', 'missed', 'cancelled'];
export const OBJECTIVE_STATUS_LABELS: Record<ObjectiveStatus, string> = { draft: 'Draft', active: 'Active', achieved: 'Achieved', missed: 'Missed', cancelled: 'Cancelled' };

export const objectiveKeys = {
  tree: (period: string) => ['objectives', 'tree', period] as const,
  objective: (id: number) => ['objectives', 'objective', id] as const,
  metrics: ['objectives', 'metrics'] as const,
  initiatives: (objectiveId?: number) => ['objectives', 'initiatives', objectiveId ?? 'all'] as const,
};

export const getObjectiveTree = (period: string) => get<ObjectiveTree>(`/objectives${qs({ period: period || undefined })}`);
export const getObjective = (id: number) => get<ObjectiveDetail>(`/objectives/${id}`);
export const createObjective = (input: z.input<typeof ObjectiveInput>) => post<ObjectiveDetail>('/objectives', input);
export const updateObjective = (id: number, input: Partial<z.input<typeof ObjectiveInput>>) => patch<ObjectiveDetail>(`/objectives/${id}`, input);
export const deleteObjective = (id: number) => del<unknown>(`/objectives/${id}`);
export const listMetrics = () => get<{ items: MetricDef[] }>('/metrics');
export const metricValue = (key: string, params: { from: string; to: string; segmentId?: number; campaignId?: number; product?: string }) =>
  get<{ value: number | null }>(`/metrics/${encodeURIComponent(key)}/value${qs(params)}`);
/** Segments for the KPI filter picker (the market domain's list). */
export const listSegmentNames = () => get<{ items: { id: number; name: string }[] }>('/segments');

/** The period of the same length just before [from, to] (both inclusive). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const day = 86_400_000;
  const f = Date.parse(`${from}T00:00:00Z`);
  const t = Date.parse(`${to}T00:00:00Z`);
  return { from: new Date(f - (t - f) - day).toISOString().slice(0, 10), to: new Date(f - day).toISOString().slice(0, 10) };
}
export const createKpi = (objectiveId: number, input: z.input<typeof KpiInput>) => post<{ id: number }>(`/objectives/${objectiveId}/kpis`, input);
export const updateKpi = (id: number, input: Partial<z.input<typeof KpiInput>>) => patch<unknown>(`/objectives/kpis/${id}`, input);
export const deleteKpi = (id: number) => del<unknown>(`/objectives/kpis/${id}`);
export const addCheckin = (kpiId: number, input: z.input<typeof CheckinInput>) => post<{ id: number }>(`/objectives/kpis/${kpiId}/checkins`, input);
export const listInitiatives = (objectiveId?: number) => get<{ items: Initiative[] }>(`/initiatives${qs({ objectiveId })}`);
export const createInitiative = (input: z.input<typeof InitiativeInput>) => post<Initiative>('/initiatives', input);
export const deleteInitiative = (id: number) => del<unknown>(`/initiatives/${id}`);

/** Every objective of a tree, depth first, with its depth (for pickers). */
export function flattenTree(nodes: ObjectiveNode[], depth = 0): { node: ObjectiveNode; depth: number }[] {
  return nodes.flatMap((n) => [{ node: n, depth }, ...flattenTree(n.children, depth + 1)]);
}

export const pct = (x: number | null | undefined) => (x == null ? '—' : `${Math.round(x * 100)} %`);

/** A KPI value with its unit: 1,234 contacts, $12,000, 33.3 %, 4.5 days. */
export function formatKpiValue(v: number | null | undefined, unit: string | null): string {
  if (v == null) return '—';
  const n = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(v);
  if (unit === 'USD') return `$${new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(v)}`;
  if (unit === '%') return `${n} %`;
  return unit ? `${n} ${unit}` : n;
}
