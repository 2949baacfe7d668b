// Pure helpers of the nurture builder: durations as number + unit, local date-times stored with their offset,
// server field errors mapped to step ids, removing a step keeps the flow connected.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { ProgramDefinition } from '../../../../src/contracts/nurture.ts';
import { errsFrom, isoToLocalInput, joinDuration, localInputToIso, splitDuration } from './controls.tsx';
import { errorsByStepId } from './ProgramPage.tsx';
import { removeStep } from './StepToolbar.tsx';

describe('splitDuration / joinDuration', () => {
  it('shows a duration in the largest whole unit', () => {
    expect(splitDuration({ days: 14 })).toEqual({ n: 2, unit: 'weeks' });
    expect(splitDuration({ days: 2, hours: 0, minutes: 0 })).toEqual({ n: 2, unit: 'days' });
    expect(splitDuration({ days: 1, hours: 12 })).toEqual({ n: 36, unit: 'hours' });
    expect(splitDuration({ minutes: 90 })).toEqual({ n: 90, unit: 'minutes' });
    expect(splitDuration({})).toEqual({ n: 0, unit: 'days' });
  });
  it('stores what the contract accepts', () => {
    expect(joinDuration(2, 'weeks')).toEqual({ days: 14 });
    expect(joinDuration(2, 'days')).toEqual({ days: 2 });
    expect(joinDuration(1210, 'hours')).toEqual({ days: 50, hours: 10 });
    expect(joinDuration(45, 'minutes')).toEqual({ minutes: 45 });
    for (const [n, u] of [[3, 'weeks'], [5, 'days'], [1210, 'hours'], [30, 'minutes']] as const) expect(splitDuration(joinDuration(n, u))).toEqual({ n, unit: u });
  });
});

describe('localInputToIso', () => {
  it('stores the local time with its offset and reads it back unchanged', () => {
    const iso = localInputToIso('2027-03-01T09:00');
    expect(iso).toMatch(/^2027-03-01T09:00:00[+-]\d\d:\d\d$/);
    expect(new Date(iso).getTime()).toBe(new Date('2027-03-01T09:00').getTime());
    expect(isoToLocalInput(iso)).toBe('2027-03-01T09:00');
    expect(ProgramDefinition.safeParse({ entry: { stages: ['lead'] }, steps: [{ id: 'w', type: 'wait_until', until: iso }] }).success).toBe(true);
  });
  it('shows an instant stored in another offset in local time', () => {
    expect(isoToLocalInput('2027-03-01T09:00:00Z')).toBe(isoToLocalInput(new Date(Date.UTC(2027, 2, 1, 9)).toISOString()));
    expect(isoToLocalInput('not a date')).toBe('');
  });
});

describe('errorsByStepId', () => {
  const saved = { entry: { stages: ['lead'] }, steps: [{ id: 'a', type: 'exit' }, { id: 'b', type: 'wait', duration: { days: 0 } }], exit: [], goals: [], reentry: { mode: 'never', cooldownDays: 0 } } as never;
  it('turns step indexes into the ids of the steps that were saved', () => {
    const err = new ApiError(400, 'validation_error', 'x', [
      { field: 'body.definition.steps.1.duration', message: 'must be longer than zero' },
      { field: 'body.definition.entry', message: 'needs at least one criterion' },
    ]);
    const e = errorsByStepId(err, saved);
    expect(e).toEqual({ 'steps.b.duration': 'must be longer than zero', entry: 'needs at least one criterion' });
    expect(errsFrom(e, 'steps.b')('duration')).toBe('must be longer than zero');
    expect(errsFrom(e, 'steps.a')('duration')).toBeUndefined();
    expect(errsFrom(e)('entry')).toBe('needs at least one criterion');
  });
  it('names a missing value "Required"', () => {
    const e = errorsByStepId(new ApiError(400, 'validation_error', 'x', [{ field: 'body.definition.steps.0.templateId', message: 'Invalid input: expected number, received undefined' }]), saved);
    expect(errsFrom(e, 'steps.a')('templateId')).toBe('Required');
  });
});

describe('removeStep', () => {
  it('points what led to the removed step at the step that followed it', () => {
    const d = {
      entry: { stages: ['lead'] },
      steps: [
        { id: 'br', type: 'branch', condition: { kind: 'unsubscribed' }, yes: 'mid', no: 'end' },
        { id: 'mid', type: 'wait', duration: { days: 1 } },
        { id: 'last', type: 'notify_owner', message: 'hi', next: 'mid' },
        { id: 'end', type: 'exit' },
      ],
    } as never;
    const out = removeStep(d, 'mid') as { steps: Record<string, unknown>[] };
    expect(out.steps.map((s) => s.id)).toEqual(['br', 'last', 'end']);
    expect(out.steps[0]).toMatchObject({ yes: 'last', no: 'end' });
    expect(out.steps[1]).not.toHaveProperty('next'); // it led to the removed step and would now lead to itself: it follows the list
    expect(ProgramDefinition.safeParse(out).success).toBe(true);
  });
});
