// Lifecycle: stage transitions, qualification rules, sales-ready definitions, lifecycle settings and deals.
// The shapes the server, the web UI and the CLI share.
import { z } from 'zod';
import { Cursor, Email, Limit, page, Timestamp } from './common.ts';
import { AccountRef, LifecycleStage, UserRef } from './contacts.ts';

export { LifecycleStage, LIFECYCLE_LABELS } from './contacts.ts';

export const TransitionCause = z.enum(['rule', 'manual', 'deal', 'handoff', 'import', 'api', 'self_service']);
export type TransitionCause = z.infer<typeof TransitionCause>;

export const FitGrade = z.enum(['A', 'B', 'C', 'D', 'F']);
export type FitGrade = z.infer<typeof FitGrade>;
/** Seed 002's buying stages, in order (same list as the scoring domain's). */
export const BuyingStageName = z.enum(['epiphany', 'awareness', 'interest', 'consideration', 'purchase', 'post_sale']);
export type BuyingStageName = z.infer<typeof BuyingStageName>;

// ---------- conditions (handoff points, territories) ----------

export const CONDITION_OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;
/**
 * A condition over a contact: `field` is a contact field (email, title, source, lifecycleStage, emailDomain),
 * `properties.<key>` (a custom contact property), `account.<field>` (name, domain, industry, employeeCount,
 * country) or `account.properties.<key>`.
 */
export const FieldPath = z
  .string()
  .trim()
  .regex(
    /^(email|emailDomain|title|source|lifecycleStage|firstName|lastName|properties\.[a-z][a-z0-9_]{0,62}|account\.(name|domain|industry|employeeCount|country)|account\.properties\.[a-z][a-z0-9_]{0,62})$/,
    'must be a contact field (email, emailDomain, title, source, lifecycleStage, firstName, lastName), properties.<key>, account.<name|domain|industry|employeeCount|country> or account.properties.<key>',
  );
export const Condition = z
  .object({
    field: FieldPath,
    op: z.enum(CONDITION_OPS),
    value: z.union([z.string().max(500), z.number(), z.boolean(), z.array(z.union([z.string().max(500), z.number()])).max(500), z.null()]).optional(),
  })
  .strict()
  .refine((c) => c.op === 'exists' || c.value !== undefined, { message: 'needs a value (only exists has none)', path: ['value'] })
  .refine((c) => !['in', 'not_in'].includes(c.op) || Array.isArray(c.value), { message: 'in / not_in need a list of values', path: ['value'] })
  .refine((c) => !['gt', 'gte', 'lt', 'lte'].includes(c.op) || typeof c.value === 'number', { message: 'gt / gte / lt / lte need a number', path: ['value'] });
export type Condition = z.infer<typeof Condition>;

// ---------- qualification rules ----------

/**
 * Contact fields a rule may require (besides custom property keys, which are checked against the property
 * definitions).
 */
export const REQUIRED_FIELD_NAMES = ['firstName', 'lastName', 'title', 'phone', 'accountId', 'ownerId'] as const;

const ruleFields = {
  /** The contact's fit grade must be this or better (A is best). Null: not checked. */
  minFitGrade: FitGrade.nullable().default(null),
  /** The contact's (decayed) engagement score must be at least this. Null: not checked. */
  minEngagement: z.number().min(0).max(1_000_000).nullable().default(null),
  /** The contact's inferred buying stage must be one of these. Empty: any (or none). */
  buyingStages: z.array(BuyingStageName).max(6).default([]),
  /** Contact fields / custom property keys that must have a value. */
  requiredProperties: z
    .array(z.string().trim().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, 'must be a contact field or a custom property key'))
    .max(50)
    .default([]),
};

/** A threshold rule (lead rule, MQL rule): every criterion that is set must hold. */
export const QualificationRule = z
  .object(ruleFields)
  .strict()
  .refine((r) => r.minFitGrade !== null || r.minEngagement !== null || r.buyingStages.length > 0 || r.requiredProperties.length > 0, {
    message: 'a rule needs at least one criterion (minFitGrade, minEngagement, buyingStages or requiredProperties)',
  });
export type QualificationRule = z.infer<typeof QualificationRule>;

/** The rule of a sales-ready definition: a qualification rule, optionally against specific score models. */
export const SalesReadyRule = z
  .object({
    ...ruleFields,
    /** Score models to read (null: the default fit / engagement model). */
    fitModelId: z.number().int().positive().nullable().default(null),
    engagementModelId: z.number().int().positive().nullable().default(null),
  })
  .strict()
  .refine((r) => r.minFitGrade !== null || r.minEngagement !== null || r.buyingStages.length > 0 || r.requiredProperties.length > 0, {
    message: 'a sales-ready rule needs at least one criterion (minFitGrade, minEngagement, buyingStages or requiredProperties)',
  });
export type SalesReadyRule = z.infer<typeof SalesReadyRule>;

// ---------- settings ----------

export const HandoffPoint = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** Contacts matching this go this way; the first matching point wins. Null: matches everyone (a catch-all). */
    match: Condition.nullable().default(null),
    /** sales: sales-ready leads go to the handoff queue. self_service: no handoff; they become customers when they buy. */
    mode: z.enum(['sales', 'self_service']),
  })
  .strict();
export type HandoffPoint = z.infer<typeof HandoffPoint>;

export const Territory = z
  .object({ name: z.string().trim().min(1).max(100), match: Condition, ownerId: z.number().int().positive() })
  .strict();

export const RoutingSettings = z
  .object({
    mode: z.enum(['round_robin', 'account_owner', 'territory']).default('round_robin'),
    /** Users that get leads round-robin (and the fallback of the other modes). Empty: every active sales user. */
    pool: z.array(z.number().int().positive()).max(500).default([]),
    territories: z.array(Territory).max(200).default([]),
  })
  .strict();

export const SlaSettings = z
  .object({
    /** A sales-ready lead must be accepted (or rejected / recycled) within this many hours. */
    salesReadyAcceptHours: z.number().positive().max(24 * 365).default(24),
  })
  .catchall(z.number().positive().max(24 * 365));

export const LifecycleSettings = z
  .object({
    /** subscriber → lead by rule; null: only by hand. */
    leadRule: QualificationRule.nullable().default({ minFitGrade: null, minEngagement: 5, buyingStages: [], requiredProperties: [] }),
    /** lead → marketing_qualified by rule; null: only by hand. */
    mqlRule: QualificationRule.nullable().default({ minFitGrade: 'C', minEngagement: 30, buyingStages: [], requiredProperties: [] }),
    /** Recycled contacts re-qualify by rule (lead / MQL rule) once this many days have passed since they were recycled. */
    recycleCooldownDays: z.number().min(0).max(3650).default(14),
    handoffPoints: z.array(HandoffPoint).max(100).default([]),
    routing: RoutingSettings.default({ mode: 'round_robin', pool: [], territories: [] }),
    sla: SlaSettings.default({ salesReadyAcceptHours: 24 }),
    /** Where the contacts of a lost deal go (when they have no other open deal). */
    lostDealStage: z.enum(['recycled', 'disqualified']).default('recycled'),
  })
  .strict();
export type LifecycleSettings = z.infer<typeof LifecycleSettings>;
export const LifecycleSettingsInput = LifecycleSettings;
export const LifecycleSettingsResponse = z.object({
  settings: LifecycleSettings,
  updatedAt: Timestamp.nullable(),
  updatedBy: z.string().nullable(),
});

// ---------- transitions ----------

export const ManualMoveInput = z
  .object({
    toStage: LifecycleStage,
    reason: z.string().trim().min(1, 'a manual move needs a reason').max(1000),
  })
  .strict();

export const Transition = z.object({
  id: z.number().int(),
  fromStage: LifecycleStage.nullable(),
  toStage: LifecycleStage,
  cause: TransitionCause,
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  actor: z.string(),
  at: Timestamp,
});
export type Transition = z.infer<typeof Transition>;

export const StageTime = z.object({
  stage: LifecycleStage,
  /** Total time spent in the stage, over all visits, in seconds (the current visit counts up to now). */
  seconds: z.number(),
  visits: z.number().int(),
});

export const ContactLifecycle = z.object({
  contactId: z.number().int(),
  stage: LifecycleStage,
  /** When the contact entered the current stage (its creation when it never moved). */
  since: Timestamp,
  secondsInStage: z.number(),
  /** The handoff point that applies to the contact (null: none configured → sales). */
  handoffPoint: z.object({ name: z.string(), mode: z.enum(['sales', 'self_service']) }).nullable(),
  /** The current cycle when the contact has an open deal (seed 003: intent, then job-to-be-done). */
  opportunityCycle: z.enum(['intent', 'job_to_be_done']).nullable(),
  /** Stages a person may move the contact to now (with a reason). */
  allowedMoves: z.array(LifecycleStage),
  history: z.array(Transition),
  timeInStage: z.array(StageTime),
});
export type ContactLifecycle = z.infer<typeof ContactLifecycle>;

export const MoveResult = z.object({ moved: z.boolean(), transition: Transition.nullable(), lifecycle: ContactLifecycle });

// ---------- sales-ready definitions ----------

export const DefinitionStatus = z.enum(['pending', 'active', 'superseded', 'rejected']);
export const ApprovalSide = z.enum(['marketing', 'sales']);

export const DefinitionInput = z
  .object({ rule: SalesReadyRule, notes: z.string().trim().max(2000).nullable().optional() })
  .strict();
export type DefinitionInput = z.infer<typeof DefinitionInput>;
export const DecisionInput = z.object({ comment: z.string().trim().max(2000).nullable().optional() }).strict();

export const Approval = z.object({
  user: UserRef.nullable(),
  side: ApprovalSide,
  decision: z.enum(['approve', 'reject']),
  comment: z.string().nullable(),
  at: Timestamp,
});

export const Definition = z
  .object({
    id: z.number().int(),
    version: z.number().int(),
    rule: SalesReadyRule,
    notes: z.string().nullable(),
    status: DefinitionStatus,
    proposedBy: UserRef.nullable(),
    createdAt: Timestamp,
    activatedAt: Timestamp.nullable(),
    supersededAt: Timestamp.nullable(),
    approvals: z.array(Approval),
    /** Which sides have approved (each needs one). */
    approvedBy: z.object({ marketing: z.boolean(), sales: z.boolean() }),
  })
  .meta({ id: 'SalesReadyDefinition' });
export type Definition = z.infer<typeof Definition>;
export const DefinitionList = z.object({ items: z.array(Definition), active: Definition.nullable() });

// ---------- deals ----------

export const DealStage = z.enum(['intent', 'job_to_be_done', 'won', 'lost']);
export type DealStage = z.infer<typeof DealStage>;
export const DEAL_STAGE_LABELS: Record<DealStage, string> = {
  intent: 'Intent cycle',
  job_to_be_done: 'Job-to-be-done cycle',
  won: 'Won',
  lost: 'Lost',
};

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date');

/** A linked contact by id, or by email (CRM sync). */
export const DealContactInput = z
  .object({ id: z.number().int().positive().optional(), email: Email.optional(), role: z.string().trim().max(100).nullable().optional() })
  .strict()
  .refine((c) => (c.id === undefined) !== (c.email === undefined), { message: 'give the contact id or its email (one of them)', path: ['id'] });

const dealFields = {
  externalId: z.string().trim().min(1).max(200).nullable().optional(),
  name: z.string().trim().min(1).max(300),
  amount: z.number().min(0).max(999_999_999_999).optional(),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code').optional(),
  stage: DealStage.optional(),
  closeDate: IsoDate.nullable().optional(),
  ownerId: z.number().int().positive().nullable().optional(),
  accountId: z.number().int().positive().nullable().optional(),
  lostReason: z.string().trim().max(1000).nullable().optional(),
  /** When the deal was won (defaults to the time it is first marked won). */
  wonAt: Timestamp.nullable().optional(),
  /** Linked contacts (replaces the list when given). */
  contacts: z.array(DealContactInput).max(500).optional(),
};
export const DealInput = z.object(dealFields).strict();
export type DealInput = z.infer<typeof DealInput>;
export const DealPatch = z.object({ ...dealFields, name: dealFields.name.optional() }).strict();
export type DealPatch = z.infer<typeof DealPatch>;
export const DealUpsertInput = z.object({ ...dealFields, name: dealFields.name.optional(), externalId: z.never().optional() }).strict();

export const DealContact = z.object({ id: z.number().int(), email: z.string(), name: z.string().nullable(), role: z.string().nullable(), lifecycleStage: LifecycleStage });

export const Deal = z
  .object({
    id: z.number().int(),
    externalId: z.string().nullable(),
    name: z.string(),
    amount: z.number(),
    currency: z.string(),
    stage: DealStage,
    closeDate: z.string().nullable(),
    owner: UserRef.nullable(),
    account: AccountRef.nullable(),
    contacts: z.array(DealContact),
    lostReason: z.string().nullable(),
    wonAt: Timestamp.nullable(),
    closedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Deal' });
export type Deal = z.infer<typeof Deal>;

export const DealListQuery = z.object({
  stage: DealStage.optional(),
  contactId: z.coerce.number().int().positive().optional(),
  accountId: z.coerce.number().int().positive().optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(200).optional(),
  limit: Limit,
  cursor: Cursor,
});
export const DealPage = page(Deal);
export const DealExportQuery = DealListQuery.omit({ limit: true, cursor: true });

export const DealImportRejection = z.object({ line: z.number().int(), externalId: z.string().nullable(), reason: z.string() });
export const DealImportResult = z.object({
  processed: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(DealImportRejection),
});
export type DealImportResult = z.infer<typeof DealImportResult>;
