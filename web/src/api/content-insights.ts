// Content insights API: coverage map, audit report (+ CSV, thresholds), influence, ratings, refresh.
import type { z } from 'zod';
import type { AuditReport, AuditSettings, Coverage, CoverageCell, Influence, RatingsPage } from '../../../src/contracts/content-insights.ts';
import { get, patch, post, qs } from './client.ts';

export type { AuditReport, AuditSettings, Coverage, CoverageCell, Influence };
export type AuditRowT = AuditReport['rows'][number];
export type RatingsPageT = z.infer<typeof RatingsPage>;
export type Params = Record<string, string | undefined>;

export const insightKeys = {
  coverage: (p: Params) => ['content-coverage', p] as const,
  audit: (p: Params) => ['content-audit', p] as const,
  auditSettings: ['content-audit-settings'] as const,
  influence: (id: number) => ['content-influence', id] as const,
  ratings: (id: number) => ['content-ratings', id] as const,
};

export const getCoverage = (p: Params) => get<Coverage>(`/content/coverage${qs(p)}`);
export const getAudit = (p: Params) => get<AuditReport>(`/content/audit${qs(p)}`);
export const auditExportUrl = (p: Params) => `/api/v1/content/audit/export${qs(p)}`;
export const updateAuditSettings = (input: Partial<AuditSettings>) => patch<AuditSettings>('/content/audit/settings', input);
export const refreshInsights = () => post<{ items: number; influenced: number; ms: number }>('/content/insights/refresh', {});
export const getInfluence = (id: number) => get<Influence>(`/content/items/${id}/influence`);
export const getRatings = (id: number) => get<RatingsPageT>(`/content/items/${id}/ratings`);
