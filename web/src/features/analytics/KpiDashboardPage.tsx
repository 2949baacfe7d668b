// Analytics → KPI dashboard: every KPI of the objective tree (plan domain) with its actual against its target.
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { getObjectiveTree, objectiveKeys, type ObjectiveNode } from '../../api/objectives.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { ChartCard, useUrlParams } from './parts.tsx';
import './analytics.css';

type Row = { objective: string; objectiveId: number; depth: number; kpi: string; actual: number | null; target: number | null; unit: string | null; atRisk: boolean; down: boolean };

/** Actual as a share of target; for lower-is-better KPIs, target ÷ actual. */
const progress = (r: Row): number | null => (!r.target || r.actual === null ? null : r.down ? (r.actual > 0 ? r.target / r.actual : 1) : r.actual / r.target);

function flatten(nodes: ObjectiveNode[], depth = 0, out: Row[] = []): Row[] {
  for (const n of nodes) {
    for (const k of n.kpis) out.push({ objective: n.title, objectiveId: n.id, depth, kpi: k.name, actual: k.actual, target: k.target, unit: k.unit, atRisk: n.atRisk, down: k.direction === 'down' });
    flatten(n.children, depth + 1, out);
  }
  return out;
}

export function KpiDashboardPage() {
  const { params, set } = useUrlParams({ period: '' });
  const q = useQuery({ queryKey: objectiveKeys.tree(params.period ?? ''), queryFn: () => getObjectiveTree(params.period ?? '') });
  const rows = useMemo(() => (q.data ? flatten(q.data.roots) : []), [q.data]);
  const option = useMemo<EChartsOption>(() => {
    const r = rows.filter((x) => x.target);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: '{value} %' } },
      yAxis: { type: 'category', inverse: true, data: r.map((x) => x.kpi) },
      series: [{ type: 'bar', name: 'Actual vs target', data: r.map((x) => Math.round((progress(x) ?? 0) * 1000) / 10), markLine: { data: [{ xAxis: 100 }], symbol: 'none' } }],
    };
  }, [rows]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>KPI dashboard</h1>
          <p className="subtitle">Every KPI of the <Link to="/objectives">objective tree</Link>: actual against target.</p>
        </div>
        <label className="small muted">Period <input value={params.period} placeholder="2026 or 2026-Q3" onBlur={(e) => set({ period: e.target.value.trim() })} defaultValue={params.period} size={10} /></label>
      </div>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} retry={() => q.refetch()} /> : rows.length === 0 ? (
        <div className="card"><Empty title="No KPIs yet">Create objectives and bind KPIs to metrics under Plan → Objectives; they show here with actual vs target.</Empty></div>
      ) : (
        <div className="stack">
          <ChartCard title="Actual as % of target" file="kpis" option={option} height={Math.max(200, rows.length * 28)} csv={() => [['objective', 'kpi', 'actual', 'target', 'unit'], ...rows.map((r) => [r.objective, r.kpi, r.actual ?? '', r.target ?? '', r.unit ?? ''])]} />
          <div className="card table-wrap">
            <table className="table">
              <thead><tr><th>Objective</th><th>KPI</th><th className="num">Actual</th><th className="num">Target</th><th className="num">Progress</th></tr></thead>
              <tbody>{rows.map((r, i) => (
                <tr key={i} className={r.atRisk ? 'at-risk' : undefined}>
                  <td style={{ paddingLeft: 12 + r.depth * 16 }}><Link to={`/objectives/${r.objectiveId}`}>{r.objective}</Link>{r.atRisk && <span className="badge badge-red" style={{ marginLeft: 6 }}>at risk</span>}</td>
                  <td>{r.kpi}</td>
                  <td className="num">{r.actual ?? '—'}{r.unit ? ` ${r.unit}` : ''}</td>
                  <td className="num">{r.target ?? '—'}</td>
                  <td className="num">{progress(r) === null ? '—' : `${Math.round(progress(r)! * 100)} %`}{r.down ? ' (lower is better)' : ''}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
