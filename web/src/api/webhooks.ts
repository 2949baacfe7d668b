// Outgoing webhooks API (Settings → Webhooks).
import { del, get, patch, post, qs } from './client.ts';

export interface WebhookEndpoint {
  id: number;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  secretHint: string;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  stats: { pending: number; failed: number; succeeded: number };
}
export interface WebhookAttempt {
  id: number;
  attempt: number;
  at: string;
  requestBody: string;
  requestHeaders: Record<string, string>;
  responseCode: number | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
  nextRetryAt: string | null;
  manual: boolean;
}
export interface WebhookDelivery {
  id: number;
  msgId: string;
  eventType: string;
  eventId: number;
  contactId: number | null;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  payload: Record<string, unknown>;
  attemptLog: WebhookAttempt[];
}
export interface EndpointInput {
  url: string;
  description?: string | null;
  eventTypes: string[];
  enabled?: boolean;
}

export const webhookKeys = {
  list: ['webhooks'] as const,
  deliveries: (id: number, status: string | null) => ['webhooks', id, 'deliveries', status] as const,
};

export const listWebhooks = () => get<{ items: WebhookEndpoint[]; eventTypes: { type: string; label: string }[] }>('/webhooks');
export const createWebhook = (input: EndpointInput) => post<{ endpoint: WebhookEndpoint; secret: string }>('/webhooks', input);
export const updateWebhook = (id: number, input: Partial<EndpointInput>) => patch<WebhookEndpoint>(`/webhooks/${id}`, input);
export const deleteWebhook = (id: number) => del<null>(`/webhooks/${id}`);
export const rotateWebhookSecret = (id: number) => post<{ endpoint: WebhookEndpoint; secret: string }>(`/webhooks/${id}/rotate-secret`, {});
export const sendWebhookTest = (id: number) => post<WebhookDelivery>(`/webhooks/${id}/test`, {});
export const listWebhookDeliveries = (id: number, status: string | null) =>
  get<{ items: WebhookDelivery[]; nextBefore: number | null }>(`/webhooks/${id}/deliveries${qs({ status, limit: 25 })}`);
export const redeliverWebhook = (id: number, deliveryId: number) => post<WebhookDelivery>(`/webhooks/${id}/deliveries/${deliveryId}/redeliver`, {});
