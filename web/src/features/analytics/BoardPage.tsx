// Analytics → Board report: one page per quarter (revenue won / influenced / sourced, pipeline created, cost and
// CPOD trend, funnel health, top campaigns and content) and the fitness scorecard; PDF and CSV downloads.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { analyticsKeys, boardCsvUrl, boardPdfUrl, getBoard, type BoardReport } from '../../api/analytics.ts';
import { cpodOption, funnelOption, topOption } from '../../../../src/contracts/analytics-charts.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { ChartCard, money, useUrlParams } from './parts.tsx';
import './analytics.css';

function currentQuarter(now = new Date()) {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

function QuarterPage({ q, trend }: { q: BoardReport['quarters'][number]; trend: { period: string; cpod: number | null }[] }) {
  const options = useMemo(() => ({
    cpod: cpodOption(trend, 'CPOD trend'),
    funnel: funnelOption(q.funnel, 'Funnel health'),
    campaigns: topOption('Top campaigns', q.topCampaigns.length ? q.topCampaigns : [{ label: 'No attributed revenue', revenue: 0 }]),
    content: topOption('Top content', q.topContent.length ? q.topContent : [{ label: 'No attributed revenue', revenue: 0 }]),
  }), [q, trend]);
  const tiles: [string, string][] = [
    ['Revenue won', money(q.revenueWon)],
    ['Revenue influenced', money(q.revenueInfluenced)],
    ['Revenue sourced', money(q.revenueSourced)],
    ['Pipeline created', money(q.pipelineCreated)],
    ['Marketing + sales cost', money(q.marketingCost + q.salesCost)],
    ['CPOD', q.cpod === null ? 'no revenue' : q.cpod.toFixed(2)],
  ];
  return (
    <section className="board-page" data-testid={`board-${q.quarter}`}>
      <h2>{q.quarter} <span className="muted small">{q.from} – {q.to}</span></h2>
      <div className="board-tiles">{tiles.map(([k, v]) => <div className="stat" key={k}><div className="label">{k}</div><div className="value" style={{ fontSize: 20 }}>{v}</div></div>)}</div>
      <div className="grid-2">
        <ChartCard title="CPOD trend" file={`cpod-${q.quarter}`} option={options.cpod} height={240} csv={() => [['quarter', 'cpod'], ...trend.map((t) => [t.period, t.cpod ?? 'no revenue'])]} />
        <ChartCard title="Funnel health" file={`funnel-${q.quarter}`} option={options.funnel} height={240} csv={() => [['stage', 'entered', 'conversion_rate'], ...q.funnel.map((f) => [f.stage, f.entered, f.conversionRate ?? ''])]} />
        <ChartCard title="Top campaigns" file={`top-campaigns-${q.quarter}`} option={options.campaigns} height={220} csv={() => [['campaign', 'revenue'], ...q.topCampaigns.map((c) => [c.label, c.revenue])]} />
        <ChartCard title="Top content" file={`top-content-${q.quarter}`} option={options.content} height={220} csv={() => [['content', 'revenue'], ...q.topContent.map((c) => [c.label, c.revenue])]} />
      </div>
    </section>
  );
}

export function BoardPage() {
  const { params, set } = useUrlParams({ quarter: currentQuarter(), quarters: '4' });
  const p = { quarter: params.quarter, quarters: params.quarters, tz: params.tz };
  const q = useQuery({ queryKey: analyticsKeys.board(p), queryFn: () => getBoard(p) });
  const r = q.data;
  const trend = r ? r.cpodTrend.map((t) => ({ period: t.quarter, cpod: t.cpod })) : [];
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Board report</h1>
          <p className="subtitle">What marketing's money produced, one page per quarter.</p>
        </div>
        <div className="actions">
          <label className="small muted">Last quarter <input value={params.quarter} onChange={(e) => /^\d{4}-Q[1-4]$/.test(e.target.value) && set({ quarter: e.target.value })} size={8} aria-label="Last quarter" /></label>
          <select value={params.quarters} onChange={(e) => set({ quarters: e.target.value })} aria-label="Quarters">{[1, 2, 4, 8].map((n) => <option key={n} value={n}>{n} quarters</option>)}</select>
          <a className="btn" href={boardCsvUrl(p)} download>CSV</a>
          <a className="btn btn-primary" href={boardPdfUrl(p)} download data-testid="board-pdf">Export PDF</a>
        </div>
      </div>
      {q.isPending ? <Loading label="Building the board report…" /> : q.isError ? <ErrorState error={q.error} retry={() => q.refetch()} title="Could not build the board report" /> : (
        <div className="stack">
          {[...r!.quarters].reverse().map((x) => <QuarterPage key={x.quarter} q={x} trend={trend} />)}
          <div className="card">
            <div className="card-header"><h3>Fitness scorecard</h3></div>
            {r!.fitness?.length ? (
              <table className="table"><tbody>{r!.fitness.map((f) => <tr key={f.question}><td>{f.question}</td><td><strong>{f.answer.replace('_', ' ')}</strong></td><td className="muted small">{f.evidence}</td></tr>)}</tbody></table>
            ) : <div className="card-body muted">No fitness data yet: the fitness test (Plan → Fitness test) answers once objectives, costs and campaigns exist.</div>}
          </div>
        </div>
      )}
    </>
  );
}
