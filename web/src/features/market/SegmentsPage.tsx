// Segments: every segment with its market, need, members and freshness; "New segment" opens the builder.
import { Link, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { listMarkets, listSegments, marketKeys } from '../../api/market.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatNumber, formatRelative } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { useUrlFilters } from '../../components/ListFilters.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';

export function SegmentsPage() {
  const { filters, update } = useUrlFilters();
  const navigate = useNavigate();
  const canManage = useCan('market:manage');
  const params = { marketId: filters.marketId, status: filters.status };
  const list = useQuery({ queryKey: marketKeys.segments(params), queryFn: () => listSegments(params) });
  const markets = useQuery({ queryKey: marketKeys.markets, queryFn: listMarkets });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Segments</h1>
          <p className="subtitle">Contacts grouped by the need they share: rules over who they are and what they do, kept current as data changes.</p>
        </div>
        <div className="actions">
          {canManage && (
            <Link className="btn btn-primary" to="/segments/new">
              <IconPlus /> New segment
            </Link>
          )}
        </div>
      </div>
      <div className="card">
        <div className="toolbar">
          <select className="input select-inline" aria-label="Market" value={filters.marketId ?? ''} onChange={(e) => update({ marketId: e.target.value || undefined })}>
            <option value="">All markets</option>
            {markets.data?.items.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
          <select className="input select-inline" aria-label="Status" value={filters.status ?? ''} onChange={(e) => update({ status: e.target.value || undefined })}>
            <option value="">Active and archived</option>
            <option value="active">Active</option>
            <option value="archived">Archived</option>
          </select>
        </div>
        <ListStates
          query={list}
          loading="Loading segments…"
          errorTitle="Could not load segments"
          empty={
            <Empty title="No segments yet" actions={canManage ? <Link className="btn btn-primary" to="/segments/new">New segment</Link> : undefined}>
              Describe a need ("closes the books by hand, evaluated us this quarter") as a rule over contact and account properties and behaviour. The builder previews who matches as you go.
            </Empty>
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="segments-table">
                <thead>
                  <tr>
                    <th>Segment</th>
                    <th>Market</th>
                    <th className="num">Members</th>
                    <th>Status</th>
                    <th>Last full build</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((s) => (
                    <tr key={s.id} className="clickable" onClick={() => navigate(`/segments/${s.id}`)}>
                      <td>
                        <Link to={`/segments/${s.id}`} onClick={(e) => e.stopPropagation()}>
                          {s.name}
                        </Link>
                        {s.need && <div className="muted small">{s.need}</div>}
                      </td>
                      <td>{s.marketName ?? <span className="muted">—</span>}</td>
                      <td className="num">{formatNumber(s.memberCount)}</td>
                      <td>
                        <Badge tone={s.status === 'active' ? 'green' : 'gray'}>{s.status === 'active' ? 'Active' : 'Archived'}</Badge>
                        {s.timeRelative && (
                          <span className="muted small" title="Reads relative time: rebuilt by the 15-minute sweep">
                            {' '}
                            · time window
                          </span>
                        )}
                      </td>
                      <td>{formatRelative(s.lastRebuiltAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
    </>
  );
}
