// The board report as a self-contained HTML document (one page per quarter) with the charts rendered to SVG by
// ECharts on the server from the same options as the web page. Every text is escaped.
import type { EChartsOption } from 'echarts';
import type { BoardReport } from '../../contracts/analytics.ts';
import { cpodOption, funnelOption, topOption } from '../../contracts/analytics-charts.ts';

const COLORS = ['#4c5fd5', '#0f7a7a', '#a35400', '#b0256b', '#1f8a4c', '#6236c9', '#c9372c', '#6c6330'];
const FONT = "'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

async function svg(option: EChartsOption, width: number, height: number): Promise<string> {
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ color: COLORS, textStyle: { fontFamily: FONT }, animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const fmtMoney = (v: number) => v.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

export async function boardHtml(r: BoardReport): Promise<string> {
  const trend = r.cpodTrend.map((x) => ({ period: x.quarter, cpod: x.cpod }));
  const pages: string[] = [];
  for (const q of r.quarters) {
    const tiles = [
      ['Revenue won', fmtMoney(q.revenueWon)],
      ['Revenue influenced', fmtMoney(q.revenueInfluenced)],
      ['Revenue sourced', fmtMoney(q.revenueSourced)],
      ['Pipeline created', fmtMoney(q.pipelineCreated)],
      ['Marketing + sales cost', fmtMoney(q.marketingCost + q.salesCost)],
      ['CPOD', q.cpod === null ? 'no revenue' : q.cpod.toFixed(2)],
    ];
    const charts = await Promise.all([
      svg(cpodOption(trend, 'CPOD trend'), 520, 210),
      svg(funnelOption(q.funnel, 'Funnel health (entries, % moving on)'), 520, 210),
      svg(topOption('Top campaigns (linear credit)', q.topCampaigns.length ? q.topCampaigns : [{ label: 'No attributed revenue', revenue: 0 }]), 520, 200),
      svg(topOption('Top content (linear credit)', q.topContent.length ? q.topContent : [{ label: 'No attributed revenue', revenue: 0 }]), 520, 200),
    ]);
    const fitness = r.fitness?.length
      ? `<table class="fit"><tr><th>Fitness test</th><th>Answer</th></tr>${r.fitness.map((f) => `<tr><td>${esc(f.question)}</td><td>${esc(f.answer.replace('_', ' '))}</td></tr>`).join('')}</table>`
      : '<p class="muted">Fitness scorecard: no data yet.</p>';
    pages.push(`<section class="page" data-quarter="${esc(q.quarter)}">
      <h1>Board report · ${esc(q.quarter)} <small>${esc(q.from)} – ${esc(q.to)}</small></h1>
      <div class="tiles">${tiles.map(([k, v]) => `<div class="tile"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div></div>`).join('')}</div>
      <div class="grid">${charts.map((c, i) => `<div class="chart" data-chart="${i}">${c}</div>`).join('')}</div>
      ${fitness}
    </section>`);
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>Board report</title><style>
    body { font-family: ${FONT}; color: #1d2230; margin: 0; }
    .page { page-break-after: always; padding: 0; }
    .page:last-child { page-break-after: auto; }
    h1 { font-size: 18px; margin: 0 0 8px; } h1 small { color: #667; font-weight: normal; font-size: 12px; margin-left: 8px; }
    .tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 6px; margin-bottom: 6px; }
    .tile { border: 1px solid #dde; border-radius: 6px; padding: 6px 8px; } .k { font-size: 10px; color: #667; } .v { font-size: 16px; font-weight: 600; }
    .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 4px; }
    .chart svg { width: 100%; height: auto; }
    .fit { border-collapse: collapse; font-size: 10px; margin-top: 4px; width: 100%; } .fit td, .fit th { border-bottom: 1px solid #eee; padding: 2px 6px; text-align: left; }
    .muted { color: #667; font-size: 10px; }
  </style></head><body>${pages.join('\n')}</body></html>`;
}
