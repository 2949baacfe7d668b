// Email → Health: delivered, opens, clicks, opt-outs, bounces and complaints per day (by the day messages were
// sent), overall rates, and per campaign / program with the ones over the alert thresholds flagged.
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { emailKeys, getHealth, type EmailHealth } from '../../api/email.ts';
import { Badge } from '../../components/Badge.tsx';
import { Chart } from '../../components/Chart.tsx';
import { TextField } from '../../components/Field.tsx';
import { formatNumber } from '../../components/format.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { EmailTabs } from './EmailNav.tsx';

const pct = (v: number | null) => (v == null ? '—' : `${v.toFixed(1)}%`);

function HealthChart({ h }: { h: EmailHealth }) {
  const option = useMemo<EChartsOption>(() => ({
    grid: { left: 44, right: 44, top: 36, bottom: 30 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', data: h.days.map((d) => d.day.slice(5)) },
    yAxis: [{ type: 'value', minInterval: 1, name: 'messages' }, { type: 'value', name: '%', max: 100 }],
    series: [
      { name: 'Delivered', type: 'bar', data: h.days.map((d) => d.delivered), barMaxWidth: 18 },
      { name: 'Opens', type: 'line', data: h.days.map((d) => d.opens) },
      { name: 'Clicks', type: 'line', data: h.days.map((d) => d.clicks) },
      { name: 'Opt-out %', type: 'line', yAxisIndex: 1, data: h.days.map((d) => (d.delivered ? +((d.optOuts / d.delivered) * 100).toFixed(2) : 0)) },
      { name: 'Bounce %', type: 'line', yAxisIndex: 1, data: h.days.map((d) => (d.sent ? +((d.bounces / d.sent) * 100).toFixed(2) : 0)) },
    ],
  }), [h]);
  return <Chart option={option} height={300} label="Email health per day" testId="email-health-chart" />;
}

export function HealthPage() {
  const [params, setParams] = useSearchParams();
  const [from, setFrom] = useState(params.get('from') ?? '');
  const [to, setTo] = useState(params.get('to') ?? '');
  const campaignId = params.get('campaignId') ?? undefined;
  const programId = params.get('programId') ?? undefined;
  const q = useQuery({ queryKey: emailKeys.health({ from, to, campaignId, programId }), queryFn: () => getHealth({ from: from || undefined, to: to || undefined, campaignId, programId }) });
  const scopeName = (scope: 'campaign' | 'program', id: string) => q.data?.scopes.find((x) => x.scope === scope && x.id === id)?.name ?? `${scope} ${id}`;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Email</h1>
          <p className="subtitle">Are we burning the list? Unique opens and clicks, opt-outs, bounces and complaints of the messages sent each day{campaignId ? ` — ${scopeName('campaign', campaignId)}` : ''}{programId ? ` — ${scopeName('program', programId)}` : ''}.</p>
        </div>
        {(campaignId || programId) && <button className="btn" onClick={() => setParams({})}>Show all</button>}
      </div>
      <EmailTabs />
      <div style={{ display: 'flex', gap: 8 }}>
        <TextField label="From" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label="To" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} retry={() => q.refetch()} /> : q.data.totals.sent === 0 ? (
        <div className="card"><Empty title="No email sent in this period">Health appears once messages are sent (test-sends are not counted). Pick a longer period or start a nurture program.</Empty></div>
      ) : (
        <>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))', gap: 12, margin: '12px 0' }} data-testid="email-health-totals">
            {[
              ['Sent', formatNumber(q.data.totals.sent)],
              ['Delivered', formatNumber(q.data.totals.delivered)],
              ['Open rate', pct(q.data.totals.openRate)],
              ['Click rate', pct(q.data.totals.clickRate)],
              ['Opt-out rate', pct(q.data.totals.optOutRate)],
              ['Bounce rate', pct(q.data.totals.bounceRate)],
              ['Complaints', formatNumber(q.data.totals.complaints)],
            ].map(([k, v]) => (
              <div key={k} className="card" style={{ padding: 12 }}><div className="small muted">{k}</div><div style={{ fontSize: 22, fontWeight: 600 }}>{v}</div></div>
            ))}
          </div>
          <div className="card" style={{ padding: 12 }}><HealthChart h={q.data} /></div>
          <h2 style={{ fontSize: 16, marginTop: 24 }}>By campaign and program</h2>
          <p className="small muted">Alerts (an in-app notification to admins) when opt-outs pass {q.data.thresholds.optOutPct}% of delivered or bounces {q.data.thresholds.bounceAlertPct}% of sent over 7 days.</p>
          <div className="card">
            {q.data.scopes.length === 0 ? <Empty title="No campaign or program sent in this period">Messages queued by nurture programs or with a campaign appear here.</Empty> : (
              <table className="table" data-testid="email-health-scopes">
                <thead><tr><th>Scope</th><th>Sent</th><th>Delivered</th><th>Opens</th><th>Clicks</th><th>Opt-outs</th><th>Bounces</th><th>Complaints</th><th>Opt-out %</th><th>Bounce %</th></tr></thead>
                <tbody>
                  {q.data.scopes.map((s) => (
                    <tr key={`${s.scope}:${s.id}`}>
                      <td><button style={{ background: 'none', border: 0, padding: 0, color: '#4c5fd5', cursor: 'pointer' }} onClick={() => setParams({ [`${s.scope}Id`]: s.id })}>{s.name ?? `${s.scope} ${s.id}`}</button> <span className="muted small">{s.scope === 'campaign' ? 'Campaign' : 'Program'}</span> {s.alert && <Badge tone="red">alert</Badge>}</td>
                      <td>{s.sent}</td><td>{s.delivered}</td><td>{s.opens}</td><td>{s.clicks}</td><td>{s.optOuts}</td><td>{s.bounces}</td><td>{s.complaints}</td>
                      <td>{pct(s.optOutRate)}</td><td>{pct(s.bounceRate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </>
      )}
    </>
  );
}
