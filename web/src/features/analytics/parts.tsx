// Shared pieces of the analytics pages: filters kept in the URL (so a view can be shared), the filter bar, and
// a chart card whose chart downloads as PNG and whose data downloads as CSV.
import { useMemo, useRef, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { get } from '../../api/client.ts';
import { CAMPAIGN_CHANNELS, CHANNEL_LABELS, listCampaigns } from '../../api/campaigns.ts';
import { Chart } from '../../components/Chart.tsx';
import { useOwners } from '../../components/useOwners.ts';
import { useCan } from '../identity/auth.tsx';
import type { Params } from '../../api/analytics.ts';

const iso = (d: Date) => d.toISOString().slice(0, 10);

export function defaultRange(now = new Date()): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  return { from: iso(from), to: iso(now) };
}

export const FILTER_KEYS = ['from', 'to', 'tz', 'segmentId', 'campaignId', 'channel', 'product', 'ownerId'] as const;

/** The page's parameters from the URL with defaults; `set` writes them back (replacing history). */
export function useUrlParams(extra: Record<string, string> = {}): { params: Params; set: (patch: Params) => void } {
  const [sp, setSp] = useSearchParams();
  const range = defaultRange();
  const params = useMemo(() => {
    const out: Params = { from: range.from, to: range.to, tz: 'UTC', ...extra };
    for (const [k, v] of sp.entries()) if (v !== '') out[k] = v;
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sp.toString()]);
  const set = (patch: Params) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    setSp(next, { replace: true });
  };
  return { params, set };
}

export function FilterBar({ params, set, children }: { params: Params; set: (p: Params) => void; children?: ReactNode }) {
  const campaigns = useQuery({ queryKey: ['campaigns', 'all-for-filter'], queryFn: () => listCampaigns({}), staleTime: 60_000 });
  const canMarket = useCan('market:read');
  const segments = useQuery({ queryKey: ['segments', 'all-for-filter'], queryFn: () => get<{ items: { id: number; name: string }[] }>('/segments'), staleTime: 60_000, enabled: canMarket, retry: false });
  const { owners } = useOwners();
  return (
    <div className="toolbar analytics-filters" role="search" aria-label="Filters">
      <label>From <input type="date" value={params.from ?? ''} onChange={(e) => set({ from: e.target.value })} /></label>
      <label>To <input type="date" value={params.to ?? ''} onChange={(e) => set({ to: e.target.value })} /></label>
      <label>
        Time zone
        <select value={params.tz ?? 'UTC'} onChange={(e) => set({ tz: e.target.value })}>
          {['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney'].map((z) => (
            <option key={z}>{z}</option>
          ))}
        </select>
      </label>
      <label>
        Campaign
        <select value={params.campaignId ?? ''} onChange={(e) => set({ campaignId: e.target.value })}>
          <option value="">All</option>
          {campaigns.data?.items.map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </select>
      </label>
      <label>
        Channel
        <select value={params.channel ?? ''} onChange={(e) => set({ channel: e.target.value })}>
          <option value="">All</option>
          {CAMPAIGN_CHANNELS.map((c) => (
            <option key={c} value={c}>{CHANNEL_LABELS[c]}</option>
          ))}
        </select>
      </label>
      {segments.data && (
        <label>
          Segment
          <select value={params.segmentId ?? ''} onChange={(e) => set({ segmentId: e.target.value })}>
            <option value="">All</option>
            {segments.data.items.map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
        </label>
      )}
      <label>
        Owner
        <select value={params.ownerId ?? ''} onChange={(e) => set({ ownerId: e.target.value })}>
          <option value="">All</option>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>{o.name}</option>
          ))}
        </select>
      </label>
      <label>Product <input type="text" placeholder="any" defaultValue={params.product ?? ''} onBlur={(e) => set({ product: e.target.value.trim() })} size={10} /></label>
      {children}
    </div>
  );
}

function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function csvEscape(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function downloadCsv(name: string, rows: unknown[][]) {
  download(name, new Blob([rows.map((r) => r.map(csvEscape).join(',')).join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' }));
}

/** The chart's SVG drawn on a white canvas at 2× → PNG. */
export async function downloadPng(name: string, container: HTMLElement | null) {
  const svg = container?.querySelector('svg');
  if (!svg) return;
  const { width, height } = svg.getBoundingClientRect();
  const xml = new XMLSerializer().serializeToString(svg);
  const url = URL.createObjectURL(new Blob([xml], { type: 'image/svg+xml;charset=utf-8' }));
  const img = new Image();
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('could not draw the chart'));
    img.src = url;
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * 2);
  canvas.height = Math.round(height * 2);
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(img, 0, 0, canvas.width, canvas.height);
  URL.revokeObjectURL(url);
  canvas.toBlob((b) => b && download(name, b), 'image/png');
}

/** A card with a chart, its PNG and CSV downloads. */
export function ChartCard({ title, option, csv, file, height = 300, testId }: { title: string; option: EChartsOption; csv: () => unknown[][]; file: string; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  return (
    <div className="card analytics-chart" data-testid={testId}>
      <div className="card-header">
        <h3>{title}</h3>
        <div className="actions">
          <button type="button" className="btn btn-sm" onClick={() => void downloadPng(`${file}.png`, ref.current)}>PNG</button>
          <button type="button" className="btn btn-sm" onClick={() => downloadCsv(`${file}.csv`, csv())}>CSV</button>
        </div>
      </div>
      <div className="card-body" ref={ref}>
        <Chart option={option} height={height} label={title} />
      </div>
    </div>
  );
}

export const money = (v: number, currency = 'USD') => v.toLocaleString('en-US', { style: 'currency', currency, maximumFractionDigits: 0 });
export const cents = (c: number) => money(c / 100);
export const pct = (r: number | null | undefined) => (r == null ? '—' : `${(r * 100).toFixed(1)} %`);
export const days = (d: number | null | undefined) => (d == null ? '—' : `${d.toFixed(1)} d`);
