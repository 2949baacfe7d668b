// Step 2: map each CSV column to a field (suggested mapping preselected), choose options, start the import.
import { useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client.ts';
import { startImport } from '../../api/imports.ts';
import type { Import } from '../../api/types.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatBytes } from '../../components/format.ts';

export interface MappingData {
  import: Import;
  sampleRows: Record<string, string>[];
  suggestedMapping: Record<string, string | null>;
  targets: { value: string; label: string; required: boolean }[];
}

const SKIP = '';

export function MappingStep({ data, onStarted, onBack }: { data: MappingData; onStarted: (imp: Import) => void; onBack?: () => void }) {
  const { import: imp, sampleRows, targets } = data;
  const headers = imp.headers;
  const [mapping, setMapping] = useState<Record<string, string>>(() => Object.fromEntries(headers.map((h) => [h, data.suggestedMapping[h] ?? SKIP])));
  const [updateExisting, setUpdateExisting] = useState(true);
  const [createAccounts, setCreateAccounts] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const counts = useMemo(() => {
    const c = new Map<string, number>();
    for (const v of Object.values(mapping)) if (v) c.set(v, (c.get(v) ?? 0) + 1);
    return c;
  }, [mapping]);
  const missingRequired = targets.filter((t) => t.required && !counts.has(t.value));
  const duplicates = [...counts.entries()].filter(([, n]) => n > 1).map(([v]) => v);
  const mappedCount = Object.values(mapping).filter(Boolean).length;
  const labelOf = (v: string) => targets.find((t) => t.value === v)?.label ?? v;
  const problems = [
    ...missingRequired.map((t) => `Map a column to ${t.label}: it is required.`),
    ...duplicates.map((v) => `${labelOf(v)} is chosen for more than one column.`),
  ];

  async function start() {
    setError(null);
    if (problems.length) return;
    setBusy(true);
    try {
      const body = {
        mapping: Object.fromEntries(headers.map((h) => [h, mapping[h] || null])),
        options: imp.objectType === 'contacts' ? { updateExisting, createAccounts } : { updateExisting, createAccounts: false },
      };
      onStarted(await startImport(imp.id, body));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const samples = (h: string) =>
    sampleRows
      .map((r) => r[h])
      .filter((v) => v !== undefined && v !== '')
      .slice(0, 3);

  return (
    <div className="stack">
      <div className="card">
        <div className="card-header">
          <div>
            <h2>Map columns</h2>
            <div className="muted small" style={{ marginTop: 2 }}>
              {imp.filename} · {formatBytes(imp.fileSize)} · {headers.length} columns · importing {imp.objectType}
            </div>
          </div>
          <span className="muted small">
            {mappedCount} of {headers.length} columns will be imported
          </span>
        </div>
        <div className="table-wrap">
          <table className="table" data-testid="mapping-table">
            <thead>
              <tr>
                <th style={{ width: '28%' }}>Column in your file</th>
                <th>Sample values</th>
                <th style={{ width: '32%' }}>Import as</th>
              </tr>
            </thead>
            <tbody>
              {headers.map((h) => {
                const v = mapping[h] ?? SKIP;
                const dup = v && duplicates.includes(v);
                return (
                  <tr key={h}>
                    <td className="primary">{h || <span className="muted">(empty header)</span>}</td>
                    <td>
                      {samples(h).length ? (
                        samples(h).map((s, i) => (
                          <div key={i} className="sample" title={s}>
                            {s}
                          </div>
                        ))
                      ) : (
                        <span className="muted small">{sampleRows.length ? 'empty in the first rows' : 'no preview'}</span>
                      )}
                    </td>
                    <td>
                      <select className={`input${dup ? ' invalid' : ''}`} aria-label={`Map column ${h}`} value={v} onChange={(e) => setMapping((m) => ({ ...m, [h]: e.target.value }))}>
                        <option value={SKIP}>Don’t import</option>
                        {targets.map((t) => (
                          <option key={t.value} value={t.value}>
                            {t.label}
                            {t.required ? ' (required)' : ''}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>

      <div className="card">
        <div className="card-header">
          <h2>Options</h2>
        </div>
        <div className="card-body">
          <label className="checkbox">
            <input type="checkbox" checked={updateExisting} onChange={(e) => setUpdateExisting(e.target.checked)} />
            <span>
              Update existing {imp.objectType}
              <span className="hint">
                {imp.objectType === 'contacts' ? 'Contacts are matched by email.' : 'Accounts are matched by domain.'} When off, rows for existing records are reported as duplicates and
                skipped.
              </span>
            </span>
          </label>
          {imp.objectType === 'contacts' && (
            <label className="checkbox">
              <input type="checkbox" checked={createAccounts} onChange={(e) => setCreateAccounts(e.target.checked)} />
              <span>
                Create accounts from company email domains
                <span className="hint">Links each contact to the account for its email’s domain (or the account domain column), creating it when missing. Free-mail domains such as gmail.com never create accounts.</span>
              </span>
            </label>
          )}
        </div>
      </div>

      {problems.length > 0 && (
        <div className="alert alert-warning" role="alert" style={{ marginBottom: 0 }}>
          {problems.map((p) => (
            <div key={p}>{p}</div>
          ))}
        </div>
      )}
      {error ? (
        <div className="alert alert-error" role="alert" style={{ marginBottom: 0 }}>
          {errorMessage(error)}
          {error instanceof ApiError && Object.keys(error.fieldErrors).length > 0 && (
            <ul style={{ margin: '6px 0 0', paddingLeft: 18 }}>
              {Object.entries(error.fieldErrors).map(([f, m]) => (
                <li key={f}>
                  {f}: {m}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      <div className="row">
        {onBack && (
          <button className="btn" onClick={onBack} disabled={busy}>
            ← Choose another file
          </button>
        )}
        <div className="spacer" />
        {missingRequired.length === 0 && duplicates.length === 0 && <Badge tone="green">Ready to import</Badge>}
        <button className="btn btn-primary" onClick={start} disabled={busy || problems.length > 0}>
          {busy ? 'Starting…' : 'Start import'}
        </button>
      </div>
    </div>
  );
}
