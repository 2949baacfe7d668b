// Analytics → Funnel breakdown: per value of the chosen dimension (segment, campaign, channel, product, owner),
// the entries per stage (grouped bars) and a table of entries, conversion and median time in stage.
import type { EChartsOption } from 'echarts';
import type { FunnelReport } from '../../api/analytics.ts';
import { STAGE_LABELS } from '../../../../src/contracts/analytics-charts.ts';
import { Empty } from '../../components/States.tsx';
import { formatNumber } from '../../components/format.ts';
import { ChartCard, days, pct } from './parts.tsx';

const STAGES = ['lead', 'marketing_qualified', 'sales_ready', 'opportunity', 'customer'] as const;

export function FunnelBreakdownTable({ breakdown, option }: { breakdown: NonNullable<FunnelReport['breakdown']>; option: EChartsOption | null }) {
  const dim = breakdown.dimension;
  if (!breakdown.rows.length || !option) {
    return (
      <div className="card">
        <Empty title={`No ${dim} to break down by`}>
          None of the contacts with stage changes in this range has a {dim === 'product' ? 'product property' : dim === 'owner' ? 'owner' : dim === 'segment' ? 'segment membership' : `tracked ${dim}`}. Widen the dates or pick another dimension.
        </Empty>
      </div>
    );
  }
  const csv = () => [
    [dim, 'stage', 'entered', 'converted', 'conversion_rate', 'yield_rate', 'median_days', 'p90_days'],
    ...breakdown.rows.flatMap((r) => r.stages.map((s) => [r.label, s.stage, s.entered, s.converted, s.conversionRate ?? '', s.yieldRate ?? '', s.medianDays ?? '', s.p90Days ?? ''])),
  ];
  return (
    <div className="stack" data-testid="funnel-breakdown">
      <ChartCard title={`By ${dim}`} file={`funnel-by-${dim}`} option={option} testId="chart-breakdown" csv={csv} />
      <div className="card table-wrap">
        <div className="card-header"><h3>Per {dim}</h3><span className="muted small">entries · conversion to a later stage · median time in stage</span></div>
        <table className="table">
          <thead>
            <tr><th>{dim[0]!.toUpperCase() + dim.slice(1)}</th>{STAGES.map((s) => <th key={s} className="num">{STAGE_LABELS[s]}</th>)}</tr>
          </thead>
          <tbody>
            {breakdown.rows.map((r) => (
              <tr key={r.value}>
                <td>{r.label}</td>
                {STAGES.map((s) => {
                  const x = r.stages.find((y) => y.stage === s);
                  return (
                    <td key={s} className="num">
                      {formatNumber(x?.entered ?? 0)}
                      {s !== 'customer' && <div className="muted small">{pct(x?.conversionRate)} · {days(x?.medianDays)}</div>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
