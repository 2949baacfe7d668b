// Planning view: the quarter's campaigns on a timeline grouped by objective (ECharts custom bars), and budget vs
// planned vs actual spend per objective.
import { useMemo } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { formatMoney } from '../../api/deals.ts';
import { currentQuarter, getPlanning, shiftQuarter, spendKeys, type PlanningView } from '../../api/spend.ts';
import { Chart, CHART_COLORS } from '../../components/Chart.tsx';
import { useUrlFilters } from '../../components/ListFilters.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';

const money = (n: number) => formatMoney(n, 'USD');
const DAY = 86_400_000;
const t = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** A Gantt from stacked horizontal bars: an invisible offset (days from the quarter start) + the visible duration. */
function timeline(v: PlanningView): { option: EChartsOption; height: number } {
  const q0 = t(v.from);
  const qDays = Math.round((t(v.to) - q0) / DAY) + 1;
  const rows: { label: string; group: number; offset: number; days: number; objective: string; dates: string }[] = [];
  v.groups.forEach((g, gi) => {
    for (const c of g.campaigns) {
      const start = Math.max(t(c.startDate ?? c.endDate ?? v.from), q0);
      const end = Math.min(t(c.endDate ?? c.startDate ?? v.to), t(v.to)) + DAY;
      rows.push({ label: c.name, group: gi, offset: Math.round((start - q0) / DAY), days: Math.max(1, Math.round((end - start) / DAY)), objective: g.objective?.title ?? 'No objective', dates: `${c.startDate ?? '…'} – ${c.endDate ?? '…'}` });
    }
  });
  const dateOf = (d: number) => new Date(q0 + d * DAY).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const option: EChartsOption = {
    tooltip: { trigger: 'item', formatter: (p: any) => (p.seriesIndex === 1 ? `${rows[p.dataIndex]!.objective}<br/><b>${rows[p.dataIndex]!.label}</b><br/>${rows[p.dataIndex]!.dates}` : '') },
    grid: { left: 200, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value', min: 0, max: qDays, interval: 14, axisLabel: { formatter: (d: number) => dateOf(d) }, splitLine: { lineStyle: { color: '#eceef2' } } },
    yAxis: { type: 'category', data: rows.map((r) => r.label), inverse: true, axisLabel: { width: 180, overflow: 'truncate' } },
    series: [
      { type: 'bar', stack: 'gantt', silent: true, itemStyle: { color: 'transparent' }, data: rows.map((r) => r.offset), barWidth: 16 },
      { type: 'bar', stack: 'gantt', data: rows.map((r) => ({ value: r.days, itemStyle: { color: CHART_COLORS[r.group % CHART_COLORS.length], borderRadius: 3 } })), barWidth: 16 },
    ],
  };
  return { option, height: Math.max(140, rows.length * 30 + 50) };
}

export function PlanningPage() {
  const { filters, update } = useUrlFilters();
  const quarter = filters.quarter ?? currentQuarter();
  const q = useQuery({ queryKey: spendKeys.planning(quarter), queryFn: () => getPlanning(quarter), placeholderData: keepPreviousData });
  const v = q.data;
  const tl = useMemo(() => (v ? timeline(v) : null), [v]);
  const bva = useMemo<EChartsOption | null>(() => {
    if (!v) return null;
    const names = v.groups.map((g) => g.objective?.title ?? 'No objective');
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['Budget', 'Planned', 'Actual'], bottom: 0 },
      grid: { left: 70, right: 20, top: 20, bottom: 60 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, width: 140, overflow: 'truncate' } },
      yAxis: { type: 'value' },
      series: [
        { name: 'Budget', type: 'bar', data: v.groups.map((g) => g.budget) },
        { name: 'Planned', type: 'bar', data: v.groups.map((g) => g.planned) },
        { name: 'Actual', type: 'bar', data: v.groups.map((g) => g.actual) },
      ],
    };
  }, [v]);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} />;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Planning</h1>
          <p className="subtitle">The quarter's campaigns by the objective they serve, with budget against planned and actual spend.</p>
        </div>
        <div className="actions">
          <button className="btn" onClick={() => update({ quarter: shiftQuarter(quarter, -1) })} aria-label="Previous quarter">←</button>
          <strong data-testid="planning-quarter" style={{ alignSelf: 'center' }}>{v!.quarter}</strong>
          <button className="btn" onClick={() => update({ quarter: shiftQuarter(quarter, 1) })} aria-label="Next quarter">→</button>
        </div>
      </div>
      <div className="stats">
        <div className="stat blue"><div className="label">Budget</div><div className="value">{money(v!.totals.budget)}</div></div>
        <div className="stat"><div className="label">Planned spend</div><div className="value">{money(v!.totals.planned)}</div></div>
        <div className="stat"><div className="label">Actual spend</div><div className="value">{money(v!.totals.actual)}</div></div>
      </div>
      {v!.groups.length === 0 ? (
        <div className="card" style={{ marginTop: 'var(--s5)' }}>
          <Empty title={`No campaigns in ${v!.quarter}`} actions={<Link className="btn btn-primary" to="/campaigns">Plan a campaign</Link>}>
            Give campaigns start and end dates (and link each to an objective) to see them on this timeline; add their costs under Costs.
          </Empty>
        </div>
      ) : (
        <>
          <div className="card" style={{ marginTop: 'var(--s5)' }}>
            <div className="card-header"><h2>Timeline</h2></div>
            <div className="card-body"><Chart option={tl!.option} height={tl!.height} label="Campaign timeline by objective" testId="planning-timeline" /></div>
          </div>
          <div className="card" style={{ marginTop: 'var(--s5)' }}>
            <div className="card-header"><h2>Budget vs actual by objective</h2></div>
            <div className="card-body"><Chart option={bva!} label="Budget, planned and actual spend by objective" testId="planning-bva" /></div>
          </div>
          {v!.groups.map((g, i) => (
            <div className="card" key={g.objective?.id ?? 'none'} style={{ marginTop: 'var(--s5)', borderLeft: `4px solid ${CHART_COLORS[i % CHART_COLORS.length]}` }}>
              <div className="card-header">
                <h2>{g.objective ? g.objective.title : 'No objective (random acts)'}</h2>
                <span className="muted small">budget {money(g.budget)} · planned {money(g.planned)} · actual {money(g.actual)}</span>
              </div>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr><th>Campaign</th><th>Dates</th><th className="num">Budget</th><th className="num">Planned</th><th className="num">Actual</th></tr>
                  </thead>
                  <tbody>
                    {g.campaigns.map((c) => (
                      <tr key={c.id}>
                        <td><Link to={`/campaigns/${c.id}`}>{c.name}</Link></td>
                        <td className="small">{c.startDate ?? '…'} – {c.endDate ?? '…'}</td>
                        <td className="num">{c.budget == null ? '—' : money(c.budget)}</td>
                        <td className="num">{money(c.planned)}</td>
                        <td className="num">{money(c.actual)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ))}
        </>
      )}
    </>
  );
}
