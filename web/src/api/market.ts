// Market API: markets, segments (builder fields, preview, members, history, rebuild), static lists, ICPs.
import type { z } from 'zod';
import type {
  ContactList,
  Icp,
  ListMembersResult,
  Market,
  RebuildResult,
  RuleFieldList,
  RuleGroup,
  Segment,
  SegmentHistory,
  SegmentMemberPage,
  SegmentPreview,
} from '../../../src/contracts/market.ts';
import { del, get, patch, post, qs } from './client.ts';

export type { ContactList, Icp, Market, RuleGroup, Segment };
export type Condition = RuleGroup['conditions'][number];
export type RuleFields = z.infer<typeof RuleFieldList>;
export type RuleField = RuleFields['items'][number];
export type Preview = z.infer<typeof SegmentPreview>;
export type MemberPage = z.infer<typeof SegmentMemberPage>;
export type History = z.infer<typeof SegmentHistory>;
export type ListChange = z.infer<typeof ListMembersResult>;
export { SEGMENT_OP_LABELS } from '../../../src/contracts/market.ts';

export const marketKeys = {
  markets: ['markets'] as const,
  segments: (params: Record<string, string | undefined>) => ['segments', params] as const,
  segment: (id: number) => ['segment', id] as const,
  members: (id: number, after: number) => ['segment', id, 'members', after] as const,
  history: (id: number) => ['segment', id, 'history'] as const,
  fields: ['segments', 'fields'] as const,
  lists: ['lists'] as const,
  list: (id: number) => ['list', id] as const,
  listMembers: (id: number, after: number) => ['list', id, 'members', after] as const,
  icps: ['icps'] as const,
};

export const listMarkets = () => get<{ items: Market[] }>('/markets');
export const createMarket = (body: { name: string; jobStatement: string; description?: string | null }) => post<Market>('/markets', body);
export const updateMarket = (id: number, body: { name?: string; jobStatement?: string; description?: string | null }) => patch<Market>(`/markets/${id}`, body);
export const deleteMarket = (id: number) => del<unknown>(`/markets/${id}`);

export const listSegments = (params: Record<string, string | undefined>) => get<{ items: Segment[] }>(`/segments${qs(params)}`);
export const getSegment = (id: number) => get<Segment>(`/segments/${id}`);
export const createSegment = (body: { name: string; marketId: number | null; need: string | null; rule: RuleGroup }) => post<Segment>('/segments', body);
export const updateSegment = (id: number, body: Partial<{ name: string; marketId: number | null; need: string | null; rule: RuleGroup; status: 'active' | 'archived' }>) => patch<Segment>(`/segments/${id}`, body);
export const deleteSegment = (id: number) => del<unknown>(`/segments/${id}`);
export const rebuildSegment = (id: number) => post<z.infer<typeof RebuildResult>>(`/segments/${id}/rebuild`);
export const previewSegment = (rule: RuleGroup, signal?: AbortSignal) => post<Preview>('/segments/preview', { rule, sample: 8 }, { signal });
export const segmentMembers = (id: number, after: number) => get<MemberPage>(`/segments/${id}/members${qs({ after: after || undefined, limit: 25 })}`);
export const segmentHistory = (id: number) => get<History>(`/segments/${id}/history?days=60`);
export const ruleFields = () => get<RuleFields>('/segments/fields');

export const listLists = () => get<{ items: ContactList[] }>('/lists');
export const getList = (id: number) => get<ContactList>(`/lists/${id}`);
export const createList = (body: { name: string; description?: string | null }) => post<ContactList>('/lists', body);
export const deleteList = (id: number) => del<unknown>(`/lists/${id}`);
export const listMembers = (id: number, after: number) => get<MemberPage>(`/lists/${id}/members${qs({ after: after || undefined, limit: 25 })}`);
export const addListMembers = (id: number, body: { emails?: string[]; contactIds?: number[] }) => post<ListChange>(`/lists/${id}/members`, body);
export const removeListMembers = (id: number, body: { emails?: string[]; contactIds?: number[] }) => post<ListChange>(`/lists/${id}/members/remove`, body);
export async function importListCsv(id: number, file: File): Promise<ListChange> {
  const form = new FormData();
  form.append('file', file);
  const res = await fetch(`/api/v1/lists/${id}/import`, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `Import failed (${res.status})`);
  return body as ListChange;
}

export const listIcps = () => get<{ items: Icp[] }>('/icps');
export const createIcp = (body: { name: string; marketId: number | null; description: string | null; rules: unknown[] }) => post<Icp>('/icps', body);
export const deleteIcp = (id: number) => del<unknown>(`/icps/${id}`);
