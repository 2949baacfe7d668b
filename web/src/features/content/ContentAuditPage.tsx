// Content audit: per item stage fit, freshness (age, last update), rating, read depth and influence; live items
// flagged for refresh or retirement by the workspace's thresholds (editable by content writers); CSV export.
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CONTENT_STAGE_LABELS, CONTENT_STAGES, CONTENT_STATUS_LABELS, CONTENT_TYPE_LABELS, CONTENT_TYPES } from '../../../../src/contracts/content.ts';
import { auditExportUrl, getAudit, insightKeys, updateAuditSettings, type AuditRowT, type AuditSettings } from '../../api/content-insights.ts';
import { ApiError } from '../../api/client.ts';
import { Badge } from '../../components/Badge.tsx';
import { IconExport } from '../../components/icons.tsx';
import { Empty, ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { formatDate, formatNumber, formatRelative } from '../../components/format.ts';
import { useUrlFilters } from '../../components/ListFilters.tsx';
import { useCan } from '../identity/auth.tsx';
import './insights.css';

const FLAGS = [
  ['all', 'All'],
  ['flagged', 'Flagged'],
  ['refresh', 'Refresh'],
  ['retire', 'Retire'],
] as const;

const THRESHOLDS: [keyof AuditSettings, string, number][] = [
  ['refreshAfterDays', 'Refresh when not updated for (days)', 1],
  ['retireAfterDays', 'Retire when older than (days)', 1],
  ['minViews90d', '…and fewer views in 90 days than', 1],
  ['minRating', 'Refresh below average rating', 0.1],
  ['minDepthPct', 'Refresh below average depth (%)', 1],
];

function Thresholds({ settings, onClose }: { settings: AuditSettings; onClose: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState<Record<string, string>>(Object.fromEntries(THRESHOLDS.map(([k]) => [k, String(settings[k])])));
  const save = useMutation({
    mutationFn: () => updateAuditSettings(Object.fromEntries(THRESHOLDS.map(([k]) => [k, Number(form[k])]))),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['content-audit'] });
      onClose();
    },
  });
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  return (
    <form
      className="audit-thresholds"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {THRESHOLDS.map(([k, label, step]) => (
        <label key={k}>
          {label}
          <input className="input" type="number" step={step} value={form[k]} aria-invalid={Boolean(fieldErrors[k])} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
          {fieldErrors[k] && <span className="field-error">{fieldErrors[k]}</span>}
        </label>
      ))}
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save thresholds'}
        </button>
      </div>
    </form>
  );
}

function FlagBadge({ row }: { row: AuditRowT }) {
  if (row.flag === 'retire') return <Badge tone="red">Retire</Badge>;
  if (row.flag === 'refresh') return <Badge tone="amber">Refresh</Badge>;
  return <Badge tone="green">OK</Badge>;
}

function AuditTable({ rows }: { rows: AuditRowT[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th>Item</th>
            <th>Stage · type</th>
            <th className="num">Age</th>
            <th className="num">Updated</th>
            <th className="num">Views (90 d)</th>
            <th className="num">Readers</th>
            <th className="num">Depth</th>
            <th className="num">Rating</th>
            <th className="num">Stage fit</th>
            <th className="num">Influence</th>
            <th>Flag</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="audit-title">
                <Link to={`/content/${r.id}`}>{r.title}</Link>
                <div className="muted small">{CONTENT_STATUS_LABELS[r.status]}{r.publishedAt ? ` · published ${formatDate(r.publishedAt)}` : ''}</div>
              </td>
              <td>
                {CONTENT_STAGE_LABELS[r.stage]}
                <div className="muted small">{CONTENT_TYPE_LABELS[r.type]}</div>
              </td>
              <td className="num">{r.ageDays} d</td>
              <td className="num" title={r.updatedAt}>{r.daysSinceUpdate} d ago</td>
              <td className="num">
                {formatNumber(r.views)} <span className="muted">({formatNumber(r.views90d)})</span>
              </td>
              <td className="num">{formatNumber(r.readers)}</td>
              <td className="num">{r.avgDepthPct == null ? '—' : `${Math.round(r.avgDepthPct)} %`}</td>
              <td className="num">{r.avgRating == null ? '—' : `${r.avgRating.toFixed(1)} ★ (${r.ratings})`}</td>
              <td className="num">{r.stageFit == null ? '—' : `${Math.round(r.stageFit * 100)} %`}</td>
              <td className="num">
                {r.influencedContacts} · ${formatNumber(Math.round(r.influencedPipeline))}
              </td>
              <td className="audit-flag">
                <FlagBadge row={r} />
                {r.reasons.map((x) => (
                  <div key={x} className="audit-reasons">
                    {x}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ContentAuditPage() {
  const { filters, update } = useUrlFilters();
  const canWrite = useCan('content:write');
  const [editing, setEditing] = useState(false);
  const params = { flag: filters.flag ?? 'all', stage: filters.stage, type: filters.type };
  const q = useQuery({ queryKey: insightKeys.audit(params), queryFn: () => getAudit(params) });
  const a = q.data;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Content audit</h1>
          <p className="subtitle">
            Is each piece still fresh, read, liked, reaching the right stage and moving leads? Live items past the thresholds are flagged to refresh or retire.
            {a && <> Figures {a.refreshedAt ? `updated ${formatRelative(a.refreshedAt)}` : 'not computed yet'}.</>}
          </p>
        </div>
        <div className="actions">
          {canWrite && !editing && (
            <button className="btn" onClick={() => setEditing(true)}>
              Thresholds
            </button>
          )}
          <a className="btn" href={auditExportUrl({ flag: params.flag, stage: params.stage, type: params.type })} download data-testid="export-audit-csv">
            <IconExport /> Export CSV
          </a>
        </div>
      </div>
      {q.isPending ? (
        <Loading label="Loading the audit…" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load the audit" />
      ) : (
        <div className="stack">
          <div className="stats">
            <div className="stat">
              <div className="label">Items audited</div>
              <div className="value">{formatNumber(a!.counts.items)}</div>
            </div>
            <div className={`stat${a!.counts.refresh ? ' red' : ' green'}`}>
              <div className="label">To refresh</div>
              <div className="value" data-testid="audit-refresh">{a!.counts.refresh}</div>
            </div>
            <div className={`stat${a!.counts.retire ? ' red' : ' green'}`}>
              <div className="label">To retire</div>
              <div className="value" data-testid="audit-retire">{a!.counts.retire}</div>
            </div>
            <div className="stat">
              <div className="label">Thresholds</div>
              <div className="stat-note">
                Refresh when not updated for {a!.settings.refreshAfterDays} days; retire when older than {a!.settings.retireAfterDays} days with under {a!.settings.minViews90d} views in 90 days
              </div>
            </div>
          </div>
          {editing && (
            <div className="card">
              <div className="card-header">
                <h2>Audit thresholds</h2>
              </div>
              <Thresholds settings={a!.settings} onClose={() => setEditing(false)} />
            </div>
          )}
          <div className="card">
            <div className="toolbar">
              <div className="segmented" role="tablist" aria-label="Flag">
                {FLAGS.map(([v, label]) => (
                  <button key={v} role="tab" aria-selected={params.flag === v} className={params.flag === v ? 'active' : ''} onClick={() => update({ flag: v === 'all' ? undefined : v })}>
                    {label}
                  </button>
                ))}
              </div>
              <select className="input select-inline" aria-label="Stage" value={filters.stage ?? ''} onChange={(e) => update({ stage: e.target.value || undefined })}>
                <option value="">All stages</option>
                {CONTENT_STAGES.map((s) => (
                  <option key={s} value={s}>
                    {CONTENT_STAGE_LABELS[s]}
                  </option>
                ))}
              </select>
              <select className="input select-inline" aria-label="Type" value={filters.type ?? ''} onChange={(e) => update({ type: e.target.value || undefined })}>
                <option value="">All types</option>
                {CONTENT_TYPES.map((s) => (
                  <option key={s} value={s}>
                    {CONTENT_TYPE_LABELS[s]}
                  </option>
                ))}
              </select>
              <div className="spacer" />
              <span className="muted small">{a!.rows.length} shown</span>
            </div>
            {a!.rows.length === 0 ? (
              a!.counts.items === 0 ? (
                <Empty title="Nothing to audit yet">
                  Add content items in <Link to="/content">Content</Link> or import your inventory; once they are published and read, the audit shows freshness, ratings,
                  depth and influence.
                </Empty>
              ) : (
                <Empty title="No items match" actions={<button className="btn" onClick={() => update({ flag: undefined, stage: undefined, type: undefined })}>Show all</button>}>
                  {params.flag === 'all' ? 'Try another stage or type.' : 'Nothing is flagged with these filters: the content is in good shape.'}
                </Empty>
              )
            ) : (
              <AuditTable rows={a!.rows} />
            )}
          </div>
        </div>
      )}
    </>
  );
}
