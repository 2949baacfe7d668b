// Contacts, accounts and custom property definitions: the shapes the server, the web UI and the CLI share.
import { z } from 'zod';
import { Cursor, Email, Limit, page, Timestamp } from './common.ts';

export const LifecycleStage = z.enum([
  'subscriber',
  'lead',
  'marketing_qualified',
  'sales_ready',
  'sales_accepted',
  'opportunity',
  'customer',
  'recycled',
  'disqualified',
]);
export type LifecycleStage = z.infer<typeof LifecycleStage>;
export const LIFECYCLE_LABELS: Record<LifecycleStage, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketing_qualified: 'Marketing-qualified',
  sales_ready: 'Sales-ready',
  sales_accepted: 'Sales-accepted',
  opportunity: 'Opportunity',
  customer: 'Customer',
  recycled: 'Recycled',
  disqualified: 'Disqualified',
};

/** Custom property values as sent over the API: key → value (null clears). Validated against property definitions. */
export const PropertyValues = z.record(
  z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'property keys are snake_case'),
  z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]),
);

const optText = (max: number) => z.string().trim().max(max).nullable().optional();

export const UserRef = z.object({ id: z.number().int(), name: z.string(), email: z.string() });
export const AccountRef = z.object({ id: z.number().int(), name: z.string(), domain: z.string().nullable() });

// ---------- accounts ----------
export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((d) => d.replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, ''))
  .pipe(z.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain like acme.com'));

export const Account = z
  .object({
    id: z.number().int(),
    name: z.string(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    employeeCount: z.number().int().nullable(),
    country: z.string().nullable(),
    owner: UserRef.nullable(),
    properties: z.record(z.string(), z.unknown()),
    contactCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof Account>;

export const AccountInput = z
  .object({
    name: z.string().trim().min(1).max(300),
    domain: Domain.nullable().optional(),
    industry: optText(200),
    employeeCount: z.number().int().min(0).max(10_000_000).nullable().optional(),
    country: optText(100),
    ownerId: z.number().int().positive().nullable().optional(),
    properties: PropertyValues.optional(),
  })
  .strict();
export type AccountInput = z.infer<typeof AccountInput>;
export const AccountPatch = AccountInput.partial().strict();
export type AccountPatch = z.infer<typeof AccountPatch>;

export const ACCOUNT_SORTS = ['name', '-name', 'createdAt', '-createdAt'] as const;
export const AccountListQuery = z.object({
  /** Name or domain starts with (case-insensitive). */
  q: z.string().trim().max(200).optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  sort: z.enum(ACCOUNT_SORTS).default('name'),
  limit: Limit,
  cursor: Cursor,
});
export type AccountListQuery = z.infer<typeof AccountListQuery>;
export const AccountPage = page(Account);
export const AccountExportQuery = AccountListQuery.omit({ limit: true, cursor: true });

// ---------- contacts ----------
export const Contact = z
  .object({
    id: z.number().int(),
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    title: z.string().nullable(),
    phone: z.string().nullable(),
    lifecycleStage: LifecycleStage,
    owner: UserRef.nullable(),
    account: AccountRef.nullable(),
    properties: z.record(z.string(), z.unknown()),
    source: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

export const ContactInput = z
  .object({
    email: Email,
    firstName: optText(200),
    lastName: optText(200),
    title: optText(300),
    phone: optText(50),
    lifecycleStage: LifecycleStage.optional(),
    ownerId: z.number().int().positive().nullable().optional(),
    accountId: z.number().int().positive().nullable().optional(),
    properties: PropertyValues.optional(),
  })
  .strict();
export type ContactInput = z.infer<typeof ContactInput>;
export const ContactPatch = ContactInput.partial().strict();
export type ContactPatch = z.infer<typeof ContactPatch>;

export const CONTACT_SORTS = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'email', '-email', 'lastName', '-lastName'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

/**
 * Filters for the contacts list and export. Custom property filters are query parameters
 * named `prop.<key>` (exact match; for text properties case-insensitive).
 */
export const ContactFilters = z.object({
  /** Email, first name or last name starts with (case-insensitive); a full email matches exactly. */
  q: z.string().trim().max(200).optional(),
  lifecycleStage: LifecycleStage.optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  accountId: z.coerce.number().int().positive().optional(),
  createdAfter: z.iso.datetime({ offset: true }).optional(),
  createdBefore: z.iso.datetime({ offset: true }).optional(),
  /** Members of this segment (market domain). */
  segmentId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  /** Members of this static list (market domain). */
  listId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});
export type ContactFilters = z.infer<typeof ContactFilters>;

export const ContactListQuery = ContactFilters.extend({
  sort: z.enum(CONTACT_SORTS).default('-createdAt'),
  limit: Limit,
  cursor: Cursor,
}).catchall(z.string().max(500));
export type ContactListQuery = z.infer<typeof ContactListQuery>;
export const ContactPage = page(Contact);

export const ContactExportQuery = ContactFilters.extend({ sort: z.enum(CONTACT_SORTS).default('-createdAt') }).catchall(
  z.string().max(500),
);

/** Activity timeline item. Today: audit entries of the contact; later issues add events, emails, lifecycle changes. */
export const TimelineItem = z.object({
  id: z.string(),
  at: Timestamp,
  kind: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  actor: z.string().nullable(),
});
export const TimelinePage = z.object({ items: z.array(TimelineItem), nextCursor: z.string().nullable() });
export const TimelineQuery = z.object({ limit: Limit, cursor: Cursor });

// ---------- property definitions ----------
export const PropertyType = z.enum(['text', 'number', 'date', 'boolean', 'enum']);
export const PropertyObject = z.enum(['contact', 'account']);
export const PropertyDefinition = z
  .object({
    id: z.number().int(),
    objectType: PropertyObject,
    key: z.string(),
    label: z.string(),
    type: PropertyType,
    options: z.array(z.string()).nullable(),
    description: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'PropertyDefinition' });
export type PropertyDefinition = z.infer<typeof PropertyDefinition>;

export const PropertyDefinitionInput = z
  .object({
    objectType: PropertyObject,
    key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be snake_case: a-z, 0-9 and _, starting with a letter'),
    label: z.string().trim().min(1).max(100),
    type: PropertyType,
    options: z.array(z.string().trim().min(1).max(100)).min(1).max(500).optional(),
    description: z.string().trim().max(1000).nullable().optional(),
  })
  .strict()
  .refine((p) => p.type !== 'enum' || (p.options && p.options.length > 0), {
    message: 'enum properties need at least one option',
    path: ['options'],
  })
  .refine((p) => p.type === 'enum' || !p.options, { message: 'only enum properties have options', path: ['options'] });
export type PropertyDefinitionInput = z.infer<typeof PropertyDefinitionInput>;

export const PropertyDefinitionPatch = z
  .object({
    label: z.string().trim().min(1).max(100).optional(),
    options: z.array(z.string().trim().min(1).max(100)).min(1).max(500).optional(),
    description: z.string().trim().max(1000).nullable().optional(),
  })
  .strict();
export const PropertyListQuery = z.object({ objectType: PropertyObject.optional() });
