// Fit rules over contact and account fields → a 0–100 score and a grade. Pure.
import { DEFAULT_GRADES, type FitRule, type Grade, type GradeThresholds } from '../../contracts/scoring.ts';
import type { FitMatch } from '../../contracts/scoring-explain.ts';
import { applyOp } from './rules-ops.ts';

/** What fit rules read: the contact and its account (null when it has none). */
export interface FitRecord {
  contact: {
    email: string;
    firstName?: string | null;
    lastName?: string | null;
    title?: string | null;
    phone?: string | null;
    lifecycleStage?: string | null;
    source?: string | null;
    properties?: Record<string, unknown> | null;
  };
  account: {
    name?: string | null;
    domain?: string | null;
    industry?: string | null;
    employeeCount?: number | null;
    country?: string | null;
    properties?: Record<string, unknown> | null;
  } | null;
}

const CONTACT_FIELD: Record<string, (c: FitRecord['contact']) => unknown> = {
  email: (c) => c.email,
  email_domain: (c) => (c.email.includes('@') ? c.email.slice(c.email.lastIndexOf('@') + 1) : null),
  first_name: (c) => c.firstName,
  last_name: (c) => c.lastName,
  title: (c) => c.title,
  phone: (c) => c.phone,
  lifecycle_stage: (c) => c.lifecycleStage,
  source: (c) => c.source,
};
const ACCOUNT_FIELD: Record<string, (a: NonNullable<FitRecord['account']>) => unknown> = {
  name: (a) => a.name,
  domain: (a) => a.domain,
  industry: (a) => a.industry,
  employee_count: (a) => a.employeeCount,
  country: (a) => a.country,
};

/** The value of a fit rule's field (`title`, `prop.<key>`, `account.industry`, `account.prop.<key>`). */
export function fitFieldValue(record: FitRecord, field: string): unknown {
  if (field.startsWith('account.')) {
    const a = record.account;
    if (!a) return undefined;
    const rest = field.slice('account.'.length);
    if (rest.startsWith('prop.')) return a.properties?.[rest.slice('prop.'.length)];
    return ACCOUNT_FIELD[rest]?.(a);
  }
  if (field.startsWith('prop.')) return record.contact.properties?.[field.slice('prop.'.length)];
  return CONTACT_FIELD[field]?.(record.contact);
}

export function fitRuleMatches(rule: Pick<FitRule, 'field' | 'op' | 'value'>, record: FitRecord): boolean {
  return applyOp(rule.op, fitFieldValue(record, rule.field), rule.value);
}

export function gradeFor(score: number, grades: GradeThresholds | null | undefined = DEFAULT_GRADES): Grade {
  const g = grades ?? DEFAULT_GRADES;
  if (score >= g.A) return 'A';
  if (score >= g.B) return 'B';
  if (score >= g.C) return 'C';
  if (score >= g.D) return 'D';
  return 'F';
}

export interface FitResult {
  score: number;
  grade: Grade;
  matched: FitMatch[];
  unmatched: FitMatch[];
  /** Σ positive points of all rules: the 100 % mark. */
  maxPoints: number;
  matchedPoints: number;
}

/**
 * Fit score = clamp(round(100 × Σ points of matched rules / Σ positive points of all rules), 0, 100);
 * grade by thresholds (default A ≥ 80, B ≥ 60, C ≥ 40, D ≥ 20, else F). No positive rule: score 0.
 */
export function fitScore(rules: readonly FitRule[], grades: GradeThresholds | null | undefined, record: FitRecord): FitResult {
  let maxPoints = 0;
  let matchedPoints = 0;
  const matched: FitMatch[] = [];
  const unmatched: FitMatch[] = [];
  for (const r of rules) {
    if (r.points > 0) maxPoints += r.points;
    const m = { ruleId: r.id, label: r.label, points: r.points };
    if (fitRuleMatches(r, record)) {
      matchedPoints += r.points;
      matched.push(m);
    } else unmatched.push(m);
  }
  const raw = maxPoints > 0 ? Math.round((100 * matchedPoints) / maxPoints) : 0;
  const score = Math.min(100, Math.max(0, raw));
  return { score, grade: gradeFor(score, grades), matched, unmatched, maxPoints, matchedPoints };
}
