// Email: templates, topics and consent, suppressions, the outbox, sending domains, settings and health —
// shapes shared by the server, the web UI and the CLI.
import { z } from 'zod';
import { Email, Timestamp } from './common.ts';

const Name = z.string().trim().min(1, 'is required').max(200);
export const TopicKey = z.string().trim().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be snake_case (a-z, 0-9, _), starting with a letter');

export const TemplateInput = z.strictObject({
  name: Name,
  subject: z.string().trim().min(1, 'is required').max(500),
  mjml: z.string().min(1, 'is required').max(500_000),
  topicId: z.number().int().positive().nullish(),
  contentItemId: z.number().int().positive().nullish(),
});
export type TemplateInput = z.infer<typeof TemplateInput>;
export const TemplatePatch = TemplateInput.partial();

export const EmailTemplate = z.object({
  id: z.number(),
  name: z.string(),
  subject: z.string(),
  mjml: z.string(),
  topicId: z.number().nullable(),
  contentItemId: z.number().nullable(),
  version: z.number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type EmailTemplate = z.infer<typeof EmailTemplate>;
export const EmailTemplateList = z.object({ items: z.array(EmailTemplate) });

export const PreviewInput = z.strictObject({
  /** Unsaved editor content; the saved template when omitted. */
  subject: z.string().max(500).optional(),
  mjml: z.string().max(500_000).optional(),
  contactId: z.number().int().positive().nullish(),
  contentItemId: z.number().int().positive().nullish(),
});
export const Preview = z.object({ subject: z.string(), html: z.string(), text: z.string(), contact: z.object({ id: z.number(), email: z.string() }).nullable() });

export const TestSendInput = z.strictObject({ contactId: z.number().int().positive(), to: Email.optional() });

export const TopicInput = z.strictObject({ key: TopicKey, name: Name, description: z.string().trim().max(1000).nullish() });
export const EmailTopic = z.object({ id: z.number(), key: z.string(), name: z.string(), description: z.string().nullable(), granted: z.number(), revoked: z.number(), createdAt: Timestamp });
export const EmailTopicList = z.object({ items: z.array(EmailTopic) });

export const ConsentInput = z.strictObject({
  contactId: z.number().int().positive(),
  topicKey: TopicKey,
  status: z.enum(['granted', 'revoked']),
  source: z.string().trim().min(1, 'is required').max(200),
  text: z.string().trim().max(5000).nullish(),
  at: z.iso.datetime({ offset: true }).optional(),
});
export const ConsentRecord = z.object({
  id: z.number(),
  contactId: z.number(),
  contactEmail: z.string().nullable(),
  topicKey: z.string(),
  topicName: z.string(),
  status: z.enum(['granted', 'revoked']),
  source: z.string(),
  text: z.string().nullable(),
  at: Timestamp,
  recordedBy: z.string(),
});
export const ConsentQuery = z.object({ contactId: z.coerce.number().int().positive().optional(), topicKey: TopicKey.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const ConsentList = z.object({ items: z.array(ConsentRecord), current: z.array(z.object({ topicKey: z.string(), topicName: z.string(), status: z.enum(['granted', 'revoked', 'none']), at: Timestamp.nullable() })).optional() });

export const SUPPRESSION_REASONS = ['bounce', 'complaint', 'manual', 'unsubscribe_all'] as const;
export const SuppressionInput = z.strictObject({ email: Email, reason: z.enum(SUPPRESSION_REASONS).default('manual'), detail: z.string().trim().max(1000).nullish() });
export const Suppression = z.object({ id: z.number(), email: z.string(), reason: z.enum(SUPPRESSION_REASONS), detail: z.string().nullable(), createdBy: z.string(), createdAt: Timestamp });
export const SuppressionQuery = z.object({ q: z.string().trim().max(254).optional(), reason: z.enum(SUPPRESSION_REASONS).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const SuppressionList = z.object({ items: z.array(Suppression), total: z.number() });
export const EmailParam = z.object({ email: Email });

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'failed', 'blocked', 'cancelled'] as const;
export const OutboxQuery = z.object({
  status: z.enum(MESSAGE_STATUSES).optional(),
  contactId: z.coerce.number().int().positive().optional(),
  campaignId: z.string().max(100).optional(),
  programId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(100).optional(),
});
export const OutboxMessage = z.object({
  id: z.string(),
  contactId: z.number().nullable(),
  toEmail: z.string(),
  subject: z.string().nullable(),
  templateId: z.number().nullable(),
  templateName: z.string().nullable(),
  topicKey: z.string().nullable(),
  programId: z.string().nullable(),
  stepId: z.string().nullable(),
  campaignId: z.string().nullable(),
  isTest: z.boolean(),
  status: z.enum(MESSAGE_STATUSES),
  transport: z.string().nullable(),
  attempts: z.number(),
  error: z.string().nullable(),
  queuedAt: Timestamp,
  sentAt: Timestamp.nullable(),
  firstOpenedAt: Timestamp.nullable(),
  firstClickedAt: Timestamp.nullable(),
  bouncedAt: Timestamp.nullable(),
  complainedAt: Timestamp.nullable(),
  unsubscribedAt: Timestamp.nullable(),
});
export const OutboxPage = z.object({ items: z.array(OutboxMessage), nextCursor: z.string().nullable(), counts: z.record(z.string(), z.number()), smtpConfigured: z.boolean() });
export const OutboxDetail = OutboxMessage.extend({ html: z.string().nullable(), text: z.string().nullable(), headers: z.record(z.string(), z.string()).nullable(), links: z.array(z.object({ idx: z.number(), url: z.string() })) });
export const MessageParam = z.object({ id: z.uuid() });

export const DomainInput = z.strictObject({
  domain: z.string().trim().toLowerCase().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as mail.example.com'),
  dkimSelector: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'must be letters, digits and dashes').default('revloop'),
  spfInclude: z.string().trim().regex(/^(include:|ip4:|ip6:|a|mx)[^\s]*$/, 'must be an SPF mechanism such as include:_spf.example.net').nullish(),
  throttlePerMinute: z.number().int().min(1).max(100_000).default(600),
});
export const DomainPatch = z.strictObject({ spfInclude: DomainInput.shape.spfInclude, throttlePerMinute: z.number().int().min(1).max(100_000).optional() });
const RecordCheck = z.object({ name: z.string(), type: z.literal('TXT'), expected: z.string(), found: z.array(z.string()), ok: z.boolean(), problem: z.string().nullable() });
export const SendingDomain = z.object({
  id: z.number(),
  domain: z.string(),
  dkimSelector: z.string(),
  spfInclude: z.string().nullable(),
  throttlePerMinute: z.number(),
  records: z.object({ spf: RecordCheck, dkim: RecordCheck, dmarc: RecordCheck }),
  verified: z.boolean(),
  checkedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export const SendingDomainList = z.object({ items: z.array(SendingDomain) });

export const SettingsInput = z.strictObject({
  fromName: z.string().trim().min(1).max(200).optional(),
  fromEmail: Email.optional(),
  replyTo: Email.nullish(),
  smtpHost: z.string().trim().max(253).nullish(),
  smtpPort: z.number().int().min(1).max(65535).optional(),
  smtpSecure: z.boolean().optional(),
  smtpUser: z.string().max(500).nullish(),
  /** Write-only: never returned. An empty string clears it. */
  smtpPassword: z.string().max(500).optional(),
  trackingBaseUrl: z.url({ protocol: /^https?$/ }).nullish(),
  /** Return-Path domain (its MX points at revloop's bounce receiver); null or '' turns VERP bounces off. */
  bounceDomain: z.union([z.literal(''), DomainInput.shape.domain]).nullish(),
  optOutAlertPct: z.number().int().min(1).max(100).optional(),
  bounceAlertPct: z.number().int().min(1).max(100).optional(),
});
export const EmailSettings = z.object({
  fromName: z.string(),
  fromEmail: z.string(),
  replyTo: z.string().nullable(),
  smtpHost: z.string().nullable(),
  smtpPort: z.number(),
  smtpSecure: z.boolean(),
  smtpUser: z.string().nullable(),
  smtpPasswordSet: z.boolean(),
  trackingBaseUrl: z.string().nullable(),
  bounceDomain: z.string().nullable(),
  /** Where this server's bounce receiver listens (host:port), null when BOUNCE_SMTP_PORT is not set. */
  bounceReceiver: z.string().nullable(),
  optOutAlertPct: z.number(),
  bounceAlertPct: z.number(),
});

export const HealthQuery = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  campaignId: z.string().max(100).optional(),
  programId: z.string().max(100).optional(),
});
const HealthCounts = z.object({ sent: z.number(), delivered: z.number(), opens: z.number(), clicks: z.number(), optOuts: z.number(), bounces: z.number(), complaints: z.number() });
export const EmailHealth = z.object({
  from: z.string(),
  to: z.string(),
  totals: HealthCounts.extend({ openRate: z.number().nullable(), clickRate: z.number().nullable(), optOutRate: z.number().nullable(), bounceRate: z.number().nullable() }),
  days: z.array(HealthCounts.extend({ day: z.string() })),
  scopes: z.array(HealthCounts.extend({ scope: z.enum(['campaign', 'program']), id: z.string(), name: z.string().nullable(), optOutRate: z.number().nullable(), bounceRate: z.number().nullable(), alert: z.boolean() })),
  thresholds: z.object({ optOutPct: z.number(), bounceAlertPct: z.number() }),
});
