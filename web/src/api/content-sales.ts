// Content engine, sales side: field intel, the sales library (search, tracked links, what a contact read),
// the topic backlog and the SME network.
import type { z } from 'zod';
import type { Backlog, CycleResult, ContactReading, IntelEntry, IntelPage, IntelTrend, LibraryItem, LibraryPage, Network, TrackedLink } from '../../../src/contracts/content-sales.ts';
import { del, get, post, qs } from './client.ts';

export type { Backlog, CycleResult, ContactReading, IntelEntry, IntelTrend, LibraryItem, Network, TrackedLink };
export type IntelPageT = z.infer<typeof IntelPage>;
export type LibraryPageT = z.infer<typeof LibraryPage>;
export type Params = Record<string, string | undefined>;
export interface IdeaResultT {
  item: { id: number; title: string; status: string };
  linkedIntel: number;
}

export const salesKeys = {
  intel: (p: Params) => ['intel', p] as const,
  trends: (p: Params) => ['intel-trends', p] as const,
  library: (p: Params) => ['library', p] as const,
  reading: (contactId: number) => ['library-reading', contactId] as const,
  backlog: (days: number) => ['content-backlog', days] as const,
  network: ['content-network'] as const,
};

export const listIntel = (p: Params) => get<IntelPageT>(`/intel${qs(p)}`);
export const intelTrends = (p: Params) => get<IntelTrend>(`/intel/trends${qs(p)}`);
export const postIntel = (input: { body: string; topics: string[]; competitors: string[]; accountId?: number | null; heardOn?: string }) => post<IntelEntry>('/intel', input);
export const deleteIntel = (id: number) => del<unknown>(`/intel/${id}`);
export const intelToIdea = (id: number) => post<IdeaResultT>(`/intel/${id}/idea`, {});
export const trendToIdea = (input: { by: 'topic' | 'competitor'; key: string; weeks?: number }) => post<IdeaResultT>('/intel/trends/idea', input);

export const searchLibrary = (p: Params) => get<LibraryPageT>(`/library${qs(p)}`);
export const createTrackedLink = (itemId: number, contactId: number) => post<TrackedLink>('/library/links', { itemId, contactId });
export const contactReading = (contactId: number) => get<ContactReading>(`/library/contacts/${contactId}`);

export const getBacklog = (days: number) => get<Backlog>(`/content/backlog${qs({ days })}`);
export const cycleTopInterests = (input: { top?: number; topics?: string[]; days?: number }) => post<CycleResult>('/content/backlog/cycle', input);
export const getNetwork = () => get<Network>('/content/network');

/** "a, b ,c" → ['a', 'b', 'c'] (empty parts dropped). */
export const splitTags = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The content item page in the web UI. */
export const itemPath = (id: number) => `/content/${id}`;
