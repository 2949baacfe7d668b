// Rule operators (eq, in, contains, between, exists …) applied to the value a rule reads. Pure.
import type { RuleOp } from '../../contracts/scoring.ts';

/** Text as rules compare it: trimmed, lower-case. */
export function norm(v: unknown): string {
  return String(v).trim().toLowerCase();
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

/** One scalar equals another: numbers numerically, booleans as true/false, text case-insensitively. */
function scalarEq(actual: unknown, expected: unknown): boolean {
  if (isBlank(actual)) return false;
  if (typeof expected === 'number') return num(actual) === expected;
  if (typeof expected === 'boolean') return actual === expected || norm(actual) === String(expected);
  return norm(actual) === norm(expected);
}

function anyValue(actual: unknown, test: (a: unknown) => boolean): boolean {
  return Array.isArray(actual) ? actual.some(test) : test(actual);
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Applies an operator to the value found in the record/event (arrays match when any element does). */
export function applyOp(op: RuleOp, actual: unknown, value: unknown): boolean {
  switch (op) {
    case 'exists':
      return !isBlank(actual);
    case 'not_exists':
      return isBlank(actual);
    case 'eq':
      return anyValue(actual, (a) => scalarEq(a, value));
    case 'neq':
      return !anyValue(actual, (a) => scalarEq(a, value));
    case 'in':
      return anyValue(actual, (a) => listOf(value).some((v) => scalarEq(a, v)));
    case 'not_in':
      return !anyValue(actual, (a) => listOf(value).some((v) => scalarEq(a, v)));
    case 'contains':
      return anyValue(actual, (a) => !isBlank(a) && typeof a !== 'object' && listOf(value).some((v) => norm(a).includes(norm(v))));
    case 'starts_with':
      return anyValue(actual, (a) => !isBlank(a) && typeof a !== 'object' && listOf(value).some((v) => norm(a).startsWith(norm(v))));
    case 'gte':
      return anyValue(actual, (a) => num(a) !== null && num(a)! >= (value as number));
    case 'lte':
      return anyValue(actual, (a) => num(a) !== null && num(a)! <= (value as number));
    case 'between': {
      const [lo, hi] = value as [number, number];
      return anyValue(actual, (a) => num(a) !== null && num(a)! >= lo && num(a)! <= hi);
    }
  }
}
