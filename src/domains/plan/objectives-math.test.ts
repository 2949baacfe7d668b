import { describe, expect, it } from 'vitest';
import { atRisk, elapsedShare, kpiProgress, periodRange, rollUp, smartCheck, weekEnds, type KpiForMath, type ObjectiveForSmart } from './objectives-math.ts';

const kpi = (k: Partial<KpiForMath> = {}): KpiForMath => ({ name: 'New leads', source: 'metric', metricKey: 'leads.new', metricKnown: true, baseline: 100, target: 150, direction: 'up', checkins: 0, ...k });
const obj = (o: Partial<ObjectiveForSmart> = {}): ObjectiveForSmart => ({ level: 'marketing', parentId: 1, ownerId: 7, periodStart: '2026-01-01', periodEnd: '2026-03-31', kpis: [kpi()], ...o });
const crit = (o: ObjectiveForSmart, key: string) => smartCheck(o).criteria.find((c) => c.key === key)!;

describe('smartCheck', () => {
  it('passes a complete objective with every criterion and its reason', () => {
    const s = smartCheck(obj());
    expect(s.ok).toBe(true);
    expect(s.passed).toBe(6);
    expect(s.criteria.map((c) => c.key)).toEqual(['specific', 'measurable', 'time_bound', 'owned', 'relevant', 'target']);
    expect(s.criteria.every((c) => c.reason.length > 0)).toBe(true);
  });
  it('is not specific without a KPI, nor with a metric outside the catalog', () => {
    expect(crit(obj({ kpis: [] }), 'specific')).toMatchObject({ ok: false, reason: expect.stringContaining('No KPI') });
    expect(crit(obj({ kpis: [kpi({ metricKnown: false, metricKey: 'gone' })] }), 'specific')).toMatchObject({ ok: false, reason: expect.stringContaining('"New leads"') });
  });
  it('is measurable when bound to data or when a manual KPI has check-ins', () => {
    expect(crit(obj({ kpis: [kpi({ source: 'manual', metricKey: null, checkins: 0 })] }), 'measurable')).toMatchObject({ ok: false, reason: expect.stringContaining('no check-in') });
    expect(crit(obj({ kpis: [kpi({ source: 'manual', metricKey: null, checkins: 2 })] }), 'measurable').ok).toBe(true);
    expect(crit(obj(), 'measurable').ok).toBe(true);
  });
  it('is time-bound only with both period ends', () => {
    expect(crit(obj({ periodEnd: null }), 'time_bound')).toMatchObject({ ok: false, reason: 'No period end' });
    expect(crit(obj({ periodStart: null, periodEnd: null }), 'time_bound')).toMatchObject({ ok: false, reason: 'No period' });
  });
  it('is owned only with an owner', () => {
    expect(crit(obj({ ownerId: null }), 'owned').ok).toBe(false);
  });
  it('is relevant for a company objective or one with a parent', () => {
    expect(crit(obj({ level: 'company', parentId: null }), 'relevant').ok).toBe(true);
    expect(crit(obj({ level: 'team', parentId: null }), 'relevant')).toMatchObject({ ok: false, reason: 'A team objective that serves no parent objective' });
  });
  it('needs every target on the right side of its baseline', () => {
    expect(crit(obj({ kpis: [kpi({ target: 90 })] }), 'target')).toMatchObject({ ok: false, reason: expect.stringContaining('not above the baseline 100') });
    expect(crit(obj({ kpis: [kpi({ target: 100 })] }), 'target').ok).toBe(false);
    expect(crit(obj({ kpis: [kpi({ direction: 'down', baseline: 30, target: 20 })] }), 'target').ok).toBe(true);
    expect(crit(obj({ kpis: [kpi({ direction: 'down', baseline: 30, target: 40 })] }), 'target')).toMatchObject({ ok: false, reason: expect.stringContaining('not below') });
    expect(crit(obj({ kpis: [kpi({ baseline: null })] }), 'target')).toMatchObject({ ok: false, reason: '"New leads" has no baseline' });
    expect(crit(obj({ kpis: [kpi({ target: null })] }), 'target')).toMatchObject({ ok: false, reason: '"New leads" has no target' });
  });
});

describe('kpiProgress', () => {
  it('flow up: actual ÷ target (the baseline is last period, not a start)', () => {
    expect(kpiProgress({ kind: 'flow', baseline: 400, target: 500, direction: 'up', actual: 250 })).toBe(0.5);
    expect(kpiProgress({ kind: 'flow', baseline: 400, target: 500, direction: 'up', actual: 600 })).toBe(1);
  });
  it('level: distance from the baseline to the target, either direction', () => {
    expect(kpiProgress({ kind: 'level', baseline: 10, target: 20, direction: 'up', actual: 15 })).toBe(0.5);
    expect(kpiProgress({ kind: 'level', baseline: 30, target: 20, direction: 'down', actual: 25 })).toBe(0.5);
    expect(kpiProgress({ kind: 'level', baseline: 30, target: 20, direction: 'down', actual: 35 })).toBe(0);
    expect(kpiProgress({ kind: 'level', baseline: null, target: 40, direction: 'up', actual: 10 })).toBe(0.25);
  });
  it('down without a baseline or on a flow: 1 while under the target', () => {
    expect(kpiProgress({ kind: 'flow', baseline: null, target: 100, direction: 'down', actual: 80 })).toBe(1);
    expect(kpiProgress({ kind: 'flow', baseline: null, target: 100, direction: 'down', actual: 200 })).toBe(0.5);
  });
  it('is null without an actual or a target', () => {
    expect(kpiProgress({ kind: 'flow', baseline: 1, target: null, direction: 'up', actual: 3 })).toBeNull();
    expect(kpiProgress({ kind: 'flow', baseline: 1, target: 5, direction: 'up', actual: null })).toBeNull();
  });
});

describe('rollUp', () => {
  it('weights every KPI and child equally and skips nulls', () => {
    expect(rollUp([1, 0.5, null, 0])).toBe(0.5);
    expect(rollUp([null])).toBeNull();
    // a parent with one KPI at 100 % and two children at 20 % and 60 %: (1 + 0.2 + 0.6) / 3
    expect(rollUp([1, 0.2, 0.6])).toBeCloseTo(0.6);
  });
});

describe('atRisk', () => {
  const now = new Date('2026-02-15T00:00:00Z');
  const elapsed = elapsedShare('2026-01-01', '2026-03-31', now)!; // 45 / 90 days
  it('measures the share of the period elapsed', () => {
    expect(elapsed).toBeCloseTo(0.5);
    expect(elapsedShare('2026-01-01', '2026-03-31', new Date('2027-01-01T00:00:00Z'))).toBe(1);
    expect(elapsedShare(null, '2026-03-31', now)).toBeNull();
  });
  it('flags an active objective behind time by more than the threshold, with the reason', () => {
    expect(atRisk({ status: 'active', progress: 0.3, elapsed })).toEqual({ atRisk: true, reason: '30 % done with 50 % of the period gone (behind by 20 %, threshold 15 %)' });
    expect(atRisk({ status: 'active', progress: 0.4, elapsed }).atRisk).toBe(false);
    expect(atRisk({ status: 'achieved', progress: 0.1, elapsed }).atRisk).toBe(false);
    expect(atRisk({ status: 'active', progress: null, elapsed }).atRisk).toBe(false);
  });
});

describe('periods', () => {
  it('turns a period code into days', () => {
    expect(periodRange('2026')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodRange('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange('2026-H2')).toEqual({ from: '2026-07-01', to: '2026-12-31' });
    expect(periodRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });
  it('lists week ends up to today', () => {
    expect(weekEnds('2026-01-01', '2026-01-31', '2026-12-31')).toEqual(['2026-01-07', '2026-01-14', '2026-01-21', '2026-01-28', '2026-01-31']);
    expect(weekEnds('2026-01-01', '2026-03-31', '2026-01-10')).toEqual(['2026-01-07', '2026-01-10']);
    expect(weekEnds('2026-02-01', '2026-03-31', '2026-01-10')).toEqual([]);
  });
});
