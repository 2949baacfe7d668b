// Campaigns API: list, get, create, change, delete, the touch report and the UTM codes seen without a campaign.
import type { z } from 'zod';
import type { Campaign, CampaignInput, CampaignList, CampaignPatch, CampaignReport, UnmatchedUtmList } from '../../../src/contracts/plan.ts';
import { del, get, patch, post, qs } from './client.ts';

export type { Campaign, CampaignInput, CampaignPatch, CampaignReport };
export type CampaignChannel = Campaign['channel'];
export type CampaignStatus = Campaign['status'];
export { CAMPAIGN_CHANNELS, CAMPAIGN_STATUSES, CHANNEL_LABELS } from '../../../src/contracts/plan.ts';
export type UnmatchedUtms = z.infer<typeof UnmatchedUtmList>;
type Params = Record<string, string | undefined>;

export const campaignKeys = {
  list: (params: Params) => ['campaigns', params] as const,
  campaign: (id: number) => ['campaign', id] as const,
  report: (id: number, params: Params) => ['campaign', id, 'report', params] as const,
  unmatched: ['campaigns', 'unmatched-utms'] as const,
};

export const listCampaigns = (params: Params) => get<z.infer<typeof CampaignList>>(`/campaigns${qs(params)}`);
export const getCampaign = (id: number) => get<Campaign>(`/campaigns/${id}`);
export const getCampaignReport = (id: number, params: Params) => get<CampaignReport>(`/campaigns/${id}/report${qs(params)}`);
export const listUnmatchedUtms = () => get<UnmatchedUtms>('/campaigns/unmatched-utms');
export const createCampaign = (input: CampaignInput) => post<Campaign>('/campaigns', input);
export const updateCampaign = (id: number, input: CampaignPatch) => patch<Campaign>(`/campaigns/${id}`, input);
export const deleteCampaign = (id: number) => del<unknown>(`/campaigns/${id}`);

export const STATUS_LABELS: Record<CampaignStatus, string> = { planned: 'Planned', active: 'Active', paused: 'Paused', completed: 'Completed', cancelled: 'Cancelled' };
export const STATUS_TONES = { planned: 'blue', active: 'green', paused: 'amber', completed: 'gray', cancelled: 'red' } as const;

/** A landing-page URL tagged with the campaign's UTM parameters (existing query kept, utm_* replaced). */
export function taggedUrl(base: string, utmCampaign: string, source: string, medium: string): string | null {
  let url: URL;
  try {
    url = new URL(base.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.searchParams.set('utm_campaign', utmCampaign);
  if (source.trim()) url.searchParams.set('utm_source', source.trim());
  else url.searchParams.delete('utm_source');
  if (medium.trim()) url.searchParams.set('utm_medium', medium.trim());
  else url.searchParams.delete('utm_medium');
  return url.toString();
}
