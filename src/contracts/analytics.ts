// Contracts of the analytics domain: funnel, attribution, CPOD / ROI, offline touches, settings, board report.
import { z } from 'zod';
import { IsoDate, Timestamp } from './common.ts';

export const ATTRIBUTION_MODELS = ['first', 'last', 'linear', 'u_shaped', 'w_shaped', 'time_decay', 'markov'] as const;
export const AttributionModel = z.enum(ATTRIBUTION_MODELS);
export type AttributionModel = z.infer<typeof AttributionModel>;
export const MODEL_LABELS: Record<AttributionModel, string> = {
  first: 'First touch',
  last: 'Last touch',
  linear: 'Linear',
  u_shaped: 'U-shaped (40/20/40)',
  w_shaped: 'W-shaped (30/30/30/10)',
  time_decay: 'Time decay',
  markov: 'Data-driven (Markov)',
};

export const INTERVALS = ['week', 'month', 'quarter'] as const;
export const Interval = z.enum(INTERVALS);
export type Interval = z.infer<typeof Interval>;

/** An IANA time zone name (periods and date ranges are days in this zone). */
export const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as UTC or Europe/Berlin')
  .default('UTC');

const optId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional();

/** The filters every analytics view takes (all in the URL). */
export const AnalyticsFilters = z
  .object({
    from: IsoDate,
    to: IsoDate,
    tz: TimeZone,
    segmentId: optId,
    campaignId: optId,
    channel: z.string().trim().min(1).max(50).optional(),
    product: z.string().trim().min(1).max(200).optional(),
    ownerId: optId,
    /** rollup: read the rollup tables; raw: the source tables; auto: rollup when it covers the range. */
    source: z.enum(['auto', 'rollup', 'raw']).default('auto'),
  })
  .refine((f) => f.from <= f.to, { path: ['to'], message: 'must be on or after from' })
  .refine((f) => Date.parse(f.to) - Date.parse(f.from) <= 3660 * 86_400_000, { path: ['to'], message: 'range is at most 10 years' });
export type AnalyticsFilters = z.infer<typeof AnalyticsFilters>;

/** Funnel breakdown dimensions: one row of stage figures per value (top values by contacts with stage changes). */
export const FUNNEL_BREAKDOWNS = ['segment', 'campaign', 'channel', 'product', 'owner'] as const;
export const FunnelBreakdown = z.enum(FUNNEL_BREAKDOWNS);
export type FunnelBreakdown = z.infer<typeof FunnelBreakdown>;

export const FunnelQuery = z.intersection(
  AnalyticsFilters,
  z.object({ cohort: z.enum(['entry', 'activity']).default('activity'), interval: Interval.default('month'), breakdown: FunnelBreakdown.optional() }),
);
export type FunnelQuery = z.infer<typeof FunnelQuery>;

export const FunnelStageRow = z.object({
  stage: z.string(),
  entered: z.number().int(),
  /** Of those who entered (cohort) / relative to entries (activity): reached the next funnel stage. */
  converted: z.number().int(),
  conversionRate: z.number().nullable(),
  /** Share of the stage's entrants who became customers. */
  yieldRate: z.number().nullable(),
  medianDays: z.number().nullable(),
  p90Days: z.number().nullable(),
});
export const FunnelReport = z.object({
  from: IsoDate,
  to: IsoDate,
  tz: z.string(),
  cohort: z.enum(['entry', 'activity']),
  source: z.enum(['rollup', 'raw']),
  stages: z.array(FunnelStageRow),
  flows: z.array(z.object({ from: z.string(), to: z.string(), n: z.number().int() })),
  trend: z.array(z.object({ period: z.string(), stage: z.string(), entered: z.number().int() })),
  /** The stage figures per period (activity: what happened in the period; entry: the period's entrants), by period then stage. */
  periods: z.array(FunnelStageRow.extend({ period: z.string() })),
  /** With ?breakdown=: the stage figures per value of the dimension (at most 12 values, most contacts first). */
  breakdown: z
    .object({
      dimension: FunnelBreakdown,
      rows: z.array(z.object({ value: z.string(), label: z.string(), stages: z.array(FunnelStageRow) })),
    })
    .nullable(),
  nurture: z.object({
    contacts: z.number().int(),
    medianDays: z.number().nullable(),
    p90Days: z.number().nullable(),
    trend: z.array(z.object({ period: z.string(), contacts: z.number().int(), medianDays: z.number().nullable() })),
  }),
});
export type FunnelReport = z.infer<typeof FunnelReport>;

export const AttributionQuery = z.intersection(
  AnalyticsFilters,
  z.object({
    basis: z.enum(['won', 'pipeline']).default('won'),
    groupBy: z.enum(['campaign', 'content', 'channel']).default('campaign'),
    /** One model only (its credits alone, removal effects only for markov); every model side by side when absent. */
    model: AttributionModel.optional(),
  }),
);
export type AttributionQuery = z.infer<typeof AttributionQuery>;

export const AttributionRow = z.object({
  key: z.string(),
  label: z.string(),
  campaignId: z.number().nullable(),
  contentItemId: z.number().nullable(),
  /** Credited revenue in cents per model. */
  credits: z.record(z.string(), z.number().int()),
  deals: z.number().int(),
  touches: z.number().int(),
});
export const AttributionReport = z.object({
  from: IsoDate,
  to: IsoDate,
  tz: z.string(),
  basis: z.enum(['won', 'pipeline']),
  groupBy: z.enum(['campaign', 'content', 'channel']),
  source: z.enum(['rollup', 'raw']),
  halfLifeDays: z.number(),
  /** Σ deal amounts in cents; every model's credits sum to exactly this. */
  totalCents: z.number().int(),
  deals: z.number().int(),
  dealsWithTouches: z.number().int(),
  rows: z.array(AttributionRow),
  removalEffects: z.array(z.object({ key: z.string(), label: z.string(), effect: z.number() })),
});
export type AttributionReport = z.infer<typeof AttributionReport>;

export const ContentInfluenceRow = z.object({
  contentItemId: z.number(),
  title: z.string(),
  stage: z.string().nullable(),
  pipelineCents: z.number().int(),
  revenueCents: z.number().int(),
  deals: z.number().int(),
  contacts: z.number().int(),
});
export const ContentInfluenceReport = z.object({ rows: z.array(ContentInfluenceRow), byStage: z.array(z.object({ stage: z.string(), pipelineCents: z.number().int(), revenueCents: z.number().int(), items: z.number().int() })) });
export type ContentInfluenceReport = z.infer<typeof ContentInfluenceReport>;

export const CpodQuery = z.intersection(AnalyticsFilters, z.object({ interval: Interval.default('quarter'), model: AttributionModel.default('linear') }));
export type CpodQuery = z.infer<typeof CpodQuery>;
export const CpodPeriod = z.object({
  period: z.string(),
  marketingCost: z.number(),
  salesCost: z.number(),
  revenue: z.number(),
  /** (marketing + sales cost) ÷ revenue; null = no revenue in the period. */
  cpod: z.number().nullable(),
});
export const CampaignRoi = z.object({
  campaignId: z.number(),
  name: z.string(),
  channel: z.string(),
  cost: z.number(),
  attributedRevenue: z.number(),
  roi: z.number().nullable(),
  cpod: z.number().nullable(),
  salesReady: z.number().int(),
  opportunities: z.number().int(),
  customers: z.number().int(),
  costPerSalesReady: z.number().nullable(),
  costPerOpportunity: z.number().nullable(),
  costPerCustomer: z.number().nullable(),
});
export const CpodReport = z.object({
  from: IsoDate,
  to: IsoDate,
  tz: z.string(),
  model: AttributionModel,
  totals: CpodPeriod,
  periods: z.array(CpodPeriod),
  campaigns: z.array(CampaignRoi),
});
export type CpodReport = z.infer<typeof CpodReport>;

export const AnalyticsSettings = z.object({
  halfLifeDays: z.number().positive().max(3650).default(7),
  lookbackDays: z.number().int().min(1).max(3650).default(365),
});
export type AnalyticsSettings = z.infer<typeof AnalyticsSettings>;
export const AnalyticsSettingsPatch = AnalyticsSettings.partial().strict();

export const OfflineTouchInput = z
  .object({
    externalId: z.string().trim().min(1).max(200).optional(),
    contactId: z.number().int().positive().optional(),
    email: z.string().trim().toLowerCase().email().optional(),
    campaignId: z.number().int().positive().nullable().optional(),
    kind: z.enum(['event', 'call', 'meeting', 'webinar', 'direct_mail', 'other']),
    occurredAt: z.iso.datetime({ offset: true }),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict()
  .refine((t) => t.contactId !== undefined || t.email !== undefined, { path: ['contactId'], message: 'give contactId or email' });
export type OfflineTouchInput = z.infer<typeof OfflineTouchInput>;
export const OfflineTouch = z.object({
  id: z.number(),
  externalId: z.string().nullable(),
  contactId: z.number(),
  campaignId: z.number().nullable(),
  kind: z.string(),
  occurredAt: Timestamp,
  note: z.string().nullable(),
  createdAt: Timestamp,
});
export type OfflineTouch = z.infer<typeof OfflineTouch>;
export const OfflineImportResult = z.object({
  imported: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), column: z.string(), reason: z.string() })),
});
export type OfflineImportResult = z.infer<typeof OfflineImportResult>;

export const BoardQuery = z.object({
  /** The last quarter shown, e.g. 2026-Q3; the report has one page per quarter (default 4 quarters). */
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'must look like 2026-Q3'),
  quarters: z.coerce.number().int().min(1).max(8).default(4),
  tz: TimeZone,
});
export type BoardQuery = z.infer<typeof BoardQuery>;
export const BoardQuarter = z.object({
  quarter: z.string(),
  from: IsoDate,
  to: IsoDate,
  revenueWon: z.number(),
  revenueInfluenced: z.number(),
  revenueSourced: z.number(),
  pipelineCreated: z.number(),
  marketingCost: z.number(),
  salesCost: z.number(),
  cpod: z.number().nullable(),
  funnel: z.array(z.object({ stage: z.string(), entered: z.number().int(), conversionRate: z.number().nullable() })),
  topCampaigns: z.array(z.object({ label: z.string(), revenue: z.number() })),
  topContent: z.array(z.object({ label: z.string(), revenue: z.number() })),
});
export type BoardQuarter = z.infer<typeof BoardQuarter>;
export const BoardReport = z.object({
  quarters: z.array(BoardQuarter),
  cpodTrend: z.array(z.object({ quarter: z.string(), cpod: z.number().nullable() })),
  fitness: z.array(z.object({ question: z.string(), answer: z.string(), evidence: z.string() })).nullable(),
  generatedAt: Timestamp,
});
export type BoardReport = z.infer<typeof BoardReport>;
