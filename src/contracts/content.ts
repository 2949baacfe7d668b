// Content engine (issue 6): the shared vocabulary (buying stages, type, format, workflow status) and the shapes of
// content items, URL match rules, SMEs, the workflow, consumption and the CSV import. Server, web and CLI share
// these; the insight (coverage, audit, influence) and sales (library, intel, backlog) shapes build on them.
import { z } from 'zod';
import { Cursor, Limit, page, Timestamp } from './common.ts';
import { UserRef } from './contacts.ts';

/** Seed 002's buying stages, in order; `consideration` is "consideration / shortlist". Same list as scoring's. */
export const ContentStage = z.enum(['epiphany', 'awareness', 'interest', 'consideration', 'purchase', 'post_sale']);
export type ContentStage = z.infer<typeof ContentStage>;
export const CONTENT_STAGES = ContentStage.options;
export const CONTENT_STAGE_LABELS: Record<ContentStage, string> = {
  epiphany: 'Epiphany',
  awareness: 'Awareness',
  interest: 'Interest',
  consideration: 'Consideration / shortlist',
  purchase: 'Purchase',
  post_sale: 'Post-sale',
};

/** Aspirational (where the reader's world is going) or practical (how to do it). */
export const ContentType = z.enum(['aspirational', 'practical']);
export type ContentType = z.infer<typeof ContentType>;
export const CONTENT_TYPES = ContentType.options;
export const CONTENT_TYPE_LABELS: Record<ContentType, string> = { aspirational: 'Aspirational', practical: 'Practical' };

export const ContentFormat = z.enum(['article', 'paper', 'webinar', 'case_study', 'video', 'ebook', 'podcast', 'infographic', 'other']);
export type ContentFormat = z.infer<typeof ContentFormat>;
export const CONTENT_FORMAT_LABELS: Record<ContentFormat, string> = {
  article: 'Article',
  paper: 'Paper',
  webinar: 'Webinar',
  case_study: 'Case study',
  video: 'Video',
  ebook: 'E-book',
  podcast: 'Podcast',
  infographic: 'Infographic',
  other: 'Other',
};

/**
 * The editorial workflow, in order, plus `retired`. Moves go one step forward, any step back, or to retired.
 * Skipping review (draft → scheduled / published) needs `content:publish` (admins).
 */
export const ContentStatus = z.enum(['idea', 'research', 'sme_interview', 'draft', 'review', 'scheduled', 'published', 'audited', 'retired']);
export type ContentStatus = z.infer<typeof ContentStatus>;
export const WORKFLOW_STEPS = ['idea', 'research', 'sme_interview', 'draft', 'review', 'scheduled', 'published', 'audited'] as const;
export const CONTENT_STATUS_LABELS: Record<ContentStatus, string> = {
  idea: 'Idea',
  research: 'Research',
  sme_interview: 'SME interview',
  draft: 'Draft',
  review: 'Review',
  scheduled: 'Scheduled',
  published: 'Published',
  audited: 'Audited',
  retired: 'Retired',
};
/** Statuses in which the item is live on the site (counted as published content). */
export const LIVE_STATUSES: readonly ContentStatus[] = ['published', 'audited'];

export const UrlMatchKind = z.enum(['exact', 'prefix']);
export type UrlMatchKind = z.infer<typeof UrlMatchKind>;

const Tag = z.string().trim().toLowerCase().min(1, 'must not be empty').max(60, 'at most 60 characters');
const Tags = z.array(Tag).max(30, 'at most 30 tags').transform((t) => [...new Set(t)]);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => { const t = Date.parse(d + 'T00:00:00Z'); return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d; }, 'must be a real date');
const optText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).nullable().optional();

/** An http(s) URL (as written by the user; matching normalises it, see src/domains/content/match.ts). */
export const ContentUrl = z
  .string()
  .trim()
  .max(2000, 'at most 2000 characters')
  .refine((u) => {
    try {
      const p = new URL(u);
      return (p.protocol === 'http:' || p.protocol === 'https:') && !!p.hostname;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL like https://example.com/blog/post');

export const ContentUrlInput = z
  .object({ url: ContentUrl, kind: UrlMatchKind.default('exact'), canonical: z.boolean().default(false) })
  .strict();
export type ContentUrlInput = z.infer<typeof ContentUrlInput>;

export const ContentUrlDto = z.object({
  id: z.number().int(),
  url: z.string(),
  normalized: z.string(),
  kind: UrlMatchKind,
  canonical: z.boolean(),
});
export type ContentUrlDto = z.infer<typeof ContentUrlDto>;

export const SmeContributionInput = z.object({ smeId: z.number().int().positive(), role: z.string().trim().min(1).max(40).default('interview') }).strict();

const itemFields = {
  title: z.string().trim().min(1, 'is required').max(300, 'at most 300 characters'),
  summary: optText(5000),
  type: ContentType,
  format: ContentFormat.default('article'),
  stage: ContentStage,
  topics: Tags.default([]),
  segments: Tags.default([]),
  products: Tags.default([]),
  ownerId: z.number().int().positive().nullable().optional(),
  targetReader: optText(1000),
  researchNotes: optText(20_000),
  dueDate: IsoDate.nullable().optional(),
  dueStatus: ContentStatus.nullable().optional(),
  publishDate: IsoDate.nullable().optional(),
  externalId: optText(200),
};

/** Create: the item starts as an idea unless `status` says otherwise (status other than idea needs content:publish past review). */
export const ContentItemInput = z
  .object({
    ...itemFields,
    status: ContentStatus.default('idea'),
    urls: z.array(ContentUrlInput).max(20, 'at most 20 URLs').default([]),
    smes: z.array(SmeContributionInput).max(50).default([]),
  })
  .strict();
export type ContentItemInput = z.infer<typeof ContentItemInput>;

/** Change: any subset of the fields; `urls` / `smes` replace the lists. Status changes go through the transition. */
export const ContentItemPatch = z
  .object({
    title: itemFields.title.optional(),
    summary: itemFields.summary,
    type: ContentType.optional(),
    format: ContentFormat.optional(),
    stage: ContentStage.optional(),
    topics: Tags.optional(),
    segments: Tags.optional(),
    products: Tags.optional(),
    ownerId: itemFields.ownerId,
    targetReader: itemFields.targetReader,
    researchNotes: itemFields.researchNotes,
    dueDate: itemFields.dueDate,
    dueStatus: itemFields.dueStatus,
    publishDate: itemFields.publishDate,
    externalId: itemFields.externalId,
    urls: z.array(ContentUrlInput).max(20, 'at most 20 URLs').optional(),
    smes: z.array(SmeContributionInput).max(50).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' });
export type ContentItemPatch = z.infer<typeof ContentItemPatch>;

/** Calendar drag: move the item's date (publishDate, or dueDate when `field` is due). */
export const RescheduleInput = z.object({ date: IsoDate, field: z.enum(['publish', 'due']).default('publish') }).strict();

export const TransitionInput = z.object({ to: ContentStatus, note: optText(2000) }).strict();
export type TransitionInput = z.infer<typeof TransitionInput>;

export const ConsumptionSummary = z.object({
  /** Page views of every visitor (known and anonymous). */
  views: z.number().int(),
  anonymousViews: z.number().int(),
  /** Known contacts who viewed the item. */
  readers: z.number().int(),
  /** Average of the read sessions' max scroll depth (0–100); null: no read depth yet. */
  avgDepthPct: z.number().nullable(),
  activeSeconds: z.number().int(),
  lastViewedAt: Timestamp.nullable(),
});
export type ConsumptionSummary = z.infer<typeof ConsumptionSummary>;

export const SmeRef = z.object({ id: z.number().int(), name: z.string(), role: z.string() });

export const ContentItem = z
  .object({
    id: z.number().int(),
    title: z.string(),
    summary: z.string().nullable(),
    type: ContentType,
    format: ContentFormat,
    stage: ContentStage,
    status: ContentStatus,
    topics: z.array(z.string()),
    segments: z.array(z.string()),
    products: z.array(z.string()),
    owner: UserRef.nullable(),
    targetReader: z.string().nullable(),
    researchNotes: z.string().nullable(),
    dueDate: z.string().nullable(),
    dueStatus: ContentStatus.nullable(),
    publishDate: z.string().nullable(),
    publishedAt: Timestamp.nullable(),
    externalId: z.string().nullable(),
    /** Due date past while the item is still before its due step, or publish date past while not yet published. */
    overdue: z.boolean(),
    urls: z.array(ContentUrlDto),
    smes: z.array(SmeRef),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'ContentItem' });
export type ContentItem = z.infer<typeof ContentItem>;

export const ContentItemDetail = ContentItem.extend({
  consumption: ConsumptionSummary,
  history: z.array(
    z.object({ id: z.number().int(), fromStatus: ContentStatus.nullable(), toStatus: ContentStatus, note: z.string().nullable(), skippedReview: z.boolean(), actor: z.string(), occurredAt: Timestamp }),
  ),
  /** Top readers: contact, views, deepest read, active seconds, last view. */
  readers: z.array(
    z.object({ contactId: z.number().int(), email: z.string().nullable(), name: z.string().nullable(), views: z.number().int(), maxDepthPct: z.number().int(), activeSeconds: z.number().int(), lastAt: Timestamp }),
  ),
});
export type ContentItemDetail = z.infer<typeof ContentItemDetail>;

const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? (v === '' ? [] : v.split(',')) : v), z.array(item).max(20));

export const ContentListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  stage: csvList(ContentStage).optional(),
  type: csvList(ContentType).optional(),
  format: csvList(ContentFormat).optional(),
  status: csvList(ContentStatus).optional(),
  topic: Tag.optional(),
  segment: Tag.optional(),
  product: Tag.optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  overdue: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).optional(),
  limit: Limit,
  cursor: Cursor,
});
export type ContentListQuery = z.infer<typeof ContentListQuery>;
export const ContentItemPage = page(ContentItem);

export const CalendarQuery = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((q) => q.from <= q.to, { message: 'from must be on or before to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * 86_400_000, { message: 'at most 62 days', path: ['to'] });
export const CalendarEntry = z.object({
  itemId: z.number().int(),
  title: z.string(),
  status: ContentStatus,
  stage: ContentStage,
  type: ContentType,
  /** publish: planned or actual publish date; due: due date of the next step. */
  kind: z.enum(['publish', 'due']),
  date: z.string(),
  overdue: z.boolean(),
  owner: z.string().nullable(),
});
export const CalendarResponse = z.object({ entries: z.array(CalendarEntry) });

// ---------- SMEs ----------
export const SmeInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200),
    email: z.string().trim().toLowerCase().email('must be a valid email address').max(254).nullable().optional(),
    title: optText(200),
    userId: z.number().int().positive().nullable().optional(),
    topics: Tags.default([]),
    notes: optText(5000),
  })
  .strict();
export const SmePatch = SmeInput.partial().strict();
export const Sme = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  title: z.string().nullable(),
  user: UserRef.nullable(),
  topics: z.array(z.string()),
  notes: z.string().nullable(),
  items: z.array(z.object({ id: z.number().int(), title: z.string(), role: z.string(), status: ContentStatus })),
  createdAt: Timestamp,
});
export type Sme = z.infer<typeof Sme>;

// ---------- settings ----------
export const ContentSettings = z
  .object({
    /** Query parameters that identify a page (e.g. `id`, `lang`); every other query parameter is ignored when matching. */
    keptQueryParams: z.array(z.string().trim().min(1).max(60).regex(/^[A-Za-z0-9_.\-[\]]+$/, 'must be a query parameter name')).max(30).default([]),
  })
  .strict();
export type ContentSettings = z.infer<typeof ContentSettings>;

// ---------- CSV import ----------
/** Columns of the inventory CSV (header names, case-insensitive; lists separated by `;` or `|`). */
export const CONTENT_CSV_COLUMNS = ['title', 'url', 'type', 'format', 'stage', 'status', 'topics', 'segments', 'products', 'owner_email', 'publish_date', 'summary', 'external_id', 'smes'] as const;
export const ContentImportResult = z.object({
  /** true: every row was valid and written; false: nothing was written (all or nothing), see rejected. */
  imported: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  rows: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), field: z.string().nullable(), reason: z.string() })),
});
export type ContentImportResult = z.infer<typeof ContentImportResult>;

// ---------- a contact's content ----------
export const ContactContent = z.object({
  contactId: z.number().int(),
  /** Items the contact read, most recent first. */
  items: z.array(
    z.object({
      itemId: z.number().int(),
      title: z.string(),
      stage: ContentStage,
      type: ContentType,
      format: ContentFormat,
      views: z.number().int(),
      maxDepthPct: z.number().int(),
      activeSeconds: z.number().int(),
      firstAt: Timestamp,
      lastAt: Timestamp,
    }),
  ),
});
export type ContactContent = z.infer<typeof ContactContent>;
