// The scoring math with exact expected values: fit points → score and grade, operators, engagement
// matching, caps per calendar period, decay.
import { describe, expect, it } from 'vitest';
import { EngagementRule, FitRule, FitRules, type Cap } from '../../contracts/scoring.ts';
import {
  applyEngagementRules,
  applyOp,
  capAllows,
  capWindow,
  decayed,
  engagementScore,
  fitScore,
  gradeFor,
  matchesEngagementRule,
  urlPatternMatches,
  type FitRecord,
  type ScoringEvent,
} from './rules.ts';
import { inferBuyingStage } from './buying-stage.ts';
import { DEFAULT_ENGAGEMENT_RULES, DEFAULT_FIT_RULES } from './defaults.ts';

const fit = (rules: unknown[]) => FitRules.parse(rules);
const record = (contact: Partial<FitRecord['contact']>, account: FitRecord['account'] = null): FitRecord => ({
  contact: { email: 'ann@acme.com', ...contact },
  account,
});

describe('fitScore', () => {
  const rules = fit([
    { id: 'vp', label: 'VP', field: 'title', op: 'contains', value: 'vp', points: 30 },
    { id: 'size', label: 'Size', field: 'account.employee_count', op: 'between', value: [50, 500], points: 50 },
    { id: 'saas', label: 'SaaS', field: 'account.industry', op: 'eq', value: 'software', points: 20 },
    { id: 'gmail', label: 'Gmail', field: 'email_domain', op: 'eq', value: 'gmail.com', points: -40 },
  ]);

  it('scores 100 × matched / Σ positive points, rounded', () => {
    const r = fitScore(rules, null, record({ title: 'VP Marketing' }, { employeeCount: 120, industry: 'Software' }));
    expect(r).toMatchObject({ score: 100, grade: 'A', maxPoints: 100, matchedPoints: 100 });
    expect(r.matched.map((m) => m.ruleId)).toEqual(['vp', 'size', 'saas']);
    expect(fitScore(rules, null, record({ title: 'VP Sales' })).score).toBe(30);
    // 30 + 20 of 100 → 50 → C
    const r2 = fitScore(rules, null, record({ title: 'SVP' }, { industry: 'software', employeeCount: 10 }));
    expect(r2).toMatchObject({ score: 50, grade: 'C', matchedPoints: 50 });
  });

  it('rounds half up and clamps negative totals to 0', () => {
    const thirds = fit([
      { id: 'a', label: 'a', field: 'title', op: 'exists', points: 2 },
      { id: 'b', label: 'b', field: 'phone', op: 'exists', points: 1 },
    ]);
    expect(fitScore(thirds, null, record({ title: 'x' })).score).toBe(67); // 66.67
    expect(fitScore(thirds, null, record({ phone: '1' })).score).toBe(33); // 33.33
    const halves = fit([
      { id: 'a', label: 'a', field: 'title', op: 'exists', points: 1 },
      { id: 'b', label: 'b', field: 'phone', op: 'exists', points: 7 },
    ]);
    expect(fitScore(halves, null, record({ title: 'x' })).score).toBe(13); // 12.5 → 13
    const r = fitScore(rules, null, record({ email: 'bob@gmail.com' }));
    expect(r).toMatchObject({ score: 0, grade: 'F', matchedPoints: -40 });
    // 30 − 40 = −10 → 0
    expect(fitScore(rules, null, record({ email: 'x@gmail.com', title: 'VP' })).score).toBe(0);
  });

  it('gives 0 when no rule has positive points, and uses custom grade thresholds', () => {
    expect(fitScore([], null, record({})).score).toBe(0);
    const g = { A: 90, B: 70, C: 50, D: 10 };
    expect(gradeFor(89, g)).toBe('B');
    expect(gradeFor(90, g)).toBe('A');
    expect(gradeFor(10, g)).toBe('D');
    expect(gradeFor(9, g)).toBe('F');
    expect([80, 79, 60, 59, 40, 39, 20, 19, 0].map((s) => gradeFor(s))).toEqual(['A', 'B', 'B', 'C', 'C', 'D', 'D', 'F', 'F']);
  });

  it('reads custom properties of the contact and the account', () => {
    const r = fit([
      { id: 'budget', label: 'Budget', field: 'prop.budget', op: 'gte', value: 10000, points: 1 },
      { id: 'tier', label: 'Tier', field: 'account.prop.tier', op: 'in', value: ['gold', 'platinum'], points: 1 },
    ]);
    expect(fitScore(r, null, record({ properties: { budget: 12000 } }, { properties: { tier: 'Gold' } })).score).toBe(100);
    expect(fitScore(r, null, record({ properties: { budget: '9000' } }, null)).score).toBe(0);
  });

  it('defaults: a VP at a 200-person company with a phone is an A; a gmail student is an F', () => {
    const vp = fitScore(DEFAULT_FIT_RULES, null, record({ title: 'VP of Marketing', phone: '+1 555' }, { employeeCount: 200 }));
    // 25 + 25 + 10 = 60 of Σ positive 105 → 57 → C
    expect(vp).toMatchObject({ score: 57, grade: 'C' });
    const ceo = fitScore(DEFAULT_FIT_RULES, null, record({ title: 'CEO', phone: '1' }, { employeeCount: 300 }));
    expect(ceo).toMatchObject({ score: 62, grade: 'B' }); // 30 + 25 + 10 = 65 / 105
    const student = fitScore(DEFAULT_FIT_RULES, null, record({ email: 'kid@gmail.com', title: 'Student' }));
    expect(student).toMatchObject({ score: 0, grade: 'F' });
    expect(fitScore(DEFAULT_FIT_RULES, null, record({ title: 'Director of Engineering' })).matched.map((m) => m.ruleId)).toEqual(['senior-title']);
    expect(fitScore(DEFAULT_FIT_RULES, null, record({ title: 'Marketing Coordinator' })).matched).toEqual([]);
  });
});

describe('applyOp', () => {
  it('compares text case-insensitively, numbers numerically, lists as any-of', () => {
    expect(applyOp('eq', 'Software', 'software')).toBe(true);
    expect(applyOp('eq', '42', 42)).toBe(true);
    expect(applyOp('eq', true, true)).toBe(true);
    expect(applyOp('eq', 'true', true)).toBe(true);
    expect(applyOp('neq', null, 'x')).toBe(true);
    expect(applyOp('in', 'DE', ['de', 'at'])).toBe(true);
    expect(applyOp('not_in', 'fr', ['de', 'at'])).toBe(true);
    expect(applyOp('contains', 'Head of Growth', ['vp', 'head of'])).toBe(true);
    expect(applyOp('starts_with', 'Chief Revenue Officer', 'chief')).toBe(true);
    expect(applyOp('gte', 60, 60)).toBe(true);
    expect(applyOp('gte', 59.9, 60)).toBe(false);
    expect(applyOp('lte', '5', 5)).toBe(true);
    expect(applyOp('between', 50, [50, 500])).toBe(true);
    expect(applyOp('between', 501, [50, 500])).toBe(false);
    expect(applyOp('gte', 'abc', 1)).toBe(false);
    expect(applyOp('exists', '', undefined)).toBe(false);
    expect(applyOp('exists', 0, undefined)).toBe(true);
    expect(applyOp('not_exists', undefined, undefined)).toBe(true);
    expect(applyOp('eq', ['a', 'b'], 'B')).toBe(true);
  });
});

describe('rule definitions', () => {
  it('rejects bad rules with the field named', () => {
    const bad = (rules: unknown[]) => {
      const r = FitRules.safeParse(rules);
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => i.path.join('.'));
    };
    const ok = { id: 'a', label: 'A', field: 'title', op: 'exists', points: 1 };
    expect(bad([ok, ok, { ...ok, id: 'c', op: 'like' }])).toEqual(['2.op']);
    expect(bad([ok, { ...ok, id: 'b', field: 'salary' }])).toEqual(['1.field']);
    expect(bad([ok, { ...ok, id: 'b', op: 'between', value: [10, 5] }])).toEqual(['1.value']);
    expect(bad([ok, { ...ok, id: 'b', op: 'in', value: [] }])).toEqual(['1.value']);
    expect(bad([ok, { ...ok, id: 'b', op: 'gte', value: 'ten' }])).toEqual(['1.value']);
    expect(bad([ok, { ...ok }])).toEqual(['1.id']);
    expect(bad([{ ...ok, points: 'ten' }])).toEqual(['0.points']);
    expect(bad([{ ...ok, extra: 1 }])).toEqual(['0']);
    expect(FitRule.safeParse({ ...ok, field: 'account.prop.tier' }).success).toBe(true);
    expect(FitRule.safeParse({ ...ok, field: 'prop.Bad-Key' }).success).toBe(false);
    const e = EngagementRule.safeParse({ id: 'x', label: 'X', match: { conditions: [{ path: 'properties.percent', op: 'gte', value: 'lots' }] }, points: 1 });
    expect(e.error!.issues.map((i) => i.path.join('.'))).toEqual(['match.conditions.0.value']);
    const noMatch = EngagementRule.safeParse({ id: 'x', label: 'X', match: { conditions: [] }, points: 1 });
    expect(noMatch.error!.issues.map((i) => i.path.join('.'))).toEqual(['match']);
    const badCap = EngagementRule.safeParse({ id: 'x', label: 'X', match: { event: 'a' }, points: 1, cap: { period: 'year', maxTimes: 1 } });
    expect(badCap.error!.issues.map((i) => i.path.join('.'))).toEqual(['cap.period']);
  });

  it('accepts the default models', () => {
    expect(FitRules.safeParse(DEFAULT_FIT_RULES).success).toBe(true);
    for (const r of DEFAULT_ENGAGEMENT_RULES) expect(EngagementRule.safeParse(r).success).toBe(true);
  });
});

describe('matchesEngagementRule', () => {
  const rule = (match: unknown) => EngagementRule.parse({ id: 'r', label: 'R', match, points: 5 });
  const page = (path: string, extra: Partial<ScoringEvent> = {}): ScoringEvent => ({ type: 'page', pagePath: path, ...extra });

  it('matches type, event name (case-insensitive), url pattern and conditions together', () => {
    const read = rule({ type: 'track', event: 'Content Read', conditions: [{ path: 'properties.percent', op: 'gte', value: 60 }] });
    expect(matchesEngagementRule(read, { type: 'track', event: 'content read', properties: { percent: 60 } })).toBe(true);
    expect(matchesEngagementRule(read, { type: 'track', event: 'Content Read', properties: { percent: 59 } })).toBe(false);
    expect(matchesEngagementRule(read, { type: 'page', event: 'Content Read', properties: { percent: 80 } })).toBe(false);
    const ctx = rule({ conditions: [{ path: 'context.page.path', op: 'starts_with', value: '/blog' }] });
    expect(matchesEngagementRule(ctx, { type: 'track', context: { page: { path: '/blog/x' } } })).toBe(true);
    expect(matchesEngagementRule(ctx, { type: 'track', context: { page: 'oops' } })).toBe(false);
  });

  it('url patterns: segment prefix or glob, also from context.page.path or the URL', () => {
    const pricing = rule({ urlPattern: '/pricing' });
    expect(matchesEngagementRule(pricing, page('/pricing'))).toBe(true);
    expect(matchesEngagementRule(pricing, page('/Pricing/enterprise?x=1'))).toBe(true);
    expect(matchesEngagementRule(pricing, page('/pricing-old'))).toBe(false);
    expect(matchesEngagementRule(pricing, { type: 'page', pageUrl: 'https://acme.com/pricing#top' })).toBe(true);
    expect(matchesEngagementRule(pricing, { type: 'track', context: { page: { path: '/pricing' } } })).toBe(true);
    expect(urlPatternMatches('/blog/*/case-study*', '/blog/2024/case-study-acme')).toBe(true);
    expect(urlPatternMatches('*demo*', '/book-a-demo')).toBe(true);
    expect(urlPatternMatches('/docs', null)).toBe(false);
  });
});

describe('caps', () => {
  it('windows are UTC calendar day, week from Monday, month, or ever', () => {
    const at = new Date('2026-11-25T23:30:00Z'); // a Wednesday
    expect(capWindow('day', at)).toEqual({ start: new Date('2026-11-25T00:00:00Z'), end: new Date('2026-11-26T00:00:00Z') });
    expect(capWindow('week', at)).toEqual({ start: new Date('2026-11-23T00:00:00Z'), end: new Date('2026-11-30T00:00:00Z') });
    expect(capWindow('week', new Date('2026-11-29T12:00:00Z'))!.start).toEqual(new Date('2026-11-23T00:00:00Z')); // Sunday
    expect(capWindow('month', at)).toEqual({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') });
    expect(capWindow('ever', at)).toBeNull();
  });

  it('maxTimes stops points after n times; maxPoints gives what is left', () => {
    const times: Cap = { maxTimes: 3, period: 'day' };
    expect(capAllows(times, { points: 20, times: 2 }, 10)).toEqual({ points: 10, capped: false });
    expect(capAllows(times, { points: 30, times: 3 }, 10)).toEqual({ points: 0, capped: true });
    const pts: Cap = { maxPoints: 25, period: 'week' };
    expect(capAllows(pts, { points: 20, times: 2 }, 10)).toEqual({ points: 5, capped: true });
    expect(capAllows(pts, { points: 25, times: 3 }, 10)).toEqual({ points: 0, capped: true });
    expect(capAllows(pts, { points: -20, times: 2 }, -10)).toEqual({ points: -5, capped: true });
    expect(capAllows(null, { points: 1000, times: 1000 }, 10)).toEqual({ points: 10, capped: false });
  });

  it('applyEngagementRules counts stored and same-batch points per window', () => {
    const rules = [
      EngagementRule.parse({ id: 'pricing', label: 'Pricing', match: { type: 'page', urlPattern: '/pricing' }, points: 10, cap: { maxTimes: 2, period: 'day' } }),
      EngagementRule.parse({ id: 'read', label: 'Read', match: { event: 'Content Read' }, points: 8, cap: { maxPoints: 20, period: 'ever' } }),
    ];
    const ev = (e: ScoringEvent, iso: string) => ({ event: e, occurredAt: new Date(iso) });
    const p = { type: 'page', pagePath: '/pricing' };
    const r = { type: 'track', event: 'Content Read' };
    const stored: Record<string, { points: number; times: number }> = { 'pricing|2026-11-23': { points: 10, times: 1 }, 'read|ever': { points: 8, times: 1 } };
    const out = applyEngagementRules(
      rules,
      [ev(p, '2026-11-23T10:00:00Z'), ev(p, '2026-11-23T11:00:00Z'), ev(p, '2026-11-24T09:00:00Z'), ev(r, '2026-11-23T09:00:00Z'), ev(r, '2026-11-23T12:00:00Z')],
      (ruleId, win) => stored[`${ruleId}|${win ? win.start.toISOString().slice(0, 10) : 'ever'}`] ?? { points: 0, times: 0 },
    );
    expect(out.map((o) => [o.ruleId, o.occurredAt.toISOString().slice(0, 13), o.points, o.capped])).toEqual([
      ['read', '2026-11-23T09', 8, false], // 8 stored + 8 = 16
      ['pricing', '2026-11-23T10', 10, false], // 2nd time today
      ['pricing', '2026-11-23T11', 0, true], // 3rd time today: stopped
      ['read', '2026-11-23T12', 4, true], // 16 + 4 = 20 (maxPoints)
      ['pricing', '2026-11-24T09', 10, false], // a new day
    ]);
  });
});

describe('decay', () => {
  const now = new Date('2026-11-23T00:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

  it('halves every half-life', () => {
    expect(decayed(40, daysAgo(0), now, 30)).toBe(40);
    expect(decayed(40, daysAgo(30), now, 30)).toBe(20);
    expect(decayed(40, daysAgo(60), now, 30)).toBe(10);
    expect(decayed(40, daysAgo(15), now, 30)).toBeCloseTo(28.2842712, 6); // 40 / √2
    expect(decayed(40, daysAgo(90), now, null)).toBe(40);
    expect(decayed(40, new Date(now.getTime() + 86_400_000), now, 30)).toBe(40); // future: no growth
  });

  it('engagementScore sums decayed points per rule and counts capped entries', () => {
    const s = engagementScore(
      [
        { ruleId: 'demo', points: 40, occurredAt: daysAgo(30) },
        { ruleId: 'pricing', points: 10, occurredAt: daysAgo(0) },
        { ruleId: 'pricing', points: 10, occurredAt: daysAgo(60) },
        { ruleId: 'pricing', points: 0, occurredAt: daysAgo(60) },
      ],
      now,
      30,
    );
    expect(s.total).toBe(20 + 10 + 2.5);
    expect(s.earned).toBe(60);
    expect(s.rules).toEqual([
      { ruleId: 'demo', times: 1, cappedTimes: 0, earned: 40, current: 20 },
      { ruleId: 'pricing', times: 2, cappedTimes: 1, earned: 20, current: 12.5 },
    ]);
  });
});

describe('inferBuyingStage', () => {
  const rules = [
    { pattern: '/pricing', stage: 'purchase' as const },
    { pattern: '/blog/*', stage: 'awareness' as const },
    { pattern: '/case-studies', stage: 'consideration' as const },
  ];
  const now = new Date('2026-11-23T00:00:00Z');
  const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);

  it('is the most advanced stage seen in the last 90 days', () => {
    const r = inferBuyingStage(
      [
        { path: '/blog/why', at: ago(1) },
        { path: '/blog/how', at: ago(2) },
        { path: '/case-studies/acme', at: ago(10) },
        { path: '/pricing', at: ago(91) }, // too old
        { path: '/about', at: ago(1) },
      ],
      rules,
      now,
    );
    expect(r.stage).toBe('consideration');
    expect(r.evidence).toEqual([
      { stage: 'awareness', count: 2, lastAt: ago(1).toISOString() },
      { stage: 'consideration', count: 1, lastAt: ago(10).toISOString() },
    ]);
    expect(inferBuyingStage([{ path: '/about', at: ago(1) }], rules, now).stage).toBeNull();
  });
});
