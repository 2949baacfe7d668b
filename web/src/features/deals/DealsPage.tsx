// Deals list: stage filter, search, CSV export and import (with the rejected rows listed), "New deal".
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DEAL_STAGE_LABELS, DealStageSchema, dealKeys, dealsExportUrl, importDeals, listDeals, type DealImportResult } from '../../api/deals.ts';
import { formatTotal } from '../../components/format.ts';
import { IconExport, IconPlus, IconSearch } from '../../components/icons.tsx';
import { Modal } from '../../components/Modal.tsx';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { Empty, ErrorAlert, ListStates } from '../../components/States.tsx';
import { OwnerFilter, SearchInput, useUrlFilters } from '../../components/ListFilters.tsx';
import { useSearchBox } from '../../components/useSearchBox.ts';
import { ImportCsvButton } from '../../components/ImportCsvButton.tsx';
import { useCan } from '../identity/auth.tsx';
import { DealForm } from './DealForm.tsx';
import { DealsTable } from './DealsTable.tsx';

function ImportResult({ result, onClose }: { result: DealImportResult; onClose: () => void }) {
  return (
    <Modal title="Deals imported" onClose={onClose} wide footer={<button className="btn btn-primary" onClick={onClose}>Done</button>}>
      <p data-testid="deal-import-summary">
        {result.processed} rows: {result.inserted} new, {result.updated} updated, {result.rejected.length} rejected.
      </p>
      {result.rejected.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="deal-import-rejected">
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>External ID</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {result.rejected.map((r) => (
                <tr key={r.line}>
                  <td className="num">{r.line}</td>
                  <td className="mono">{r.externalId ?? '—'}</td>
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

export function DealsPage() {
  const { setParams, filters, update } = useUrlFilters();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('deals:write');
  const [creating, setCreating] = useState(false);
  const [result, setResult] = useState<DealImportResult | null>(null);
  const pager = useCursorStack(JSON.stringify(filters));
  const [q, setQ] = useSearchBox(filters.q ?? '', (v) => update({ q: v || undefined }));
  const queryParams = { q: filters.q, stage: filters.stage, ownerId: filters.ownerId, cursor: pager.cursor, limit: '50' };
  const list = useQuery({ queryKey: dealKeys.list(queryParams), queryFn: () => listDeals(queryParams), placeholderData: keepPreviousData });
  const imp = useMutation({
    mutationFn: (file: File) => importDeals(file),
    onSuccess: (r) => {
      setResult(r);
      qc.invalidateQueries({ queryKey: ['deals'] });
      qc.invalidateQueries({ queryKey: ['contacts'] });
    },
  });
  const hasFilters = Boolean(filters.q || filters.stage || filters.ownerId);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Deals</h1>
          <p className="subtitle">Opportunities from your CRM. Won deals make customers and carry the revenue.</p>
        </div>
        <div className="actions">
          <a className="btn" href={dealsExportUrl({ q: filters.q, stage: filters.stage, ownerId: filters.ownerId })} download data-testid="export-deals-csv">
            <IconExport /> Export CSV
          </a>
          {canWrite && (
            <>
              <ImportCsvButton label="Import CSV" pending={imp.isPending} onFile={(f) => imp.mutate(f)} testId="deal-import-file" />
              <button className="btn btn-primary" onClick={() => setCreating(true)}>
                <IconPlus /> New deal
              </button>
            </>
          )}
        </div>
      </div>
      <ErrorAlert error={imp.error} />
      <div className="card">
        <div className="toolbar">
          <SearchInput placeholder="Search by name or external ID" label="Search deals" value={q} onChange={setQ} />
          <select className="input select-inline" aria-label="Stage" value={filters.stage ?? ''} onChange={(e) => update({ stage: e.target.value || undefined })}>
            <option value="">All stages</option>
            {DealStageSchema.options.map((s) => (
              <option key={s} value={s}>
                {DEAL_STAGE_LABELS[s]}
              </option>
            ))}
          </select>
          <OwnerFilter value={filters.ownerId} onChange={(ownerId) => update({ ownerId })} />
          <div className="spacer" />
          {list.data && <span className="muted small">{formatTotal(list.data.total, 'deal')}</span>}
        </div>
        <ListStates
          query={list}
          loading="Loading deals…"
          errorTitle="Could not load deals"
          empty={
            hasFilters ? (
              <Empty title="No deals match" icon={<IconSearch />} actions={<button className="btn" onClick={() => setParams({}, { replace: true })}>Clear filters</button>} />
            ) : (
              <Empty title="No deals yet">
                Send deals from your CRM to <code>POST /api/v1/deals</code> (upsert by externalId), import a CSV with columns external_id, name, amount, currency, stage, close_date,
                owner_email, account_domain, contact_emails — or add one by hand.
              </Empty>
            )
          }
        >
          {(data) => (
            <>
              <DealsTable deals={data.items} dim={list.isPlaceholderData} />
              <CursorPager pager={pager} nextCursor={data.nextCursor} summary={formatTotal(data.total, 'deal')} />
            </>
          )}
        </ListStates>
      </div>
      {creating && <DealForm onClose={() => setCreating(false)} onSaved={(d) => navigate(`/deals/${d.id}`)} />}
      {result && <ImportResult result={result} onClose={() => setResult(null)} />}
    </>
  );
}
