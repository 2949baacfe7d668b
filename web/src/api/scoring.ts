// Scoring API: score models, buying-stage rules, explained contact and account scores.
import type { z } from 'zod';
import type { AccountScores, ContactScores } from '../../../src/contracts/scoring-explain.ts';
import type {
  BuyingStage,
  Cap,
  Condition,
  EngagementRule,
  FitRule,
  Grade,
  GradeThresholds,
  RuleOp,
  ScoreModel,
  ScoreModelKind,
  ScoreModelPatch,
  StageRule,
  StageRuleInput,
} from '../../../src/contracts/scoring.ts';
import { del, get, patch, post, qs } from './client.ts';

export type { AccountScores, BuyingStage, Cap, Condition, ContactScores, EngagementRule, FitRule, Grade, GradeThresholds, RuleOp, ScoreModel, ScoreModelKind, StageRule };
export {
  BUYING_STAGE_LABELS,
  CAP_PERIODS,
  DEFAULT_GRADES,
  EVENT_TYPES,
  FIT_ACCOUNT_FIELDS,
  FIT_CONTACT_FIELDS,
  RULE_OP_LABELS,
  RULE_OPS,
} from '../../../src/contracts/scoring.ts';

export const scoringKeys = {
  models: (archived: boolean) => ['scoring', 'models', { archived }] as const,
  model: (id: number) => ['scoring', 'model', id] as const,
  stageRules: ['scoring', 'stage-rules'] as const,
  contactScores: (id: number) => ['scoring', 'contact', id] as const,
  accountScores: (id: number) => ['scoring', 'account', id] as const,
};

export type NewModel =
  | { kind: 'fit'; name: string; description?: string | null; rules: FitRule[]; grades?: GradeThresholds; isDefault?: boolean }
  | { kind: 'engagement'; name: string; description?: string | null; rules: EngagementRule[]; halfLifeDays?: number | null; isDefault?: boolean };

export const listModels = (archived = false) => get<{ items: ScoreModel[] }>(`/scoring/models${qs({ archived: archived || undefined })}`);
export const getModel = (id: number) => get<ScoreModel>(`/scoring/models/${id}`);
export const createModel = (body: NewModel) => post<ScoreModel>('/scoring/models', body);
export const updateModel = (id: number, body: z.input<typeof ScoreModelPatch>) => patch<ScoreModel>(`/scoring/models/${id}`, body);
export const archiveModel = (id: number) => post<ScoreModel>(`/scoring/models/${id}/archive`);
export const restoreModel = (id: number) => post<ScoreModel>(`/scoring/models/${id}/restore`);
export const makeDefaultModel = (id: number) => post<ScoreModel>(`/scoring/models/${id}/default`);

export const listStageRules = () => get<{ items: StageRule[] }>('/scoring/stage-rules');
export const createStageRule = (body: z.input<typeof StageRuleInput>) => post<StageRule>('/scoring/stage-rules', body);
export const updateStageRule = (id: number, body: Partial<z.input<typeof StageRuleInput>>) => patch<StageRule>(`/scoring/stage-rules/${id}`, body);
export const deleteStageRule = (id: number) => del<null>(`/scoring/stage-rules/${id}`);

export const getContactScores = (id: number, models: { fitModelId?: number; engagementModelId?: number } = {}) =>
  get<ContactScores>(`/contacts/${id}/scores${qs(models)}`);
export const getAccountScores = (id: number) => get<AccountScores>(`/accounts/${id}/scores`);
