// A content item: stage / type / status, the workflow (with the next moves), consumption (views, readers, average read
// depth, active reading time) and its top readers, URLs, SMEs, reader research and the workflow history.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { CONTENT_FORMAT_LABELS, CONTENT_STAGE_LABELS, CONTENT_STATUS_LABELS, CONTENT_TYPE_LABELS, contentKeys, deleteContentItem, getContentItem } from '../../api/content.ts';
import { EntityHeader } from '../../components/EntityHeader.tsx';
import { formatDate, formatDateTime, formatNumber, formatRelative } from '../../components/format.ts';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { ErrorState, Loading, NotFoundCard } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { ContentItemForm } from './ContentItemForm.tsx';
import { StatusBadge } from './ContentListPage.tsx';
import { WorkflowActions } from './WorkflowActions.tsx';
import { ItemInsights } from './ItemInsights.tsx';
import './content.css';

const day = (d: string | null) => (d ? formatDate(`${d}T00:00:00Z`) : <span className="muted">—</span>);
const secs = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${Math.round(s / 60)} min` : `${s} s`);

export function ContentItemPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('content:write');
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const q = useQuery({ queryKey: contentKeys.item(id), queryFn: () => getContentItem(id), enabled: Number.isInteger(id) && id > 0 });
  if (!Number.isInteger(id) || id <= 0 || (q.error instanceof ApiError && q.error.status === 404))
    return (
      <NotFoundCard title="Content item not found" backTo="/content" backLabel="Back to content">
        It may have been deleted, or the link is wrong.
      </NotFoundCard>
    );
  if (q.isPending) return <Loading label="Loading the item…" />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load this item" />;
  const d = q.data;
  const c = d.consumption;
  return (
    <>
      <EntityHeader listTo="/content" listLabel="Content" name={d.title} nameTestId="content-title" square onDelete={canWrite ? () => setDeleting(true) : undefined}>
        <span>{CONTENT_STAGE_LABELS[d.stage]}</span>
        <span className="sep">•</span>
        <span>{CONTENT_TYPE_LABELS[d.type]}</span>
        <span className="sep">•</span>
        <span>{CONTENT_FORMAT_LABELS[d.format]}</span>
        <span className="sep">•</span>
        <StatusBadge item={d} />
        <span className="sep">•</span>
        <span>Owner: {d.owner?.name ?? 'Unassigned'}</span>
      </EntityHeader>
      {canWrite && (
        <div className="card" style={{ marginBottom: 'var(--s4)' }}>
          <div className="card-body">
            <WorkflowActions item={d} />
          </div>
        </div>
      )}
      <div className="stats" data-testid="content-stats" style={{ marginBottom: 'var(--s4)' }}>
        <div className="stat blue">
          <div className="label">Page views</div>
          <div className="value" data-testid="stat-views">{formatNumber(c.views)}</div>
          <div className="muted small">{c.anonymousViews ? `${formatNumber(c.anonymousViews)} by anonymous visitors` : 'known and anonymous visitors'}</div>
        </div>
        <div className="stat">
          <div className="label">Readers (known contacts)</div>
          <div className="value" data-testid="stat-readers">{formatNumber(c.readers)}</div>
          <div className="muted small">{c.lastViewedAt ? `last ${formatRelative(c.lastViewedAt)}` : 'no identified reader yet'}</div>
        </div>
        <div className="stat green">
          <div className="label">Average read depth</div>
          <div className="value" data-testid="stat-depth">{c.avgDepthPct === null ? '—' : `${c.avgDepthPct}%`}</div>
          <div className="muted small">of the content element scrolled</div>
        </div>
        <div className="stat">
          <div className="label">Active reading time</div>
          <div className="value">{secs(c.activeSeconds)}</div>
          <div className="muted small">tab visible, reader active</div>
        </div>
      </div>
      <div className="detail-grid">
        <div className="card">
          <div className="card-header">
            <h2>Item</h2>
            {canWrite && (
              <button className="btn btn-sm" onClick={() => setEditing(true)}>
                Edit
              </button>
            )}
          </div>
          <div className="card-body">
            <dl className="props" data-testid="content-properties">
              <dt>Status</dt>
              <dd>{CONTENT_STATUS_LABELS[d.status]}</dd>
              <dt>Publish date</dt>
              <dd>{day(d.publishDate)}</dd>
              <dt>Due</dt>
              <dd>{d.dueDate ? <>{day(d.dueDate)} → {CONTENT_STATUS_LABELS[d.dueStatus ?? 'published']}</> : <span className="muted">—</span>}</dd>
              <dt>Topics</dt>
              <dd>{d.topics.length ? d.topics.map((t) => <Link key={t} className="tag" to={`/content?topic=${encodeURIComponent(t)}`}>{t}</Link>) : <span className="muted">—</span>}</dd>
              <dt>Segments</dt>
              <dd>{d.segments.join(', ') || <span className="muted">—</span>}</dd>
              <dt>Products</dt>
              <dd>{d.products.join(', ') || <span className="muted">—</span>}</dd>
              <dt>Target reader</dt>
              <dd>{d.targetReader ?? <span className="muted">—</span>}</dd>
              <dt>SMEs</dt>
              <dd>{d.smes.length ? d.smes.map((s) => `${s.name} (${s.role})`).join(', ') : <span className="muted">none yet</span>}</dd>
              <dt>URLs</dt>
              <dd data-testid="content-urls">
                {d.urls.length ? (
                  d.urls.map((u) => (
                    <div key={u.id} className="mono small cell-truncate" title={`matches ${u.normalized}${u.kind === 'prefix' ? ' and every page under it' : ''}`}>
                      {u.url}
                      {u.kind === 'prefix' ? ' /*' : ''} {u.canonical && <span className="muted">(canonical)</span>}
                    </div>
                  ))
                ) : (
                  <span className="muted">none: add the page URL so views attach to this item</span>
                )}
              </dd>
              <dt>Updated</dt>
              <dd>{formatDateTime(d.updatedAt)}</dd>
            </dl>
            {d.researchNotes && (
              <>
                <h3 className="small-heading">Reader research</h3>
                <p className="prewrap">{d.researchNotes}</p>
              </>
            )}
          </div>
        </div>
        <div>
          <div className="card" style={{ marginBottom: 'var(--s4)' }}>
            <div className="card-header">
              <h2>Readers</h2>
            </div>
            {d.readers.length === 0 ? (
              <div className="card-body muted">
                No identified reader yet. Views attach here when a tracked page matches one of the item's URLs; readers appear once the visitor is a known contact.
              </div>
            ) : (
              <div className="table-wrap">
                <table className="table" data-testid="content-readers">
                  <thead>
                    <tr>
                      <th>Contact</th>
                      <th className="num">Views</th>
                      <th className="num">Depth</th>
                      <th className="num">Active</th>
                      <th>Last</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.readers.map((r) => (
                      <tr key={r.contactId}>
                        <td className="cell-truncate">
                          <Link className="primary" to={`/contacts/${r.contactId}`}>{r.name ?? r.email ?? `Contact ${r.contactId}`}</Link>
                        </td>
                        <td className="num">{r.views}</td>
                        <td className="num">{r.maxDepthPct}%</td>
                        <td className="num">{secs(r.activeSeconds)}</td>
                        <td className="nowrap muted">{formatRelative(r.lastAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          <div className="card">
            <div className="card-header">
              <h2>History</h2>
            </div>
            <ul className="timeline" data-testid="content-history">
              {d.history.map((h) => (
                <li key={h.id}>
                  <strong>{h.fromStatus ? `${CONTENT_STATUS_LABELS[h.fromStatus]} → ${CONTENT_STATUS_LABELS[h.toStatus]}` : `Created as ${CONTENT_STATUS_LABELS[h.toStatus].toLowerCase()}`}</strong>
                  {h.skippedReview && <span className="badge badge-amber plain">review skipped</span>}
                  <div className="muted small">
                    {h.actor} · {formatDateTime(h.occurredAt)}
                    {h.note && h.note !== 'created' ? ` · ${h.note}` : ''}
                  </div>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </div>
      <ItemInsights itemId={d.id} />
      {editing && <ContentItemForm item={d} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete this item?"
          confirmLabel="Delete item"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteContentItem(d.id);
            qc.removeQueries({ queryKey: contentKeys.item(d.id) });
            qc.invalidateQueries({ queryKey: ['content-items'] });
            navigate('/content', { replace: true });
          }}
        >
          <strong>{d.title}</strong>, its URL rules, consumption and history will be deleted. To keep the record, retire it instead.
        </ConfirmDialog>
      )}
    </>
  );
}
