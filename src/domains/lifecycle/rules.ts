// Qualification rules (lead rule, MQL rule, the sales-ready definition) applied to a score snapshot and a contact.
import type { FitGrade, QualificationRule, SalesReadyRule } from '../../contracts/lifecycle.ts';
import type { ScoreSnapshot } from '../scoring/snapshot.ts';
import type { ContactSubject } from './subject.ts';

const GRADE_ORDER: readonly FitGrade[] = ['A', 'B', 'C', 'D', 'F'];

export function gradeAtLeast(grade: FitGrade | null, min: FitGrade): boolean {
  return grade !== null && GRADE_ORDER.indexOf(grade) <= GRADE_ORDER.indexOf(min);
}

function hasValue(v: unknown): boolean {
  return v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '');
}

export function propertyPresent(subject: ContactSubject, key: string): boolean {
  if (key in subject && key !== 'properties' && key !== 'account') return hasValue((subject as unknown as Record<string, unknown>)[key]);
  return hasValue(subject.properties[key]);
}

/** The criteria of the rule that the contact does not meet (empty: it qualifies). */
export function unmetCriteria(rule: QualificationRule | SalesReadyRule, snap: ScoreSnapshot | undefined, subject: ContactSubject): string[] {
  const out: string[] = [];
  if (rule.minFitGrade !== null && !gradeAtLeast((snap?.fitGrade ?? null) as FitGrade | null, rule.minFitGrade)) out.push(`fit grade ${snap?.fitGrade ?? 'none'} below ${rule.minFitGrade}`);
  if (rule.minEngagement !== null && !((snap?.engagement ?? 0) >= rule.minEngagement)) out.push(`engagement ${snap?.engagement ?? 0} below ${rule.minEngagement}`);
  if (rule.buyingStages.length && !(snap?.buyingStage && (rule.buyingStages as string[]).includes(snap.buyingStage))) {
    out.push(`buying stage ${snap?.buyingStage ?? 'none'} not in ${rule.buyingStages.join(', ')}`);
  }
  for (const key of rule.requiredProperties) if (!propertyPresent(subject, key)) out.push(`${key} missing`);
  return out;
}

export function ruleMatches(rule: QualificationRule | SalesReadyRule, snap: ScoreSnapshot | undefined, subject: ContactSubject): boolean {
  return unmetCriteria(rule, snap, subject).length === 0;
}

export function scoresOf(snap: ScoreSnapshot | undefined) {
  return {
    fitScore: snap?.fitScore ?? null,
    fitGrade: snap?.fitGrade ?? null,
    engagement: snap?.engagement ?? null,
    buyingStage: snap?.buyingStage ?? null,
  };
}
