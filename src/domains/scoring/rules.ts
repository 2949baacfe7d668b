// The scoring math, pure (no I/O): fit rules over contact/account fields → 0–100 and a grade; engagement
// rules over events, caps per calendar period, decay with a half-life. The worker, the rescore, the
// snapshot and the explanations all use these functions, so one set of numbers is the truth.
import {
  DEFAULT_GRADES,
  type Cap,
  type CapPeriod,
  type Condition,
  type EngagementRule,
  type FitMatch,
  type FitRule,
  type Grade,
  type GradeThresholds,
  type RuleOp,
} from '../../contracts/scoring.ts';

// ---------- operators ----------

function norm(v: unknown): string {
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

// ---------- fit ----------

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

// ---------- engagement: matching ----------

/** The parts of a stored event that engagement rules read (camelCase columns of the events table). */
export interface ScoringEvent {
  type: string;
  event?: string | null;
  properties?: Record<string, unknown> | null;
  context?: Record<string, unknown> | null;
  traits?: Record<string, unknown> | null;
  pageUrl?: string | null;
  pagePath?: string | null;
  pageTitle?: string | null;
  pageReferrer?: string | null;
  utmCampaign?: string | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmTerm?: string | null;
  utmContent?: string | null;
}

const EVENT_COLUMN: Record<string, keyof ScoringEvent> = {
  page_path: 'pagePath',
  page_url: 'pageUrl',
  page_title: 'pageTitle',
  page_referrer: 'pageReferrer',
  utm_campaign: 'utmCampaign',
  utm_source: 'utmSource',
  utm_medium: 'utmMedium',
  utm_term: 'utmTerm',
  utm_content: 'utmContent',
};

/** The value at a condition path: `properties.percent`, `context.page.path`, `traits.plan`, `page_path`. */
export function eventPathValue(ev: ScoringEvent, path: string): unknown {
  const col = EVENT_COLUMN[path];
  if (col) return ev[col];
  const [root, ...keys] = path.split('.');
  let cur: unknown = root === 'properties' ? ev.properties : root === 'context' ? ev.context : root === 'traits' ? ev.traits : undefined;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** The page path of an event: the page_path column, else context.page.path, else properties.path, else the URL's path. */
export function eventPath(ev: ScoringEvent): string | null {
  const candidates = [ev.pagePath, eventPathValue(ev, 'context.page.path'), eventPathValue(ev, 'properties.path')];
  for (const c of candidates) if (typeof c === 'string' && c !== '') return c;
  const url = ev.pageUrl ?? eventPathValue(ev, 'context.page.url') ?? eventPathValue(ev, 'properties.url');
  if (typeof url === 'string') {
    try {
      return new URL(url).pathname;
    } catch {
      return null;
    }
  }
  return null;
}

function eventUrl(ev: ScoringEvent): string | null {
  const url = ev.pageUrl ?? eventPathValue(ev, 'context.page.url') ?? eventPathValue(ev, 'properties.url');
  return typeof url === 'string' ? url : null;
}

const globCache = new Map<string, RegExp>();
function globRegex(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 'i');
    if (globCache.size > 1000) globCache.clear();
    globCache.set(pattern, re);
  }
  return re;
}

/**
 * Does a URL pattern match a path (or, for patterns with `://`, a full URL)? With `*` it is a glob over the
 * whole path; without, a path prefix on segment boundaries: `/pricing` matches `/pricing`, `/pricing/` and
 * `/pricing/enterprise`, not `/pricing-old`. Case-insensitive; a query string or fragment is ignored.
 */
export function urlPatternMatches(pattern: string, path: string | null | undefined): boolean {
  if (!path) return false;
  const p = path.replace(/[?#].*$/, '');
  if (pattern.includes('*')) return globRegex(pattern).test(p);
  const a = p.toLowerCase();
  const b = pattern.toLowerCase().replace(/\/+$/, '');
  if (b === '') return true;
  return a === b || a.startsWith(`${b}/`);
}

export function eventMatchesUrlPattern(pattern: string, ev: ScoringEvent): boolean {
  return pattern.includes('://') ? urlPatternMatches(pattern, eventUrl(ev)) : urlPatternMatches(pattern, eventPath(ev));
}

export function conditionMatches(c: Condition, ev: ScoringEvent): boolean {
  return applyOp(c.op, eventPathValue(ev, c.path), c.value);
}

/** Does the event earn the rule's points (before caps)? Every given part of `match` must hold. */
export function matchesEngagementRule(rule: Pick<EngagementRule, 'match'>, ev: ScoringEvent): boolean {
  const m = rule.match;
  if (m.type !== undefined && m.type !== ev.type) return false;
  if (m.event !== undefined && (ev.event == null || norm(ev.event) !== norm(m.event))) return false;
  if (m.urlPattern !== undefined && !eventMatchesUrlPattern(m.urlPattern, ev)) return false;
  for (const c of m.conditions ?? []) if (!conditionMatches(c, ev)) return false;
  return true;
}

// ---------- engagement: caps ----------

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

// ---------- engagement: decay and totals ----------

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
