// Lifecycle API: a contact's stage history and manual moves, sales-ready definitions, lifecycle settings.
import type { z } from 'zod';
import type {
  ContactLifecycle,
  Definition,
  DefinitionList,
  HandoffPoint,
  LifecycleSettings,
  LifecycleSettingsResponse,
  LifecycleStage,
  MoveResult,
  QualificationRule,
  SalesReadyRule,
  Transition,
  TransitionCause,
} from '../../../src/contracts/lifecycle.ts';
import { get, post, request } from './client.ts';

export type { ContactLifecycle, Definition, HandoffPoint, LifecycleSettings, LifecycleStage, QualificationRule, SalesReadyRule, Transition, TransitionCause };
export { BuyingStageName, CONDITION_OPS, FitGrade, REQUIRED_FIELD_NAMES } from '../../../src/contracts/lifecycle.ts';
export type DefinitionListT = z.infer<typeof DefinitionList>;
export type SettingsResponseT = z.infer<typeof LifecycleSettingsResponse>;
export type MoveResultT = z.infer<typeof MoveResult>;

export const lifecycleKeys = {
  contact: (id: number) => ['contact', id, 'lifecycle'] as const,
  definitions: ['lifecycle', 'definitions'] as const,
  settings: ['lifecycle', 'settings'] as const,
};

export const getContactLifecycle = (id: number) => get<ContactLifecycle>(`/contacts/${id}/lifecycle`);
export const moveContact = (id: number, input: { toStage: LifecycleStage; reason: string }) => post<MoveResultT>(`/contacts/${id}/lifecycle`, input);
export const listDefinitions = () => get<DefinitionListT>('/lifecycle/definitions');
export const proposeDefinition = (input: { rule: Partial<SalesReadyRule>; notes?: string | null }) => post<Definition>('/lifecycle/definitions', input);
export const decideDefinition = (id: number, decision: 'approve' | 'reject', comment?: string) =>
  post<Definition>(`/lifecycle/definitions/${id}/${decision}`, comment ? { comment } : {});
export const getLifecycleSettings = () => get<SettingsResponseT>('/lifecycle/settings');
export const putLifecycleSettings = (settings: LifecycleSettings) => request<SettingsResponseT>('PUT', '/lifecycle/settings', settings);

export const CAUSE_LABELS: Record<TransitionCause, string> = {
  rule: 'Rule',
  manual: 'By hand',
  deal: 'Deal',
  handoff: 'Handoff',
  import: 'Import',
  api: 'API',
  self_service: 'Self-service',
};

/** "3 d 4 h", "5 h 10 min", "12 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}
