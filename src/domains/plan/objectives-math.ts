// The objective math, pure (no database): the SMART check, a KPI's progress, the roll-up up the tree, the
// at-risk flag, periods and weeks. Documented in docs/architecture.md (plan: objectives).
//
// KPI progress (0..1, clamped; null without an actual or a target):
//   flow metrics (counts and sums that accumulate over the period), direction up: actual ÷ target
//     (the baseline is last period's level, not a starting point of the count);
//   flow, direction down (stay under): 1 while actual ≤ target, then target ÷ actual;
//   level metrics (rates, days, manual check-ins): (actual − baseline) ÷ (target − baseline); without a
//     baseline, direction up uses 0, direction down is 1 when actual ≤ target else target ÷ actual;
//     target = baseline: 1 when reached, else 0.
// Objective progress = the mean of its own KPIs' progress and of its children's progress, every KPI and every
//   child weighted equally, nulls (no data yet) skipped; null when nothing has a value.
// At risk: an active objective whose progress is behind the share of its period elapsed by more than the
//   threshold (elapsed − progress > AT_RISK_THRESHOLD); one whose period ended below 100 % is behind by the rest.
import type { KpiDirection, ObjectiveLevel, Smart, SmartCriterion } from '../../contracts/objectives.ts';

export const AT_RISK_THRESHOLD = 0.15;
export const LEVEL_RANK: Record<ObjectiveLevel, number> = { company: 0, marketing: 1, team: 2, individual: 3 };
const DAY = 86_400_000;

export interface KpiForMath {
  name: string;
  source: 'metric' | 'manual';
  metricKey: string | null;
  /** Whether metricKey is in the catalog. */
  metricKnown: boolean;
  baseline: number | null;
  target: number | null;
  direction: KpiDirection;
  checkins: number;
}
export interface ObjectiveForSmart {
  level: ObjectiveLevel;
  parentId: number | null;
  ownerId: number | null;
  periodStart: string | null;
  periodEnd: string | null;
  kpis: KpiForMath[];
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ''));
const names = (ks: KpiForMath[]) => ks.map((k) => `"${k.name}"`).join(', ');

export function smartCheck(o: ObjectiveForSmart): Smart {
  const c: SmartCriterion[] = [];
  const undefinedMetric = o.kpis.filter((k) => k.source === 'metric' && !k.metricKnown);
  c.push({
    key: 'specific',
    label: 'Specific',
    ok: o.kpis.length > 0 && !undefinedMetric.length,
    reason: !o.kpis.length
      ? 'No KPI: add a KPI that says what will be measured'
      : undefinedMetric.length
        ? `KPI ${names(undefinedMetric)} names a metric that is not in the catalog`
        : `${o.kpis.length} KPI${o.kpis.length > 1 ? 's' : ''}, each with a defined metric`,
  });
  const unmeasured = o.kpis.filter((k) => k.source === 'manual' && k.checkins === 0);
  c.push({
    key: 'measurable',
    label: 'Measurable',
    ok: o.kpis.length > 0 && !unmeasured.length && !undefinedMetric.length,
    reason: !o.kpis.length
      ? 'Nothing to measure yet'
      : unmeasured.length
        ? `Manual KPI ${names(unmeasured)} has no check-in yet`
        : undefinedMetric.length
          ? `KPI ${names(undefinedMetric)} is bound to no data`
          : 'Every KPI is computed from live data or has check-ins',
  });
  c.push({
    key: 'time_bound',
    label: 'Time-bound',
    ok: Boolean(o.periodStart && o.periodEnd),
    reason: o.periodStart && o.periodEnd ? `Period ${o.periodStart} – ${o.periodEnd}` : `No ${!o.periodStart && !o.periodEnd ? 'period' : !o.periodStart ? 'period start' : 'period end'}`,
  });
  c.push({ key: 'owned', label: 'Owned', ok: o.ownerId !== null, reason: o.ownerId !== null ? 'Has an owner' : 'No owner: assign the person accountable' });
  c.push({
    key: 'relevant',
    label: 'Relevant',
    ok: o.level === 'company' || o.parentId !== null,
    reason: o.level === 'company' ? 'A company objective' : o.parentId !== null ? 'Contributes to a parent objective' : `A ${o.level} objective that serves no parent objective`,
  });
  const bad: string[] = [];
  for (const k of o.kpis) {
    if (k.target === null) bad.push(`"${k.name}" has no target`);
    else if (k.baseline === null) bad.push(`"${k.name}" has no baseline`);
    else if (k.direction === 'up' && !(k.target > k.baseline)) bad.push(`"${k.name}": target ${fmt(k.target)} is not above the baseline ${fmt(k.baseline)} (higher is better)`);
    else if (k.direction === 'down' && !(k.target < k.baseline)) bad.push(`"${k.name}": target ${fmt(k.target)} is not below the baseline ${fmt(k.baseline)} (lower is better)`);
  }
  c.push({
    key: 'target',
    label: 'Target beyond baseline',
    ok: o.kpis.length > 0 && !bad.length,
    reason: !o.kpis.length ? 'No KPI, so no target' : bad.length ? bad.join('; ') : 'Every KPI has a target on the right side of its baseline',
  });
  const passed = c.filter((x) => x.ok).length;
  return { ok: passed === c.length, passed, criteria: c };
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

export function kpiProgress(k: { kind: 'flow' | 'level'; baseline: number | null; target: number | null; direction: KpiDirection; actual: number | null }): number | null {
  const { actual: a, target: t, direction } = k;
  if (a === null || t === null) return null;
  if (direction === 'down' && (k.kind === 'flow' || k.baseline === null)) return a <= t ? 1 : a > 0 ? clamp01(t / a) : 0;
  if (k.kind === 'flow') return t > 0 ? clamp01(a / t) : a >= t ? 1 : 0;
  const b = k.baseline ?? 0;
  if (t === b) return (direction === 'up' ? a >= t : a <= t) ? 1 : 0;
  return clamp01((a - b) / (t - b));
}

/** Equal-weight mean of the values that are not null; null when none is. */
export function rollUp(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : null;
}

/** Share of [start, end] (whole days) elapsed at `now`, 0..1. */
export function elapsedShare(start: string | null, end: string | null, now: Date): number | null {
  if (!start || !end) return null;
  const s = Date.parse(`${start}T00:00:00Z`);
  const e = Date.parse(`${end}T00:00:00Z`) + DAY;
  return clamp01((now.getTime() - s) / (e - s));
}

export function atRisk(o: { status: string; progress: number | null; elapsed: number | null }, threshold = AT_RISK_THRESHOLD): { atRisk: boolean; reason: string | null } {
  if (o.status !== 'active' || o.progress === null || o.elapsed === null) return { atRisk: false, reason: null };
  const behind = o.elapsed - o.progress;
  if (behind <= threshold) return { atRisk: false, reason: null };
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return { atRisk: true, reason: `${pct(o.progress)} done with ${pct(o.elapsed)} of the period gone (behind by ${pct(behind)}, threshold ${pct(threshold)})` };
}

/** A period code (2026, 2026-H1, 2026-Q3, 2026-07) → its first and last day. */
export function periodRange(code: string): { from: string; to: string } {
  const y = Number(code.slice(0, 4));
  const rest = code.slice(5);
  let m0 = 0;
  let months = 12;
  if (rest.startsWith('Q')) (m0 = (Number(rest[1]) - 1) * 3), (months = 3);
  else if (rest.startsWith('H')) (m0 = (Number(rest[1]) - 1) * 6), (months = 6);
  else if (rest) (m0 = Number(rest) - 1), (months = 1);
  const from = new Date(Date.UTC(y, m0, 1));
  const to = new Date(Date.UTC(y, m0 + months, 0));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/** Week ends (every 7 days from `from` + 6, the last one capped at `to`) up to `until` (inclusive). */
export function weekEnds(from: string, to: string, until: string): string[] {
  const out: string[] = [];
  const last = to < until ? to : until;
  if (last < from) return out;
  let d = Date.parse(`${from}T00:00:00Z`) + 6 * DAY;
  const end = Date.parse(`${last}T00:00:00Z`);
  while (d < end) {
    out.push(new Date(d).toISOString().slice(0, 10));
    d += 7 * DAY;
  }
  out.push(last);
  return out;
}
