// Does an event earn an engagement rule's points: type, event name, URL pattern and property conditions. Pure.
import type { Condition, EngagementRule } from '../../contracts/scoring.ts';
import { applyOp, norm } from './rules-ops.ts';

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
