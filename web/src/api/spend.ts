// Spend API: cost lines (list, CRUD, CSV import/export), tools, the job map + Frankenstack report, random acts,
// the planning view and the marketing fitness test.
import type { z } from 'zod';
import type {
  CostImportResult, CostLine, CostLineList, FitnessHistory, FitnessScorecard, FrankenstackReport, JobMapStep, PlanningView, RandomActsReport, Tool, ToolList,
} from '../../../src/contracts/spend.ts';
import { del, get, patch, post, qs, request, upload } from './client.ts';

export type { CostImportResult, CostLine, CostLineList, FitnessScorecard, FrankenstackReport, JobMapStep, PlanningView, RandomActsReport, Tool };
export { COST_CATEGORIES } from '../../../src/contracts/spend.ts';
export type CostCategory = CostLine['category'];
type Params = Record<string, string | undefined>;

export const CATEGORY_LABELS: Record<CostCategory, string> = { media: 'Media', content: 'Content', events: 'Events', tools: 'Tools', people: 'People', sales: 'Sales', other: 'Other' };

export const spendKeys = {
  costs: (p: Params) => ['costs', p] as const,
  tools: ['tools'] as const,
  jobMap: ['job-map'] as const,
  frankenstack: ['job-map', 'frankenstack'] as const,
  randomActs: (p: Params) => ['random-acts', p] as const,
  planning: (quarter: string) => ['planning', quarter] as const,
  fitness: ['fitness'] as const,
  fitnessHistory: ['fitness', 'history'] as const,
};

export const listCosts = (p: Params) => get<CostLineList>(`/costs${qs(p)}`);
export const costsExportUrl = (p: Params) => `/api/v1/costs/export${qs(p)}`;
export const createCost = (input: Record<string, unknown>) => post<CostLine>('/costs', input);
export const updateCost = (id: number, input: Record<string, unknown>) => patch<CostLine>(`/costs/${id}`, input);
export const deleteCost = (id: number) => del<unknown>(`/costs/${id}`);
export function importCosts(file: File) {
  const form = new FormData();
  form.append('file', file);
  return upload<CostImportResult>('/costs/import', form, () => undefined);
}
export const listTools = () => get<z.infer<typeof ToolList>>('/tools');
export const createTool = (input: Record<string, unknown>) => post<Tool>('/tools', input);
export const updateTool = (id: number, input: Record<string, unknown>) => patch<Tool>(`/tools/${id}`, input);
export const deleteTool = (id: number) => del<unknown>(`/tools/${id}`);
export const getJobMap = () => get<{ job: string; steps: JobMapStep[] }>('/job-map');
export const updateJobMapStep = (key: string, input: { name?: string; goal?: string; outcomes?: string[] }) => patch<JobMapStep>(`/job-map/steps/${encodeURIComponent(key)}`, input);
export const resetJobMap = () => post<{ job: string; steps: JobMapStep[] }>('/job-map/reset');
export const getFrankenstack = () => get<FrankenstackReport>('/job-map/frankenstack');
export const getRandomActs = (p: Params) => get<RandomActsReport>(`/plan/random-acts${qs(p)}`);
export const getPlanning = (quarter: string) => get<PlanningView>(`/plan/planning${qs({ quarter })}`);
export const getFitness = () => get<FitnessScorecard>('/plan/fitness');
export const getFitnessHistory = () => get<z.infer<typeof FitnessHistory>>('/plan/fitness/history');
export const takeFitnessSnapshot = () => post<FitnessScorecard>('/plan/fitness/snapshots');

/** Objectives for pickers, flattened from the objective tree (indented by level). */
type Node = { id: number; title: string; level: string; children?: Node[] };
export async function listObjectiveOptions(): Promise<{ id: number; title: string; depth: number }[]> {
  const tree = await get<{ roots: Node[] }>('/objectives');
  const out: { id: number; title: string; depth: number }[] = [];
  const walk = (n: Node, depth: number) => {
    out.push({ id: n.id, title: n.title, depth });
    for (const c of n.children ?? []) walk(c, depth + 1);
  };
  for (const r of tree.roots) walk(r, 0);
  return out;
}

export function currentQuarter(d = new Date()): string {
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}
export function shiftQuarter(q: string, by: number): string {
  const y = Number(q.slice(0, 4));
  const n = Number(q.slice(6)) - 1 + by;
  return `${y + Math.floor(n / 4)}-Q${(((n % 4) + 4) % 4) + 1}`;
}

/** Ties a random act to an objective: campaigns and tools by PATCH, content items by PUT …/objective. */
export function linkToObjective(kind: 'campaign' | 'tool' | 'content_item', id: number, objectiveId: number): Promise<unknown> {
  if (kind === 'campaign') return patch(`/campaigns/${id}`, { objectiveId });
  if (kind === 'tool') return patch(`/tools/${id}`, { objectiveId });
  return request('PUT', `/content/items/${id}/objective`, { objectiveId });
}
