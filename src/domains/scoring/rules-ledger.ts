// Engagement points over time: caps per calendar period, applying a model's rules to new events, decay
// with a half-life and the totals per rule. Pure.
import type { Cap, CapPeriod, EngagementRule } from '../../contracts/scoring.ts';
import { matchesEngagementRule, type ScoringEvent } from './rules-match.ts';

const DAY_MS = 86_400_000;

/** The calendar period (UTC; weeks start on Monday) that contains `at`: [start, end). `ever`: null. */
export function capWindow(period: CapPeriod, at: Date): { start: Date; end: Date } | null {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (period) {
    case 'ever':
      return null;
    case 'day':
      return { start: new Date(Date.UTC(y, m, d)), end: new Date(Date.UTC(y, m, d + 1)) };
    case 'week': {
      const back = (at.getUTCDay() + 6) % 7; // days since Monday
      return { start: new Date(Date.UTC(y, m, d - back)), end: new Date(Date.UTC(y, m, d - back + 7)) };
    }
    case 'month':
      return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  }
}

/** What a rule already earned a contact in one cap window: Σ points and how many times it earned any. */
export interface Earned {
  points: number;
  times: number;
}

/**
 * How many of `points` a cap still allows, given what the rule earned in the same window. maxTimes: no
 * points once the rule earned that many times. maxPoints: at most what is left up to maxPoints (by
 * absolute value, so it also bounds negative rules). `capped` is true when the cap took some or all.
 */
export function capAllows(cap: Cap | null | undefined, earned: Earned, points: number): { points: number; capped: boolean } {
  if (!cap) return { points, capped: false };
  if (cap.maxTimes !== undefined && earned.times >= cap.maxTimes) return { points: 0, capped: true };
  if (cap.maxPoints !== undefined) {
    const left = Math.max(0, cap.maxPoints - Math.abs(earned.points));
    if (Math.abs(points) > left) return { points: Math.sign(points) * left, capped: true };
  }
  return { points, capped: false };
}

/** A ledger row to write: the rule's points for one event, after caps (0 when a cap stopped them all). */
export interface LedgerEntry<E> {
  ruleId: string;
  event: E;
  occurredAt: Date;
  points: number;
  capped: boolean;
}

/**
 * Applies a model's rules to a contact's new events (oldest first is best). `earnedBefore(ruleId, window)`
 * returns what the rule already earned the contact in the window (null window: ever) from the stored
 * ledger; points given to earlier events of the same call count too. Rules with 0 points earn nothing.
 */
export function applyEngagementRules<E extends ScoringEvent>(
  rules: readonly EngagementRule[],
  events: readonly { event: E; occurredAt: Date }[],
  earnedBefore: (ruleId: string, window: { start: Date; end: Date } | null) => Earned,
): LedgerEntry<E>[] {
  const out: LedgerEntry<E>[] = [];
  const running = new Map<string, Earned>();
  const sorted = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const { event, occurredAt } of sorted) {
    for (const rule of rules) {
      if (rule.points === 0 || !matchesEngagementRule(rule, event)) continue;
      if (!rule.cap) {
        out.push({ ruleId: rule.id, event, occurredAt, points: rule.points, capped: false });
        continue;
      }
      const win = capWindow(rule.cap.period, occurredAt);
      const key = `${rule.id}\u0000${win ? win.start.getTime() : 'ever'}`;
      let earned = running.get(key);
      if (!earned) {
        earned = { ...earnedBefore(rule.id, win) };
        running.set(key, earned);
      }
      const allowed = capAllows(rule.cap, earned, rule.points);
      if (allowed.points !== 0) {
        earned.points += allowed.points;
        earned.times += 1;
      }
      out.push({ ruleId: rule.id, event, occurredAt, points: allowed.points, capped: allowed.capped });
    }
  }
  return out;
}

/** points × 0.5^(age / halfLife), age in days (never negative). No half-life: no decay. */
export function decayed(points: number, occurredAt: Date, now: Date, halfLifeDays: number | null | undefined): number {
  if (!halfLifeDays || halfLifeDays <= 0) return points;
  const ageDays = Math.max(0, now.getTime() - occurredAt.getTime()) / DAY_MS;
  return points * Math.pow(0.5, ageDays / halfLifeDays);
}

export interface LedgerRow {
  ruleId: string;
  points: number;
  occurredAt: Date;
}

export interface EngagementRuleSum {
  ruleId: string;
  /** Entries that earned points. */
  times: number;
  /** Entries a cap stopped entirely (0 points). */
  cappedTimes: number;
  earned: number;
  current: number;
}

/** The engagement score of a ledger at `now`: Σ decayed points, and per rule what it earned vs is worth now. */
export function engagementScore(
  ledger: readonly LedgerRow[],
  now: Date,
  halfLifeDays: number | null | undefined,
): { total: number; earned: number; rules: EngagementRuleSum[] } {
  let total = 0;
  let earned = 0;
  const byRule = new Map<string, EngagementRuleSum>();
  for (const row of ledger) {
    const current = decayed(row.points, row.occurredAt, now, halfLifeDays);
    total += current;
    earned += row.points;
    let r = byRule.get(row.ruleId);
    if (!r) {
      r = { ruleId: row.ruleId, times: 0, cappedTimes: 0, earned: 0, current: 0 };
      byRule.set(row.ruleId, r);
    }
    if (row.points === 0) r.cappedTimes += 1;
    else r.times += 1;
    r.earned += row.points;
    r.current += current;
  }
  return { total, earned, rules: [...byRule.values()] };
}

/** Scores as shown and stored: 2 decimals. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
