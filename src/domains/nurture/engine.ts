// The nurture executor. Exactly-once per contact step: a batch of due enrolments is claimed with
// FOR UPDATE SKIP LOCKED (another worker skips them), each one's step runs with its side effects (emails
// enqueued through E with the idempotency key nurture:<enrolment>:<seq>, one enqueueEmails call per batch;
// stage moved, owner notified, webhook event written, property set) in the SAME transaction that records the step run — unique on
// (enrolment, seq) — and moves the enrolment on. A worker killed before COMMIT leaves nothing behind: its
// locks go with its connection and the next worker runs the same steps once. Paused programs are not claimed.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { durationMs, type Condition, type Step } from '../../contracts/nurture.ts';
import type { Clock } from './clock.ts';
import { loadVersion, nextOf, type LoadedDefinition } from './definitions.ts';
import { loadFacts, prepareConditions, type Subject } from './facts.ts';
import { pickContent } from './content-pick.ts';
import { emailRequest, runSideEffect } from './effects.ts';
import { sendEmails, type EnqueueArgs, type SendOutcome } from './email-adapter.ts';

/** How often a wait-for-event step looks for the event before its timeout. */
export const EVENT_RECHECK_MS = 5 * 60_000;
/** An enrolment that ran this many steps ends (a loop of branches without waits). */
export const MAX_STEPS_PER_ENROLMENT = 1000;

export interface ClaimedEnrolment {
  id: number;
  workspaceId: number;
  programId: number;
  version: number;
  contactId: number;
  stepId: string | null;
  seq: number;
  enteredAt: Date;
  waitSince: Date | null;
}

export interface RunOptions {
  db: Db;
  clock: Clock;
  worker?: string;
  batchSize?: number;
  /** Tests: runs after the steps' writes, before COMMIT (a crash here must leave nothing). */
  beforeCommit?: (tx: Tx, claimed: ClaimedEnrolment[]) => Promise<void>;
}

interface Result {
  run?: { stepId: string; stepType: string; outcome: Record<string, unknown>; contentItemId: number | null };
  stepId: string | null;
  nextRunAt: Date | null;
  waitSince: Date | null;
  end?: { status: 'completed' | 'exited' | 'goal_reached'; reason: string };
}

function describe(c: Condition): string {
  switch (c.kind) {
    case 'stage_in':
      return `stage is ${c.stages.join(' or ')}`;
    case 'buying_stage_in':
      return `buying stage is ${c.stages.join(' or ')}`;
    case 'score_at_least':
      return `${c.score} score ≥ ${c.value}`;
    case 'property_equals':
      return `${c.key} = ${JSON.stringify(c.value)}`;
    case 'in_segment':
      return `in segment ${c.segmentId}`;
    case 'did_event':
      return `did "${c.event}"`;
    case 'unsubscribed':
      return c.topicKey ? `unsubscribed from ${c.topicKey}` : 'unsubscribed';
  }
}
export { describe as describeCondition };

async function claim(tx: Tx, now: Date, limit: number): Promise<ClaimedEnrolment[]> {
  const { rows } = await tx.execute<any>(sql`
    select e.id, e.workspace_id, e.program_id, e.version, e.contact_id, e.step_id, e.seq, e.entered_at, e.wait_since
    from nurture_enrolments e
    where e.status = 'active' and e.next_run_at <= ${now.toISOString()}::timestamptz
      and e.program_id in (select p.id from nurture_programs p where p.status = 'active')
    order by e.next_run_at, e.id
    limit ${limit}
    for update of e skip locked`);
  return rows.map((r) => ({
    id: Number(r.id),
    workspaceId: r.workspace_id,
    programId: r.program_id,
    version: r.version,
    contactId: Number(r.contact_id),
    stepId: r.step_id,
    seq: r.seq,
    enteredAt: new Date(r.entered_at),
    waitSince: r.wait_since ? new Date(r.wait_since) : null,
  }));
}

/** One batch in one transaction; returns the number of enrolments it moved (0: nothing due). */
export async function runDueBatch(opts: RunOptions): Promise<{ claimed: number; steps: number }> {
  const now = opts.clock.now();
  const worker = opts.worker ?? `pid-${process.pid}`;
  return opts.db.transaction(async (tx) => {
    const claimed = await claim(tx, now, opts.batchSize ?? 500);
    if (!claimed.length) return { claimed: 0, steps: 0 };
    const defs = new Map<string, LoadedDefinition>();
    for (const e of claimed) {
      const k = `${e.programId}:${e.version}`;
      if (!defs.has(k)) defs.set(k, await loadVersion(tx, e.programId, e.version));
    }
    const defOf = (e: ClaimedEnrolment) => defs.get(`${e.programId}:${e.version}`)!;
    const stepOf = (e: ClaimedEnrolment) => (e.stepId ? defOf(e).byId.get(e.stepId) : undefined);
    const facts = await loadFacts(tx, [...new Set(claimed.map((e) => e.contactId))]);

    // Every condition this batch may test, evaluated in bulk.
    const conds: Condition[] = [];
    for (const d of defs.values()) conds.push(...d.def.exit, ...d.def.goals.map((g) => g.condition));
    for (const e of claimed) {
      const s = stepOf(e);
      if (s?.type === 'branch') conds.push(s.condition);
    }
    const subjects: Subject[] = claimed.map((e) => ({ key: e.id, contactId: e.contactId, since: e.enteredAt }));
    const test = await prepareConditions(tx, facts, subjects, conds);
    const waiting = claimed.filter((e) => stepOf(e)?.type === 'wait_event' && e.waitSince);
    const waitConds = [...new Set(waiting.map((e) => (stepOf(e) as Extract<Step, { type: 'wait_event' }>).event))].map((event) => ({ kind: 'did_event' as const, event }));
    const waitSubjects = waiting.map((e) => ({ key: e.id, contactId: e.contactId, since: e.waitSince! }));
    const testWait = await prepareConditions(tx, facts, waitSubjects, waitConds);

    // Stage-aware picks for every content step of the batch, in one statement.
    const contentReqs = claimed
      .filter((e) => stepOf(e)?.type === 'send_content')
      .map((e) => ({ key: e.id, contactId: e.contactId, stage: facts.get(e.contactId)?.buyingStage ?? (stepOf(e) as Extract<Step, { type: 'send_content' }>).fallbackStage }));
    const picks = await pickContent(tx, claimed[0]!.workspaceId, contentReqs);

    const results = new Map<number, Result>();
    const propertyUpdates = new Map<string, number[]>();
    const emails: { args: EnqueueArgs; fill: (r: SendOutcome) => void }[] = [];
    const ended = (status: 'completed' | 'exited' | 'goal_reached', reason: string): Result => ({ stepId: null, nextRunAt: null, waitSince: null, end: { status, reason } });
    for (const e of claimed) {
      const d = defOf(e);
      const subject = { key: e.id, contactId: e.contactId, since: e.enteredAt };
      const goal = d.def.goals.find((g) => test(subject, g.condition));
      if (goal) {
        results.set(e.id, ended('goal_reached', `goal: ${goal.name}`));
        continue;
      }
      const exit = d.def.exit.find((c) => test(subject, c));
      if (exit) {
        results.set(e.id, ended('exited', `exit criterion: ${describe(exit)}`));
        continue;
      }
      const step = stepOf(e);
      if (!step) {
        results.set(e.id, ended('completed', 'completed'));
        continue;
      }
      if (e.seq >= MAX_STEPS_PER_ENROLMENT) {
        results.set(e.id, ended('exited', `step limit (${MAX_STEPS_PER_ENROLMENT}) reached`));
        continue;
      }
      const go = (next: string | null, outcome: Record<string, unknown>, at: Date = now, contentItemId: number | null = null): Result => ({
        run: { stepId: step.id, stepType: step.type, outcome, contentItemId },
        stepId: next,
        nextRunAt: next ? at : null,
        waitSince: null,
        ...(next ? {} : { end: { status: 'completed' as const, reason: 'completed' } }),
      });
      const seq = e.seq + 1;
      switch (step.type) {
        case 'wait': {
          const until = new Date(now.getTime() + durationMs(step.duration));
          results.set(e.id, go(nextOf(d, step), { until: until.toISOString() }, until));
          break;
        }
        case 'wait_until': {
          const until = new Date(Math.max(now.getTime(), new Date(step.until).getTime()));
          results.set(e.id, go(nextOf(d, step), { until: until.toISOString() }, until));
          break;
        }
        case 'wait_event': {
          if (!e.waitSince) {
            // Start waiting: no step ran yet (nothing happened), look again soon.
            const deadline = now.getTime() + durationMs(step.timeout);
            results.set(e.id, { stepId: step.id, waitSince: now, nextRunAt: new Date(Math.min(deadline, now.getTime() + EVENT_RECHECK_MS)) });
            break;
          }
          const deadline = e.waitSince.getTime() + durationMs(step.timeout);
          if (testWait({ key: e.id, contactId: e.contactId, since: e.waitSince }, { kind: 'did_event', event: step.event })) {
            results.set(e.id, go(nextOf(d, step), { event: step.event, happened: true }));
          } else if (now.getTime() >= deadline) {
            const next = step.timeoutNext !== undefined ? step.timeoutNext : nextOf(d, step);
            results.set(e.id, go(next, { event: step.event, happened: false, timedOut: true }));
          } else {
            results.set(e.id, { stepId: step.id, waitSince: e.waitSince, nextRunAt: new Date(Math.min(deadline, now.getTime() + EVENT_RECHECK_MS)) });
          }
          break;
        }
        case 'branch': {
          const yes = test(subject, step.condition);
          results.set(e.id, go(yes ? step.yes : step.no, { branch: yes ? 'yes' : 'no', condition: describe(step.condition) }));
          break;
        }
        case 'exit': {
          const r = go(null, { exit: true });
          results.set(e.id, { ...r, end: { status: 'exited', reason: 'exit step' } });
          break;
        }
        case 'update_property': {
          // Batched below: one UPDATE per distinct (key, value) in the batch.
          const k = JSON.stringify([step.key, step.value]);
          propertyUpdates.set(k, [...(propertyUpdates.get(k) ?? []), e.contactId]);
          results.set(e.id, go(nextOf(d, step), { property: step.key, value: step.value }));
          break;
        }
        case 'send_email':
        case 'send_content': {
          // Batched below: one call of E's enqueueEmails for the whole batch.
          const pick = step.type === 'send_content' ? (picks.get(e.id) ?? null) : undefined;
          const req = emailRequest({ enrolment: e, step, seq, facts: facts.get(e.contactId), pick });
          const outcome: Record<string, unknown> = 'done' in req ? req.done : {};
          if (!('done' in req)) emails.push({ args: req.args, fill: (r) => Object.assign(outcome, req.outcome(r)) });
          results.set(e.id, go(nextOf(d, step), outcome, now, pick ? pick.itemId : null));
          break;
        }
        default: {
          const outcome = await runSideEffect(tx, { enrolment: e, step, seq, facts: facts.get(e.contactId), now });
          results.set(e.id, go(nextOf(d, step), outcome));
        }
      }
    }

    const sent = await sendEmails(tx, emails.map((m) => m.args));
    emails.forEach((m, i) => m.fill(sent[i]!));

    for (const [k, ids] of propertyUpdates) {
      const [key, value] = JSON.parse(k) as [string, unknown];
      await tx.execute(sql`
        update contacts set properties = properties || jsonb_build_object(${key}::text, ${JSON.stringify(value)}::jsonb), updated_at = ${now.toISOString()}::timestamptz
        where id = any(${`{${ids.join(',')}}`}::bigint[])`);
    }

    // Step runs (unique per enrolment × seq) and the enrolments' new positions, two statements.
    const runRows = claimed.flatMap((e) => {
      const r = results.get(e.id)!.run;
      return r ? [{ ws: e.workspaceId, eid: e.id, pid: e.programId, cid: e.contactId, seq: e.seq + 1, sid: r.stepId, stype: r.stepType, outcome: r.outcome, item: r.contentItemId }] : [];
    });
    if (runRows.length) {
      await tx.execute(sql`
        insert into nurture_step_runs (workspace_id, enrolment_id, program_id, contact_id, seq, step_id, step_type, outcome, content_item_id, ran_at, worker)
        select r.ws, r.eid, r.pid, r.cid, r.seq, r.sid, r.stype, r.outcome, r.item, ${now.toISOString()}::timestamptz, ${worker}
        from jsonb_to_recordset(${JSON.stringify(runRows)}::jsonb) as r(ws int, eid bigint, pid int, cid bigint, seq int, sid text, stype text, outcome jsonb, item int)`);
    }
    const moves = claimed.map((e) => {
      const r = results.get(e.id)!;
      return { id: e.id, seq: e.seq + (r.run ? 1 : 0), step: r.stepId, next: r.nextRunAt?.toISOString() ?? null, since: r.waitSince?.toISOString() ?? null, status: r.end?.status ?? 'active', reason: r.end?.reason ?? null };
    });
    await tx.execute(sql`
      update nurture_enrolments n set
        step_id = u.step, seq = u.seq, next_run_at = u.next, wait_since = u.since, status = u.status, end_reason = u.reason,
        ended_at = case when u.status = 'active' then null else ${now.toISOString()}::timestamptz end
      from jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) as u(id bigint, seq int, step text, next timestamptz, since timestamptz, status text, reason text)
      where n.id = u.id`);
    if (opts.beforeCommit) await opts.beforeCommit(tx, claimed);
    return { claimed: claimed.length, steps: runRows.length };
  });
}

/** Runs batches until nothing is due (or maxBatches); returns the step runs executed. */
export async function runDue(opts: RunOptions & { maxBatches?: number }): Promise<number> {
  let steps = 0;
  for (let i = 0; i < (opts.maxBatches ?? 1_000_000); i++) {
    const r = await runDueBatch(opts);
    steps += r.steps;
    if (!r.claimed) break;
  }
  return steps;
}
