// Import wizard, steps 3–4 for one import: live progress (polled every second), then the report with rejected rows.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { keys as contactKeys, listProperties } from '../../api/contacts.ts';
import { getImport, importErrorsCsvUrl, keys, listImportErrors } from '../../api/imports.ts';
import { ACCOUNT_IMPORT_FIELDS, CONTACT_IMPORT_FIELDS, type Import, type ImportPreview } from '../../api/types.ts';
import { formatBytes, formatDateTime, formatNumber } from '../../components/format.ts';
import { IconImport } from '../../components/icons.tsx';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { Empty, ErrorState, Loading, NotFoundCard } from '../../components/States.tsx';
import { MappingStep } from './MappingStep.tsx';
import { fallbackTargets, guessMapping, ImportStatusBadge, Steps } from './shared.tsx';

const ACTIVE = new Set(['queued', 'running']);

/** The rejected row's values in the file's column order. */
function orderedRow(headers: string[], row: Record<string, string>): string {
  const known = headers.filter((h) => h in row).map((h) => row[h]);
  const rest = Object.keys(row).filter((k) => !headers.includes(k)).map((k) => row[k]);
  return [...known, ...rest].join(', ');
}

function Stat({ label, value, tone, testId }: { label: string; value: number; tone?: string; testId: string }) {
  return (
    <div className={`stat${tone ? ` ${tone}` : ''}`}>
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>
        {formatNumber(value)}
      </div>
    </div>
  );
}

function Counters({ imp }: { imp: Import }) {
  return (
    <div className="stats">
      <Stat label="Rows processed" value={imp.processedRows} testId="import-processed" />
      <Stat label="Inserted" value={imp.insertedRows} tone="green" testId="import-inserted" />
      <Stat label="Updated" value={imp.updatedRows} tone="blue" testId="import-updated" />
      <Stat label="Rejected" value={imp.rejectedRows} tone={imp.rejectedRows ? 'red' : undefined} testId="import-rejected" />
    </div>
  );
}

function Progress({ imp }: { imp: Import }) {
  const pct = Math.max(0, Math.min(100, Math.round(imp.progress * 100)));
  return (
    <div className="card">
      <div className="card-body">
        <div className="row" style={{ justifyContent: 'space-between', marginBottom: 10 }}>
          <div>
            <h2>{imp.status === 'queued' ? 'Waiting to start…' : `Importing ${imp.objectType}…`}</h2>
            <div className="muted small">You can leave this page: the import keeps running in the background and survives a restart.</div>
          </div>
          <div style={{ fontSize: 22, fontWeight: 700 }} data-testid="import-progress-percent">
            {pct}%
          </div>
        </div>
        <div className="progress" role="progressbar" aria-label="Import progress" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
          <div style={{ width: `${pct}%` }} />
        </div>
      </div>
    </div>
  );
}

function RejectedRows({ imp }: { imp: Import }) {
  const pager = useCursorStack(String(imp.id));
  const errors = useQuery({ queryKey: keys.errors(imp.id, pager.cursor ?? null), queryFn: () => listImportErrors(imp.id, pager.cursor ?? null), placeholderData: keepPreviousData });
  return (
    <div className="card">
      <div className="card-header">
        <h2>Rejected rows</h2>
        {imp.rejectedRows > 0 && (
          <a className="btn btn-sm" href={importErrorsCsvUrl(imp.id)} download data-testid="download-error-report">
            <IconImport /> Download error report
          </a>
        )}
      </div>
      {imp.rejectedRows === 0 ? (
        <Empty title="No rejected rows">Every row in the file was imported.</Empty>
      ) : errors.isPending ? (
        <Loading label="Loading rejected rows…" />
      ) : errors.isError ? (
        <ErrorState error={errors.error} retry={() => errors.refetch()} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="import-errors-table">
              <thead>
                <tr>
                  <th style={{ width: 80 }}>Line</th>
                  <th style={{ width: 160 }}>Column</th>
                  <th>Reason</th>
                  <th>Row</th>
                </tr>
              </thead>
              <tbody>
                {errors.data.items.map((e, i) => (
                  <tr key={`${e.line}-${i}`}>
                    <td className="mono">{e.line}</td>
                    <td>{e.column ?? <span className="muted">—</span>}</td>
                    <td>{e.reason}</td>
                    <td className="sample" style={{ maxWidth: 360 }} title={e.row ? JSON.stringify(e.row) : ''}>
                      {e.row ? orderedRow(imp.headers, e.row) : <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {(pager.page > 1 || errors.data.nextCursor) && <CursorPager pager={pager} nextCursor={errors.data.nextCursor} />}
        </>
      )}
    </div>
  );
}

function Report({ imp }: { imp: Import }) {
  const failed = imp.status === 'failed' || imp.status === 'cancelled';
  const accepted = imp.insertedRows + imp.updatedRows;
  return (
    <div className="stack" data-testid="import-report">
      {failed ? (
        <div className="alert alert-error" role="alert" style={{ marginBottom: 0 }}>
          <strong>The import {imp.status === 'cancelled' ? 'was cancelled' : 'failed'}.</strong> {imp.errorMessage ?? ''} Rows committed before it stopped are counted below.
        </div>
      ) : (
        <div className={`alert ${imp.rejectedRows ? 'alert-warning' : 'alert-success'}`} style={{ marginBottom: 0 }} role="status">
          <strong>Import finished.</strong> {formatNumber(accepted)} of {formatNumber(imp.processedRows)} rows were imported
          {imp.rejectedRows ? `; ${formatNumber(imp.rejectedRows)} ${imp.rejectedRows === 1 ? 'row was' : 'rows were'} rejected — fix ${imp.rejectedRows === 1 ? 'it' : 'them'} in the error report and import that file again.` : '.'}
        </div>
      )}
      <Counters imp={imp} />
      <RejectedRows imp={imp} />
      <div className="row">
        <Link className="btn" to={imp.objectType === 'accounts' ? '/accounts' : '/contacts'}>
          View {imp.objectType}
        </Link>
        <Link className="btn" to={`/imports/new?objectType=${imp.objectType}`}>
          Import another file
        </Link>
      </div>
    </div>
  );
}

/** An import that still needs its mapping (the page was reloaded after upload): rebuild the mapping screen. */
function ResumeMapping({ imp }: { imp: Import }) {
  const qc = useQueryClient();
  const cached = qc.getQueryData<ImportPreview>(keys.preview(imp.id));
  const objectType = imp.objectType === 'contacts' ? 'contact' : 'account';
  const props = useQuery({ queryKey: contactKeys.properties(objectType), queryFn: () => listProperties(objectType), enabled: !cached });
  if (cached) return <MappingStep data={cached} onStarted={(i) => qc.setQueryData(keys.import(imp.id), i)} />;
  if (props.isPending) return <Loading />;
  const targets = fallbackTargets(imp.objectType, imp.objectType === 'contacts' ? CONTACT_IMPORT_FIELDS : ACCOUNT_IMPORT_FIELDS, props.data?.items ?? []);
  return (
    <MappingStep
      data={{ import: imp, sampleRows: [], targets, suggestedMapping: imp.mapping ?? guessMapping(imp.headers, targets) }}
      onStarted={(i) => qc.setQueryData(keys.import(imp.id), i)}
    />
  );
}

export function ImportDetailPage() {
  const id = Number(useParams().id);
  const qc = useQueryClient();
  const [notified, setNotified] = useState(false);
  const imp = useQuery({
    queryKey: keys.import(id),
    queryFn: () => getImport(id),
    enabled: Number.isInteger(id) && id > 0,
    refetchInterval: (q) => (q.state.data && ACTIVE.has(q.state.data.status) ? 1000 : false),
    staleTime: 0,
  });
  if (imp.data && !ACTIVE.has(imp.data.status) && imp.data.status !== 'uploaded' && !notified) {
    setNotified(true);
    qc.invalidateQueries({ queryKey: ['contacts'] });
    qc.invalidateQueries({ queryKey: ['accounts'] });
    qc.invalidateQueries({ queryKey: keys.imports });
  }

  if (!Number.isInteger(id) || id <= 0 || (imp.error instanceof ApiError && imp.error.status === 404)) {
    return (
      <NotFoundCard title="Import not found" backTo="/imports" backLabel="All imports">
        The link may be wrong.
      </NotFoundCard>
    );
  }
  if (imp.isPending) return <Loading label="Loading import…" />;
  if (imp.isError) return <ErrorState error={imp.error} retry={() => imp.refetch()} title="Could not load this import" />;
  const d = imp.data;
  const step = d.status === 'uploaded' ? 1 : ACTIVE.has(d.status) ? 2 : 3;
  return (
    <>
      <div className="breadcrumb">
        <Link to="/imports">Imports</Link> / {d.filename}
      </div>
      <div className="page-header">
        <div>
          <h1>
            {d.filename} <ImportStatusBadge status={d.status} />
          </h1>
          <p className="subtitle">
            {d.objectType === 'contacts' ? 'Contacts' : 'Accounts'} · {formatBytes(d.fileSize)} · {d.startedAt ? 'started' : 'uploaded'} {formatDateTime(d.startedAt ?? d.createdAt)}
            {d.createdBy ? ` by ${d.createdBy}` : ''}
          </p>
        </div>
      </div>
      <Steps current={step} />
      {step === 1 ? (
        <ResumeMapping imp={d} />
      ) : step === 2 ? (
        <div className="stack">
          <Progress imp={d} />
          <Counters imp={d} />
        </div>
      ) : (
        <Report imp={d} />
      )}
    </>
  );
}
