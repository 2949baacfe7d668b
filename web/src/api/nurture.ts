// Nurture API: programs (CRUD, status moves), stats per step, dry run, test send, enrolments.
import type { z } from 'zod';
import type { DryRunResult, EnrolmentList, Program, ProgramDefinition, ProgramList, ProgramStats, Step, TestSendResult, WebhookTargetList } from '../../../src/contracts/nurture.ts';
import { del, get, patch, post, qs } from './client.ts';

export type { DryRunResult, Program, ProgramDefinition, Step };
export type Stats = z.infer<typeof ProgramStats>;
export type Enrolments = z.infer<typeof EnrolmentList>;
export type TestSend = z.infer<typeof TestSendResult>;
export { STEP_LABELS, STEP_TYPES } from '../../../src/contracts/nurture.ts';

export const nurtureKeys = {
  list: ['nurture', 'programs'] as const,
  program: (id: number) => ['nurture', 'program', id] as const,
  stats: (id: number) => ['nurture', 'program', id, 'stats'] as const,
  enrolments: (params: Record<string, string | undefined>) => ['nurture', 'enrolments', params] as const,
  webhookTargets: ['nurture', 'webhook-targets'] as const,
};

export const listPrograms = () => get<z.infer<typeof ProgramList>>('/nurture/programs');
export const getProgram = (id: number) => get<Program>(`/nurture/programs/${id}`);
export const createProgram = (input: { name: string; description?: string | null; definition: unknown }) => post<Program>('/nurture/programs', input);
export const updateProgram = (id: number, input: { name?: string; description?: string | null; definition?: unknown }) => patch<Program>(`/nurture/programs/${id}`, input);
export const deleteProgram = (id: number) => del<unknown>(`/nurture/programs/${id}`);
export const programAction = (id: number, action: 'activate' | 'pause' | 'resume') => post<Program>(`/nurture/programs/${id}/${action}`, {});
export const getStats = (id: number) => get<Stats>(`/nurture/programs/${id}/stats`);
export const dryRun = (id: number, input: { days: number; definition?: unknown }) => post<DryRunResult>(`/nurture/programs/${id}/dry-run`, input);
export const testSend = (id: number, input: { stepId: string; contactId: number }) => post<TestSend>(`/nurture/programs/${id}/test-send`, input);
export const listWebhookTargets = () => get<z.infer<typeof WebhookTargetList>>('/nurture/webhook-targets');
export const listEnrolments = (params: Record<string, string | undefined>) => get<Enrolments>(`/nurture/enrolments${qs(params)}`);

export const STATUS_TONES = { draft: 'gray', active: 'green', paused: 'amber' } as const;
export const STATUS_LABELS = { draft: 'Draft', active: 'Active', paused: 'Paused' } as const;

/** A starting point for a new program: welcome, wait, stage-aware content, branch on engagement, hand-off signal. */
export function starterDefinition(): Record<string, unknown> {
  return {
    entry: { stages: ['lead'] },
    steps: [
      { id: 'tag', type: 'update_property', label: 'Mark as nurtured', key: 'nurture_track', value: 'welcome' },
      { id: 'wait-1', type: 'wait', label: 'Wait 3 days', duration: { days: 3 } },
      { id: 'engaged', type: 'branch', label: 'Engagement ≥ 40?', condition: { kind: 'score_at_least', score: 'engagement', value: 40 }, yes: 'promote', no: 'wait-2' },
      { id: 'wait-2', type: 'wait', label: 'Wait 7 days', duration: { days: 7 }, next: 'remind' },
      { id: 'remind', type: 'notify_owner', label: 'Tell the owner', message: 'Lead is still cold after 10 days', next: null },
      { id: 'promote', type: 'update_stage', label: 'Make MQL', stage: 'marketing_qualified' },
    ],
    goals: [{ name: 'Became MQL', condition: { kind: 'stage_in', stages: ['marketing_qualified'] } }],
    reentry: { mode: 'when_recycled', cooldownDays: 30 },
  };
}
