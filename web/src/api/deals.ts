// Deals API: list, get, create, change, delete, CSV import and export.
import type { z } from 'zod';
import type { Deal, DealImportResult, DealInput, DealPage, DealPatch, DealStage } from '../../../src/contracts/lifecycle.ts';
import { del, get, patch, post, qs, upload } from './client.ts';

export type { Deal, DealImportResult, DealInput, DealPatch, DealStage };
export { DEAL_STAGE_LABELS, DealStage as DealStageSchema } from '../../../src/contracts/lifecycle.ts';
export type DealPageT = z.infer<typeof DealPage>;
export type DealParams = Record<string, string | undefined>;

export const dealKeys = {
  list: (params: DealParams) => ['deals', params] as const,
  deal: (id: number) => ['deal', id] as const,
};

export const listDeals = (params: DealParams) => get<DealPageT>(`/deals${qs(params)}`);
export const getDeal = (id: number) => get<Deal>(`/deals/${id}`);
export const createDeal = (input: DealInput) => post<Deal>('/deals', input);
export const updateDeal = (id: number, input: DealPatch) => patch<Deal>(`/deals/${id}`, input);
export const deleteDeal = (id: number) => del<unknown>(`/deals/${id}`);
export const dealsExportUrl = (params: DealParams) => `/api/v1/deals/export${qs(params)}`;
export function importDeals(file: File, onProgress: (f: number) => void = () => undefined) {
  const form = new FormData();
  form.append('file', file);
  return upload<DealImportResult>('/deals/import', form, onProgress);
}

export const formatMoney = (amount: number, currency: string) => {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
};
