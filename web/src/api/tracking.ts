// Tracking API: sources (write keys), source stats, events, recent rejections.
import type { z } from 'zod';
import type { CreatedSource, EventsPage, EventType, Rejection, RejectionsPage, Source, SourceStats, TrackedEvent } from '../../../src/contracts/tracking.ts';
import { del, get, post, qs } from './client.ts';

export type { CreatedSource, EventsPage, EventType, Rejection, Source, SourceStats, TrackedEvent };
export { EVENT_TYPES } from '../../../src/contracts/tracking.ts';
type RejectionsPageT = z.infer<typeof RejectionsPage>;

export const keys = {
  sources: ['sources'] as const,
  stats: (id: number) => ['sources', id, 'stats'] as const,
  events: (params: EventsParams) => ['events', params] as const,
  contactEvents: (contactId: number) => ['events', 'contact', contactId] as const,
  rejections: (sourceId?: number) => ['rejections', sourceId ?? null] as const,
};

export interface EventsParams {
  contactId?: number;
  sourceId?: number;
  type?: EventType;
  includeBots?: boolean;
  limit?: number;
  cursor?: string | null;
}

export const listSources = () => get<{ items: Source[] }>('/sources');
export const createSource = (name: string) => post<CreatedSource>('/sources', { name });
export const revokeSource = (id: number) => del<Source>(`/sources/${id}`);
export const getSourceStats = (id: number) => get<SourceStats>(`/sources/${id}/stats`);
export const listEvents = (params: EventsParams) => get<EventsPage>(`/events${qs({ ...params })}`);
export const listRejections = (sourceId?: number, limit = 100) => get<RejectionsPageT>(`/tracking/rejections${qs({ sourceId, limit })}`);
