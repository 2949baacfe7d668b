// The topic backlog: topics ranked by reader interest (readers, views, read depth, ratings) and field intel
// mentions, with what is already in production; "cycle the top interests" puts an idea per top topic on the
// calendar.
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { cycleTopInterests, getBacklog, itemPath, salesKeys, type Backlog, type CycleResult } from '../../api/content-sales.ts';
import { Chart } from '../../components/Chart.tsx';
import { Empty, ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { formatNumber } from '../../components/format.ts';
import { useCan } from '../identity/auth.tsx';
import './sales.css';

const PARTS: [keyof Backlog['weights'], string][] = [
  ['readers', 'readers'],
  ['views', 'views'],
  ['depth', 'read depth'],
  ['ratings', 'ratings'],
  ['intel', 'field intel'],
];

function chartOption(b: Backlog): EChartsOption {
  const top = b.topics.slice(0, 12).reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, name: 'score' },
    yAxis: { type: 'category', data: top.map((t) => t.topic) },
    series: [{ type: 'bar', name: 'Interest score', data: top.map((t) => t.score), barMaxWidth: 18, label: { show: true, position: 'right', formatter: '{c}' } }],
  };
}

function CycleOutcome({ r }: { r: CycleResult }) {
  return (
    <div className={`alert ${r.created.length ? 'alert-success' : 'alert-info'}`} data-testid="cycle-result">
      {r.created.length ? (
        <>
          New ideas on the calendar:{' '}
          {r.created.map((c, i) => (
            <span key={c.id}>
              {i > 0 && ', '}
              <Link to={itemPath(c.id)}>{c.title}</Link>
            </span>
          ))}
          .
        </>
      ) : (
        'No new ideas: every top topic already has something in production.'
      )}
      {r.skipped.length > 0 && <div className="small">Skipped: {r.skipped.map((s) => `${s.topic} (${s.reason})`).join('; ')}.</div>}
    </div>
  );
}

export function BacklogPage() {
  const qc = useQueryClient();
  const canWrite = useCan('content:write');
  const [days, setDays] = useState(90);
  const [top, setTop] = useState(3);
  const [selected, setSelected] = useState<string[]>([]);
  const backlog = useQuery({ queryKey: salesKeys.backlog(days), queryFn: () => getBacklog(days) });
  const option = useMemo(() => (backlog.data?.topics.length ? chartOption(backlog.data) : null), [backlog.data]);
  const cycle = useMutation({
    mutationFn: () => cycleTopInterests(selected.length ? { topics: selected, days } : { top, days }),
    onSuccess: () => {
      setSelected([]);
      qc.invalidateQueries({ queryKey: ['content-backlog'] });
    },
  });
  const b = backlog.data;
  const toggle = (t: string) => setSelected((s) => (s.includes(t) ? s.filter((x) => x !== t) : [...s, t]));
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Topic backlog</h1>
          <p className="subtitle">What readers and the field care about most. Cycle the top interests into new ideas on the editorial calendar.</p>
        </div>
        <div className="actions">
          <select className="input select-inline" aria-label="Window" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[30, 90, 180, 365].map((d) => (
              <option key={d} value={d}>
                Last {d} days
              </option>
            ))}
          </select>
          {canWrite && (
            <>
              {selected.length === 0 && (
                <select className="input select-inline" aria-label="How many topics" value={top} onChange={(e) => setTop(Number(e.target.value))}>
                  {[1, 3, 5, 10].map((n) => (
                    <option key={n} value={n}>
                      Top {n}
                    </option>
                  ))}
                </select>
              )}
              <button className="btn btn-primary" onClick={() => cycle.mutate()} disabled={cycle.isPending || !b?.topics.length} data-testid="cycle-button">
                {cycle.isPending ? 'Cycling…' : selected.length ? `Cycle ${selected.length} selected` : 'Cycle the top interests'}
              </button>
            </>
          )}
        </div>
      </div>
      <ErrorAlert error={cycle.error} />
      {cycle.data && <CycleOutcome r={cycle.data} />}
      {backlog.isPending ? (
        <Loading label="Ranking topics…" />
      ) : backlog.isError ? (
        <ErrorState error={backlog.error} retry={() => backlog.refetch()} title="Could not load the backlog" />
      ) : !b!.topics.length ? (
        <div className="card">
          <Empty title="No topics yet">Tag content items with topics, or post field intel with topics: readers, ratings and mentions rank them here.</Empty>
        </div>
      ) : (
        <div className="stack">
          <div className="card">
            <div className="card-header">
              <strong>Interest score</strong>
              <span className="muted small">
                0–100, each part scaled to the top topic: {PARTS.map(([k, l]) => `${l} ${Math.round(b!.weights[k]! * 100)}%`).join(', ')}
              </span>
            </div>
            <div className="card-body">{option && <Chart option={option} height={Math.max(180, 28 * Math.min(12, b!.topics.length) + 30)} label="Topics by interest score" testId="backlog-chart" />}</div>
          </div>
          <div className="card">
            <div className="table-wrap">
              <table className="table" data-testid="backlog-table">
                <thead>
                  <tr>
                    {canWrite && <th aria-label="Select" />}
                    <th>Topic</th>
                    <th>Score</th>
                    <th className="num">Readers</th>
                    <th className="num">Views</th>
                    <th className="num">Avg depth</th>
                    <th className="num">Rating</th>
                    <th className="num">Field intel</th>
                    <th className="num">Items</th>
                    <th className="num">In production</th>
                    <th className="num">SMEs</th>
                  </tr>
                </thead>
                <tbody>
                  {b!.topics.map((t) => (
                    <tr key={t.topic}>
                      {canWrite && (
                        <td>
                          <input type="checkbox" aria-label={`Select ${t.topic}`} checked={selected.includes(t.topic)} onChange={() => toggle(t.topic)} />
                        </td>
                      )}
                      <td className="primary">
                        <Link to={`/content/library?topic=${encodeURIComponent(t.topic)}`} title="Published content on this topic">
                          {t.topic}
                        </Link>
                      </td>
                      <td style={{ whiteSpace: 'nowrap' }}>
                        <span className="score-bar" style={{ width: Math.max(2, t.score * 0.8) }} />
                        {t.score}
                      </td>
                      <td className="num">{formatNumber(t.readers)}</td>
                      <td className="num">{formatNumber(t.views)}</td>
                      <td className="num">{t.avgDepthPct === null ? '—' : `${Math.round(t.avgDepthPct)}%`}</td>
                      <td className="num">{t.avgRating === null ? '—' : `${t.avgRating.toFixed(1)} (${t.ratings})`}</td>
                      <td className="num">
                        {t.intelMentions ? <Link to={`/content/intel?topic=${encodeURIComponent(t.topic)}`}>{t.intelMentions}</Link> : 0}
                      </td>
                      <td className="num">{t.items}</td>
                      <td className="num">{t.inProduction || <span className="muted">none</span>}</td>
                      <td className="num">{t.smes || <span style={{ color: 'var(--warning)' }}>none</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
