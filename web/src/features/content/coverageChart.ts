// Pure helpers of the coverage map page: the metric each cell is coloured by, and the ECharts heat map option.
import type { EChartsOption } from 'echarts';
import { CONTENT_STAGE_LABELS, CONTENT_TYPE_LABELS } from '../../../../src/contracts/content.ts';
import type { Coverage, CoverageCell } from '../../api/content-insights.ts';

export const METRICS = ['items', 'views', 'readers', 'avgDepthPct', 'influencedPipeline'] as const;
export type Metric = (typeof METRICS)[number];
export const METRIC_LABELS: Record<Metric, string> = {
  items: 'Items',
  views: 'Views',
  readers: 'Readers',
  avgDepthPct: 'Avg read depth',
  influencedPipeline: 'Influenced pipeline',
};

export function metricValue(c: CoverageCell, m: Metric): number {
  const v = c[m];
  return v == null ? 0 : Number(v);
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatMetric(c: CoverageCell, m: Metric): string {
  if (m === 'avgDepthPct') return c.avgDepthPct == null ? '—' : `${Math.round(c.avgDepthPct)} %`;
  if (m === 'influencedPipeline') return `$${compact.format(c.influencedPipeline)}`;
  return compact.format(metricValue(c, m));
}

/** Stages top to bottom (epiphany first), types left to right; gaps drawn in red with the word "Gap". */
export function heatmapOption(cov: Coverage, metric: Metric): EChartsOption {
  const stages = [...cov.stages].reverse(); // ECharts draws the first category at the bottom
  const max = Math.max(1, ...cov.cells.map((c) => metricValue(c, metric)));
  const point = (c: CoverageCell) => ({
    value: [cov.types.indexOf(c.type), stages.indexOf(c.stage), metricValue(c, metric)],
    cell: c,
    label: {
      formatter: c.gap ? (c.items ? `Gap\n${c.items} planned` : 'Gap') : `${formatMetric(c, metric)}\n${c.live} live`,
      color: c.gap ? '#c9372c' : metricValue(c, metric) > max * 0.55 ? '#fff' : '#1d2433',
      fontWeight: c.gap ? 700 : 500,
    },
  });
  // Gaps are a second series the visual map does not colour: pale red, dashed red border.
  const filled = cov.cells.filter((c) => !c.gap).map(point);
  const gaps = cov.cells.filter((c) => c.gap).map((c) => ({ ...point(c), itemStyle: { color: '#fdecea', borderColor: '#c9372c', borderWidth: 2, borderType: 'dashed' as const } }));
  return {
    tooltip: {
      formatter: (p: unknown) => {
        const c = (p as { data: { cell: CoverageCell } }).data.cell;
        return [
          `<b>${CONTENT_STAGE_LABELS[c.stage]} · ${CONTENT_TYPE_LABELS[c.type]}</b>`,
          `${c.items} items (${c.live} live)${c.gap ? ' — gap' : ''}`,
          `${c.views.toLocaleString()} views · ${c.readers.toLocaleString()} readers`,
          `Avg depth ${c.avgDepthPct == null ? '—' : `${c.avgDepthPct} %`}`,
          `${c.influencedContacts} influenced · $${c.influencedPipeline.toLocaleString()} pipeline`,
        ].join('<br/>');
      },
    },
    grid: { left: 170, right: 24, top: 8, bottom: 64 },
    xAxis: { type: 'category', data: cov.types.map((t) => CONTENT_TYPE_LABELS[t]), splitArea: { show: true }, axisLabel: { fontSize: 13, fontWeight: 600 } },
    yAxis: { type: 'category', data: stages.map((s) => CONTENT_STAGE_LABELS[s]), splitArea: { show: true }, axisLabel: { fontSize: 13 } },
    visualMap: {
      seriesIndex: 0,
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemWidth: 12,
      itemHeight: 160,
      text: [`${METRIC_LABELS[metric]}: high`, 'low'],
      inRange: { color: ['#eef0fb', '#9aa5ea', '#4c5fd5', '#2a3794'] },
    },
    series: [
      { type: 'heatmap', name: 'Covered', data: filled, label: { show: true, fontSize: 12, lineHeight: 16 }, itemStyle: { borderColor: '#fff', borderWidth: 3 } },
      { type: 'heatmap', name: 'Gaps', data: gaps, label: { show: true, fontSize: 12, lineHeight: 16 } },
    ],
  } as EChartsOption;
}
