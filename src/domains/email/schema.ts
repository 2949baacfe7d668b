// Tables of the email domain: settings (SMTP, tracking base URL, alert thresholds), sending domains (DKIM keys,
// DNS check, throttle), subscription topics and consent records, the suppression list, templates (MJML source
// + its compiled HTML with Liquid left in), messages (the outbox and the send state), the links of each sent
// message (the only click targets), inbound bounces / complaints, and health alerts already raised.
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { contacts } from '../contacts/schema.ts';

/** One row per workspace. No SMTP host: messages stay in the embedded outbox (shown in the UI). */
export const emailSettings = pgTable('email_settings', {
  workspaceId: integer('workspace_id').primaryKey(),
  fromName: text('from_name').notNull().default('revloop'),
  fromEmail: text('from_email').notNull().default('marketing@example.com'),
  replyTo: text('reply_to'),
  smtpHost: text('smtp_host'),
  smtpPort: integer('smtp_port').notNull().default(587),
  /** TLS from the start (465); otherwise STARTTLS when offered. */
  smtpSecure: boolean('smtp_secure').notNull().default(false),
  smtpUser: text('smtp_user'),
  /** AES-256-GCM with the webhook secret key (webhooks/crypto.ts). */
  smtpPassEnc: text('smtp_pass_enc'),
  /** Base of the tracking, unsubscribe and preference links (the server's public URL). */
  trackingBaseUrl: text('tracking_base_url'),
  /** Alert when a campaign's / program's opt-outs ÷ delivered over 7 days crosses this (percent). */
  /**
   * Return-Path domain: when set, each message's envelope sender is bounce+<message id>@<this domain>, whose MX
   * points at revloop's bounce receiver (BOUNCE_SMTP_PORT), so bounces and complaints come back on their own.
   */
  bounceDomain: text('bounce_domain'),
  optOutAlertPct: integer('opt_out_alert_pct').notNull().default(2),
  bounceAlertPct: integer('bounce_alert_pct').notNull().default(5),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const emailDomains = pgTable(
  'email_domains',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** Lower-cased sending domain (the From address's domain). */
    domain: text('domain').notNull(),
    dkimSelector: text('dkim_selector').notNull(),
    /** PKCS#8 PEM, AES-256-GCM encrypted. */
    dkimPrivateKeyEnc: text('dkim_private_key_enc').notNull(),
    /** base64 SPKI: the p= of the DKIM record. */
    dkimPublicKey: text('dkim_public_key').notNull(),
    /** SPF include the customer's SMTP provider needs (e.g. include:_spf.example.net); shown in the expected record. */
    spfInclude: text('spf_include'),
    /** Messages per minute from this domain. */
    throttlePerMinute: integer('throttle_per_minute').notNull().default(600),
    lastCheck: jsonb('last_check').$type<Record<string, unknown>>(),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('email_domains_domain_unique').on(t.workspaceId, t.domain)],
);

export const emailTopics = pgTable(
  'email_topics',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** Machine key used by senders (nurture steps): snake_case. */
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('email_topics_key_unique').on(t.workspaceId, t.key)],
);

export const CONSENT_STATUSES = ['granted', 'revoked'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** Consent history: the newest row per contact × topic is the current state. Never updated, only appended. */
export const emailConsents = pgTable(
  'email_consents',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    topicId: integer('topic_id')
      .notNull()
      .references(() => emailTopics.id, { onDelete: 'cascade' }),
    status: text('status').$type<ConsentStatus>().notNull(),
    /** Where it came from: form, import, api, preference page, one-click unsubscribe, complaint … */
    source: text('source').notNull(),
    /** The consent text the person saw (or the reason of a revocation). */
    text: text('text'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
    /** The message whose unsubscribe link / header revoked it. */
    messageId: uuid('message_id'),
  },
  (t) => [index('email_consents_contact_topic_idx').on(t.contactId, t.topicId, t.id.desc()), index('email_consents_at_idx').on(t.workspaceId, t.at)],
);

export const SUPPRESSION_REASONS = ['bounce', 'complaint', 'manual', 'unsubscribe_all'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export const emailSuppressions = pgTable(
  'email_suppressions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    /** Trimmed, lower-cased address. */
    email: text('email').notNull(),
    reason: text('reason').$type<SuppressionReason>().notNull(),
    detail: text('detail'),
    messageId: uuid('message_id'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('email_suppressions_email_unique').on(t.workspaceId, t.email), index('email_suppressions_created_idx').on(t.workspaceId, t.createdAt)],
);

export const emailTemplates = pgTable(
  'email_templates',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    name: text('name').notNull(),
    /** Liquid. */
    subject: text('subject').notNull(),
    /** MJML with Liquid inside content and attributes. */
    mjml: text('mjml').notNull(),
    /** The MJML compiled to HTML once at save; Liquid still in it (rendered per message). */
    compiledHtml: text('compiled_html').notNull(),
    /** Default topic of messages from this template. */
    topicId: integer('topic_id').references(() => emailTopics.id, { onDelete: 'set null' }),
    /** The content item the template presents ({{ content.title }}, {{ content.url }}). */
    contentItemId: bigint('content_item_id', { mode: 'number' }),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('email_templates_name_unique').on(t.workspaceId, sql`lower(${t.name})`)],
);

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'failed', 'blocked', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** The outbox: one row per message to one contact; rendered and sent by the send loop (send.ts). */
export const emailMessages = pgTable(
  'email_messages',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: integer('workspace_id').notNull().default(1),
    contactId: bigint('contact_id', { mode: 'number' }).references(() => contacts.id, { onDelete: 'set null' }),
    templateId: integer('template_id').references(() => emailTemplates.id, { onDelete: 'set null' }),
    topicId: integer('topic_id').references(() => emailTopics.id, { onDelete: 'set null' }),
    toEmail: text('to_email').notNull(),
    /** The caller's key: the same key twice is one message. */
    idempotencyKey: text('idempotency_key').notNull(),
    programId: text('program_id'),
    stepId: text('step_id'),
    campaignId: text('campaign_id'),
    /** The content item the message carries (a nurture program's stage-aware pick); clicks attribute to it. */
    contentItemId: bigint('content_item_id', { mode: 'number' }),
    /** A test-send from the template editor (no consent needed; never counted in health). */
    isTest: boolean('is_test').notNull().default(false),
    status: text('status').$type<MessageStatus>().notNull().default('queued'),
    /** smtp or outbox (no SMTP configured): how it left. */
    transport: text('transport'),
    fromDomain: text('from_domain'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    subject: text('subject'),
    html: text('html'),
    text: text('text'),
    headers: jsonb('headers').$type<Record<string, string>>(),
    smtpResponse: text('smtp_response'),
    error: text('error'),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    firstOpenedAt: timestamp('first_opened_at', { withTimezone: true }),
    firstClickedAt: timestamp('first_clicked_at', { withTimezone: true }),
    bouncedAt: timestamp('bounced_at', { withTimezone: true }),
    complainedAt: timestamp('complained_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('email_messages_idempotency_unique').on(t.workspaceId, t.idempotencyKey),
    index('email_messages_due_idx').on(t.nextAttemptAt).where(sql`status = 'queued'`),
    index('email_messages_queued_idx').on(t.workspaceId, t.queuedAt.desc()),
    index('email_messages_contact_idx').on(t.contactId),
    index('email_messages_domain_sent_idx').on(t.fromDomain, t.sentAt),
    index('email_messages_campaign_idx').on(t.campaignId, t.sentAt),
    index('email_messages_program_idx').on(t.programId, t.sentAt),
  ],
);

/** Every http(s) link of a sent message, by position: a click may only ever redirect to one of these. */
export const emailLinks = pgTable(
  'email_links',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => emailMessages.id, { onDelete: 'cascade' }),
    idx: integer('idx').notNull(),
    url: text('url').notNull(),
    /** The content item the URL belongs to (attribution), when known. */
    contentItemId: bigint('content_item_id', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.idx] })],
);

/** Bounces (DSN) and complaints (ARF) received, parsed, and what was done. */
export const emailInbound = pgTable(
  'email_inbound',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    kind: text('kind').$type<'bounce' | 'soft_bounce' | 'complaint' | 'unknown'>().notNull(),
    recipient: text('recipient'),
    status: text('status'),
    diagnostic: text('diagnostic'),
    messageId: uuid('message_id'),
    raw: text('raw').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('email_inbound_received_idx').on(t.workspaceId, t.receivedAt)],
);

/** Health alerts raised: one per scope × metric × UTC day (so a crossing notifies once). */
export const emailAlerts = pgTable(
  'email_alerts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().default(1),
    scope: text('scope').$type<'campaign' | 'program'>().notNull(),
    scopeId: text('scope_id').notNull(),
    metric: text('metric').$type<'opt_outs' | 'bounces'>().notNull(),
    day: text('day').notNull(),
    ratePct: text('rate_pct').notNull(),
    thresholdPct: integer('threshold_pct').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('email_alerts_unique').on(t.workspaceId, t.scope, t.scopeId, t.metric, t.day)],
);

export type EmailMessageRow = typeof emailMessages.$inferSelect;
export type EmailTemplateRow = typeof emailTemplates.$inferSelect;
