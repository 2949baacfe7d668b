// Chart options of the analytics views, shared by the web UI (Chart.tsx) and the server-side board report PDF
// (ECharts SSR), so the PDF shows the same charts as the screen. Pure functions of the report data.
import type { EChartsOption } from 'echarts';
import type { AttributionReport, BoardQuarter, FunnelReport } from './analytics.ts';
import { MODEL_LABELS, type AttributionModel } from './analytics.ts';

export const STAGE_LABELS: Record<string, string> = {
  '': 'New',
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketing_qualified: 'MQL',
  sales_ready: 'Sales-ready',
  sales_accepted: 'Sales-accepted',
  opportunity: 'Opportunity',
  customer: 'Customer',
  recycled: 'Recycled',
  disqualified: 'Disqualified',
};
const label = (s: string) => STAGE_LABELS[s] ?? s;
const money = (v: number) => (Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : Math.abs(v) >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0));

const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

/** Entries per funnel stage (bars, top to bottom) with the conversion to the next stage in the label. */
export function funnelOption(stages: FunnelReport['stages'] | BoardQuarter['funnel'], title = 'Funnel'): EChartsOption {
  const rows = stages.filter((s) => s.stage !== 'recycled' && s.stage !== 'disqualified');
  return {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    grid,
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: rows.map((s) => label(s.stage)) },
    series: [
      {
        type: 'bar',
        name: 'Entered',
        data: rows.map((s) => s.entered),
        label: { show: true, position: 'right', formatter: (p: unknown) => {
          const i = (p as { dataIndex: number }).dataIndex;
          const r = rows[i]!.conversionRate;
          return `${rows[i]!.entered}${r === null ? '' : ` · ${(r * 100).toFixed(0)}% on`}`;
        } },
      },
    ],
  };
}

/** Stage flows as a Sankey (recycle and disqualify included). Cycles are drawn by suffixing a re-entered stage. */
export function sankeyOption(flows: FunnelReport['flows']): EChartsOption {
  // ECharts' Sankey needs a DAG: a flow back to an earlier stage goes to "<stage> (again)".
  const order = ['', 'subscriber', 'lead', 'marketing_qualified', 'sales_ready', 'sales_accepted', 'opportunity', 'customer', 'recycled', 'disqualified'];
  const links: { source: string; target: string; value: number }[] = [];
  const nodes = new Set<string>();
  for (const f of flows) {
    if (f.n <= 0 || f.from === f.to) continue;
    const back = order.indexOf(f.to) <= order.indexOf(f.from);
    const source = label(f.from);
    const target = back ? `${label(f.to)} (again)` : label(f.to);
    nodes.add(source);
    nodes.add(target);
    links.push({ source, target, value: f.n });
  }
  return {
    title: { text: 'Stage flows', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'item' },
    series: [{ type: 'sankey', nodeAlign: 'left', top: 36, bottom: 8, left: 8, right: 120, data: [...nodes].map((name) => ({ name })), links, emphasis: { focus: 'adjacency' }, label: { fontSize: 11 } }],
  };
}

/** Entries per stage per period (lines). */
export function trendOption(trend: FunnelReport['trend']): EChartsOption {
  const periods = [...new Set(trend.map((t) => t.period))].sort();
  const stages = ['lead', 'marketing_qualified', 'sales_ready', 'opportunity', 'customer'];
  return {
    title: { text: 'Entries per period', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: { top: 24, right: 0 },
    grid: { ...grid, top: 64 },
    xAxis: { type: 'category', data: periods },
    yAxis: { type: 'value' },
    series: stages.map((s) => ({ type: 'line', name: label(s), data: periods.map((p) => trend.find((t) => t.period === p && t.stage === s)?.entered ?? 0) })),
  };
}

const TREND_STAGES = ['lead', 'marketing_qualified', 'sales_ready', 'opportunity', 'customer'];
export type PeriodMetric = 'conversionRate' | 'yieldRate' | 'medianDays' | 'p90Days';

/** One stage figure per period (a line per funnel stage): conversion / yield as %, velocity in days. */
export function periodMetricOption(periods: FunnelReport['periods'], metric: PeriodMetric, title: string): EChartsOption {
  const names = [...new Set(periods.map((p) => p.period))].sort();
  const isRate = metric === 'conversionRate' || metric === 'yieldRate';
  // Customers move on nowhere (no conversion), are their own yield and rarely leave (no time in stage).
  const stages = TREND_STAGES.filter((s) => s !== 'customer');
  const value = (period: string, stage: string) => {
    const v = periods.find((p) => p.period === period && p.stage === stage)?.[metric];
    return v == null ? null : isRate ? Number((v * 100).toFixed(1)) : Number(v.toFixed(1));
  };
  return {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v == null ? '—' : isRate ? `${v as number} %` : `${v as number} d`) },
    legend: { top: 24, right: 0 },
    grid: { ...grid, top: 64 },
    xAxis: { type: 'category', data: names },
    // By activity date a period's moves on can outnumber its entries (entered earlier): rates above 100 % are shown.
    yAxis: { type: 'value', min: 0, axisLabel: { formatter: isRate ? '{value} %' : '{value} d' } },
    series: stages.map((s) => ({ type: 'line', name: label(s), connectNulls: false, data: names.map((p) => value(p, s)) })),
  };
}

/** A funnel breakdown as grouped bars: entries per funnel stage for each value of the dimension. */
export function breakdownOption(breakdown: NonNullable<FunnelReport['breakdown']>, title = 'Entries per stage'): EChartsOption {
  const rows = breakdown.rows;
  return {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: { top: 24, left: 0, type: 'scroll' },
    grid: { ...grid, top: 64 },
    xAxis: { type: 'category', data: rows.map((r) => (r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label)), axisLabel: { interval: 0, rotate: rows.length > 4 ? 20 : 0 } },
    yAxis: { type: 'value' },
    series: TREND_STAGES.map((s) => ({ type: 'bar', name: label(s), data: rows.map((r) => r.stages.find((x) => x.stage === s)?.entered ?? 0) })),
  };
}

/** Credits per row (campaign / content / channel) for each model side by side (grouped bars, in currency units). */
export function attributionOption(report: Pick<AttributionReport, 'rows'>, models: AttributionModel[], top = 8): EChartsOption {
  // Deals without a touch are in the table, not the chart (they would dwarf what marketing can compare).
  const rows = report.rows.filter((r) => r.key !== '(none)').slice(0, top);
  return {
    title: { text: 'Credit by model', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: { top: 24, left: 0, type: 'scroll' },
    grid: { ...grid, top: 64 },
    xAxis: { type: 'category', data: rows.map((r) => (r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label)), axisLabel: { interval: 0, rotate: rows.length > 4 ? 20 : 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v) } },
    series: models.map((m) => ({ type: 'bar', name: MODEL_LABELS[m], data: rows.map((r) => (r.credits[m] ?? 0) / 100) })),
  };
}

/** CPOD per period (line); a period without revenue is a grey "no revenue" mark on the axis, not a silent gap. */
export function cpodOption(points: { period: string; cpod: number | null }[], title = 'CPOD (cost per order dollar)'): EChartsOption {
  const none = points.some((p) => p.cpod === null);
  return {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis', formatter: (items: unknown) => {
      const first = (items as { dataIndex: number }[])[0];
      const p = first ? points[first.dataIndex] : undefined;
      return p ? `${p.period}<br/>CPOD: ${p.cpod === null ? 'no revenue' : p.cpod.toFixed(2)}` : '';
    } },
    ...(none ? { legend: { top: 24, right: 0, data: ['CPOD', 'No revenue'] } } : {}),
    grid: none ? { ...grid, top: 64 } : grid,
    xAxis: { type: 'category', data: points.map((p) => p.period) },
    yAxis: { type: 'value', min: 0, axisLabel: { formatter: (v: number) => v.toFixed(2) } },
    series: [
      { type: 'line', name: 'CPOD', connectNulls: false, data: points.map((p) => (p.cpod === null ? null : Number(p.cpod.toFixed(4)))), label: { show: true, formatter: (p: unknown) => Number((p as { value: number }).value).toFixed(2) } },
      ...(none
        ? [{
            // A line series without a line (the app's ECharts build has no scatter): marks on the axis only.
            type: 'line' as const,
            name: 'No revenue',
            connectNulls: false,
            lineStyle: { width: 0 },
            showAllSymbol: true,
            symbol: 'diamond',
            symbolSize: 10,
            itemStyle: { color: '#9aa0a6' },
            data: points.map((p) => (p.cpod === null ? 0 : null)),
            // Upright text, so neighbouring periods without revenue never overlap.
            label: { show: true, position: 'top' as const, rotate: 90, align: 'left' as const, verticalAlign: 'middle' as const, distance: 8, color: '#5f6368', formatter: 'no revenue' },
          }]
        : []),
    ],
  };
}

/** Horizontal bars of label → revenue (top campaigns / content). */
export function topOption(title: string, rows: BoardQuarter['topCampaigns']): EChartsOption {
  return {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    grid,
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v) } },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => (r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label)) },
    series: [{ type: 'bar', name: 'Revenue (linear)', data: rows.map((r) => r.revenue) }],
  };
}
