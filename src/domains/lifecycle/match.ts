// Conditions over a contact and its account ({ field, op, value }), used by handoff points and territories.
import type { Condition } from '../../contracts/lifecycle.ts';

export interface MatchSubject {
  email: string;
  title: string | null;
  source: string | null;
  lifecycleStage: string;
  firstName: string | null;
  lastName: string | null;
  properties: Record<string, unknown>;
  account: {
    name: string;
    domain: string | null;
    industry: string | null;
    employeeCount: number | null;
    country: string | null;
    properties: Record<string, unknown>;
  } | null;
}

export function fieldValue(subject: MatchSubject, field: string): unknown {
  if (field === 'emailDomain') return subject.email.split('@')[1] ?? null;
  if (field.startsWith('properties.')) return subject.properties[field.slice('properties.'.length)] ?? null;
  if (field.startsWith('account.properties.')) return subject.account?.properties[field.slice('account.properties.'.length)] ?? null;
  if (field.startsWith('account.')) {
    if (!subject.account) return null;
    return (subject.account as Record<string, unknown>)[field.slice('account.'.length)] ?? null;
  }
  return (subject as unknown as Record<string, unknown>)[field] ?? null;
}

const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

/** True when the subject meets the condition. Text compares case-insensitively; a missing value matches only neq / not_in. */
export function matches(cond: Condition, subject: MatchSubject): boolean {
  const actual = fieldValue(subject, cond.field);
  const present = actual !== null && actual !== undefined && actual !== '';
  const a = norm(actual);
  const v = cond.value;
  switch (cond.op) {
    case 'exists':
      return present;
    case 'eq':
      return present && a === norm(v) || (!present && (v === null || v === ''));
    case 'neq':
      return !(present && a === norm(v));
    case 'in':
      return present && Array.isArray(v) && v.some((x) => norm(x) === a || String(norm(x)) === String(a));
    case 'not_in':
      return !(present && Array.isArray(v) && v.some((x) => norm(x) === a || String(norm(x)) === String(a)));
    case 'contains':
      return present && typeof v !== 'object' && String(a).includes(String(norm(v)));
    case 'starts_with':
      return present && typeof v !== 'object' && String(a).startsWith(String(norm(v)));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
      if (!Number.isFinite(n) || typeof v !== 'number') return false;
      return cond.op === 'gt' ? n > v : cond.op === 'gte' ? n >= v : cond.op === 'lt' ? n < v : n <= v;
    }
  }
}
