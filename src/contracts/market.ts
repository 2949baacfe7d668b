// Contracts of the market domain: markets (jobs to be done), need-based segments (a rule tree of nested
// all/any groups over contact and account properties, behaviour, scores, buying stage and lists), static
// lists and ICP definitions. Shared by the server, the web UI and the CLI.
import { z } from 'zod';
import { Timestamp } from './common.ts';
import { BuyingStage, FitRules, Grade, GradeThresholds } from './scoring.ts';

// ---------- operators per property type ----------
export const TEXT_OPS = ['eq', 'neq', 'contains', 'not_contains', 'starts_with', 'in', 'not_in', 'exists', 'not_exists'] as const;
export const ENUM_OPS = ['eq', 'neq', 'in', 'not_in', 'exists', 'not_exists'] as const;
export const NUMBER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'not_exists'] as const;
export const DATE_OPS = ['on', 'before', 'after', 'between', 'within_last_days', 'more_than_days_ago', 'exists', 'not_exists'] as const;
export const BOOLEAN_OPS = ['is_true', 'is_false', 'exists', 'not_exists'] as const;
export const SEGMENT_OPS = [
  'eq', 'neq', 'contains', 'not_contains', 'starts_with', 'in', 'not_in', 'exists', 'not_exists',
  'gt', 'gte', 'lt', 'lte', 'between', 'on', 'before', 'after', 'within_last_days', 'more_than_days_ago', 'is_true', 'is_false',
] as const;
export const SegmentOp = z.enum(SEGMENT_OPS);
export type SegmentOp = z.infer<typeof SegmentOp>;
export const OPS_BY_TYPE = { text: TEXT_OPS, enum: ENUM_OPS, number: NUMBER_OPS, date: DATE_OPS, boolean: BOOLEAN_OPS } as const;
export const SEGMENT_OP_LABELS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  in: 'is one of',
  not_in: 'is none of',
  exists: 'is set',
  not_exists: 'is not set',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  between: 'between',
  on: 'is on',
  before: 'is before',
  after: 'is after',
  within_last_days: 'within the last n days',
  more_than_days_ago: 'more than n days ago',
  is_true: 'is true',
  is_false: 'is false',
};

/** Built-in fields a property condition can read (besides custom properties `prop.<key>`), with their types. */
export const CONTACT_BUILTIN_FIELDS = {
  email: 'text',
  email_domain: 'text',
  first_name: 'text',
  last_name: 'text',
  title: 'text',
  phone: 'text',
  source: 'text',
  lifecycle_stage: 'enum',
  created_at: 'date',
} as const;
export const ACCOUNT_BUILTIN_FIELDS = { name: 'text', domain: 'text', industry: 'text', country: 'text', employee_count: 'number', created_at: 'date' } as const;

const FieldName = z.string().regex(/^(?:[a-z_]{1,40}|prop\.[a-z][a-z0-9_]{0,62})$/, 'must be a built-in field or prop.<key>');
const Scalar = z.union([z.string().max(500), z.number().finite(), z.boolean()]);
/** The value's shape depends on the operator and the field's type; the compiler checks it (compile.ts). */
const CondValue = z.union([Scalar, z.array(z.union([z.string().max(500), z.number().finite()])).max(500)]).nullable().optional();

export const PropertyCondition = z
  .object({ kind: z.literal('property'), object: z.enum(['contact', 'account']), field: FieldName, op: SegmentOp, value: CondValue })
  .strict();
export const EventCondition = z
  .object({
    kind: z.literal('event'),
    /** track | page | screen | identify | group; any type when absent. */
    eventType: z.enum(['track', 'page', 'screen', 'identify', 'group']).optional(),
    /** The track event's name (or the page name), exact. */
    event: z.string().trim().min(1).max(200).optional(),
    /** Page URL condition (page events). */
    pageUrl: z.object({ op: z.enum(['eq', 'contains', 'starts_with']), value: z.string().trim().min(1).max(1000) }).strict().optional(),
    /** How many times: ≥, ≤ or exactly n (0 ⇒ "did not"). */
    count: z.object({ op: z.enum(['gte', 'lte', 'eq']), value: z.number().int().min(0).max(1_000_000) }).strict().default({ op: 'gte', value: 1 }),
    /** Only events of the last n days (relative to now: the periodic sweep keeps such segments current). */
    withinDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict()
  .refine((c) => c.event !== undefined || c.eventType !== undefined || c.pageUrl !== undefined, { message: 'name an event, an event type or a page URL', path: ['event'] });
export const ScoreCondition = z
  .object({
    kind: z.literal('score'),
    model: z.enum(['fit', 'engagement']),
    /** A specific model; the default model of the kind when absent. */
    modelId: z.number().int().positive().optional(),
    op: z.enum(['gte', 'lte', 'between']),
    value: z.union([z.number().finite(), z.tuple([z.number().finite(), z.number().finite()])]),
  })
  .strict()
  .refine((c) => (c.op === 'between' ? Array.isArray(c.value) && c.value[0] <= c.value[1] : typeof c.value === 'number'), {
    message: 'between needs [min, max] with min ≤ max; gte and lte need one number',
    path: ['value'],
  });
export const GradeCondition = z
  .object({
    kind: z.literal('grade'),
    /** The ICP whose grade is read; the default fit model when absent. */
    icpId: z.number().int().positive().optional(),
    op: z.enum(['in', 'not_in']),
    value: z.array(Grade).min(1).max(5),
  })
  .strict();
export const BuyingStageCondition = z.object({ kind: z.literal('buying_stage'), op: z.enum(['in', 'not_in']), value: z.array(BuyingStage).min(1).max(6) }).strict();
export const ListCondition = z.object({ kind: z.literal('list'), op: z.enum(['in', 'not_in']), listId: z.number().int().positive() }).strict();

export const Condition = z.union([PropertyCondition, EventCondition, ScoreCondition, GradeCondition, BuyingStageCondition, ListCondition]);
export type Condition = z.infer<typeof Condition>;

export interface RuleGroup {
  kind: 'group';
  match: 'all' | 'any';
  conditions: (RuleGroup | Condition)[];
}
export const RuleGroup: z.ZodType<RuleGroup> = z.lazy(() =>
  z
    .object({
      kind: z.literal('group'),
      match: z.enum(['all', 'any']),
      conditions: z.array(z.union([RuleGroup, Condition])).max(50),
    })
    .strict(),
);
/** A segment's rule: the top group. At most 4 levels deep and 100 conditions (checked by the compiler). */
export const SegmentRule = RuleGroup;

// ---------- markets ----------
export const MarketInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    jobStatement: z.string().trim().min(3).max(1000),
    description: z.string().trim().max(5000).nullable().optional(),
  })
  .strict();
export const MarketPatch = MarketInput.partial().strict();
export const Market = z
  .object({
    id: z.number().int(),
    name: z.string(),
    jobStatement: z.string(),
    description: z.string().nullable(),
    segmentCount: z.number().int(),
    icpCount: z.number().int(),
    contactCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Market' });
export type Market = z.infer<typeof Market>;
export const MarketList = z.object({ items: z.array(Market) });

// ---------- segments ----------
export const SegmentInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    marketId: z.number().int().positive().nullable().optional(),
    need: z.string().trim().max(2000).nullable().optional(),
    rule: SegmentRule,
  })
  .strict();
export const SegmentPatch = SegmentInput.partial().extend({ status: z.enum(['active', 'archived']).optional() }).strict();
export const Segment = z
  .object({
    id: z.number().int(),
    name: z.string(),
    marketId: z.number().int().nullable(),
    marketName: z.string().nullable(),
    need: z.string().nullable(),
    rule: z.unknown(),
    version: z.number().int(),
    status: z.enum(['active', 'archived']),
    timeRelative: z.boolean(),
    memberCount: z.number().int(),
    lastRebuiltAt: Timestamp.nullable(),
    lastRebuildMs: z.number().int().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Segment' });
export type Segment = z.infer<typeof Segment>;
export const SegmentList = z.object({ items: z.array(Segment) });
export const SegmentListQuery = z.object({
  marketId: z.coerce.number().int().positive().optional(),
  status: z.enum(['active', 'archived']).optional(),
});

export const SegmentPreviewInput = z.object({ rule: SegmentRule, sample: z.number().int().min(0).max(50).default(10) }).strict();
export const ContactSample = z.object({ id: z.number().int(), email: z.string(), name: z.string().nullable(), lifecycleStage: z.string(), accountName: z.string().nullable() });
export const SegmentPreview = z.object({ count: z.number().int(), capped: z.boolean(), sample: z.array(ContactSample), sql: z.string().optional(), ms: z.number().int() });

export const SegmentMembersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Contact id to continue after (members are listed by contact id). */
  after: z.coerce.number().int().min(0).optional(),
});
export const SegmentMemberPage = z.object({
  items: z.array(ContactSample.extend({ since: Timestamp })),
  nextAfter: z.number().int().nullable(),
  total: z.number().int(),
});
export const SegmentHistoryQuery = z.object({ days: z.coerce.number().int().min(1).max(730).default(90) });
export const SegmentHistory = z.object({
  days: z.array(z.object({ day: z.string(), joined: z.number().int(), left: z.number().int() })),
  recent: z.array(z.object({ contactId: z.number().int(), email: z.string().nullable(), change: z.enum(['joined', 'left']), cause: z.string(), at: Timestamp })),
});
export const RebuildResult = z.object({ segmentId: z.number().int(), joined: z.number().int(), left: z.number().int(), members: z.number().int(), ms: z.number().int() });

/** The fields a rule can use (built-in and custom), typed, with the operators each accepts: the builder's pickers. */
export const RuleField = z.object({
  object: z.enum(['contact', 'account']),
  field: z.string(),
  label: z.string(),
  type: z.enum(['text', 'enum', 'number', 'date', 'boolean']),
  options: z.array(z.string()).nullable(),
  ops: z.array(z.string()),
});
export const RuleFieldList = z.object({ items: z.array(RuleField), events: z.array(z.string()), lists: z.array(z.object({ id: z.number().int(), name: z.string() })), icps: z.array(z.object({ id: z.number().int(), name: z.string() })) });

// ---------- static lists ----------
export const ContactListInput = z.object({ name: z.string().trim().min(1).max(200), description: z.string().trim().max(2000).nullable().optional() }).strict();
export const ContactListPatch = ContactListInput.partial().strict();
export const ContactList = z
  .object({ id: z.number().int(), name: z.string(), description: z.string().nullable(), memberCount: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp })
  .meta({ id: 'ContactList' });
export type ContactList = z.infer<typeof ContactList>;
export const ContactListList = z.object({ items: z.array(ContactList) });
export const ListMembersChange = z
  .object({
    contactIds: z.array(z.number().int().positive()).max(10_000).optional(),
    emails: z.array(z.string().max(254)).max(10_000).optional(),
  })
  .strict()
  .refine((b) => (b.contactIds?.length ?? 0) + (b.emails?.length ?? 0) > 0, { message: 'give contactIds or emails', path: ['contactIds'] });
export const ListMembersResult = z.object({
  changed: z.number().int(),
  unchanged: z.number().int(),
  /** Emails that are not contacts (line numbers for a CSV). */
  notFound: z.array(z.object({ line: z.number().int().nullable(), email: z.string(), reason: z.string() })),
});

// ---------- ICP ----------
export const IcpInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    marketId: z.number().int().positive().nullable().optional(),
    description: z.string().trim().max(2000).nullable().optional(),
    rules: FitRules,
    grades: GradeThresholds.optional(),
  })
  .strict();
export const IcpPatch = IcpInput.partial().strict();
export const Icp = z
  .object({
    id: z.number().int(),
    name: z.string(),
    marketId: z.number().int().nullable(),
    marketName: z.string().nullable(),
    description: z.string().nullable(),
    fitModelId: z.number().int(),
    rules: z.unknown(),
    grades: z.unknown(),
    version: z.number().int(),
    gradeCounts: z.record(z.string(), z.number().int()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Icp' });
export type Icp = z.infer<typeof Icp>;
export const IcpList = z.object({ items: z.array(Icp) });
