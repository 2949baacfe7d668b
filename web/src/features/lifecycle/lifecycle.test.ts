import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../api/lifecycle.ts';
import { formToRule, ruleToForm } from './RuleFields.tsx';

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(12)).toBe('12 s');
    expect(formatDuration(125)).toBe('2 min');
    expect(formatDuration(3 * 3600 + 600)).toBe('3 h 10 min');
    expect(formatDuration(2 * 86400 + 5 * 3600 + 59)).toBe('2 d 5 h');
    expect(formatDuration(86400)).toBe('1 d');
  });
});

describe('rule form', () => {
  it('round-trips a rule and turns empty fields into "not checked"', () => {
    const rule = { minFitGrade: 'B' as const, minEngagement: 40, buyingStages: ['purchase' as const], requiredProperties: ['title', 'phone'] };
    expect(formToRule(ruleToForm(rule))).toEqual(rule);
    expect(formToRule({ minFitGrade: '', minEngagement: ' ', buyingStages: [], requiredProperties: ' title,, phone ' })).toEqual({
      minFitGrade: null,
      minEngagement: null,
      buyingStages: [],
      requiredProperties: ['title', 'phone'],
    });
  });
});
