// Tracking → source detail: events per minute over the last hour, bots, rejections, install snippet, revoke.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getSourceStats, keys, listRejections, listSources, revokeSource } from '../../api/tracking.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../components/format.ts';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { ErrorState, ListStates, Loading, NotFoundCard } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { InstallSnippet, PerMinuteChart } from './shared.tsx';

export function SourceDetailPage() {
  const id = Number(useParams().id);
  const qc = useQueryClient();
  const canManage = useCan('sources:manage');
  const [revoking, setRevoking] = useState(false);
  const list = useQuery({ queryKey: keys.sources, queryFn: listSources });
  const valid = Number.isInteger(id) && id > 0;
  const stats = useQuery({ queryKey: keys.stats(id), queryFn: () => getSourceStats(id), enabled: valid, refetchInterval: 15_000 });
  const rejections = useQuery({ queryKey: keys.rejections(id), queryFn: () => listRejections(id, 5), enabled: valid, refetchInterval: 15_000 });
  const source = list.data?.items.find((s) => s.id === id);

  if (list.isPending) return <Loading label="Loading source…" />;
  if (list.isError) return <ErrorState error={list.error} retry={() => list.refetch()} title="Could not load this source" />;
  if (!source) {
    return (
      <NotFoundCard title="Source not found" backTo="/tracking/sources" backLabel="Back to sources">
        The link may be wrong.
      </NotFoundCard>
    );
  }
  const s = stats.data;
  return (
    <>
      <div className="breadcrumb">
        <Link to="/tracking/sources">Sources</Link> / {source.name}
      </div>
      <div className="page-header">
        <div>
          <h1 data-testid="source-name">{source.name}</h1>
          <div className="entity-meta">
            <code>{source.writeKeyPrefix}…</code>
            <span className="sep">•</span>
            <span>Created {formatDate(source.createdAt)}{source.createdBy ? ` by ${source.createdBy}` : ''}</span>
            <span className="sep">•</span>
            {source.revokedAt ? <Badge tone="red">Revoked {formatDate(source.revokedAt)}</Badge> : <Badge tone="green">Active</Badge>}
          </div>
        </div>
        <div className="actions">
          <Link className="btn" to={`/tracking/live?sourceId=${source.id}`}>
            Live events
          </Link>
          {canManage && !source.revokedAt && (
            <button className="btn btn-danger-outline" onClick={() => setRevoking(true)}>
              Revoke
            </button>
          )}
        </div>
      </div>

      <div className="stack">
        {stats.isError ? (
          <div className="card">
            <ErrorState error={stats.error} retry={() => stats.refetch()} title="Could not load the statistics" />
          </div>
        ) : (
          <>
            <div className="stats" data-testid="source-stats">
              <div className="stat blue">
                <div className="label">Events, last hour</div>
                <div className="value">{s ? formatNumber(s.lastHour.events) : '…'}</div>
              </div>
              <div className="stat">
                <div className="label">Bot events, last hour</div>
                <div className="value">{s ? formatNumber(s.lastHour.bots) : '…'}</div>
              </div>
              <div className={`stat${s && s.lastHour.rejected > 0 ? ' red' : ''}`}>
                <div className="label">Rejected, last hour</div>
                <div className="value">{s ? formatNumber(s.lastHour.rejected) : '…'}</div>
              </div>
              <div className="stat">
                <div className="label">Bot events, all time</div>
                <div className="value">{s ? formatNumber(s.totalBots) : '…'}</div>
              </div>
            </div>
            <div className="card">
              <div className="card-header">
                <h2>Events per minute, last hour</h2>
                <span className="muted small">
                  <span className="live-dot" style={{ background: 'var(--accent)', boxShadow: 'none' }} />
                  people
                  <span className="live-dot" style={{ background: '#e0a33a', boxShadow: 'none', marginLeft: 12 }} />
                  bots
                </span>
              </div>
              <div className="card-body">{s ? <PerMinuteChart perMinute={s.perMinute} /> : <Loading label="Loading statistics…" />}</div>
            </div>
          </>
        )}

        <div className="card">
          <div className="card-header">
            <h2>Recent rejections</h2>
            <Link className="btn btn-sm" to={`/tracking/live?tab=rejected&sourceId=${source.id}`}>
              See all
            </Link>
          </div>
          <ListStates
            query={rejections}
            empty={<div className="card-body muted">No message from this source has been rejected.</div>}
          >
            {(data) => (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>Received</th>
                      <th>Endpoint</th>
                      <th>Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((r) => (
                      <tr key={r.id}>
                        <td className="muted nowrap">{formatDateTime(r.receivedAt)}</td>
                        <td>
                          <code>/v1/{r.endpoint}</code>
                          {r.batchIndex != null && <span className="muted small"> #{r.batchIndex}</span>}
                        </td>
                        <td>{r.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </ListStates>
        </div>

        {!source.revokedAt && (
          <div className="card">
            <div className="card-header">
              <h2>Install</h2>
            </div>
            <div className="card-body">
              <InstallSnippet />
            </div>
          </div>
        )}
      </div>

      {revoking && (
        <ConfirmDialog
          title={`Revoke “${source.name}”?`}
          confirmLabel="Revoke write key"
          onClose={() => setRevoking(false)}
          onConfirm={async () => {
            await revokeSource(source.id);
            await qc.invalidateQueries({ queryKey: keys.sources });
          }}
        >
          Websites and apps sending with this write key are refused from now on. Events already received are kept. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
