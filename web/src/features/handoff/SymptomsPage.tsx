// Symptoms dashboard: are leads followed up (pending past SLA, breaches per rep), what sales says about
// marketing's leads (reject / recycle reasons), and lead quality (sales-ready → opportunity by month).
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { getSymptoms, handoffKeys, type Symptoms } from '../../api/handoff.ts';
import { Badge } from '../../components/Badge.tsx';
import { Chart } from '../../components/Chart.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../components/format.ts';
import './handoff.css';

const pct = (r: number | null) => (r == null ? '—' : `${Math.round(r * 1000) / 10} %`);

function trendOption(s: Symptoms): EChartsOption {
  const months = s.conversionTrend.map((m) => m.month);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 44, right: 48, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: months },
    yAxis: [
      { type: 'value', name: 'Leads', minInterval: 1 },
      { type: 'value', name: 'Rate', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
    ],
    series: [
      { name: 'Became sales-ready', type: 'bar', data: s.conversionTrend.map((m) => m.salesReady), barMaxWidth: 28 },
      { name: 'Reached opportunity', type: 'bar', data: s.conversionTrend.map((m) => m.opportunity), barMaxWidth: 28 },
      {
        name: 'Sales-ready → opportunity',
        type: 'line',
        yAxisIndex: 1,
        data: s.conversionTrend.map((m) => (m.rate == null ? null : Math.round(m.rate * 1000) / 10)),
        connectNulls: false,
        symbolSize: 7,
      },
    ],
  };
}

function repBars(names: string[], series: { name: string; data: number[]; stack?: string; color?: string }[]): EChartsOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: series.length > 1 ? { top: 0 } : undefined,
    grid: { left: 120, right: 24, top: series.length > 1 ? 32 : 12, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
    series: series.map((x) => ({ type: 'bar', barMaxWidth: 22, ...x })),
  };
}

export function SymptomsPage() {
  const [months, setMonths] = useState(12);
  const q = useQuery({ queryKey: handoffKeys.symptoms(months), queryFn: () => getSymptoms(months), refetchInterval: 60_000 });
  const s = q.data;
  const trend = useMemo(() => (s ? trendOption(s) : null), [s]);
  const notFollowed = useMemo(() => (s ? repBars(s.notFollowedUp.byRep.map((r) => r.name), [
          { name: 'Pending past SLA', data: s.notFollowedUp.byRep.map((r) => r.count), stack: 'n', color: '#c9372c' },
          { name: 'Accepted, not followed up', data: s.notFollowedUp.byRep.map((r) => r.stalled), stack: 'n', color: '#b0256b' },
        ]) : null), [s]);
  const breaches = useMemo(
    () =>
      s
        ? repBars(s.breachesByRep.map((r) => r.name), [
            { name: 'Still pending', data: s.breachesByRep.map((r) => r.stillPending), stack: 'b', color: '#c9372c' },
            { name: 'Handled late', data: s.breachesByRep.map((r) => r.handled), stack: 'b', color: '#a35400' },
            { name: 'Follow-up late', data: s.breachesByRep.map((r) => r.followUpBreaches), stack: 'b', color: '#b0256b' },
          ])
        : null,
    [s],
  );
  const totals = s
    ? s.conversionTrend.reduce((a, m) => ({ sr: a.sr + m.salesReady, opp: a.opp + m.opportunity }), { sr: 0, opp: 0 })
    : { sr: 0, opp: 0 };
  const breachTotal = s?.breachesByRep.reduce((a, r) => a + r.breaches + r.followUpBreaches, 0) ?? 0;

  return (
    <>
      <div className="page-header symptoms-head">
        <div>
          <h1>Symptoms</h1>
          <p className="subtitle">
            Leads nobody followed up, SLA breaches per rep, what sales says about the leads, and lead quality over time. From the{' '}
            <Link to="/handoff?view=all">handoff queue</Link> and every lifecycle transition.
          </p>
        </div>
        <div className="segmented" role="tablist" aria-label="Months">
          {[6, 12, 24].map((m) => (
            <button key={m} role="tab" aria-selected={months === m} className={months === m ? 'active' : ''} onClick={() => setMonths(m)}>
              {m} months
            </button>
          ))}
        </div>
      </div>
      {q.isPending ? (
        <Loading label="Loading symptoms…" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load the symptoms" />
      ) : (
        <div className="stack">
          <div className="stats">
            <div className={`stat${s!.notFollowedUp.total ? ' red' : ' green'}`}>
              <div className="label">Leads not followed up (past SLA now)</div>
              <div className="value" data-testid="not-followed-up">{formatNumber(s!.notFollowedUp.total)}</div>
            </div>
            <div className={`stat${breachTotal ? ' red' : ''}`}>
              <div className="label">SLA breaches (all time)</div>
              <div className="value">{formatNumber(breachTotal)}</div>
            </div>
            <div className="stat">
              <div className="label">Accepted · rejected · recycled</div>
              <div className="value">
                {s!.outcomes.accepted} · {s!.outcomes.rejected} · {s!.outcomes.recycled}
              </div>
            </div>
            <div className="stat blue">
              <div className="label">Sales-ready → opportunity, {months} months</div>
              <div className="value">{pct(totals.sr ? totals.opp / totals.sr : null)}</div>
            </div>
          </div>
          <div className="symptoms-grid">
            <div className="card wide">
              <div className="card-header">
                <strong>Lead quality: sales-ready → opportunity by month</strong>
                <span className="muted small">
                  {formatNumber(totals.sr)} sales-ready, {formatNumber(totals.opp)} reached opportunity
                </span>
              </div>
              <div className="card-body">{totals.sr ? <Chart option={trend!} height={280} label="Sales-ready to opportunity conversion by month" /> : <Empty title="No sales-ready leads in this period" />}</div>
            </div>
            <div className="card">
              <div className="card-header">
                <strong>Not followed up, by rep</strong>
              </div>
              <div className="card-body">
                {s!.notFollowedUp.byRep.length ? (
                  <Chart option={notFollowed!} height={Math.max(160, 56 + 34 * s!.notFollowedUp.byRep.length)} label="Pending leads past their SLA by rep" />
                ) : (
                  <Empty title="Every lead is within its SLA" />
                )}
              </div>
            </div>
            <div className="card">
              <div className="card-header">
                <strong>SLA breaches per rep (all time)</strong>
              </div>
              <div className="card-body">
                {s!.breachesByRep.length ? (
                  <Chart option={breaches!} height={Math.max(140, 56 + 34 * s!.breachesByRep.length)} label="SLA breaches per rep" />
                ) : (
                  <Empty title="No SLA breaches" />
                )}
              </div>
            </div>
            <div className="card">
              <div className="card-header">
                <strong>Why sales rejected or recycled leads</strong>
              </div>
              {s!.reasons.length ? (
                <div className="table-wrap">
                  <table className="table" data-testid="reasons-table">
                    <thead>
                      <tr>
                        <th>Reason</th>
                        <th>Outcome</th>
                        <th style={{ textAlign: 'right' }}>Leads</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s!.reasons.map((r, i) => (
                        <tr key={i}>
                          <td>{r.reason}</td>
                          <td>
                            <Badge tone={r.status === 'rejected' ? 'red' : 'amber'}>{r.status}</Badge>
                          </td>
                          <td style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{r.count}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <Empty title="No rejections or recycles yet" />
              )}
            </div>
            <div className="card">
              <div className="card-header">
                <strong>Recent decisions</strong>
              </div>
              {s!.recentDecisions.length ? (
                <div className="table-wrap">
                  <table className="table">
                    <thead>
                      <tr>
                        <th>Lead</th>
                        <th>Decision</th>
                        <th>By</th>
                        <th>When</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s!.recentDecisions.slice(0, 10).map((d) => (
                        <tr key={d.handoffId}>
                          <td>
                            <Link to={`/contacts/${d.contactId}`}>{d.contactName}</Link>
                            {d.reason && <div className="muted small cell-truncate" title={d.reason}>“{d.reason}”</div>}
                          </td>
                          <td>
                            <Badge tone={d.status === 'accepted' ? 'green' : d.status === 'rejected' ? 'red' : 'amber'}>{d.status}</Badge>
                          </td>
                          <td className="nowrap">{d.decidedBy ?? '—'}</td>
                          <td className="nowrap muted small" title={formatDateTime(d.decidedAt)}>{formatDate(d.decidedAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <Empty title="No decisions yet" />
              )}
            </div>
          </div>
        </div>
      )}
    </>
  );
}
