// evaluateLifecycle: moves contacts forward by rule after their scores changed (the scorer calls it after
// every pass). subscriber → lead (lead rule, or the MQL rule), lead → marketing_qualified (MQL rule),
// marketing_qualified → sales_ready (the active sales-ready definition, unless the contact's handoff point
// is self-service), and recycled contacts re-qualify (MQL or lead rule) once the recycle cooldown has passed.
// Never moves backward or out of sales-owned stages. Each step is its own stored transition (exact
// conversion); each contact moves in its own transaction.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { systemActor } from '../../context.ts';
import type { Db, Queryable } from '../../db/client.ts';
import type { LifecycleSettings, LifecycleStage, SalesReadyRule } from '../../contracts/lifecycle.ts';
import { scoreSnapshots, type ScoreSnapshot } from '../scoring/snapshot.ts';
import { contacts } from '../contacts/schema.ts';
import { lifecycleTransitions, salesReadyDefinitions } from './schema.ts';
import { ruleMatches, scoresOf } from './rules.ts';
import { getLifecycleSettings, handoffPointFor } from './settings.ts';
import { loadSubjects, type ContactSubject } from './subject.ts';
import { transitionInTx } from './transition.ts';

export interface LoggerLike {
  warn(obj: unknown, msg?: string): void;
}

const RULE_STAGES: readonly LifecycleStage[] = ['subscriber', 'lead', 'marketing_qualified', 'recycled'];
const DAY = 86_400_000;

export interface ActiveDefinition {
  id: number;
  version: number;
  rule: SalesReadyRule;
}

export async function activeDefinition(db: Queryable, workspaceId: number): Promise<ActiveDefinition | null> {
  const [row] = await db
    .select({ id: salesReadyDefinitions.id, version: salesReadyDefinitions.version, rule: salesReadyDefinitions.rule })
    .from(salesReadyDefinitions)
    .where(and(eq(salesReadyDefinitions.workspaceId, workspaceId), eq(salesReadyDefinitions.status, 'active')));
  return row ? { id: row.id, version: row.version, rule: row.rule as unknown as SalesReadyRule } : null;
}

interface Step {
  to: LifecycleStage;
  reason: string;
  details: Record<string, unknown>;
}

export interface PlanInput {
  stage: LifecycleStage;
  subject: ContactSubject;
  snap: ScoreSnapshot | undefined;
  /** Snapshot under the definition's models (the same as snap when it uses the defaults). */
  defSnap: ScoreSnapshot | undefined;
  settings: LifecycleSettings;
  definition: ActiveDefinition | null;
  recycledAt: Date | null;
  now: Date;
}

/** The rule moves a contact makes from its stage now, in order (pure: no database). */
export function planSteps(p: PlanInput): Step[] {
  const steps: Step[] = [];
  const scores = scoresOf(p.snap);
  const lead = p.settings.leadRule && ruleMatches(p.settings.leadRule, p.snap, p.subject);
  const mql = p.settings.mqlRule && ruleMatches(p.settings.mqlRule, p.snap, p.subject);
  let stage = p.stage;
  if (stage === 'recycled') {
    const cooled = !p.recycledAt || p.now.getTime() - p.recycledAt.getTime() >= p.settings.recycleCooldownDays * DAY;
    if (!cooled) return steps;
    if (mql) {
      steps.push({ to: 'marketing_qualified', reason: 'Re-qualified: MQL rule', details: { rule: 'mql', requalified: true, scores } });
      stage = 'marketing_qualified';
    } else if (lead) {
      steps.push({ to: 'lead', reason: 'Re-qualified: lead rule', details: { rule: 'lead', requalified: true, scores } });
      stage = 'lead';
    } else return steps;
  }
  if (stage === 'subscriber' && (lead || mql)) {
    steps.push({ to: 'lead', reason: lead ? 'Lead rule' : 'MQL rule (a marketing-qualified contact is a lead)', details: { rule: lead ? 'lead' : 'mql', scores } });
    stage = 'lead';
  }
  if (stage === 'lead' && mql) {
    steps.push({ to: 'marketing_qualified', reason: 'MQL rule', details: { rule: 'mql', scores } });
    stage = 'marketing_qualified';
  }
  if (stage === 'marketing_qualified' && p.definition && ruleMatches(p.definition.rule, p.defSnap, p.subject)) {
    const point = handoffPointFor(p.settings, p.subject);
    if (point?.mode !== 'self_service') {
      steps.push({
        to: 'sales_ready',
        reason: `Sales-ready definition v${p.definition.version}`,
        details: { rule: 'sales_ready', definitionId: p.definition.id, definitionVersion: p.definition.version, handoffPoint: point?.name ?? null, scores: scoresOf(p.defSnap) },
      });
    }
  }
  return steps;
}

async function recycledTimes(db: Queryable, ids: number[]): Promise<Map<number, Date>> {
  const out = new Map<number, Date>();
  if (!ids.length) return out;
  const rows = await db
    .selectDistinctOn([lifecycleTransitions.contactId], { contactId: lifecycleTransitions.contactId, at: lifecycleTransitions.occurredAt })
    .from(lifecycleTransitions)
    .where(and(inArray(lifecycleTransitions.contactId, ids), eq(lifecycleTransitions.toStage, 'recycled')))
    .orderBy(lifecycleTransitions.contactId, desc(lifecycleTransitions.occurredAt));
  for (const r of rows) out.set(r.contactId, r.at);
  return out;
}

export async function evaluateLifecycle(opts: { db: Db; log: LoggerLike; contactIds: number[]; now?: Date }): Promise<{ transitions: number }> {
  const ids = [...new Set(opts.contactIds)];
  if (!ids.length) return { transitions: 0 };
  const now = opts.now ?? new Date();
  const subjects = [...(await loadSubjects(opts.db, ids)).values()].filter((s) => RULE_STAGES.includes(s.lifecycleStage as LifecycleStage));
  if (!subjects.length) return { transitions: 0 };

  let transitions = 0;
  const byWorkspace = new Map<number, ContactSubject[]>();
  for (const s of subjects) byWorkspace.set(s.workspaceId, [...(byWorkspace.get(s.workspaceId) ?? []), s]);
  for (const [workspaceId, group] of byWorkspace) {
    const groupIds = group.map((s) => s.id);
    const [settings, definition] = await Promise.all([getLifecycleSettings(opts.db, workspaceId), activeDefinition(opts.db, workspaceId)]);
    const snaps = await scoreSnapshots(opts.db, workspaceId, groupIds);
    const custom = definition && (definition.rule.fitModelId !== null || definition.rule.engagementModelId !== null);
    const defSnaps = custom
      ? await scoreSnapshots(opts.db, workspaceId, groupIds, { fitModelId: definition.rule.fitModelId, engagementModelId: definition.rule.engagementModelId })
      : snaps;
    const recycled = await recycledTimes(opts.db, group.filter((s) => s.lifecycleStage === 'recycled').map((s) => s.id));

    for (const subject of group) {
      const base = { subject, snap: snaps.get(subject.id), defSnap: defSnaps.get(subject.id), settings, definition, recycledAt: recycled.get(subject.id) ?? null, now };
      if (!planSteps({ ...base, stage: subject.lifecycleStage as LifecycleStage }).length) continue;
      try {
        transitions += await opts.db.transaction(async (tx) => {
          // Re-read the stage under the lock: someone may have moved the contact since we looked.
          const [row] = await tx.select({ stage: contacts.lifecycleStage }).from(contacts).where(eq(contacts.id, subject.id)).for('update');
          if (!row) return 0;
          let n = 0;
          for (const step of planSteps({ ...base, stage: row.stage })) {
            if (await transitionInTx(tx, systemActor, { contactId: subject.id, toStage: step.to, cause: 'rule', reason: step.reason, details: step.details, now })) n++;
          }
          return n;
        });
      } catch (err) {
        opts.log.warn({ err, contactId: subject.id }, 'lifecycle rule move failed');
      }
    }
  }
  return { transitions };
}
