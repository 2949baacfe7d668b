// Contracts of the plan domain's spend side: cost lines, tools, the job map + Frankenstack report, the random-acts
// report, the planning view and the marketing fitness test.
import { z } from 'zod';
import { IsoDate, Timestamp } from './common.ts';
import { UserRef } from './contacts.ts';

export const COST_CATEGORIES = ['media', 'content', 'events', 'tools', 'people', 'sales', 'other'] as const;
export const CostCategory = z.enum(COST_CATEGORIES);
export type CostCategory = z.infer<typeof CostCategory>;

/** YYYY-MM or any date inside the month → the month's first day (YYYY-MM-01). */
export const Month = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/, 'must be a month as YYYY-MM (or a date YYYY-MM-DD)')
  .transform((s) => `${s.slice(0, 7)}-01`);

const Money = z.number().min(0, 'must be 0 or more').max(999_999_999_999);
const Currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code');
const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const oneLink = (c: { campaignId?: number | null; toolId?: number | null }) => !(c.campaignId != null && c.toolId != null);
const oneLinkMessage = { message: 'a cost line links to a campaign or a tool, not both', path: ['toolId'] };

export const CostLineInput = z
  .object({
    campaignId: Id.nullable().optional(),
    toolId: Id.nullable().optional(),
    month: Month,
    category: CostCategory,
    planned: Money.default(0),
    actual: Money.nullable().optional(),
    currency: Currency.default('USD'),
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .strict()
  .refine(oneLink, oneLinkMessage);
export const CostLinePatch = z
  .object({
    campaignId: Id.nullable().optional(),
    toolId: Id.nullable().optional(),
    month: Month.optional(),
    category: CostCategory.optional(),
    planned: Money.optional(),
    actual: Money.nullable().optional(),
    currency: Currency.optional(),
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .strict()
  .refine(oneLink, oneLinkMessage);

const Ref = z.object({ id: z.number().int(), name: z.string() });
export const CostLine = z
  .object({
    id: z.number().int(),
    campaign: Ref.nullable(),
    tool: Ref.nullable(),
    /** The objective the line serves through its campaign or tool (null: a random act). */
    objective: z.object({ id: z.number().int(), title: z.string() }).nullable(),
    month: IsoDate,
    category: CostCategory,
    planned: z.number(),
    actual: z.number().nullable(),
    currency: z.string(),
    note: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'CostLine' });
export type CostLine = z.infer<typeof CostLine>;

export const CostLineQuery = z
  .object({
    from: Month.optional(),
    to: Month.optional(),
    campaignId: z.coerce.number().int().positive().optional(),
    toolId: z.coerce.number().int().positive().optional(),
    category: CostCategory.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must be on or after "from"', path: ['to'] });
export type CostLineQuery = z.input<typeof CostLineQuery>;

export const CostLineList = z.object({
  items: z.array(CostLine),
  totals: z.object({ planned: z.number(), actual: z.number() }),
  byCategory: z.array(z.object({ category: CostCategory, planned: z.number(), actual: z.number() })),
  byMonth: z.array(z.object({ month: IsoDate, planned: z.number(), actual: z.number() })),
});
export type CostLineList = z.infer<typeof CostLineList>;

export const CostImportResult = z.object({
  /** false: some row was rejected and nothing was written. */
  imported: z.boolean(),
  processed: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), field: z.string().nullable(), reason: z.string() })),
});
export type CostImportResult = z.infer<typeof CostImportResult>;

// ---------- tools ----------
export const ToolInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200),
    vendor: z.string().trim().max(200).nullable().optional(),
    annualCost: Money.nullable().optional(),
    currency: Currency.default('USD'),
    ownerId: z.number().int().positive().nullable().optional(),
    objectiveId: Id.nullable().optional(),
    note: z.string().trim().max(2000).nullable().optional(),
    /** Job-map step keys the tool serves. */
    steps: z.array(z.string().trim().min(1).max(60)).max(50).optional(),
  })
  .strict();
export const ToolPatch = ToolInput.partial().strict();
export const Tool = z
  .object({
    id: z.number().int(),
    name: z.string(),
    vendor: z.string().nullable(),
    annualCost: z.number().nullable(),
    currency: z.string(),
    owner: UserRef.nullable(),
    objective: z.object({ id: z.number().int(), title: z.string() }).nullable(),
    note: z.string().nullable(),
    steps: z.array(z.string()),
    /** Σ actual (else planned) of the cost lines linked to the tool. */
    spend: z.number(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Tool' });
export type Tool = z.infer<typeof Tool>;
export const ToolList = z.object({ items: z.array(Tool) });

// ---------- job map ----------
export const JobMapStep = z.object({
  id: z.number().int(),
  key: z.string(),
  position: z.number().int(),
  name: z.string(),
  goal: z.string(),
  outcomes: z.array(z.string()),
  isStepZero: z.boolean(),
});
export type JobMapStep = z.infer<typeof JobMapStep>;
export const JobMapStepPatch = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100).optional(),
    goal: z.string().trim().max(1000).optional(),
    outcomes: z.array(z.string().trim().min(1, 'an outcome statement cannot be empty').max(300)).max(30).optional(),
  })
  .strict();

export const FrankenstackStep = JobMapStep.extend({
  tools: z.array(z.object({ id: z.number().int(), name: z.string(), vendor: z.string().nullable(), annualCost: z.number().nullable() })),
  status: z.enum(['gap', 'covered', 'overlap']),
  /** Σ annual cost of the step's tools when there are several. */
  overlapCost: z.number(),
});
export const FrankenstackReport = z.object({
  job: z.string(),
  stepZero: FrankenstackStep.nullable(),
  steps: z.array(FrankenstackStep),
  gaps: z.array(z.string()),
  overlaps: z.array(z.object({ step: z.string(), tools: z.array(z.string()), annualCost: z.number() })),
  /** Tools mapped to no step. */
  unmappedTools: z.array(z.object({ id: z.number().int(), name: z.string(), annualCost: z.number().nullable() })),
  totalAnnualCost: z.number(),
});
export type FrankenstackReport = z.infer<typeof FrankenstackReport>;

// ---------- random acts ----------
export const RandomActKind = z.enum(['campaign', 'cost_line', 'content_item', 'tool']);
export const RandomAct = z.object({
  kind: RandomActKind,
  id: z.number().int(),
  name: z.string(),
  spend: z.number(),
  /** spend ÷ total spend of the period (0..1). */
  share: z.number(),
  why: z.string(),
});
export const RandomActsQuery = z
  .object({ from: Month.optional(), to: Month.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must be on or after "from"', path: ['to'] });
export const RandomActsReport = z.object({
  from: IsoDate.nullable(),
  to: IsoDate.nullable(),
  totalSpend: z.number(),
  unlinkedSpend: z.number(),
  unlinkedShare: z.number(),
  counts: z.object({ campaign: z.number().int(), cost_line: z.number().int(), content_item: z.number().int(), tool: z.number().int() }),
  items: z.array(RandomAct),
});
export type RandomActsReport = z.infer<typeof RandomActsReport>;

// ---------- planning ----------
export const PlanningQuery = z.object({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'must look like 2026-Q2').optional() });
export const PlanningCampaign = z.object({
  id: z.number().int(),
  name: z.string(),
  channel: z.string(),
  status: z.string(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  budget: z.number().nullable(),
  planned: z.number(),
  actual: z.number(),
});
export const PlanningView = z.object({
  quarter: z.string(),
  from: IsoDate,
  to: IsoDate,
  groups: z.array(
    z.object({
      objective: z.object({ id: z.number().int(), title: z.string() }).nullable(),
      campaigns: z.array(PlanningCampaign),
      budget: z.number(),
      planned: z.number(),
      actual: z.number(),
    }),
  ),
  totals: z.object({ budget: z.number(), planned: z.number(), actual: z.number() }),
});
export type PlanningView = z.infer<typeof PlanningView>;

// ---------- fitness ----------
export const FitnessAnswer = z.enum(['yes', 'no', 'no_data']);
export const FitnessEvidence = z.object({ label: z.string(), value: z.number().nullable(), display: z.string(), threshold: z.string(), met: z.boolean().nullable() });
export const FitnessQuestion = z.object({
  key: z.enum(['repeatable', 'accountable', 'market_driven', 'efficient']),
  question: z.string(),
  answer: FitnessAnswer,
  evidence: z.array(FitnessEvidence),
  note: z.string(),
});
export const FitnessScorecard = z.object({ takenAt: Timestamp, yesCount: z.number().int(), questions: z.array(FitnessQuestion) });
export type FitnessScorecard = z.infer<typeof FitnessScorecard>;
export type FitnessQuestion = z.infer<typeof FitnessQuestion>;
export type FitnessEvidence = z.infer<typeof FitnessEvidence>;
export const FitnessHistory = z.object({
  items: z.array(z.object({ id: z.number().int(), takenAt: Timestamp, trigger: z.string(), yesCount: z.number().int(), answers: z.record(z.string(), FitnessAnswer) })),
});
