// Rule rows as the model editor holds them (values as text) and their conversion to and from the API's
// rule shapes. Pure, so the conversions are unit-tested.
import type { Cap, Condition, EngagementRule, FitRule, RuleOp } from '../../api/scoring.ts';

export interface ValueForm {
  op: RuleOp;
  /** Text as typed: one value, a comma-separated list, or "min, max" for between. */
  value: string;
}
export interface FitRow extends ValueForm {
  key: string;
  id: string;
  label: string;
  field: string;
  points: string;
}
export interface ConditionRow extends ValueForm {
  key: string;
  path: string;
}
export interface EngagementRow {
  key: string;
  id: string;
  label: string;
  type: string;
  event: string;
  urlPattern: string;
  conditions: ConditionRow[];
  points: string;
  capPeriod: '' | Cap['period'];
  capMaxTimes: string;
  capMaxPoints: string;
}

let keySeq = 0;
export const rowKey = () => `r${++keySeq}`;

export const NO_VALUE_OPS: RuleOp[] = ['exists', 'not_exists'];
export const LIST_OPS: RuleOp[] = ['in', 'not_in'];

/** Slug for a rule id from its label: "Viewed pricing page" → "viewed-pricing-page". */
export function slugify(label: string): string {
  return (
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'rule'
  );
}

/** Unique ids for rows without one (from the label), keeping the ids rows already have. */
export function ensureIds<T extends { id: string; label: string }>(rows: T[]): T[] {
  const used = new Set(rows.map((r) => r.id).filter(Boolean));
  return rows.map((r) => {
    if (r.id) return r;
    const base = slugify(r.label);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return { ...r, id };
  });
}

function scalar(s: string): string | number | boolean {
  const t = s.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}
const numberOr = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The API value for an operator from the typed text (invalid text is passed on so the server names the field). */
export function toValue(op: RuleOp, text: string): unknown {
  switch (op) {
    case 'exists':
    case 'not_exists':
      return undefined;
    case 'in':
    case 'not_in':
      return splitList(text).map((x) => scalar(x) as string | number);
    case 'contains':
    case 'starts_with': {
      const list = splitList(text);
      return list.length > 1 ? list : text.trim();
    }
    case 'gte':
    case 'lte':
      return numberOr(text);
    case 'between':
      return splitList(text).map(numberOr);
    case 'eq':
    case 'neq':
      return scalar(text);
  }
}

export function fromValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

const pointsOf = (s: string): number => (s.trim() === '' ? NaN : Number(s));

export function fitRowFrom(r: FitRule): FitRow {
  return { key: rowKey(), id: r.id, label: r.label, field: r.field, op: r.op, value: fromValue(r.value), points: String(r.points) };
}
export function fitRuleFrom(r: FitRow): Record<string, unknown> {
  const value = toValue(r.op, r.value);
  return { id: r.id, label: r.label.trim(), field: r.field, op: r.op, ...(value === undefined ? {} : { value }), points: pointsOf(r.points) };
}

export function engagementRowFrom(r: EngagementRule): EngagementRow {
  return {
    key: rowKey(),
    id: r.id,
    label: r.label,
    type: r.match.type ?? '',
    event: r.match.event ?? '',
    urlPattern: r.match.urlPattern ?? '',
    conditions: (r.match.conditions ?? []).map((c: Condition) => ({ key: rowKey(), path: c.path, op: c.op, value: fromValue(c.value) })),
    points: String(r.points),
    capPeriod: r.cap?.period ?? '',
    capMaxTimes: r.cap?.maxTimes === undefined ? '' : String(r.cap.maxTimes),
    capMaxPoints: r.cap?.maxPoints === undefined ? '' : String(r.cap.maxPoints),
  };
}
export function engagementRuleFrom(r: EngagementRow): Record<string, unknown> {
  const match: Record<string, unknown> = {
    conditions: r.conditions.map((c) => {
      const value = toValue(c.op, c.value);
      return { path: c.path.trim(), op: c.op, ...(value === undefined ? {} : { value }) };
    }),
  };
  if (r.type) match.type = r.type;
  if (r.event.trim()) match.event = r.event.trim();
  if (r.urlPattern.trim()) match.urlPattern = r.urlPattern.trim();
  const cap = r.capPeriod
    ? {
        period: r.capPeriod,
        ...(r.capMaxTimes.trim() ? { maxTimes: Number(r.capMaxTimes) } : {}),
        ...(r.capMaxPoints.trim() ? { maxPoints: Number(r.capMaxPoints) } : {}),
      }
    : null;
  return { id: r.id, label: r.label.trim(), match, points: pointsOf(r.points), cap };
}

export const blankFitRow = (): FitRow => ({ key: rowKey(), id: '', label: '', field: 'title', op: 'contains', value: '', points: '10' });
export const blankEngagementRow = (): EngagementRow => ({
  key: rowKey(),
  id: '',
  label: '',
  type: 'track',
  event: '',
  urlPattern: '',
  conditions: [],
  points: '5',
  capPeriod: '',
  capMaxTimes: '',
  capMaxPoints: '',
});

/** A cap in words: "at most 3 times a week", "at most 40 points a month". */
export function capText(cap: Cap | null | undefined): string {
  if (!cap) return 'no cap';
  const per = cap.period === 'ever' ? 'ever' : `a ${cap.period}`;
  const parts = [cap.maxTimes !== undefined ? `${cap.maxTimes}×` : null, cap.maxPoints !== undefined ? `${cap.maxPoints} pts` : null].filter(Boolean);
  return `at most ${parts.join(' and ')} ${per}`;
}
