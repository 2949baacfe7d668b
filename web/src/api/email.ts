// Email API: templates, outbox, topics and consent, suppressions, sending domains and settings, health.
import type { z } from 'zod';
import type { EmailSettings as EmailSettingsSchema } from '../../../src/contracts/email.ts';
import { del, get, patch, post, qs } from './client.ts';

export interface EmailTemplate { id: number; name: string; subject: string; mjml: string; topicId: number | null; contentItemId: number | null; version: number; createdAt: string; updatedAt: string }
export interface Preview { subject: string; html: string; text: string; contact: { id: number; email: string } | null }
export interface EmailTopic { id: number; key: string; name: string; description: string | null; granted: number; revoked: number; createdAt: string }
export interface ConsentRecord { id: number; contactId: number; contactEmail: string | null; topicKey: string; topicName: string; status: 'granted' | 'revoked'; source: string; text: string | null; at: string; recordedBy: string }
export type SuppressionReason = 'bounce' | 'complaint' | 'manual' | 'unsubscribe_all';
export interface Suppression { id: number; email: string; reason: SuppressionReason; detail: string | null; createdBy: string; createdAt: string }
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'blocked' | 'cancelled';
export interface OutboxMessage {
  id: string; contactId: number | null; toEmail: string; subject: string | null; templateId: number | null; templateName: string | null; topicKey: string | null;
  programId: string | null; stepId: string | null; campaignId: string | null; isTest: boolean; status: MessageStatus; transport: string | null; attempts: number; error: string | null;
  queuedAt: string; sentAt: string | null; firstOpenedAt: string | null; firstClickedAt: string | null; bouncedAt: string | null; complainedAt: string | null; unsubscribedAt: string | null;
}
export interface OutboxDetail extends OutboxMessage { html: string | null; text: string | null; headers: Record<string, string> | null; links: { idx: number; url: string }[] }
export interface OutboxPage { items: OutboxMessage[]; nextCursor: string | null; counts: Record<string, number>; smtpConfigured: boolean }
export interface RecordCheck { name: string; type: 'TXT'; expected: string; found: string[]; ok: boolean; problem: string | null }
export interface SendingDomain { id: number; domain: string; dkimSelector: string; spfInclude: string | null; throttlePerMinute: number; records: { spf: RecordCheck; dkim: RecordCheck; dmarc: RecordCheck }; verified: boolean; checkedAt: string | null; createdAt: string }
export type EmailSettings = z.infer<typeof EmailSettingsSchema>;
export interface HealthCounts { sent: number; delivered: number; opens: number; clicks: number; optOuts: number; bounces: number; complaints: number }
export interface EmailHealth {
  from: string; to: string;
  totals: HealthCounts & { openRate: number | null; clickRate: number | null; optOutRate: number | null; bounceRate: number | null };
  days: (HealthCounts & { day: string })[];
  scopes: (HealthCounts & { scope: 'campaign' | 'program'; id: string; name: string | null; optOutRate: number | null; bounceRate: number | null; alert: boolean })[];
  thresholds: { optOutPct: number; bounceAlertPct: number };
}

export const emailKeys = {
  templates: ['email', 'templates'] as const,
  template: (id: number) => ['email', 'templates', id] as const,
  topics: ['email', 'topics'] as const,
  consents: (p: object) => ['email', 'consents', p] as const,
  suppressions: (p: object) => ['email', 'suppressions', p] as const,
  outbox: (p: object) => ['email', 'outbox', p] as const,
  message: (id: string) => ['email', 'message', id] as const,
  domains: ['email', 'domains'] as const,
  settings: ['email', 'settings'] as const,
  health: (p: object) => ['email', 'health', p] as const,
};

export const listTemplates = () => get<{ items: EmailTemplate[] }>('/email/templates');
export const getTemplate = (id: number) => get<EmailTemplate>(`/email/templates/${id}`);
export const createTemplate = (input: Partial<EmailTemplate>) => post<EmailTemplate>('/email/templates', input);
export const updateTemplate = (id: number, input: Partial<EmailTemplate>) => patch<EmailTemplate>(`/email/templates/${id}`, input);
export const deleteTemplate = (id: number) => del<null>(`/email/templates/${id}`);
export const previewTemplate = (id: number | null, input: { subject?: string; mjml?: string; contactId?: number | null }) =>
  post<Preview>(id ? `/email/templates/${id}/preview` : '/email/templates/preview', input);
export const testSend = (id: number, input: { contactId: number; to?: string }) => post<{ messageId: string; to: string }>(`/email/templates/${id}/test`, input);

export const listTopics = () => get<{ items: EmailTopic[] }>('/email/topics');
export const createTopic = (input: { key: string; name: string; description?: string | null }) => post<EmailTopic>('/email/topics', input);
export const listConsents = (p: { contactId?: number; topicKey?: string }) =>
  get<{ items: ConsentRecord[]; current?: { topicKey: string; topicName: string; status: 'granted' | 'revoked' | 'none'; at: string | null }[] }>(`/email/consents${qs(p)}`);
export const addConsent = (input: { contactId: number; topicKey: string; status: 'granted' | 'revoked'; source: string; text?: string | null }) => post<ConsentRecord>('/email/consents', input);

export const listSuppressions = (p: { q?: string; reason?: string }) => get<{ items: Suppression[]; total: number }>(`/email/suppressions${qs(p)}`);
export const addSuppression = (input: { email: string; reason: SuppressionReason; detail?: string | null }) => post<Suppression>('/email/suppressions', input);
export const removeSuppression = (email: string) => del<null>(`/email/suppressions/${encodeURIComponent(email)}`);

export const listOutbox = (p: { status?: string; before?: string }) => get<OutboxPage>(`/email/outbox${qs(p)}`);
export const getMessage = (id: string) => get<OutboxDetail>(`/email/outbox/${id}`);
export const retryMessage = (id: string) => post<OutboxDetail>(`/email/outbox/${id}/retry`);
export const cancelMessage = (id: string) => post<OutboxDetail>(`/email/outbox/${id}/cancel`);

export const listDomains = () => get<{ items: SendingDomain[] }>('/email/domains');
export const createDomain = (input: { domain: string; dkimSelector?: string; spfInclude?: string | null; throttlePerMinute?: number }) => post<SendingDomain>('/email/domains', input);
export const checkDomain = (id: number) => post<SendingDomain>(`/email/domains/${id}/check`);
export const updateDomain = (id: number, input: { throttlePerMinute?: number; spfInclude?: string | null }) => patch<SendingDomain>(`/email/domains/${id}`, input);
export const deleteDomain = (id: number) => del<null>(`/email/domains/${id}`);
export const getSettings = () => get<EmailSettings>('/email/settings');
export const updateSettings = (input: Partial<EmailSettings> & { smtpPassword?: string }) => patch<EmailSettings>('/email/settings', input);

export const getHealth = (p: { from?: string; to?: string; campaignId?: string; programId?: string }) => get<EmailHealth>(`/email/health${qs(p)}`);

export const STATUS_TONES: Record<MessageStatus, 'gray' | 'green' | 'red' | 'amber' | 'blue'> = { queued: 'blue', sending: 'blue', sent: 'green', failed: 'red', blocked: 'amber', cancelled: 'gray' };
export const REASON_LABELS: Record<SuppressionReason, string> = { bounce: 'Hard bounce', complaint: 'Complaint', manual: 'Added by hand', unsubscribe_all: 'Unsubscribed from all' };

export const STARTER_MJML = `<mjml>
  <mj-body background-color="#f4f5f7">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="20px" font-weight="bold">Hi {{ contact.first_name | default: "there" }},</mj-text>
        <mj-text>We wrote something for teams like {{ account.name | default: "yours" }}.</mj-text>
        <mj-text>{% if content %}<a href="{{ content.url }}">Read: {{ content.title }}</a>{% endif %}</mj-text>
        <mj-text font-size="12px" color="#6b7280">You get this because you subscribed. <a href="{{ unsubscribe_url }}">Unsubscribe or change preferences</a>.</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
