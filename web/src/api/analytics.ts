// Analytics API: funnel, attribution, content influence, CPOD / ROI, the board report (JSON, CSV, PDF links), offline touches, settings.
import type { AnalyticsSettings, AttributionReport, BoardReport, ContentInfluenceReport, CpodReport, FunnelReport, OfflineImportResult, OfflineTouch } from '../../../src/contracts/analytics.ts';
import { API, get, patch, qs } from './client.ts';

export type { AnalyticsSettings, AttributionReport, BoardReport, ContentInfluenceReport, CpodReport, FunnelReport, OfflineImportResult, OfflineTouch };
export { ATTRIBUTION_MODELS, MODEL_LABELS, type AttributionModel } from '../../../src/contracts/analytics.ts';
export type Params = Record<string, string | undefined>;

export const analyticsKeys = {
  funnel: (p: Params) => ['analytics', 'funnel', p] as const,
  attribution: (p: Params) => ['analytics', 'attribution', p] as const,
  influence: (p: Params) => ['analytics', 'influence', p] as const,
  cpod: (p: Params) => ['analytics', 'cpod', p] as const,
  board: (p: Params) => ['analytics', 'board', p] as const,
  settings: ['analytics', 'settings'] as const,
};

export const getFunnel = (p: Params) => get<FunnelReport>(`/analytics/funnel${qs(p)}`);
export const getAttribution = (p: Params) => get<AttributionReport>(`/analytics/attribution${qs(p)}`);
export const getContentInfluence = (p: Params) => get<ContentInfluenceReport>(`/analytics/content-influence${qs(p)}`);
export const getCpod = (p: Params) => get<CpodReport>(`/analytics/cpod${qs(p)}`);
export const getBoard = (p: Params) => get<BoardReport>(`/analytics/board${qs(p)}`);
export const boardPdfUrl = (p: Params) => `${API}/analytics/board.pdf${qs(p)}`;
export const boardCsvUrl = (p: Params) => `${API}/analytics/board.csv${qs(p)}`;
export const getAnalyticsSettings = () => get<AnalyticsSettings>('/analytics/settings');
export const updateAnalyticsSettings = (input: Partial<AnalyticsSettings>) => patch<AnalyticsSettings>('/analytics/settings', input);
