// Content items API: list, item page, create/change/delete, workflow transition, reschedule, calendar, SMEs, CSV import.
import type { z } from 'zod';
import type {
  CalendarEntry,
  ContentImportResult,
  ContentItem,
  ContentItemDetail,
  ContentItemInput,
  ContentItemPage,
  ContentItemPatch,
  ContentStatus,
  Sme,
} from '../../../src/contracts/content.ts';
import { del, get, patch, post, qs, upload } from './client.ts';

export type { ContentImportResult, ContentItem, ContentItemDetail, ContentStatus, Sme };
export type ContentItemInputT = z.input<typeof ContentItemInput>;
export type ContentItemPatchT = z.input<typeof ContentItemPatch>;
export type ContentItemPageT = z.infer<typeof ContentItemPage>;
export type CalendarEntryT = z.infer<typeof CalendarEntry>;
export {
  CONTENT_FORMAT_LABELS,
  CONTENT_STAGE_LABELS,
  CONTENT_STATUS_LABELS,
  CONTENT_TYPE_LABELS,
  ContentFormat as ContentFormatSchema,
  ContentStage as ContentStageSchema,
  ContentStatus as ContentStatusSchema,
  ContentType as ContentTypeSchema,
  WORKFLOW_STEPS,
} from '../../../src/contracts/content.ts';
export type Params = Record<string, string | undefined>;

export const contentKeys = {
  list: (p: Params) => ['content-items', p] as const,
  item: (id: number) => ['content-item', id] as const,
  calendar: (from: string, to: string) => ['content-calendar', from, to] as const,
  smes: ['content-smes'] as const,
};

export const listContent = (p: Params) => get<ContentItemPageT>(`/content/items${qs(p)}`);
export const getContentItem = (id: number) => get<ContentItemDetail>(`/content/items/${id}`);
export const createContentItem = (input: ContentItemInputT) => post<ContentItem>('/content/items', input);
export const updateContentItem = (id: number, input: ContentItemPatchT) => patch<ContentItem>(`/content/items/${id}`, input);
export const deleteContentItem = (id: number) => del<unknown>(`/content/items/${id}`);
export const transitionContentItem = (id: number, to: ContentStatus, note?: string) => post<ContentItem>(`/content/items/${id}/transition`, { to, ...(note ? { note } : {}) });
export const rescheduleContentItem = (id: number, date: string, field: 'publish' | 'due' = 'publish') => patch<ContentItem>(`/content/items/${id}/schedule`, { date, field });
export const getCalendar = (from: string, to: string) => get<{ entries: CalendarEntryT[] }>(`/content/calendar${qs({ from, to })}`);
export const listSmes = () => get<{ items: Sme[] }>('/content/smes');
export const createSme = (input: { name: string; topics?: string[] }) => post<Sme>('/content/smes', input);
export function importContent(file: File) {
  const form = new FormData();
  form.append('file', file);
  return upload<ContentImportResult>('/content/import', form, () => undefined);
}

/** "a, b ,c" → ['a', 'b', 'c'] (empty parts dropped). */
export const splitTags = (s: string) => [...new Set(s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))];

export const STATUS_TONE: Record<ContentStatus, 'gray' | 'green' | 'red' | 'amber' | 'blue'> = {
  idea: 'gray',
  research: 'blue',
  sme_interview: 'blue',
  draft: 'amber',
  review: 'amber',
  scheduled: 'blue',
  published: 'green',
  audited: 'green',
  retired: 'red',
};

export type { ContactContent } from '../../../src/contracts/content.ts';
export const getContactContent = (contactId: number) => get<import('../../../src/contracts/content.ts').ContactContent>(`/content/contacts/${contactId}`);
