// The model editor's rows ↔ API rules: typed text becomes the value shape each operator needs, and the
// default models survive a round trip through the editor unchanged.
import { describe, expect, it } from 'vitest';
import { EngagementRule, FitRules } from '../../../../src/contracts/scoring.ts';
import { DEFAULT_ENGAGEMENT_RULES, DEFAULT_FIT_RULES } from '../../../../src/domains/scoring/defaults.ts';
import { capText, engagementRowFrom, engagementRuleFrom, ensureIds, fitRowFrom, fitRuleFrom, slugify, toValue } from './ruleForm.ts';

describe('toValue', () => {
  it('turns typed text into the value each operator needs', () => {
    expect(toValue('eq', 'Software')).toBe('Software');
    expect(toValue('eq', '42')).toBe(42);
    expect(toValue('eq', 'true')).toBe(true);
    expect(toValue('in', 'de, at ,, ch')).toEqual(['de', 'at', 'ch']);
    expect(toValue('contains', 'vp')).toBe('vp');
    expect(toValue('contains', 'vp, director')).toEqual(['vp', 'director']);
    expect(toValue('between', '50, 500')).toEqual([50, 500]);
    expect(toValue('gte', '60')).toBe(60);
    expect(toValue('gte', 'sixty')).toBe('sixty'); // passed on: the server names the field
    expect(toValue('exists', 'ignored')).toBeUndefined();
  });
});

describe('round trip', () => {
  it('keeps the default fit and engagement rules unchanged', () => {
    expect(FitRules.parse(DEFAULT_FIT_RULES.map(fitRowFrom).map(fitRuleFrom))).toEqual(DEFAULT_FIT_RULES);
    for (const r of DEFAULT_ENGAGEMENT_RULES) expect(EngagementRule.parse(engagementRuleFrom(engagementRowFrom(r)))).toEqual(EngagementRule.parse(r));
  });
});

describe('ensureIds', () => {
  it('gives new rows unique ids from their labels and keeps existing ids', () => {
    const rows = ensureIds([
      { id: 'pricing', label: 'Pricing' },
      { id: '', label: 'Viewed pricing page!' },
      { id: '', label: 'Viewed pricing page' },
      { id: '', label: '???' },
    ]);
    expect(rows.map((r) => r.id)).toEqual(['pricing', 'viewed-pricing-page', 'viewed-pricing-page-2', 'rule']);
    expect(slugify('C-level / Founder')).toBe('c-level-founder');
  });
});

describe('capText', () => {
  it('says the cap in words', () => {
    expect(capText({ maxTimes: 3, period: 'week' })).toBe('at most 3× a week');
    expect(capText({ maxPoints: 40, maxTimes: 2, period: 'ever' })).toBe('at most 2× and 40 pts ever');
    expect(capText(null)).toBe('no cap');
  });
});
