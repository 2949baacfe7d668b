// Dry run: which contacts would enter a program now and where each would be after N days if nothing else
// happened (no new events: wait-for-event steps time out; branches and criteria see today's data plus the
// program's own property and stage updates). Writes nothing. Test send: one email step for one contact.
import { sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { DryRunInput, TestSendInput, durationMs, STEP_LABELS, type DryRunResult, type Step } from '../../contracts/nurture.ts';
import { ValidationError, NotFoundError } from '../../errors.ts';
import type { LifecycleStage } from '../../contracts/lifecycle.ts';
import { isAllowed } from '../lifecycle/graph.ts';
import { recordAudit } from '../identity/audit.ts';
import { systemClock, type Clock } from './clock.ts';
import { nextOf, prepareDefinition } from './definitions.ts';
import { candidatesSql } from './enrol.ts';
import { loadFacts, prepareConditions } from './facts.ts';
import { loadProgramRow } from './programs.ts';
import { pickContent } from './content-pick.ts';
import { queueTestMessage } from './email-adapter.ts';

const SIMULATE_MAX = 5000;

export async function dryRun({ ctx, id, input, clock = systemClock }: { ctx: Ctx; id: number; input: unknown; clock?: Clock }): Promise<DryRunResult> {
  const q = DryRunInput.parse(input);
  const p = await loadProgramRow(ctx.db, id);
  const raw = q.definition ?? p.definition;
  const d = prepareDefinition(raw);
  const now = clock.now();
  const cand = sql`(${candidatesSql(p.id, raw, now)}) cand`;
  const [{ rows: cnt }, { rows: ids }, { rows: enrolled }] = await Promise.all([
    ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from ${cand}`),
    ctx.db.execute<{ id: number }>(sql`select cand.id from ${cand} order by cand.id limit ${SIMULATE_MAX}`),
    ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from nurture_enrolments where program_id = ${p.id} and status = 'active'`),
  ]);
  const contactIds = ids.map((r) => Number(r.id));
  const facts = await loadFacts(ctx.db, contactIds);
  for (const [k, f] of facts) facts.set(k, { ...f, properties: { ...f.properties } });
  const conds = [...d.def.exit, ...d.def.goals.map((g) => g.condition), ...d.def.steps.flatMap((s) => (s.type === 'branch' ? [s.condition] : []))];
  const subjects = contactIds.map((c) => ({ key: c, contactId: c, since: now }));
  const test = await prepareConditions(ctx.db, facts, subjects, conds);
  const horizon = q.days * 86_400_000;
  const positions = new Map<string, { stepId: string | null; label: string; count: number }>();
  const sample: DryRunResult['sample'] = [];
  const label = (s: Step) => s.label || STEP_LABELS[s.type];
  for (const cid of contactIds) {
    const subject = { key: cid, contactId: cid, since: now };
    const f = facts.get(cid)!;
    let t = 0;
    let cur: string | null = d.first;
    const path: string[] = [];
    let where: { stepId: string | null; label: string } | null = null;
    for (let i = 0; i < 500 && !where; i++) {
      const goal = d.def.goals.find((g) => test(subject, g.condition));
      if (goal) where = { stepId: null, label: `Goal reached: ${goal.name}` };
      else if (d.def.exit.some((c) => test(subject, c))) where = { stepId: null, label: 'Exited (exit criterion)' };
      else if (!cur) where = { stepId: null, label: 'Completed' };
      if (where) break;
      const step: Step = d.byId.get(cur!)!;
      const waitFor = step.type === 'wait' ? durationMs(step.duration) : step.type === 'wait_until' ? Math.max(0, new Date(step.until).getTime() - now.getTime() - t) : step.type === 'wait_event' ? durationMs(step.timeout) : 0;
      if (waitFor && t + waitFor > horizon) {
        where = { stepId: step.id, label: label(step) };
        break;
      }
      t += waitFor;
      path.push(step.id);
      if (step.type === 'exit') where = { stepId: null, label: 'Exited (exit step)' };
      else if (step.type === 'branch') cur = test(subject, step.condition) ? step.yes : step.no;
      else if (step.type === 'wait_event') cur = step.timeoutNext !== undefined ? step.timeoutNext : nextOf(d, step);
      else {
        if (step.type === 'update_property') f.properties[step.key] = step.value;
        if (step.type === 'update_stage' && isAllowed(f.stage as LifecycleStage, step.stage, 'rule')) f.stage = step.stage;
        cur = nextOf(d, step);
      }
    }
    where ??= { stepId: cur, label: 'Still running (loop)' };
    const k = `${where.stepId}|${where.label}`;
    const pos = positions.get(k) ?? { ...where, count: 0 };
    pos.count++;
    positions.set(k, pos);
    if (sample.length < q.sample) sample.push({ contact: { id: cid, email: f.email, name: [f.firstName, f.lastName].filter(Boolean).join(' ') || null }, ...where, path });
  }
  return { days: q.days, entering: cnt[0]!.n, alreadyEnrolled: enrolled[0]!.n, positions: [...positions.values()].sort((a, b) => b.count - a.count), sample, simulated: contactIds.length };
}

export async function testSend({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const q = TestSendInput.parse(input);
  const p = await loadProgramRow(ctx.db, id);
  const step = p.definition.steps.find((s) => s.id === q.stepId);
  if (!step) throw new ValidationError(`stepId: the program has no step "${q.stepId}"`, [{ field: 'stepId', message: 'no such step' }]);
  if (step.type !== 'send_email' && step.type !== 'send_content') throw new ValidationError(`stepId: step "${q.stepId}" is a ${step.type} step, not an email`, [{ field: 'stepId', message: 'not an email step' }]);
  const facts = await loadFacts(ctx.db, [q.contactId]);
  const f = facts.get(q.contactId);
  if (!f) throw new NotFoundError('Contact', q.contactId);
  return withTransaction(ctx, async (tx) => {
    let item: { itemId: number; title: string; stage: string } | null = null;
    if (step.type === 'send_content') item = (await pickContent(tx, 1, [{ key: 1, contactId: q.contactId, stage: f.buyingStage ?? step.fallbackStage }])).get(1) ?? null;
    const m = await queueTestMessage(tx, ctx.actor, { templateId: step.templateId, contactId: q.contactId, ...(q.to ? { to: q.to } : {}), programId: String(p.id), stepId: step.id, ...(item ? { contentItemId: item.itemId } : {}) });
    await recordAudit(tx, ctx.actor, { action: 'nurture.program.test_send', entityType: 'nurture_program', entityId: p.id, summary: `Test of step "${step.id}" queued to ${m.to}, rendered as ${f.email}` });
    const note = `Test queued to ${m.to}, rendered as ${f.email}${item ? ` with "${item.title}"` : ''}. See it in the Outbox.`;
    return { status: 'queued', messageId: m.messageId, contentItemId: item?.itemId ?? null, note };
  });
}
