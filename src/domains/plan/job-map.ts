// The marketer's job map ("create a qualified lead"): the workspace's editable copy of the default template (created
// on first use), step edits, reset to the template, and the Frankenstack report (tools laid on the steps: gaps =
// steps no tool serves, overlaps = steps several tools serve, with what they cost together).
import { and, asc, eq, inArray } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { JobMapStepPatch, type FrankenstackReport, type JobMapStep } from '../../contracts/spend.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { DEFAULT_JOB_MAP, JOB_NAME } from './job-map-template.ts';
import { round } from './costs.ts';
import { jobMapSteps, tools, toolSteps } from './schema-spend.ts';

const WS = 1;

async function insertTemplate(db: Queryable): Promise<void> {
  await db
    .insert(jobMapSteps)
    .values(DEFAULT_JOB_MAP.map((s, i) => ({ workspaceId: WS, key: s.key, position: i, name: s.name, goal: s.goal, outcomes: s.outcomes, isStepZero: !!s.isStepZero })))
    .onConflictDoNothing();
}

/** The workspace's steps in order (the default template is written on first use). */
export async function loadSteps(db: Queryable): Promise<JobMapStep[]> {
  let rows = await db.select().from(jobMapSteps).where(eq(jobMapSteps.workspaceId, WS)).orderBy(asc(jobMapSteps.position), asc(jobMapSteps.id));
  if (!rows.length) {
    await insertTemplate(db);
    rows = await db.select().from(jobMapSteps).where(eq(jobMapSteps.workspaceId, WS)).orderBy(asc(jobMapSteps.position), asc(jobMapSteps.id));
  }
  return rows.map((r) => ({ id: r.id, key: r.key, position: r.position, name: r.name, goal: r.goal, outcomes: r.outcomes, isStepZero: r.isStepZero }));
}

export async function getJobMap({ ctx }: { ctx: Ctx }): Promise<{ job: string; steps: JobMapStep[] }> {
  return { job: JOB_NAME, steps: await loadSteps(ctx.db) };
}

export async function updateJobMapStep({ ctx, key, input }: { ctx: Ctx; key: string; input: unknown }): Promise<JobMapStep> {
  const patch = JobMapStepPatch.parse(input);
  await loadSteps(ctx.db);
  await withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(jobMapSteps).where(and(eq(jobMapSteps.workspaceId, WS), eq(jobMapSteps.key, key))).for('update');
    if (!before) throw new NotFoundError('Job map step', key);
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    const changes = diffFields(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    if (!Object.keys(changes).length) return;
    await tx.update(jobMapSteps).set({ name: next.name, goal: next.goal, outcomes: next.outcomes, updatedAt: new Date() }).where(eq(jobMapSteps.id, before.id));
    await recordAudit(tx, ctx.actor, { action: 'job_map.step_updated', entityType: 'job_map_step', entityId: key, summary: `Changed job map step "${next.name}": ${Object.keys(changes).join(', ')}`, changes });
  });
  return (await loadSteps(ctx.db)).find((s) => s.key === key)!;
}

/** Puts the default names, goals and outcomes back (tool mappings stay: steps keep their ids). */
export async function resetJobMap({ ctx }: { ctx: Ctx }): Promise<{ job: string; steps: JobMapStep[] }> {
  await loadSteps(ctx.db);
  await withTransaction(ctx, async (tx) => {
    for (const [i, s] of DEFAULT_JOB_MAP.entries()) {
      await tx
        .insert(jobMapSteps)
        .values({ workspaceId: WS, key: s.key, position: i, name: s.name, goal: s.goal, outcomes: s.outcomes, isStepZero: !!s.isStepZero })
        .onConflictDoUpdate({ target: [jobMapSteps.workspaceId, jobMapSteps.key], set: { position: i, name: s.name, goal: s.goal, outcomes: s.outcomes, isStepZero: !!s.isStepZero, updatedAt: new Date() } });
    }
    await recordAudit(tx, ctx.actor, { action: 'job_map.reset', entityType: 'job_map_step', entityId: null, summary: 'Reset the job map to the default template' });
  });
  return getJobMap({ ctx });
}

/** step key → tool ids serving it. */
export async function toolIdsByStep(db: Queryable, toolIds?: number[]): Promise<Map<number, number[]>> {
  const rows = await db.select().from(toolSteps).where(toolIds ? inArray(toolSteps.toolId, toolIds.length ? toolIds : [-1]) : undefined);
  const m = new Map<number, number[]>();
  for (const r of rows) m.set(r.stepId, [...(m.get(r.stepId) ?? []), r.toolId]);
  return m;
}

export async function frankenstackReport({ ctx }: { ctx: Ctx }): Promise<FrankenstackReport> {
  const steps = await loadSteps(ctx.db);
  const allTools = await ctx.db.select().from(tools).where(eq(tools.workspaceId, WS)).orderBy(asc(tools.name));
  const byId = new Map(allTools.map((t) => [t.id, t]));
  const byStep = await toolIdsByStep(ctx.db);
  const mapped = new Set([...byStep.values()].flat());
  const cost = (x: number | null) => (x === null ? 0 : Number(x));
  const out = steps.map((s) => {
    const ts = (byStep.get(s.id) ?? []).map((id) => byId.get(id)!).filter(Boolean).sort((a, b) => a.name.localeCompare(b.name));
    const status = ts.length === 0 ? ('gap' as const) : ts.length === 1 ? ('covered' as const) : ('overlap' as const);
    return {
      ...s,
      tools: ts.map((t) => ({ id: t.id, name: t.name, vendor: t.vendor, annualCost: t.annualCost === null ? null : Number(t.annualCost) })),
      status,
      overlapCost: status === 'overlap' ? round(ts.reduce((a, t) => a + cost(t.annualCost), 0)) : 0,
    };
  });
  const main = out.filter((s) => !s.isStepZero);
  return {
    job: JOB_NAME,
    stepZero: out.find((s) => s.isStepZero) ?? null,
    steps: main,
    gaps: main.filter((s) => s.status === 'gap').map((s) => s.name),
    overlaps: main.filter((s) => s.status === 'overlap').map((s) => ({ step: s.name, tools: s.tools.map((t) => t.name), annualCost: s.overlapCost })),
    unmappedTools: allTools.filter((t) => !mapped.has(t.id)).map((t) => ({ id: t.id, name: t.name, annualCost: t.annualCost === null ? null : Number(t.annualCost) })),
    totalAnnualCost: round(allTools.reduce((a, t) => a + cost(t.annualCost), 0)),
  };
}
