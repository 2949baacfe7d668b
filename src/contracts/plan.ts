// Contracts of the plan domain: campaigns (with the UTM code that links tracked touches to them).
import { z } from 'zod';
import { IsoDate, Timestamp } from './common.ts';
import { LifecycleStage, UserRef } from './contacts.ts';

export const CAMPAIGN_CHANNELS = [
  'email',
  'paid_search',
  'paid_social',
  'organic_social',
  'display',
  'content',
  'webinar',
  'event',
  'partner',
  'referral',
  'direct_mail',
  'other',
] as const;
export const CampaignChannel = z.enum(CAMPAIGN_CHANNELS);
export type CampaignChannel = z.infer<typeof CampaignChannel>;
export const CHANNEL_LABELS: Record<CampaignChannel, string> = {
  email: 'Email',
  paid_search: 'Paid search',
  paid_social: 'Paid social',
  organic_social: 'Organic social',
  display: 'Display',
  content: 'Content / SEO',
  webinar: 'Webinar',
  event: 'Event',
  partner: 'Partner',
  referral: 'Referral',
  direct_mail: 'Direct mail',
  other: 'Other',
};

export const CAMPAIGN_STATUSES = ['planned', 'active', 'paused', 'completed', 'cancelled'] as const;
export const CampaignStatus = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/**
 * The utm_campaign value that ties tracked touches to the campaign: trimmed and lower-cased (touches match
 * whatever case the link used); letters, digits, spaces and - _ . + ~ % & ' ( ), starting with a letter or digit.
 */
export const UtmCode = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'is required')
  .max(100)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._~+%&'()-]*$/u, "may contain only letters, digits, spaces and - _ . + ~ % & ' ( ), starting with a letter or digit");

const campaignFields = {
  name: z.string().trim().min(1, 'is required').max(200),
  utmCampaign: UtmCode,
  channel: CampaignChannel.default('other'),
  status: CampaignStatus.default('planned'),
  startDate: IsoDate.nullable().optional(),
  endDate: IsoDate.nullable().optional(),
  budget: z.number().min(0).max(999_999_999_999).nullable().optional(),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code').default('USD'),
  ownerId: z.number().int().positive().nullable().optional(),
  description: z.string().trim().max(5000).nullable().optional(),
  /** The objective the campaign serves (null: a random act); given only an initiative, its objective is used. */
  objectiveId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  initiativeId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
};
const datesInOrder = (c: { startDate?: string | null; endDate?: string | null }) => !c.startDate || !c.endDate || c.startDate <= c.endDate;
const datesMessage = { message: 'must be on or after the start date', path: ['endDate'] };

export const CampaignInput = z.object(campaignFields).strict().refine(datesInOrder, datesMessage);
export type CampaignInput = z.input<typeof CampaignInput>;
export const CampaignPatch = z
  .object({
    name: campaignFields.name.optional(),
    utmCampaign: UtmCode.optional(),
    channel: CampaignChannel.optional(),
    status: CampaignStatus.optional(),
    startDate: campaignFields.startDate,
    endDate: campaignFields.endDate,
    budget: campaignFields.budget,
    currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code').optional(),
    ownerId: campaignFields.ownerId,
    description: campaignFields.description,
    objectiveId: campaignFields.objectiveId,
    initiativeId: campaignFields.initiativeId,
  })
  .strict();
export type CampaignPatch = z.input<typeof CampaignPatch>;

/** Touches: tracked events (bots excluded) whose utm_campaign is the campaign's code. */
export const CampaignTouchStats = z.object({
  touches: z.number().int(),
  /** Known contacts touched. */
  contacts: z.number().int(),
  /** Distinct people, known or anonymous. */
  visitors: z.number().int(),
  firstTouchAt: Timestamp.nullable(),
  lastTouchAt: Timestamp.nullable(),
});
export type CampaignTouchStats = z.infer<typeof CampaignTouchStats>;

export const Campaign = z
  .object({
    id: z.number().int(),
    name: z.string(),
    utmCampaign: z.string(),
    channel: CampaignChannel,
    status: CampaignStatus,
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    budget: z.number().nullable(),
    currency: z.string(),
    owner: UserRef.nullable(),
    description: z.string().nullable(),
    objective: z.object({ id: z.number().int(), title: z.string() }).nullable(),
    initiative: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    stats: CampaignTouchStats,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof Campaign>;

export const CampaignListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  status: CampaignStatus.optional(),
  channel: CampaignChannel.optional(),
});
export const CampaignList = z.object({ items: z.array(Campaign), total: z.number().int() });

export const CampaignReportQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must be on or after "from"', path: ['to'] });

export const CampaignTouch = z.object({
  eventId: z.number().int(),
  timestamp: Timestamp,
  type: z.string(),
  event: z.string().nullable(),
  pagePath: z.string().nullable(),
  utmSource: z.string().nullable(),
  utmMedium: z.string().nullable(),
  contact: z.object({ id: z.number().int(), email: z.string(), name: z.string().nullable(), lifecycleStage: LifecycleStage }).nullable(),
  anonymousId: z.string().nullable(),
});

export const CampaignReport = z.object({
  campaign: Campaign,
  from: IsoDate,
  to: IsoDate,
  /** Touches per day in [from, to] (days without touches are 0). */
  daily: z.array(z.object({ day: IsoDate, touches: z.number().int(), visitors: z.number().int() })),
  /** Touches by utm_source / utm_medium, most first (top 10). */
  sources: z.array(z.object({ source: z.string().nullable(), medium: z.string().nullable(), touches: z.number().int(), visitors: z.number().int() })),
  /** Contacts touched by the campaign (ever), by their lifecycle stage now. */
  stages: z.array(z.object({ stage: LifecycleStage, contacts: z.number().int() })),
  recent: z.array(CampaignTouch),
});
export type CampaignReport = z.infer<typeof CampaignReport>;

/** utm_campaign values seen in tracked events that no campaign claims yet. */
export const UnmatchedUtm = z.object({
  utmCampaign: z.string(),
  touches: z.number().int(),
  visitors: z.number().int(),
  firstTouchAt: Timestamp,
  lastTouchAt: Timestamp,
});
export const UnmatchedUtmList = z.object({ items: z.array(UnmatchedUtm), days: z.number().int() });
