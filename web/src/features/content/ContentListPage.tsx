// Content items: filters (search, stage, type, status, topic, overdue), "New item", CSV inventory import (all rows
// or none; the rejected rows listed), and the table linking to each item page.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  CONTENT_FORMAT_LABELS,
  CONTENT_STAGE_LABELS,
  CONTENT_STATUS_LABELS,
  CONTENT_TYPE_LABELS,
  ContentStageSchema,
  ContentStatusSchema,
  ContentTypeSchema,
  contentKeys,
  importContent,
  listContent,
  STATUS_TONE,
  type ContentImportResult,
  type ContentItem,
} from '../../api/content.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDate, formatTotal } from '../../components/format.ts';
import { IconPlus, IconSearch } from '../../components/icons.tsx';
import { Modal } from '../../components/Modal.tsx';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { Empty, ErrorAlert, ListStates } from '../../components/States.tsx';
import { SearchInput, useUrlFilters } from '../../components/ListFilters.tsx';
import { useSearchBox } from '../../components/useSearchBox.ts';
import { ImportCsvButton } from '../../components/ImportCsvButton.tsx';
import { useCan } from '../identity/auth.tsx';
import { ContentItemForm } from './ContentItemForm.tsx';
import './content.css';

const day = (d: string | null) => (d ? formatDate(`${d}T00:00:00Z`) : '—');

export function StatusBadge({ item }: { item: Pick<ContentItem, 'status' | 'overdue'> }) {
  return (
    <span className="status-cell">
      <Badge tone={STATUS_TONE[item.status]}>{CONTENT_STATUS_LABELS[item.status]}</Badge>
      {item.overdue && <Badge tone="red" plain>Overdue</Badge>}
    </span>
  );
}

function ImportResult({ result, onClose }: { result: ContentImportResult; onClose: () => void }) {
  return (
    <Modal title={result.imported ? 'Inventory imported' : 'Nothing imported yet'} onClose={onClose} wide footer={<button className="btn btn-primary" onClick={onClose}>Done</button>}>
      <p data-testid="content-import-summary">
        {result.imported
          ? `${result.rows} rows: ${result.created} new, ${result.updated} updated. Past page views are being attached to the items.`
          : `${result.rows} rows checked: fix the ${result.rejected.length} problem${result.rejected.length === 1 ? '' : 's'} below and import the file again (no row was written).`}
      </p>
      {result.rejected.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="content-import-rejected">
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Column</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {result.rejected.map((r, i) => (
                <tr key={i}>
                  <td className="num">{r.row}</td>
                  <td className="mono">{r.field ?? '—'}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Modal>
  );
}

export function ContentListPage() {
  const { setParams, filters, update } = useUrlFilters();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('content:write');
  const [creating, setCreating] = useState(false);
  const [result, setResult] = useState<ContentImportResult | null>(null);
  const pager = useCursorStack(JSON.stringify(filters));
  const [q, setQ] = useSearchBox(filters.q ?? '', (v) => update({ q: v || undefined }));
  const params = { q: filters.q, stage: filters.stage, type: filters.type, status: filters.status, topic: filters.topic, overdue: filters.overdue, cursor: pager.cursor, limit: '50' };
  const list = useQuery({ queryKey: contentKeys.list(params), queryFn: () => listContent(params), placeholderData: keepPreviousData });
  const imp = useMutation({
    mutationFn: (file: File) => importContent(file),
    onSuccess: (r) => {
      setResult(r);
      qc.invalidateQueries({ queryKey: ['content-items'] });
    },
  });
  const hasFilters = Boolean(filters.q || filters.stage || filters.type || filters.status || filters.topic || filters.overdue);
  const select = (key: string, label: string, all: string, options: readonly string[], labels: Record<string, string>) => (
    <select className="input select-inline" aria-label={label} value={filters[key] ?? ''} onChange={(e) => update({ [key]: e.target.value || undefined })}>
      <option value="">{all}</option>
      {options.map((s) => (
        <option key={s} value={s}>
          {labels[s]}
        </option>
      ))}
    </select>
  );

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Content</h1>
          <p className="subtitle">Thought-leadership content by buying stage, from idea to published and audited.</p>
        </div>
        <div className="actions">
          <Link className="btn" to="/content/calendar">
            Calendar
          </Link>
          {canWrite && (
            <>
              <ImportCsvButton label="Import inventory" pending={imp.isPending} onFile={(f) => imp.mutate(f)} testId="content-import-file" />
              <button className="btn btn-primary" onClick={() => setCreating(true)}>
                <IconPlus /> New item
              </button>
            </>
          )}
        </div>
      </div>
      <ErrorAlert error={imp.error} />
      <div className="card">
        <div className="toolbar">
          <SearchInput placeholder="Search title, summary, URL" label="Search content" value={q} onChange={setQ} />
          {select('stage', 'Stage', 'All stages', ContentStageSchema.options, CONTENT_STAGE_LABELS)}
          {select('type', 'Type', 'All types', ContentTypeSchema.options, CONTENT_TYPE_LABELS)}
          {select('status', 'Status', 'All statuses', ContentStatusSchema.options, CONTENT_STATUS_LABELS)}
          <label className="checkbox-inline">
            <input type="checkbox" checked={filters.overdue === 'true'} onChange={(e) => update({ overdue: e.target.checked ? 'true' : undefined })} /> Overdue only
          </label>
          {filters.topic && (
            <button className="btn btn-sm" onClick={() => update({ topic: undefined })} title="Clear the topic filter">
              Topic: {filters.topic} ✕
            </button>
          )}
          <div className="spacer" />
          {list.data && <span className="muted small">{formatTotal(list.data.total, 'item')}</span>}
        </div>
        <ListStates
          query={list}
          loading="Loading content…"
          errorTitle="Could not load content"
          empty={
            hasFilters ? (
              <Empty title="No content matches" icon={<IconSearch />} actions={<button className="btn" onClick={() => setParams({}, { replace: true })}>Clear filters</button>} />
            ) : (
              <Empty title="No content yet">
                Plan your first piece with <strong>New item</strong> (an idea for a buying stage), or import your existing inventory as a CSV with columns title, url, type, format, stage,
                status, topics, owner_email, publish_date.
              </Empty>
            )
          }
        >
          {(data) => (
            <>
              <div className="table-wrap">
                <table className="table" data-testid="content-table" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                  <thead>
                    <tr>
                      <th>Item</th>
                      <th>Stage</th>
                      <th>Type</th>
                      <th>Status</th>
                      <th>Owner</th>
                      <th>Publish</th>
                      <th>Due</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((i) => (
                      <tr key={i.id}>
                        <td className="cell-truncate">
                          <Link className="primary" to={`/content/${i.id}`}>
                            {i.title}
                          </Link>
                          <div className="muted small">
                            {CONTENT_FORMAT_LABELS[i.format]}
                            {i.topics.length > 0 && ` · ${i.topics.join(', ')}`}
                          </div>
                        </td>
                        <td className="nowrap">{CONTENT_STAGE_LABELS[i.stage]}</td>
                        <td>{CONTENT_TYPE_LABELS[i.type]}</td>
                        <td>
                          <StatusBadge item={i} />
                        </td>
                        <td className="cell-truncate">{i.owner?.name ?? <span className="muted">Unassigned</span>}</td>
                        <td className="nowrap muted">{day(i.publishDate)}</td>
                        <td className="nowrap muted">{i.dueDate ? `${day(i.dueDate)}${i.dueStatus ? ` → ${CONTENT_STATUS_LABELS[i.dueStatus]}` : ''}` : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <CursorPager pager={pager} nextCursor={data.nextCursor} summary={formatTotal(data.total, 'item')} />
            </>
          )}
        </ListStates>
      </div>
      {creating && <ContentItemForm onClose={() => setCreating(false)} onSaved={(i) => navigate(`/content/${i.id}`)} />}
      {result && <ImportResult result={result} onClose={() => setResult(null)} />}
    </>
  );
}
