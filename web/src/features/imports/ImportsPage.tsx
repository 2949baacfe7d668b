// Imports history.
import { Link, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { keys, listImports } from '../../api/imports.ts';
import { formatBytes, formatDateTime, formatNumber } from '../../components/format.ts';
import { IconImport, IconPlus } from '../../components/icons.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { ImportStatusBadge } from './shared.tsx';

export function ImportsPage() {
  const navigate = useNavigate();
  const list = useQuery({
    queryKey: keys.imports,
    queryFn: listImports,
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.status === 'queued' || i.status === 'running') ? 2000 : false),
  });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Imports</h1>
          <p className="subtitle">CSV imports of contacts and accounts, newest first.</p>
        </div>
        <div className="actions">
          <Link className="btn btn-primary" to="/imports/new">
            <IconPlus /> New import
          </Link>
        </div>
      </div>
      <div className="card">
        <ListStates
          query={list}
          loading="Loading imports…"
          errorTitle="Could not load imports"
          empty={
            <Empty title="No imports yet" icon={<IconImport />} actions={<Link className="btn btn-primary" to="/imports/new">Import a CSV</Link>}>
              Upload a CSV of contacts or accounts. You map its columns to fields, watch the progress, and get a report of every rejected row.
            </Empty>
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="imports-table">
                <thead>
                  <tr>
                    <th>File</th>
                    <th>Object</th>
                    <th>Status</th>
                    <th style={{ textAlign: 'right' }}>Inserted</th>
                    <th style={{ textAlign: 'right' }}>Updated</th>
                    <th style={{ textAlign: 'right' }}>Rejected</th>
                    <th>By</th>
                    <th>When</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((i) => (
                    <tr key={i.id} onClick={() => navigate(`/imports/${i.id}`)} style={{ cursor: 'pointer' }}>
                      <td>
                        <Link className="primary" to={`/imports/${i.id}`}>
                          {i.filename}
                        </Link>
                        <div className="sub">{formatBytes(i.fileSize)}</div>
                      </td>
                      <td style={{ textTransform: 'capitalize' }}>{i.objectType}</td>
                      <td>
                        <ImportStatusBadge status={i.status} />
                        {(i.status === 'running' || i.status === 'queued') && <span className="muted small"> {Math.round(i.progress * 100)}%</span>}
                      </td>
                      <td style={{ textAlign: 'right' }}>{formatNumber(i.insertedRows)}</td>
                      <td style={{ textAlign: 'right' }}>{formatNumber(i.updatedRows)}</td>
                      <td style={{ textAlign: 'right', color: i.rejectedRows ? 'var(--danger)' : undefined }}>{formatNumber(i.rejectedRows)}</td>
                      <td className="cell-truncate">{i.createdBy ?? <span className="muted">—</span>}</td>
                      <td className="nowrap muted">{formatDateTime(i.createdAt)}</td>
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
