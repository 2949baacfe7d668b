// Analytics → CPOD & ROI: (marketing + sales cost) ÷ won revenue per period ("no revenue" when nothing was won),
// and per campaign: cost, attributed revenue, ROI, cost per sales-ready lead / opportunity / customer.
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { analyticsKeys, ATTRIBUTION_MODELS, getCpod, MODEL_LABELS } from '../../api/analytics.ts';
import { cpodOption } from '../../../../src/contracts/analytics-charts.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { ChartCard, FilterBar, money, useUrlParams } from './parts.tsx';
import './analytics.css';

const ratio = (v: number | null) => (v === null ? 'no revenue' : v.toFixed(2));
const per = (v: number | null) => (v === null ? '—' : money(v));

export function CpodPage() {
  const { params, set } = useUrlParams({ interval: 'quarter', model: 'linear' });
  const q = useQuery({ queryKey: analyticsKeys.cpod(params), queryFn: () => getCpod(params) });
  const r = q.data;
  const options = useMemo(() => {
    if (!r) return null;
    const cost: EChartsOption = {
      title: { text: 'Cost and revenue', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { top: 24, right: 0 },
      grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: r.periods.map((p) => p.period) },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: 'Marketing cost', stack: 'cost', data: r.periods.map((p) => p.marketingCost) },
        { type: 'bar', name: 'Sales cost', stack: 'cost', data: r.periods.map((p) => p.salesCost) },
        { type: 'line', name: 'Won revenue', data: r.periods.map((p) => p.revenue) },
      ],
    };
    return { cpod: cpodOption(r.periods), cost };
  }, [r]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>CPOD &amp; ROI</h1>
          <p className="subtitle">Cost per order dollar: what marketing and sales spent for each dollar won. Costs are the <Link to="/plan/costs">cost lines</Link> (category “sales” is sales cost).</p>
        </div>
      </div>
      <FilterBar params={params} set={set}>
        <label>Per <select value={params.interval} onChange={(e) => set({ interval: e.target.value })}><option value="month">month</option><option value="quarter">quarter</option></select></label>
        <label>Model <select value={params.model} onChange={(e) => set({ model: e.target.value })}>{ATTRIBUTION_MODELS.map((m) => <option key={m} value={m}>{MODEL_LABELS[m]}</option>)}</select></label>
      </FilterBar>
      {q.isPending ? <Loading label="Loading CPOD…" /> : q.isError ? <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load CPOD" /> : r!.periods.length === 0 ? (
        <div className="card"><Empty title="No cost and no won revenue in this range">Enter spend under Plan → Costs and import deals; CPOD appears once both exist.</Empty></div>
      ) : (
        <div className="stack">
          <div className="stats">
            <div className="stat"><div className="label">CPOD</div><div className="value" data-testid="cpod-total">{ratio(r!.totals.cpod)}</div></div>
            <div className="stat"><div className="label">Marketing cost</div><div className="value">{money(r!.totals.marketingCost)}</div></div>
            <div className="stat"><div className="label">Sales cost</div><div className="value">{money(r!.totals.salesCost)}</div></div>
            <div className="stat"><div className="label">Won revenue</div><div className="value">{money(r!.totals.revenue)}</div></div>
          </div>
          <div className="grid-2">
            <ChartCard title="CPOD trend" file="cpod-trend" option={options!.cpod} testId="chart-cpod" csv={() => [['period', 'marketing_cost', 'sales_cost', 'revenue', 'cpod'], ...r!.periods.map((p) => [p.period, p.marketingCost, p.salesCost, p.revenue, p.cpod ?? 'no revenue'])]} />
            <ChartCard title="Cost and revenue" file="cost-revenue" option={options!.cost} csv={() => [['period', 'marketing_cost', 'sales_cost', 'revenue'], ...r!.periods.map((p) => [p.period, p.marketingCost, p.salesCost, p.revenue])]} />
          </div>
          <div className="card table-wrap">
            <div className="card-header"><h3>Campaigns</h3><span className="muted small">revenue by {MODEL_LABELS[r!.model]}</span></div>
            {r!.campaigns.length === 0 ? <Empty title="No campaign with cost or revenue">Link cost lines to campaigns and tag links with the campaign's utm_campaign code.</Empty> : (
              <table className="table">
                <thead><tr><th>Campaign</th><th className="num">Cost</th><th className="num">Attributed revenue</th><th className="num">ROI</th><th className="num">CPOD</th><th className="num">Per sales-ready</th><th className="num">Per opportunity</th><th className="num">Per customer</th></tr></thead>
                <tbody>{r!.campaigns.map((c) => (
                  <tr key={c.campaignId}>
                    <td><Link to={`/campaigns/${c.campaignId}`}>{c.name}</Link></td>
                    <td className="num">{money(c.cost)}</td>
                    <td className="num">{money(c.attributedRevenue)}</td>
                    <td className="num">{c.roi === null ? '—' : `${(c.roi * 100).toFixed(0)} %`}</td>
                    <td className="num">{ratio(c.cpod)}</td>
                    <td className="num">{per(c.costPerSalesReady)}</td>
                    <td className="num">{per(c.costPerOpportunity)}</td>
                    <td className="num">{per(c.costPerCustomer)}</td>
                  </tr>
                ))}</tbody>
              </table>
            )}
          </div>
        </div>
      )}
    </>
  );
}
