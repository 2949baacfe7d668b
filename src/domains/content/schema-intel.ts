// Tables of the content domain's sales side: field intel (what sales hear in the field, tagged by topic,
// competitor and account; marketing turns entries and trends into calendar ideas) and tracked library links
// (a sales user shares an item with a contact; the opaque token redirects to the item's own URL and ties the
// visit to the contact). Owned by intel.ts and library*.ts.
import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts, contacts } from '../contacts/schema.ts';
import { users } from '../identity/schema.ts';
import { contentItems } from './schema.ts';

export const fieldIntel = pgTable(
  'field_intel',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    body: text('body').notNull(),
    /** Lower-cased tags (same form as content_items.topics). */
    topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
    competitors: text('competitors').array().notNull().default(sql`'{}'::text[]`),
    accountId: bigint('account_id', { mode: 'number' }).references(() => accounts.id, { onDelete: 'set null' }),
    heardOn: date('heard_on', { mode: 'string' }).notNull().default(sql`current_date`),
    postedBy: integer('posted_by').references(() => users.id, { onDelete: 'set null' }),
    /** The calendar idea (a content item) this entry was turned into, alone or as part of a trend. */
    ideaItemId: integer('idea_item_id').references(() => contentItems.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('field_intel_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('field_intel_heard_idx').on(t.workspaceId, t.heardOn),
    index('field_intel_topics_idx').using('gin', t.topics),
    index('field_intel_competitors_idx').using('gin', t.competitors),
    index('field_intel_account_idx').on(t.accountId),
    index('field_intel_idea_idx').on(t.ideaItemId),
  ],
);

/**
 * A tracked link to an item for one contact. Only the sha256 of the token is stored (the link is shown
 * once, when created). A click redirects to the item's own URL (never anywhere else) with a fresh
 * `ajs_aid` anonymous id already tied to the contact, so the tracker's page views and read depth attribute
 * to the contact.
 */
export const contentLinks = pgTable(
  'content_links',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    tokenHash: text('token_hash').notNull(),
    itemId: integer('item_id')
      .notNull()
      .references(() => contentItems.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    clicks: integer('clicks').notNull().default(0),
    firstClickedAt: timestamp('first_clicked_at', { withTimezone: true }),
    lastClickedAt: timestamp('last_clicked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('content_links_token_unique').on(t.tokenHash),
    index('content_links_contact_idx').on(t.contactId, t.createdAt),
    index('content_links_item_idx').on(t.itemId),
  ],
);
