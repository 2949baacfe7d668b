// Scoring: fit and engagement models (rules, grade thresholds, decay), buying-stage rules and the
// explanations of scores. Shared by the server, the web UI and the CLI.
import { z } from 'zod';
import { Timestamp } from './common.ts';

export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;
export const Grade = z.enum(GRADES);
export type Grade = z.infer<typeof Grade>;

/** Seed 002's buying stages, in order (same list as src/domains/scoring/schema.ts). */
export const BuyingStage = z.enum(['epiphany', 'awareness', 'interest', 'consideration', 'purchase', 'post_sale']);
export type BuyingStage = z.infer<typeof BuyingStage>;
export const BUYING_STAGE_LABELS: Record<BuyingStage, string> = {
  epiphany: 'Epiphany',
  awareness: 'Awareness',
  interest: 'Interest',
  consideration: 'Consideration',
  purchase: 'Purchase',
  post_sale: 'Post-sale',
};

export const ScoreModelKind = z.enum(['fit', 'engagement']);
export type ScoreModelKind = z.infer<typeof ScoreModelKind>;

// ---------- operators ----------
export const RULE_OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'gte', 'lte', 'between', 'exists', 'not_exists'] as const;
export const RuleOp = z.enum(RULE_OPS);
export type RuleOp = z.infer<typeof RuleOp>;
export const RULE_OP_LABELS: Record<RuleOp, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  starts_with: 'starts with',
  gte: '≥',
  lte: '≤',
  between: 'between',
  exists: 'is set',
  not_exists: 'is not set',
};

const Scalar = z.union([z.string().max(500), z.number().finite(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;
/** The value a rule compares with; its shape depends on the operator (checked by checkOpValue). */
export const RuleValue = z.union([Scalar, z.array(z.union([z.string().max(500), z.number().finite()])).max(200)]);
export type RuleValue = z.infer<typeof RuleValue>;

type WithOp = { op: RuleOp; value?: unknown };
/** Checks that `value` fits `op`; issues name `<prefix>.value`. */
function checkOpValue(r: WithOp, ctx: z.RefinementCtx) {
  const bad = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
  const v = r.value;
  switch (r.op) {
    case 'exists':
    case 'not_exists':
      if (v !== undefined && v !== null) bad(`${r.op} takes no value`);
      return;
    case 'in':
    case 'not_in':
      if (!Array.isArray(v) || v.length === 0) bad(`${r.op} needs a list of at least one value`);
      return;
    case 'between':
      if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number') bad('between needs [min, max] numbers');
      else if (v[0] > v[1]) bad('between needs min ≤ max');
      return;
    case 'gte':
    case 'lte':
      if (typeof v !== 'number') bad(`${r.op} needs a number`);
      return;
    case 'contains':
    case 'starts_with':
      // One text, or a list: matches when any of them does.
      if (Array.isArray(v) ? v.length === 0 || v.some((x) => typeof x !== 'string' || x.length === 0) : typeof v !== 'string' || v.length === 0)
        bad(`${r.op} needs a non-empty text or a list of texts`);
      return;
    case 'eq':
    case 'neq':
      if (v === undefined || v === null || Array.isArray(v)) bad(`${r.op} needs one value (text, number or true/false)`);
      return;
  }
}

export const RuleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1–63 characters: a-z, 0-9, _ and -, starting with a letter or digit');
const Label = z.string().trim().min(1, 'must not be empty').max(200);
const Points = z.number().finite().min(-1000).max(1000);

// ---------- fit rules ----------
/** Contact fields a fit rule can read (besides `prop.<key>` and `account.*`). */
export const FIT_CONTACT_FIELDS = ['email', 'email_domain', 'first_name', 'last_name', 'title', 'phone', 'lifecycle_stage', 'source'] as const;
/** Account fields a fit rule can read as `account.<field>` (besides `account.prop.<key>`). */
export const FIT_ACCOUNT_FIELDS = ['name', 'domain', 'industry', 'employee_count', 'country'] as const;
const PROP_KEY = '[a-z][a-z0-9_]{0,62}';
const FIT_FIELD_RE = new RegExp(
  `^(?:(?:${FIT_CONTACT_FIELDS.join('|')})|prop\\.${PROP_KEY}|account\\.(?:${FIT_ACCOUNT_FIELDS.join('|')})|account\\.prop\\.${PROP_KEY})$`,
);
export const FitField = z
  .string()
  .regex(
    FIT_FIELD_RE,
    `must be a contact field (${FIT_CONTACT_FIELDS.join(', ')}), prop.<key>, account.<field> (${FIT_ACCOUNT_FIELDS.join(', ')}) or account.prop.<key>`,
  );

export const FitRule = z
  .object({
    id: RuleId,
    label: Label,
    field: FitField,
    op: RuleOp,
    value: RuleValue.nullable().optional(),
    /** May be negative (e.g. a competitor's domain). */
    points: Points,
  })
  .strict()
  .superRefine(checkOpValue);
export type FitRule = z.infer<typeof FitRule>;

// ---------- engagement rules ----------
export const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'group'] as const;
export const EventType = z.enum(EVENT_TYPES);
/** A path into the event: properties.*, context.*, traits.*, or one of the page columns. */
export const ConditionPath = z
  .string()
  .regex(
    /^(?:(?:properties|context|traits)(?:\.[A-Za-z0-9_$-]{1,100}){1,5}|page_path|page_url|page_title|page_referrer|utm_(?:campaign|source|medium|term|content))$/,
    'must be properties.<key>, context.<key>, traits.<key> (dotted, up to 5 levels) or page_path, page_url, page_title, page_referrer, utm_*',
  );
export const Condition = z
  .object({ path: ConditionPath, op: RuleOp, value: RuleValue.nullable().optional() })
  .strict()
  .superRefine(checkOpValue);
export type Condition = z.infer<typeof Condition>;

/** URL path prefix (`/pricing`) or glob (`/blog/*`, `*demo*`). */
export const UrlPattern = z.string().trim().min(1).max(500).regex(/^[^\s]+$/, 'must not contain spaces');

export const EngagementMatch = z
  .object({
    type: EventType.optional(),
    /** Event name (track) or page name (page/screen); exact, case-insensitive. */
    event: z.string().trim().min(1).max(200).optional(),
    urlPattern: UrlPattern.optional(),
    conditions: z.array(Condition).max(20).default([]),
  })
  .strict()
  .refine((m) => m.type !== undefined || m.event !== undefined || m.urlPattern !== undefined || m.conditions.length > 0, {
    message: 'give at least one of type, event, urlPattern or a condition',
  });
export type EngagementMatch = z.infer<typeof EngagementMatch>;

export const CAP_PERIODS = ['day', 'week', 'month', 'ever'] as const;
export const CapPeriod = z.enum(CAP_PERIODS);
export type CapPeriod = z.infer<typeof CapPeriod>;
export const Cap = z
  .object({
    maxPoints: z.number().finite().positive().max(100_000).optional(),
    maxTimes: z.number().int().positive().max(100_000).optional(),
    /** Calendar period in UTC (week starts Monday), or ever. */
    period: CapPeriod,
  })
  .strict()
  .refine((c) => c.maxPoints !== undefined || c.maxTimes !== undefined, { message: 'give maxPoints or maxTimes (or remove the cap)' });
export type Cap = z.infer<typeof Cap>;

export const EngagementRule = z
  .object({
    id: RuleId,
    label: Label,
    match: EngagementMatch,
    points: Points,
    cap: Cap.nullable().optional(),
  })
  .strict();
export type EngagementRule = z.infer<typeof EngagementRule>;

function uniqueIds(rules: { id: string }[], ctx: z.RefinementCtx) {
  const seen = new Map<string, number>();
  rules.forEach((r, i) => {
    const first = seen.get(r.id);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate rule id "${r.id}" (also rules.${first}.id)` });
    else seen.set(r.id, i);
  });
}
export const FitRules = z.array(FitRule).max(200).superRefine(uniqueIds);
export const EngagementRules = z.array(EngagementRule).max(200).superRefine(uniqueIds);

// ---------- grades ----------
/** Minimum fit score per grade; below D is F. Strictly descending A > B > C > D. */
export const GradeThresholds = z
  .object({
    A: z.number().min(0).max(100),
    B: z.number().min(0).max(100),
    C: z.number().min(0).max(100),
    D: z.number().min(0).max(100),
  })
  .strict()
  .superRefine((g, ctx) => {
    const order = ['A', 'B', 'C', 'D'] as const;
    for (let i = 1; i < order.length; i++) {
      const hi = order[i - 1]!;
      const lo = order[i]!;
      if (!(g[lo] < g[hi])) ctx.addIssue({ code: 'custom', path: [lo], message: `must be below ${hi} (${g[hi]})` });
    }
  });
export type GradeThresholds = z.infer<typeof GradeThresholds>;
export const DEFAULT_GRADES: GradeThresholds = { A: 80, B: 60, C: 40, D: 20 };

// ---------- models ----------
const ModelName = z.string().trim().min(1).max(100);
const Description = z.string().trim().max(1000).nullable().optional();
export const HalfLifeDays = z.number().positive().max(3650).nullable();

export const FitModelInput = z
  .object({
    kind: z.literal('fit'),
    name: ModelName,
    description: Description,
    rules: FitRules,
    grades: GradeThresholds.optional(),
    isDefault: z.boolean().optional(),
  })
  .strict();
export const EngagementModelInput = z
  .object({
    kind: z.literal('engagement'),
    name: ModelName,
    description: Description,
    rules: EngagementRules,
    /** Points lose half their value every halfLifeDays; null: no decay. Default 30. */
    halfLifeDays: HalfLifeDays.optional(),
    isDefault: z.boolean().optional(),
  })
  .strict();
export const ScoreModelInput = z.discriminatedUnion('kind', [FitModelInput, EngagementModelInput]);
export type ScoreModelInput = z.infer<typeof ScoreModelInput>;

/** A change of a model; `rules` are checked against the model's kind (fit or engagement). */
export const ScoreModelPatch = z
  .object({
    name: ModelName.optional(),
    description: Description,
    rules: z.array(z.unknown()).max(200).optional(),
    grades: GradeThresholds.optional(),
    halfLifeDays: HalfLifeDays.optional(),
  })
  .strict();
export type ScoreModelPatch = z.infer<typeof ScoreModelPatch>;
export const FitModelPatch = ScoreModelPatch.extend({ rules: FitRules.optional() }).omit({ halfLifeDays: true }).strict();
export const EngagementModelPatch = ScoreModelPatch.extend({ rules: EngagementRules.optional() }).omit({ grades: true }).strict();

export const ScoreModel = z
  .object({
    id: z.number().int(),
    kind: ScoreModelKind,
    name: z.string(),
    description: z.string().nullable(),
    /** FitRule[] for fit models, EngagementRule[] for engagement models. */
    rules: z.array(z.union([FitRule, EngagementRule])),
    grades: GradeThresholds.nullable(),
    halfLifeDays: z.number().nullable(),
    isDefault: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'ScoreModel' });
export type ScoreModel = z.infer<typeof ScoreModel>;
export const ScoreModelList = z.object({ items: z.array(ScoreModel) });
export const ScoreModelListQuery = z.object({
  kind: ScoreModelKind.optional(),
  /** Include archived models. */
  archived: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .default(false),
});

// ---------- buying-stage rules ----------
export const StageRuleInput = z
  .object({
    /** URL path prefix (`/pricing`) or glob (`/blog/*`). */
    pattern: UrlPattern,
    stage: BuyingStage,
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export const StageRulePatch = StageRuleInput.partial().strict();
export const StageRule = z
  .object({ id: z.number().int(), pattern: z.string(), stage: BuyingStage, position: z.number().int(), createdAt: Timestamp })
  .meta({ id: 'BuyingStageRule' });
export type StageRule = z.infer<typeof StageRule>;
export const StageRuleList = z.object({ items: z.array(StageRule) });
