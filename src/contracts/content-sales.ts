// Content engine, sales side: field intel (what sales hear), the sales library (find content, tracked links,
// what a contact already read), the topic backlog and the SME network screen. Shared by server, web UI and CLI.
import { z } from 'zod';
import { Cursor, Limit, page, Timestamp } from './common.ts';
import { AccountRef, UserRef } from './contacts.ts';
import { ContentFormat, ContentStage, ContentType } from './content.ts';

/** A topic or competitor tag: trimmed, lower-cased, single spaces ("zero trust", "acme corp"). */
export const Tag = z
  .string()
  .transform((s) => s.trim().toLowerCase().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, 'must not be empty').max(60, 'must be at most 60 characters'));

function uniqueTags(max: number) {
  return z
    .array(Tag)
    .max(max, `at most ${max}`)
    .default([])
    .transform((list) => [...new Set(list)]);
}

/** A date (YYYY-MM-DD) that is a real calendar date. */
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a calendar date');

// ---------- field intel ----------

export const IntelInput = z
  .object({
    /** What the rep heard ("what are you hearing from others?"). */
    body: z.string().trim().min(3, 'must say what you heard (at least 3 characters)').max(2000, 'must be at most 2,000 characters'),
    topics: uniqueTags(10),
    competitors: uniqueTags(10),
    accountId: z.number().int().positive().nullable().optional(),
    /** When it was heard (default today); not in the future. */
    heardOn: IsoDate.optional(),
  })
  .strict()
  .refine((v) => v.topics.length > 0 || v.competitors.length > 0, { message: 'tag at least one topic or competitor', path: ['topics'] });
export type IntelInput = z.input<typeof IntelInput>;

export const ContentItemRef = z.object({ id: z.number().int(), title: z.string(), status: z.string() });

export const IntelEntry = z
  .object({
    id: z.number().int(),
    body: z.string(),
    topics: z.array(z.string()),
    competitors: z.array(z.string()),
    account: AccountRef.nullable(),
    heardOn: z.string(),
    postedBy: UserRef.nullable(),
    /** The calendar idea this entry was turned into. */
    idea: ContentItemRef.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'IntelEntry' });
export type IntelEntry = z.infer<typeof IntelEntry>;

export const IntelListQuery = z
  .object({
    topic: Tag.optional(),
    competitor: Tag.optional(),
    accountId: z.coerce.number().int().positive().optional(),
    /** Only entries posted by this user ("mine" in the UI). */
    postedBy: z.coerce.number().int().positive().optional(),
    /** Words in the text. */
    q: z.string().trim().max(200).optional(),
    /** Only entries not yet turned into an idea. */
    open: z.enum(['true', 'false']).optional(),
    /** Entries that became this calendar idea (the link back from a content item). */
    ideaItemId: z.coerce.number().int().positive().optional(),
    limit: Limit,
    cursor: Cursor,
  })
  .strict();
export const IntelPage = page(IntelEntry).meta({ id: 'IntelPage' });

export const IntelTrendQuery = z
  .object({
    by: z.enum(['topic', 'competitor']).default('topic'),
    /** Weeks back from now (ISO weeks, Monday first). */
    weeks: z.coerce.number().int().min(2).max(104).default(12),
    /** How many series (the most mentioned). */
    top: z.coerce.number().int().min(1).max(30).default(8),
  })
  .strict();

export const IntelTrend = z
  .object({
    by: z.enum(['topic', 'competitor']),
    /** Week starts (YYYY-MM-DD, Mondays), oldest first. */
    weeks: z.array(z.string()),
    series: z.array(
      z.object({
        key: z.string(),
        total: z.number().int(),
        /** Mentions per week, aligned with weeks. */
        counts: z.array(z.number().int()),
        /** Mentions in the last 4 weeks minus the 4 before. */
        change: z.number().int(),
        /** Entries of this key not yet turned into an idea. */
        open: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'IntelTrend' });
export type IntelTrend = z.infer<typeof IntelTrend>;

/** Turn one entry into a calendar idea. Title defaults to the first words of the entry. */
export const IntelIdeaInput = z
  .object({
    title: z.string().trim().min(3).max(300).optional(),
    /** Default: consideration when the entry names a competitor, else awareness. */
    stage: ContentStage.optional(),
    /** Default: practical when the entry names a competitor, else aspirational. */
    type: ContentType.optional(),
  })
  .strict();

/** Turn a trend (every open entry of a topic or competitor in the window) into one calendar idea. */
export const TrendIdeaInput = z
  .object({
    by: z.enum(['topic', 'competitor']),
    key: Tag,
    weeks: z.number().int().min(1).max(104).default(12),
    title: z.string().trim().min(3).max(300).optional(),
    stage: ContentStage.optional(),
    type: ContentType.optional(),
  })
  .strict();

export const IdeaResult = z
  .object({
    item: ContentItemRef,
    /** Field intel entries linked to the idea. */
    linkedIntel: z.number().int(),
  })
  .meta({ id: 'IdeaResult' });

// ---------- sales library ----------

export const LibraryQuery = z
  .object({
    /** Full-text search on the title (words, "phrases", -exclusions). */
    q: z.string().trim().max(200).optional(),
    stage: ContentStage.optional(),
    type: ContentType.optional(),
    format: ContentFormat.optional(),
    topic: Tag.optional(),
    product: Tag.optional(),
    segment: Tag.optional(),
    /** Mark what this contact already read. */
    contactId: z.coerce.number().int().positive().optional(),
    limit: Limit,
    /** Next page: the offset returned as nextCursor. */
    cursor: Cursor,
  })
  .strict();

export const LibraryItem = z
  .object({
    id: z.number().int(),
    title: z.string(),
    url: z.string().nullable(),
    stage: z.string(),
    type: z.string(),
    format: z.string(),
    topics: z.array(z.string()),
    products: z.array(z.string()),
    segments: z.array(z.string()),
    publishedAt: z.string().nullable(),
    /** Readers over the last 90 days (identified contacts). */
    readers: z.number().int(),
    views: z.number().int(),
    /** When contactId was given: what that contact did with the item. */
    contactRead: z.object({ views: z.number().int(), maxDepthPct: z.number().int(), lastAt: Timestamp }).nullable(),
  })
  .meta({ id: 'LibraryItem' });
export type LibraryItem = z.infer<typeof LibraryItem>;
export const LibraryPage = page(LibraryItem).meta({ id: 'LibraryPage' });

export const TrackedLinkInput = z
  .object({
    itemId: z.number().int().positive(),
    contactId: z.number().int().positive(),
  })
  .strict();

export const TrackedLink = z
  .object({
    id: z.number().int(),
    /** Share this: it redirects to the item's own URL and attributes the visit to the contact. */
    url: z.string(),
    itemId: z.number().int(),
    contactId: z.number().int(),
    /** Where the link leads (the item's URL). */
    target: z.string(),
    expiresAt: Timestamp,
  })
  .meta({ id: 'TrackedLink' });
export type TrackedLink = z.infer<typeof TrackedLink>;

export const ContactReading = z
  .object({
    contactId: z.number().int(),
    items: z.array(
      z.object({
        item: z.object({ id: z.number().int(), title: z.string(), stage: z.string(), type: z.string(), format: z.string() }),
        views: z.number().int(),
        maxDepthPct: z.number().int(),
        activeSeconds: z.number().int(),
        firstAt: Timestamp,
        lastAt: Timestamp,
      }),
    ),
    /** Tracked links sent to this contact, newest first. */
    links: z.array(
      z.object({
        id: z.number().int(),
        itemId: z.number().int(),
        title: z.string(),
        sentBy: z.string().nullable(),
        createdAt: Timestamp,
        clicks: z.number().int(),
        lastClickedAt: Timestamp.nullable(),
      }),
    ),
  })
  .meta({ id: 'ContactReading' });
export type ContactReading = z.infer<typeof ContactReading>;

// ---------- topic backlog ----------

export const BacklogQuery = z
  .object({
    /** Look-back window for consumption, ratings and intel. */
    days: z.coerce.number().int().min(7).max(730).default(90),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const BacklogTopic = z.object({
  topic: z.string(),
  /** 0–100: weighted mix of readers, views, depth, ratings and intel mentions (each scaled to the top topic). */
  score: z.number(),
  readers: z.number().int(),
  views: z.number().int(),
  avgDepthPct: z.number().nullable(),
  ratings: z.number().int(),
  avgRating: z.number().nullable(),
  intelMentions: z.number().int(),
  /** Items with this topic (all statuses except retired) and those still in production. */
  items: z.number().int(),
  inProduction: z.number().int(),
  /** SMEs with this topic as expertise. */
  smes: z.number().int(),
});
export type BacklogTopic = z.infer<typeof BacklogTopic>;

export const Backlog = z
  .object({
    days: z.number().int(),
    weights: z.record(z.string(), z.number()),
    topics: z.array(BacklogTopic),
  })
  .meta({ id: 'Backlog' });
export type Backlog = z.infer<typeof Backlog>;

/** "Cycle the top interests": one idea per topic (the top N, or the topics named) that has nothing in production. */
export const CycleInput = z
  .object({
    top: z.number().int().min(1).max(20).default(3),
    topics: z.array(Tag).max(20).optional(),
    days: z.number().int().min(7).max(730).default(90),
  })
  .strict();
export const CycleResult = z
  .object({
    created: z.array(ContentItemRef.extend({ topic: z.string() })),
    /** Topics skipped, with why (already in production, unknown topic). */
    skipped: z.array(z.object({ topic: z.string(), reason: z.string() })),
  })
  .meta({ id: 'CycleResult' });
export type CycleResult = z.infer<typeof CycleResult>;

// ---------- SME network ----------

export const NetworkSme = z.object({
  id: z.number().int(),
  name: z.string(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  user: UserRef.nullable(),
  topics: z.array(z.string()),
  items: z.array(z.object({ id: z.number().int(), title: z.string(), status: z.string(), stage: z.string(), role: z.string().nullable() })),
  /** Readers of the items they contributed to (last 90 days). */
  readers: z.number().int(),
});
export const Network = z
  .object({
    smes: z.array(NetworkSme),
    /** Topics in the backlog / items with no SME: where to recruit. */
    uncoveredTopics: z.array(z.object({ topic: z.string(), items: z.number().int() })),
  })
  .meta({ id: 'Network' });
export type Network = z.infer<typeof Network>;
