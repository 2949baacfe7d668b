import { describe, expect, it } from 'vitest';
import { formatDuration, routedByLabel, slaState } from './sla.ts';

const now = Date.parse('2030-01-01T12:00:00Z');
const H = 3_600_000;

describe('slaState', () => {
  it('counts down while pending, amber in the last hours, red once past due', () => {
    expect(slaState({ status: 'pending', dueAt: new Date(now + 10 * H).toISOString(), breachedAt: null, decidedAt: null }, now)).toEqual({ tone: 'green', label: 'Due in 10 h 00 min', badge: null });
    expect(slaState({ status: 'pending', dueAt: new Date(now + 90 * 60_000).toISOString(), breachedAt: null, decidedAt: null }, now)).toMatchObject({ tone: 'amber', label: 'Due in 1 h 30 min' });
    expect(slaState({ status: 'pending', dueAt: new Date(now - 2 * H).toISOString(), breachedAt: null, decidedAt: null }, now)).toEqual({ tone: 'red', label: 'Overdue by 2 h 00 min', badge: 'Overdue' });
    expect(slaState({ status: 'pending', dueAt: new Date(now - 2 * H).toISOString(), breachedAt: new Date(now - H).toISOString(), decidedAt: null }, now).badge).toBe('SLA breached');
  });
  it('says whether a decided lead was handled within the SLA', () => {
    expect(slaState({ status: 'accepted', dueAt: null, breachedAt: null, decidedAt: new Date(now).toISOString() }, now).label).toBe('Decided within the SLA');
    expect(slaState({ status: 'recycled', dueAt: null, breachedAt: new Date(now).toISOString(), decidedAt: new Date(now).toISOString() }, now).badge).toBe('SLA breached');
  });
});

describe('slaState after acceptance', () => {
  const accepted = { status: 'accepted' as const, dueAt: null, breachedAt: null, decidedAt: new Date(now - H).toISOString() };
  it('counts down the follow-up while the contact is still sales-accepted', () => {
    expect(slaState({ ...accepted, followUpDueAt: new Date(now + 30 * H).toISOString(), followUpBreachedAt: null, contact: { lifecycleStage: 'sales_accepted' } }, now)).toEqual({ tone: 'green', label: 'Follow up in 30 h 00 min', badge: null });
    expect(slaState({ ...accepted, followUpDueAt: new Date(now - H).toISOString(), followUpBreachedAt: new Date(now).toISOString(), contact: { lifecycleStage: 'sales_accepted' } }, now)).toMatchObject({ tone: 'red', badge: 'Not followed up' });
  });
  it('stops once the contact moved on', () => {
    expect(slaState({ ...accepted, followUpDueAt: new Date(now - H).toISOString(), followUpBreachedAt: null, contact: { lifecycleStage: 'opportunity' } }, now).label).toBe('Decided within the SLA');
  });
});

describe('formatDuration / routedByLabel', () => {
  it('formats minutes, hours and days', () => {
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration(49 * H)).toBe('2 d 1 h');
  });
  it('names the routing rule', () => {
    expect(routedByLabel('territory:DACH')).toBe('Territory DACH');
    expect(routedByLabel('round_robin')).toBe('Round-robin');
  });
});
