// The marketing fitness test (seed 004): four yes/no questions answered from data, each with its evidence and the
// threshold used, plus the history of stored snapshots (daily job and "Take snapshot").
import { useMemo } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { getFitness, getFitnessHistory, spendKeys, takeFitnessSnapshot } from '../../api/spend.ts';
import { Badge } from '../../components/Badge.tsx';
import { Chart } from '../../components/Chart.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';

const ANSWER = { yes: { tone: 'green', label: 'Yes' }, no: { tone: 'red', label: 'No' }, no_data: { tone: 'gray', label: 'No data' } } as const;
const SHORT = { repeatable: 'Repeatable process', accountable: 'Accountability', market_driven: 'Market-driven', efficient: 'Efficient execution' } as const;

export function FitnessPage() {
  const qc = useQueryClient();
  const canManage = useCan('spend:manage');
  const card = useQuery({ queryKey: spendKeys.fitness, queryFn: getFitness });
  const hist = useQuery({ queryKey: spendKeys.fitnessHistory, queryFn: getFitnessHistory });
  const snap = useMutation({ mutationFn: takeFitnessSnapshot, onSuccess: () => qc.invalidateQueries({ queryKey: ['fitness'] }) });
  const option = useMemo<EChartsOption | null>(() => {
    const items = [...(hist.data?.items ?? [])].reverse();
    if (items.length < 2) return null;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', min: 0, max: 4, interval: 1, name: 'yes' },
      series: [{ name: 'Yes answers', type: 'line', step: 'end', data: items.map((i) => [i.takenAt, i.yesCount]) }],
    };
  }, [hist.data]);
  if (card.isPending) return <Loading />;
  if (card.isError) return <ErrorState error={card.error} retry={() => card.refetch()} />;
  const c = card.data;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Marketing fitness test</h1>
          <p className="subtitle">Four questions every marketing leader should answer “yes”, answered from revloop's data with the evidence and the threshold behind each answer.</p>
        </div>
        <div className="actions">
          {canManage && (
            <button className="btn btn-primary" onClick={() => snap.mutate()} disabled={snap.isPending}>
              {snap.isPending ? 'Saving…' : 'Take snapshot'}
            </button>
          )}
        </div>
      </div>
      <ErrorAlert error={snap.error} />
      <p data-testid="fitness-summary-line" style={{ margin: '0 0 var(--s3)' }}>
        <strong>{c.yesCount} of 4</strong> answered yes, as of {formatDateTime(c.takenAt)}.
      </p>
      <div className="stats" data-testid="fitness-summary">
        {c.questions.map((q) => (
          <div className="stat" key={q.key}>
            <div className="label">{SHORT[q.key]}</div>
            <div className="value"><Badge tone={ANSWER[q.answer].tone}>{ANSWER[q.answer].label}</Badge></div>
          </div>
        ))}
      </div>
      {c.questions.map((q, i) => (
        <div className="card" key={q.key} style={{ marginTop: 'var(--s5)' }} data-testid={`fitness-${q.key}`}>
          <div className="card-header">
            <h2>{i + 1}. {SHORT[q.key]}</h2>
            <Badge tone={ANSWER[q.answer].tone}>{ANSWER[q.answer].label}</Badge>
          </div>
          <div className="card-body" style={{ paddingBottom: 0 }}>
            <em>{q.question}</em>
          </div>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr><th>Evidence</th><th>Value</th><th>Threshold</th><th>Met</th></tr>
              </thead>
              <tbody>
                {q.evidence.map((e, j) => (
                  <tr key={j}>
                    <td>{e.label}</td>
                    <td className="nowrap">{e.display}</td>
                    <td className="small">{e.threshold}</td>
                    <td>{e.met === null ? <span className="muted">—</span> : e.met ? <Badge tone="green">met</Badge> : <Badge tone="red">not met</Badge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="card-body muted small">{q.note}</div>
        </div>
      ))}
      <div className="card" style={{ marginTop: 'var(--s5)' }}>
        <div className="card-header"><h2>History</h2></div>
        {!hist.data?.items.length ? (
          <div className="card-body muted">No snapshot stored yet. One is taken every day at 03:15 UTC; take one now to start the history.</div>
        ) : (
          <>
            {option && <div className="card-body"><Chart option={option} height={180} label="Yes answers over time" testId="fitness-history-chart" /></div>}
            <div className="table-wrap">
              <table className="table" data-testid="fitness-history">
                <thead>
                  <tr><th>Taken</th><th>How</th>{Object.values(SHORT).map((l) => <th key={l}>{l}</th>)}<th className="num">Yes</th></tr>
                </thead>
                <tbody>
                  {hist.data.items.slice(0, 30).map((h) => (
                    <tr key={h.id}>
                      <td className="nowrap">{formatDateTime(h.takenAt)}</td>
                      <td className="muted small">{h.trigger === 'daily' ? 'daily job' : 'on demand'}</td>
                      {(Object.keys(SHORT) as (keyof typeof SHORT)[]).map((k) => {
                        const a = h.answers[k] ?? 'no_data';
                        return <td key={k}><Badge tone={ANSWER[a].tone}>{ANSWER[a].label}</Badge></td>;
                      })}
                      <td className="num">{h.yesCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </div>
    </>
  );
}
