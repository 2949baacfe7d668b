// A segment: its need and market, member count, joins and leaves per day (chart) with the latest changes,
// the members (paged), and actions (edit rule, rebuild, archive, open in Contacts).
import { useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { getSegment, marketKeys, rebuildSegment, segmentHistory, segmentMembers, updateSegment, type RuleGroup } from '../../api/market.ts';
import { Badge, LifecycleBadge } from '../../components/Badge.tsx';
import { Chart } from '../../components/Chart.tsx';
import { formatDateTime, formatNumber, formatRelative } from '../../components/format.ts';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { Empty, ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import type { LifecycleStage } from '../../api/types.ts';
import { useCan } from '../identity/auth.tsx';
import { describeRule } from './describe.ts';
import './market.css';

export function SegmentPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canManage = useCan('market:manage');
  const pager = useCursorStack(String(id));
  const after = Number(pager.cursor ?? 0);
  const seg = useQuery({ queryKey: marketKeys.segment(id), queryFn: () => getSegment(id) });
  const history = useQuery({ queryKey: marketKeys.history(id), queryFn: () => segmentHistory(id) });
  const members = useQuery({ queryKey: marketKeys.members(id, after), queryFn: () => segmentMembers(id, after) });
  const invalidate = () => qc.invalidateQueries({ queryKey: ['segment', id] });
  const rebuild = useMutation({ mutationFn: () => rebuildSegment(id), onSuccess: invalidate });
  const archive = useMutation({ mutationFn: (status: 'active' | 'archived') => updateSegment(id, { status }), onSuccess: invalidate });
  const option = useMemo<EChartsOption | null>(() => {
    if (!history.data) return null;
    const d = history.data.days;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: d.map((x) => x.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: 'Joined', type: 'bar', stack: 'x', data: d.map((x) => x.joined), itemStyle: { color: '#1f8a4c' } },
        { name: 'Left', type: 'bar', stack: 'x', data: d.map((x) => -x.left), itemStyle: { color: '#c9372c' } },
      ],
    };
  }, [history.data]);
  if (seg.isPending) return <Loading label="Loading segment…" />;
  if (seg.isError) return <ErrorState error={seg.error} retry={() => seg.refetch()} title="Could not load this segment" />;
  const s = seg.data;
  return (
    <>
      <div className="page-header">
        <div>
          <div className="muted small">
            <Link to="/segments">Segments</Link> {s.marketName && <>/ <Link to="/markets">{s.marketName}</Link></>}
          </div>
          <h1>
            {s.name} <Badge tone={s.status === 'active' ? 'green' : 'gray'}>{s.status === 'active' ? 'Active' : 'Archived'}</Badge>
          </h1>
          {s.need && <p className="subtitle">Need: {s.need}</p>}
        </div>
        <div className="actions">
          <Link className="btn" to={`/contacts?segmentId=${s.id}`}>
            Open in Contacts
          </Link>
          {canManage && (
            <>
              <button className="btn" onClick={() => archive.mutate(s.status === 'active' ? 'archived' : 'active')} disabled={archive.isPending}>
                {s.status === 'active' ? 'Archive' : 'Reactivate'}
              </button>
              <button className="btn" onClick={() => rebuild.mutate()} disabled={rebuild.isPending || s.status !== 'active'}>
                {rebuild.isPending ? 'Rebuilding…' : 'Rebuild now'}
              </button>
              <button className="btn btn-primary" onClick={() => navigate(`/segments/${s.id}/edit`)}>
                Edit rule
              </button>
            </>
          )}
        </div>
      </div>
      <ErrorAlert error={rebuild.error ?? archive.error} />
      {rebuild.data && (
        <div className="alert alert-warning" role="status">
          Rebuilt in {rebuild.data.ms} ms: {formatNumber(rebuild.data.members)} members (+{rebuild.data.joined} / −{rebuild.data.left}).
        </div>
      )}
      <div className="card">
        <div className="card-body stat-row">
          <div className="stat">
            <div className="value" data-testid="member-count">{formatNumber(s.memberCount)}</div>
            <div className="label">members now</div>
          </div>
          <div className="stat">
            <div className="value">{formatNumber(history.data?.days.reduce((n, d) => n + d.joined, 0) ?? 0)}</div>
            <div className="label">joined (60 days)</div>
          </div>
          <div className="stat">
            <div className="value">{formatNumber(history.data?.days.reduce((n, d) => n + d.left, 0) ?? 0)}</div>
            <div className="label">left (60 days)</div>
          </div>
          <div className="stat">
            <div className="value">{formatRelative(s.lastRebuiltAt)}</div>
            <div className="label">last full build{s.lastRebuildMs != null ? ` (${s.lastRebuildMs} ms)` : ''}</div>
          </div>
          <div className="stat">
            <div className="value">v{s.version}</div>
            <div className="label">{s.timeRelative ? 'time window: swept every 15 min' : 'event-driven'}</div>
          </div>
        </div>
        <div className="card-body muted small" style={{ borderTop: '1px solid var(--border)' }} data-testid="rule-summary">
          Rule: {describeRule(s.rule as RuleGroup)}
        </div>
      </div>
      <div className="grid-2" style={{ marginTop: 'var(--s4)' }}>
        <div className="card">
          <div className="card-header">
            <h2>Joins and leaves per day</h2>
          </div>
          <div className="card-body">{option ? <Chart option={option} height={240} label="Joins and leaves per day" testId="segment-history-chart" /> : <Loading />}</div>
        </div>
        <div className="card">
          <div className="card-header">
            <h2>Latest changes</h2>
          </div>
          {history.data?.recent.length ? (
            <div className="table-wrap">
              <table className="table">
                <tbody>
                  {history.data.recent.slice(0, 8).map((r, i) => (
                    <tr key={i}>
                      <td>{r.email ? <Link to={`/contacts/${r.contactId}`}>{r.email}</Link> : <span className="muted">deleted contact</span>}</td>
                      <td>
                        <Badge tone={r.change === 'joined' ? 'green' : 'red'}>{r.change}</Badge>
                      </td>
                      <td className="muted small">{r.cause === 'change' ? 'data changed' : r.cause}</td>
                      <td className="muted small">{formatDateTime(r.at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty title="No changes yet">Contacts join and leave as their data and behaviour change; each move is listed here.</Empty>
          )}
        </div>
      </div>
      <div className="card" style={{ marginTop: 'var(--s4)' }}>
        <div className="card-header">
          <h2>Members</h2>
          <span className="muted small">{members.data ? `${formatNumber(members.data.total)} total` : ''}</span>
        </div>
        {members.isError ? (
          <ErrorState error={members.error} retry={() => members.refetch()} />
        ) : !members.data ? (
          <Loading />
        ) : members.data.items.length === 0 ? (
          <Empty title="No members">{s.status === 'active' ? 'Nobody matches the rule right now. Edit the rule and watch the preview count.' : 'Archived segments keep no members; reactivate to rebuild.'}</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="segment-members">
                <thead>
                  <tr>
                    <th>Contact</th>
                    <th>Account</th>
                    <th>Stage</th>
                    <th>Member since</th>
                  </tr>
                </thead>
                <tbody>
                  {members.data.items.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <Link to={`/contacts/${m.id}`}>{m.name ?? m.email}</Link>
                        {m.name && <div className="muted small">{m.email}</div>}
                      </td>
                      <td>{m.accountName ?? <span className="muted">—</span>}</td>
                      <td>
                        <LifecycleBadge stage={m.lifecycleStage as LifecycleStage} />
                      </td>
                      <td>{formatRelative(m.since)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <CursorPager pager={pager} nextCursor={members.data.nextAfter === null ? null : String(members.data.nextAfter)} />
          </>
        )}
      </div>
    </>
  );
}
