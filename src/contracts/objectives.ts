// Contracts of the plan domain's objectives: the objective tree, KPIs (catalog metric or manual with check-ins),
// check-ins, initiatives, the SMART check and progress. Shared by the server, the web UI and the CLI.
import { z } from 'zod';
import { IsoDate, Timestamp } from './common.ts';
import { UserRef } from './contacts.ts';

export const ObjectiveLevel = z.enum(['company', 'marketing', 'team', 'individual']);
export type ObjectiveLevel = z.infer<typeof ObjectiveLevel>;
export const OBJECTIVE_LEVEL_LABELS: Record<ObjectiveLevel, string> = { company: 'Company', marketing: 'Marketing', team: 'Team', individual: 'Individual' };
export const ObjectiveStatus = z.enum(['draft', 'active', 'achieved', 'missed', 'cancelled']);
export type ObjectiveStatus = z.infer<typeof ObjectiveStatus>;
export const KpiSource = z.enum(['metric', 'manual']);
export const KpiDirection = z.enum(['up', 'down']);
export type KpiDirection = z.infer<typeof KpiDirection>;

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Num = z.number().min(-1e13).max(1e13);
const title = z.string().trim().min(1, 'is required').max(300);
const text = z.string().trim().max(5000).nullable().optional();

/** A period filter: a year (2026), a half (2026-H1), a quarter (2026-Q3) or a month (2026-07). */
export const PeriodCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{4}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$/, 'must be a year (2026), half (2026-H1), quarter (2026-Q3) or month (2026-07)');

export const KpiFilters = z
  .object({
    segmentId: Id.optional(),
    campaignId: Id.optional(),
    product: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type KpiFilters = z.infer<typeof KpiFilters>;

const datesInOrder = (c: { periodStart?: string | null; periodEnd?: string | null }) => !c.periodStart || !c.periodEnd || c.periodStart <= c.periodEnd;
const datesMessage = { message: 'must be on or after the period start', path: ['periodEnd'] };

export const ObjectiveInput = z
  .object({
    parentId: Id.nullable().optional(),
    level: ObjectiveLevel,
    title,
    description: text,
    ownerId: Id.nullable().optional(),
    periodStart: IsoDate.nullable().optional(),
    periodEnd: IsoDate.nullable().optional(),
    status: ObjectiveStatus.default('active'),
  })
  .strict()
  .refine(datesInOrder, datesMessage);
export type ObjectiveInput = z.input<typeof ObjectiveInput>;
export const ObjectivePatch = z
  .object({
    parentId: Id.nullable().optional(),
    level: ObjectiveLevel.optional(),
    title: title.optional(),
    description: text,
    ownerId: Id.nullable().optional(),
    periodStart: IsoDate.nullable().optional(),
    periodEnd: IsoDate.nullable().optional(),
    status: ObjectiveStatus.optional(),
  })
  .strict()
  .refine(datesInOrder, datesMessage);

export const KpiInput = z
  .object({
    name: title,
    source: KpiSource,
    metricKey: z.string().trim().min(1).max(100).nullable().optional(),
    filters: KpiFilters.default({}),
    unit: z.string().trim().max(40).nullable().optional(),
    baseline: Num.nullable().optional(),
    target: Num.nullable().optional(),
    direction: KpiDirection.default('up'),
  })
  .strict();
export type KpiInput = z.input<typeof KpiInput>;
export const KpiPatch = z
  .object({
    name: title.optional(),
    metricKey: z.string().trim().min(1).max(100).nullable().optional(),
    filters: KpiFilters.optional(),
    unit: z.string().trim().max(40).nullable().optional(),
    baseline: Num.nullable().optional(),
    target: Num.nullable().optional(),
    direction: KpiDirection.optional(),
  })
  .strict();

export const CheckinInput = z
  .object({
    value: Num,
    at: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).optional(),
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .strict();

export const InitiativeInput = z
  .object({
    objectiveId: Id.nullable().optional(),
    name: title,
    description: text,
    ownerId: Id.nullable().optional(),
    startDate: IsoDate.nullable().optional(),
    endDate: IsoDate.nullable().optional(),
  })
  .strict()
  .refine((c) => !c.startDate || !c.endDate || c.startDate <= c.endDate, { message: 'must be on or after the start date', path: ['endDate'] });
export const InitiativePatch = z
  .object({
    objectiveId: Id.nullable().optional(),
    name: title.optional(),
    description: text,
    ownerId: Id.nullable().optional(),
    startDate: IsoDate.nullable().optional(),
    endDate: IsoDate.nullable().optional(),
  })
  .strict();

export const MetricDef = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.string(),
  better: KpiDirection,
  /** flow: accumulates over the period (counts, sums): progress = actual ÷ target; level: a rate or level: progress from the baseline. */
  kind: z.enum(['flow', 'level']),
  filters: z.array(z.enum(['segmentId', 'campaignId', 'product'])),
  description: z.string(),
});
export type MetricDef = z.infer<typeof MetricDef>;

export const SmartCriterion = z.object({
  key: z.enum(['specific', 'measurable', 'time_bound', 'owned', 'relevant', 'target']),
  label: z.string(),
  ok: z.boolean(),
  reason: z.string(),
});
export type SmartCriterion = z.infer<typeof SmartCriterion>;
export const Smart = z.object({ ok: z.boolean(), passed: z.number().int(), criteria: z.array(SmartCriterion) });
export type Smart = z.infer<typeof Smart>;

export const TrendPoint = z.object({ weekEnd: IsoDate, value: z.number().nullable() });

export const Kpi = z.object({
  id: z.number().int(),
  objectiveId: z.number().int(),
  name: z.string(),
  source: KpiSource,
  metricKey: z.string().nullable(),
  metricLabel: z.string().nullable(),
  filters: KpiFilters,
  unit: z.string().nullable(),
  kind: z.enum(['flow', 'level']),
  baseline: z.number().nullable(),
  target: z.number().nullable(),
  direction: KpiDirection,
  /** The value over the objective's period up to today (catalog) or the latest check-in (manual); null: no data. */
  actual: z.number().nullable(),
  /** 0..1; null when there is no actual or no target. */
  progress: z.number().nullable(),
  checkins: z.number().int(),
  /** Why actual/progress is null, when it is. */
  note: z.string().nullable(),
});
export type Kpi = z.infer<typeof Kpi>;

export type ObjectiveNode = {
  id: number;
  parentId: number | null;
  level: ObjectiveLevel;
  title: string;
  description: string | null;
  owner: { id: number; name: string; email: string } | null;
  periodStart: string | null;
  periodEnd: string | null;
  status: ObjectiveStatus;
  kpis: Kpi[];
  smart: Smart;
  /** Mean of its own KPIs' progress and its children's progress, each weighted equally (nulls skipped). */
  progress: number | null;
  /** Share of the period elapsed today, 0..1 (null without a period). */
  elapsed: number | null;
  atRisk: boolean;
  atRiskReason: string | null;
  /** At-risk objectives below this one. */
  atRiskBelow: number;
  children: ObjectiveNode[];
};
export const ObjectiveNode: z.ZodType<ObjectiveNode> = z.lazy(() =>
  z.object({
    id: z.number().int(),
    parentId: z.number().int().nullable(),
    level: ObjectiveLevel,
    title: z.string(),
    description: z.string().nullable(),
    owner: UserRef.nullable(),
    periodStart: z.string().nullable(),
    periodEnd: z.string().nullable(),
    status: ObjectiveStatus,
    kpis: z.array(Kpi),
    smart: Smart,
    progress: z.number().nullable(),
    elapsed: z.number().nullable(),
    atRisk: z.boolean(),
    atRiskReason: z.string().nullable(),
    atRiskBelow: z.number().int(),
    children: z.array(ObjectiveNode),
  }),
);

export const ObjectiveTreeQuery = z.object({ period: PeriodCode.optional() });
export const ObjectiveTree = z.object({
  period: z.object({ code: z.string(), from: IsoDate, to: IsoDate }).nullable(),
  /** At-risk threshold: an objective is at risk when elapsed − progress exceeds it. */
  atRiskThreshold: z.number(),
  roots: z.array(ObjectiveNode),
  summary: z.object({ objectives: z.number().int(), smart: z.number().int(), atRisk: z.number().int(), owned: z.number().int() }),
});
export type ObjectiveTree = z.infer<typeof ObjectiveTree>;

export const Initiative = z.object({
  id: z.number().int(),
  objectiveId: z.number().int().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  owner: UserRef.nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  campaigns: z.number().int(),
  createdAt: Timestamp,
});
export type Initiative = z.infer<typeof Initiative>;

export const Checkin = z.object({ id: z.number().int(), kpiId: z.number().int(), value: z.number(), at: Timestamp, note: z.string().nullable(), by: UserRef.nullable() });
export type Checkin = z.infer<typeof Checkin>;

export const KpiDetail = Kpi.extend({ trend: z.array(TrendPoint), checkinList: z.array(Checkin) });
export type KpiDetail = z.infer<typeof KpiDetail>;

export const ObjectiveDetail = z.object({
  objective: ObjectiveNode,
  ancestors: z.array(z.object({ id: z.number().int(), title: z.string(), level: ObjectiveLevel })),
  kpis: z.array(KpiDetail),
  initiatives: z.array(Initiative),
  campaigns: z.array(z.object({ id: z.number().int(), name: z.string(), utmCampaign: z.string(), status: z.string(), startDate: z.string().nullable(), endDate: z.string().nullable(), budget: z.number().nullable(), initiativeId: z.number().int().nullable() })),
});
export type ObjectiveDetail = z.infer<typeof ObjectiveDetail>;

export const MetricValueQuery = z
  .object({ from: IsoDate, to: IsoDate, segmentId: z.coerce.number().int().positive().optional(), campaignId: z.coerce.number().int().positive().optional(), product: z.string().trim().min(1).max(200).optional() })
  .refine((q) => q.from <= q.to, { message: 'must be on or after "from"', path: ['to'] });
