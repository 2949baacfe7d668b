// Reads: a program's enrolment counts per step (waiting there now, step runs, outcomes), end reasons,
// enrolments per version; enrolment lists (per program, step or contact) and one enrolment's step runs.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { EnrolmentListQuery, STEP_LABELS, type Enrolment } from '../../contracts/nurture.ts';
import { NotFoundError } from '../../errors.ts';
import { loadProgramRow } from './programs.ts';

export async function programStats({ ctx, id }: { ctx: Ctx; id: number }) {
  const p = await loadProgramRow(ctx.db, id);
  const [byStatus, waiting, runs, reasons, versions] = await Promise.all([
    ctx.db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from nurture_enrolments where program_id = ${id} group by 1`),
    ctx.db.execute<{ step_id: string; n: number }>(sql`select step_id, count(*)::int as n from nurture_enrolments where program_id = ${id} and status = 'active' group by 1`),
    ctx.db.execute<{ step_id: string; outcome: string | null; n: number }>(sql`
      select step_id, coalesce(outcome->>'email', outcome->>'branch', case when outcome ? 'happened' then case when (outcome->>'happened')::boolean then 'event' else 'timeout' end end) as outcome, count(*)::int as n
      from nurture_step_runs where program_id = ${id} group by 1, 2`),
    ctx.db.execute<{ end_reason: string; n: number }>(sql`select end_reason, count(*)::int as n from nurture_enrolments where program_id = ${id} and status <> 'active' group by 1`),
    ctx.db.execute<{ version: number; n: number }>(sql`select version, count(*)::int as n from nurture_enrolments where program_id = ${id} and status = 'active' group by 1 order by 1`),
  ]);
  const counts = { active: 0, completed: 0, exited: 0, goalReached: 0, total: 0 };
  for (const r of byStatus.rows) {
    counts[r.status === 'goal_reached' ? 'goalReached' : (r.status as 'active')] += r.n;
    counts.total += r.n;
  }
  const steps = p.definition.steps.map((s) => {
    const mine = runs.rows.filter((r) => r.step_id === s.id);
    return {
      stepId: s.id,
      type: s.type,
      label: s.label || STEP_LABELS[s.type],
      waiting: waiting.rows.find((w) => w.step_id === s.id)?.n ?? 0,
      runs: mine.reduce((a, r) => a + r.n, 0),
      outcomes: Object.fromEntries(mine.filter((r) => r.outcome).map((r) => [r.outcome!, r.n])),
    };
  });
  return { counts, steps, endReasons: Object.fromEntries(reasons.rows.map((r) => [r.end_reason ?? 'unknown', r.n])), versions: versions.rows.map((r) => ({ version: r.version, active: r.n })) };
}

function toEnrolment(r: any): Enrolment {
  return {
    id: Number(r.id),
    programId: r.program_id,
    programName: r.program_name,
    version: r.version,
    contact: { id: Number(r.contact_id), email: r.email, name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null },
    entryNumber: r.entry_number,
    status: r.status,
    stepId: r.step_id,
    seq: r.seq,
    nextRunAt: r.next_run_at ? new Date(r.next_run_at).toISOString() : null,
    endReason: r.end_reason,
    enteredAt: new Date(r.entered_at).toISOString(),
    endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
  };
}

const SELECT = sql`select e.*, p.name as program_name, c.email, c.first_name, c.last_name
  from nurture_enrolments e join nurture_programs p on p.id = e.program_id join contacts c on c.id = e.contact_id`;

export async function listEnrolments({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ items: Enrolment[] }> {
  const q = EnrolmentListQuery.parse(input);
  const conds = [sql`e.workspace_id = 1`];
  if (q.programId) conds.push(sql`e.program_id = ${q.programId}`);
  if (q.contactId) conds.push(sql`e.contact_id = ${q.contactId}`);
  if (q.status) conds.push(sql`e.status = ${q.status}`);
  if (q.stepId) conds.push(sql`e.step_id = ${q.stepId}`);
  const { rows } = await ctx.db.execute(sql`${SELECT} where ${sql.join(conds, sql` and `)} order by e.entered_at desc, e.id desc limit ${q.limit}`);
  return { items: rows.map(toEnrolment) };
}

export async function getEnrolment({ ctx, id }: { ctx: Ctx; id: number }) {
  const { rows } = await ctx.db.execute(sql`${SELECT} where e.id = ${id}`);
  if (!rows[0]) throw new NotFoundError('Enrolment', id);
  const runs = await ctx.db.execute<any>(sql`select seq, step_id, step_type, outcome, content_item_id, ran_at from nurture_step_runs where enrolment_id = ${id} order by seq`);
  return {
    ...toEnrolment(rows[0]),
    runs: runs.rows.map((r) => ({ seq: r.seq, stepId: r.step_id, stepType: r.step_type, outcome: r.outcome, contentItemId: r.content_item_id, ranAt: new Date(r.ran_at).toISOString() })),
  };
}
