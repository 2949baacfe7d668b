// Analytics → Funnel: entries, conversion, yield and velocity per stage; the stage flows (Sankey, recycle and
// disqualify included); trends per period (entries, conversion, time in stage, yield); a breakdown by segment /
// campaign / channel / product / owner; the nurture period (first touch → sales-ready) and its trend.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { analyticsKeys, getFunnel } from '../../api/analytics.ts';
import { breakdownOption, funnelOption, periodMetricOption, sankeyOption, STAGE_LABELS, trendOption } from '../../../../src/contracts/analytics-charts.ts';
import { FUNNEL_BREAKDOWNS } from '../../../../src/contracts/analytics.ts';
import { FunnelBreakdownTable } from './FunnelBreakdown.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatNumber } from '../../components/format.ts';
import { ChartCard, days, FilterBar, pct, useUrlParams } from './parts.tsx';
import './analytics.css';

export function FunnelPage() {
  const { params, set } = useUrlParams({ cohort: 'activity', interval: 'month' });
  const q = useQuery({ queryKey: analyticsKeys.funnel(params), queryFn: () => getFunnel(params) });
  const r = q.data;
  const options = useMemo(() => {
    if (!r) return null;
    const nurture: EChartsOption = {
      title: { text: 'Nurture period (days, median)', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: r.nurture.trend.map((t) => t.period) },
      yAxis: { type: 'value' },
      series: [{ type: 'line', name: 'Median days', data: r.nurture.trend.map((t) => (t.medianDays === null ? null : Number(t.medianDays.toFixed(1)))) }],
    };
    return {
      funnel: funnelOption(r.stages),
      sankey: sankeyOption(r.flows),
      trend: trendOption(r.trend),
      nurture,
      conversion: periodMetricOption(r.periods, 'conversionRate', 'Conversion per period'),
      velocity: periodMetricOption(r.periods, 'medianDays', 'Median days in stage per period'),
      yield: periodMetricOption(r.periods, 'yieldRate', 'Yield (→ customer) per period'),
      breakdown: r.breakdown && r.breakdown.rows.length ? breakdownOption(r.breakdown, `Entries per stage by ${r.breakdown.dimension}`) : null,
    };
  }, [r]);
  const empty = r && r.stages.every((s) => s.entered === 0);
  const periodCsv = () => [
    ['period', 'stage', 'entered', 'converted', 'conversion_rate', 'yield_rate', 'median_days', 'p90_days'],
    ...(r?.periods ?? []).map((p) => [p.period, p.stage, p.entered, p.converted, p.conversionRate ?? '', p.yieldRate ?? '', p.medianDays ?? '', p.p90Days ?? '']),
  ];
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Funnel</h1>
          <p className="subtitle">Every lifecycle transition: how many entered each stage, how many moved on, how long they stayed, and where they went.</p>
        </div>
        <div className="segmented" role="tablist" aria-label="Cohort">
          {(['activity', 'entry'] as const).map((c) => (
            <button key={c} role="tab" aria-selected={params.cohort === c} className={params.cohort === c ? 'active' : ''} onClick={() => set({ cohort: c })}>
              {c === 'activity' ? 'By activity date' : 'By entry cohort'}
            </button>
          ))}
        </div>
      </div>
      <FilterBar params={params} set={set}>
        <label>
          Per
          <select value={params.interval} onChange={(e) => set({ interval: e.target.value })}>
            <option value="week">week</option>
            <option value="month">month</option>
            <option value="quarter">quarter</option>
          </select>
        </label>
        <label>
          Break down by
          <select value={params.breakdown ?? ''} onChange={(e) => set({ breakdown: e.target.value })}>
            <option value="">nothing</option>
            {FUNNEL_BREAKDOWNS.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
      </FilterBar>
      {q.isPending ? (
        <Loading label="Loading the funnel…" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load the funnel" />
      ) : empty ? (
        <div className="card"><Empty title="No stage changes in this range">Contacts move through the funnel as they are scored, handed off and win deals. Widen the dates or clear a filter.</Empty></div>
      ) : (
        <div className="stack">
          <div className="stats">
            {(['lead', 'marketing_qualified', 'sales_ready', 'customer'] as const).map((s) => {
              const row = r!.stages.find((x) => x.stage === s)!;
              return (
                <div className="stat" key={s}>
                  <div className="label">{STAGE_LABELS[s]} entries</div>
                  <div className="value">{formatNumber(row.entered)}</div>
                  <div className="muted small">{s === 'customer' ? `nurture median ${days(r!.nurture.medianDays)}` : `${pct(row.conversionRate)} moved on`}</div>
                </div>
              );
            })}
          </div>
          <div className="grid-2">
            <ChartCard title="Funnel" file="funnel" option={options!.funnel} testId="chart-funnel" csv={() => [['stage', 'entered', 'converted', 'conversion_rate'], ...r!.stages.map((s) => [s.stage, s.entered, s.converted, s.conversionRate ?? ''])]} />
            <ChartCard title="Stage flows" file="stage-flows" option={options!.sankey} testId="chart-sankey" csv={() => [['from', 'to', 'n'], ...r!.flows.map((f) => [f.from || 'new', f.to, f.n])]} />
            <ChartCard title="Entries per period" file="funnel-trend" option={options!.trend} csv={() => [['period', 'stage', 'entered'], ...r!.trend.map((t) => [t.period, t.stage, t.entered])]} />
            <ChartCard title="Nurture period" file="nurture-period" option={options!.nurture} csv={() => [['period', 'contacts', 'median_days'], ...r!.nurture.trend.map((t) => [t.period, t.contacts, t.medianDays ?? ''])]} />
          </div>
          <h2 className="analytics-section">Trends per {params.interval} <span className="muted small">{params.cohort === 'entry' ? 'contacts who entered the stage in the period' : 'what happened in the period'}</span></h2>
          <div className="grid-2" data-testid="funnel-trends">
            <ChartCard title="Conversion per period" file="funnel-conversion-trend" option={options!.conversion} testId="chart-conversion-trend" csv={periodCsv} />
            <ChartCard title="Time in stage per period" file="funnel-velocity-trend" option={options!.velocity} testId="chart-velocity-trend" csv={periodCsv} />
            <ChartCard title="Yield per period" file="funnel-yield-trend" option={options!.yield} testId="chart-yield-trend" csv={periodCsv} />
          </div>
          {r!.breakdown && <FunnelBreakdownTable breakdown={r!.breakdown} option={options!.breakdown} />}
          <div className="card">
            <div className="card-header"><h3>Per stage</h3><span className="muted small">source: {r!.source} · {r!.tz}</span></div>
            <table className="table">
              <thead><tr><th>Stage</th><th className="num">Entered</th><th className="num">Moved on</th><th className="num">Conversion</th><th className="num">Yield (→ customer)</th><th className="num">Median time in stage</th><th className="num">p90</th></tr></thead>
              <tbody>
                {r!.stages.map((s) => (
                  <tr key={s.stage}>
                    <td>{STAGE_LABELS[s.stage] ?? s.stage}</td>
                    <td className="num">{formatNumber(s.entered)}</td>
                    <td className="num">{formatNumber(s.converted)}</td>
                    <td className="num">{pct(s.conversionRate)}</td>
                    <td className="num">{pct(s.yieldRate)}</td>
                    <td className="num">{days(s.medianDays)}</td>
                    <td className="num">{days(s.p90Days)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
