import { describe, expect, it } from 'vitest';
import type { Coverage, CoverageCell } from '../../api/content-insights.ts';
import { formatMetric, heatmapOption, metricValue } from './coverageChart.ts';

const cell = (over: Partial<CoverageCell>): CoverageCell => ({
  stage: 'awareness', type: 'practical', items: 3, live: 2, views: 1250, readers: 40, avgDepthPct: 61.4, influencedContacts: 2, influencedPipeline: 48000, gap: false, top: [], ...over,
});

describe('coverage heat map helpers', () => {
  it('reads and formats each metric of a cell', () => {
    const c = cell({});
    expect(metricValue(c, 'views')).toBe(1250);
    expect(formatMetric(c, 'views')).toBe('1.3K');
    expect(formatMetric(c, 'avgDepthPct')).toBe('61 %');
    expect(formatMetric(cell({ avgDepthPct: null }), 'avgDepthPct')).toBe('—');
    expect(metricValue(cell({ avgDepthPct: null }), 'avgDepthPct')).toBe(0);
    expect(formatMetric(c, 'influencedPipeline')).toBe('$48K');
  });

  it('puts gaps in their own series (not coloured by the visual map) with epiphany on top', () => {
    const cov = {
      stages: ['epiphany', 'awareness', 'interest', 'consideration', 'purchase', 'post_sale'],
      types: ['aspirational', 'practical'],
      cells: [cell({}), cell({ stage: 'epiphany', type: 'aspirational', items: 1, live: 0, gap: true, views: 0 })],
      totals: { items: 4, live: 2, gaps: 1, views: 1250, influencedPipeline: 48000 },
      facets: { segments: [], topics: [], products: [] },
      refreshedAt: null,
    } as Coverage;
    const o = heatmapOption(cov, 'views') as { series: { name: string; data: { value: number[]; label: { formatter: string } }[] }[]; yAxis: { data: string[] }; visualMap: { seriesIndex: number; max: number } };
    expect(o.yAxis.data.at(-1)).toBe('Epiphany');
    expect(o.visualMap).toMatchObject({ seriesIndex: 0, max: 1250 });
    expect(o.series[0]!.data.map((d) => d.value)).toEqual([[1, 4, 1250]]);
    expect(o.series[1]!.name).toBe('Gaps');
    expect(o.series[1]!.data[0]!.label.formatter).toBe('Gap\n1 planned');
  });
});
