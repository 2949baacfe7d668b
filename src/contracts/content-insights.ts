// Content insights (issue 6): reader ratings (the public /v1/content/rate and the list), the coverage map
// (stage × type grid with performance), influence, and the content audit report with its thresholds.
import { z } from 'zod';
import { Cursor, Limit, Timestamp } from './common.ts';
import { ContentFormat, ContentStage, ContentStatus, ContentType } from './content.ts';

export const RATING_COMMENT_MAX = 2000;

// ---------- ratings ----------

/** Body of POST /v1/content/rate (the widget; authenticated by a source write key). */
export const RateInput = z
  .object({
    writeKey: z.string().max(200).optional(),
    /** The item, by id or by the page URL (matched with the item's URL rules). */
    itemId: z.number().int().positive().max(2_147_483_647).optional(),
    url: z.string().trim().min(1).max(2000, 'at most 2000 characters').optional(),
    anonymousId: z.string().trim().min(1).max(200).optional(),
    userId: z.string().trim().min(1).max(200).optional(),
    rating: z.number({ error: 'must be a whole number from 1 to 5' }).int('must be a whole number from 1 to 5').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'),
    comment: z.string().trim().max(RATING_COMMENT_MAX, `at most ${RATING_COMMENT_MAX} characters`).optional().nullable(),
    messageId: z.string().max(200).optional(),
  })
  .strict()
  .refine((r) => r.itemId !== undefined || r.url !== undefined, { message: 'send itemId or url (the page of the item)', path: ['itemId'] })
  .refine((r) => r.anonymousId !== undefined || r.userId !== undefined, { message: 'send anonymousId or userId (who rates)', path: ['anonymousId'] });
export type RateInput = z.infer<typeof RateInput>;

export const RateResponse = z.object({ success: z.literal(true), itemId: z.number().int(), replaced: z.boolean() });

export const Rating = z.object({
  id: z.number().int(),
  itemId: z.number().int(),
  rating: z.number().int(),
  comment: z.string().nullable(),
  contact: z.object({ id: z.number().int(), email: z.string().nullable() }).nullable(),
  pageUrl: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Rating = z.infer<typeof Rating>;
export const RatingsQuery = z.object({ limit: Limit, cursor: Cursor });
export const RatingsPage = z.object({
  items: z.array(Rating),
  nextCursor: z.string().nullable(),
  summary: z.object({ count: z.number().int(), average: z.number().nullable(), distribution: z.array(z.number().int()).length(5) }),
});

// ---------- coverage map ----------

const Tag = z.string().trim().toLowerCase().min(1).max(60);
export const CoverageQuery = z.object({ segment: Tag.optional(), topic: Tag.optional(), product: Tag.optional() });
export type CoverageQuery = z.infer<typeof CoverageQuery>;

export const CoverageCell = z.object({
  stage: ContentStage,
  type: ContentType,
  /** Items in the cell (every status but retired), of which live (published / audited). */
  items: z.number().int(),
  live: z.number().int(),
  views: z.number().int(),
  /** Known readers of the cell's items (a contact who read two items of the cell counts for each). */
  readers: z.number().int(),
  avgDepthPct: z.number().nullable(),
  /** Distinct contacts who read an item of the cell and later became sales-ready / opportunity / customer. */
  influencedContacts: z.number().int(),
  /** Amount of the distinct open or won deals of those contacts. */
  influencedPipeline: z.number(),
  /** No live item: a gap the team should fill. */
  gap: z.boolean(),
  top: z.array(z.object({ id: z.number().int(), title: z.string(), views: z.number().int() })),
});
export type CoverageCell = z.infer<typeof CoverageCell>;

export const Coverage = z.object({
  stages: z.array(ContentStage),
  types: z.array(ContentType),
  cells: z.array(CoverageCell),
  totals: z.object({ items: z.number().int(), live: z.number().int(), gaps: z.number().int(), views: z.number().int(), influencedPipeline: z.number() }),
  /** Values to filter by (every segment, topic and product used by an item). */
  facets: z.object({ segments: z.array(z.string()), topics: z.array(z.string()), products: z.array(z.string()) }),
  /** When the performance figures were last recomputed (null: never). */
  refreshedAt: Timestamp.nullable(),
});
export type Coverage = z.infer<typeof Coverage>;

// ---------- influence ----------

export const Influence = z.object({
  itemId: z.number().int(),
  readers: z.number().int(),
  influencedContacts: z.number().int(),
  influencedPipeline: z.number(),
  byStage: z.object({ sales_ready: z.number().int(), opportunity: z.number().int(), customer: z.number().int() }),
  contacts: z.array(
    z.object({
      contactId: z.number().int(),
      email: z.string().nullable(),
      reachedStage: z.string(),
      firstReadAt: Timestamp,
      reachedAt: Timestamp,
      pipeline: z.number(),
    }),
  ),
  refreshedAt: Timestamp.nullable(),
});
export type Influence = z.infer<typeof Influence>;

// ---------- audit ----------

export const AuditSettings = z
  .object({
    /** Not updated for this many days: refresh (when still read) or retire (when not). */
    refreshAfterDays: z.number().int().min(1).max(3650).default(365),
    /** Older than this and fewer than minViews90d views in 90 days: retire. */
    retireAfterDays: z.number().int().min(1).max(3650).default(540),
    minViews90d: z.number().int().min(0).max(1_000_000).default(10),
    /** Average rating below this (with at least 3 ratings): refresh. */
    minRating: z.number().min(1).max(5).default(3),
    /** Average read depth below this (with at least 5 reads): refresh. */
    minDepthPct: z.number().min(0).max(100).default(30),
  })
  .strict();
export type AuditSettings = z.infer<typeof AuditSettings>;
export const AuditSettingsPatch = z
  .object({
    refreshAfterDays: z.number().int().min(1).max(3650),
    retireAfterDays: z.number().int().min(1).max(3650),
    minViews90d: z.number().int().min(0).max(1_000_000),
    minRating: z.number().min(1).max(5),
    minDepthPct: z.number().min(0).max(100),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' });

export const AuditFlag = z.enum(['refresh', 'retire']);
export const AUDIT_FILTERS = ['all', 'flagged', 'refresh', 'retire'] as const;
export const AuditQuery = z.object({
  flag: z.enum(AUDIT_FILTERS).default('all'),
  stage: ContentStage.optional(),
  type: ContentType.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditRow = z.object({
  id: z.number().int(),
  title: z.string(),
  stage: ContentStage,
  type: ContentType,
  format: ContentFormat,
  status: ContentStatus,
  publishedAt: Timestamp.nullable(),
  updatedAt: Timestamp,
  ageDays: z.number().int(),
  daysSinceUpdate: z.number().int(),
  views: z.number().int(),
  views90d: z.number().int(),
  readers: z.number().int(),
  avgDepthPct: z.number().nullable(),
  avgRating: z.number().nullable(),
  ratings: z.number().int(),
  /** Share (0–1) of readers with a known buying stage who are within one stage of the item's stage. */
  stageFit: z.number().nullable(),
  influencedContacts: z.number().int(),
  influencedPipeline: z.number(),
  flag: AuditFlag.nullable(),
  reasons: z.array(z.string()),
});
export type AuditRow = z.infer<typeof AuditRow>;
export const AuditReport = z.object({
  settings: AuditSettings,
  counts: z.object({ items: z.number().int(), refresh: z.number().int(), retire: z.number().int() }),
  rows: z.array(AuditRow),
  refreshedAt: Timestamp.nullable(),
});
export type AuditReport = z.infer<typeof AuditReport>;
