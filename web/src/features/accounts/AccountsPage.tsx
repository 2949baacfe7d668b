// Accounts list: search, sort, keyset pagination, "New account".
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountsExportUrl, createAccount, keys, listAccounts, listProperties, type Params } from '../../api/contacts.ts';
import { ACCOUNT_SORTS, type Account } from '../../api/types.ts';
import { formatDate, formatNumber, formatTotal } from '../../components/format.ts';
import { IconAccounts, IconExport, IconImport, IconPlus, IconSearch } from '../../components/icons.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { Pager, useCursorStack } from '../../components/Pager.tsx';
import { ariaSort, SortHeader } from '../../components/SortHeader.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useOwners } from '../../components/useOwners.ts';
import { useSearchBox } from '../../components/useSearchBox.ts';
import { useCan } from '../identity/auth.tsx';
import { AccountFields, accountFormToInput, emptyAccountForm } from './AccountFields.tsx';

function NewAccountModal({ onClose, onCreated }: { onClose: () => void; onCreated: (a: Account) => void }) {
  const qc = useQueryClient();
  const props = useQuery({ queryKey: keys.properties('account'), queryFn: () => listProperties('account') });
  const defs = props.data?.items ?? [];
  const [form, setForm] = useState(emptyAccountForm());
  const { mutation: create, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => createAccount(accountFormToInput(form, defs)),
    onSuccess: (a) => {
      qc.invalidateQueries({ queryKey: ['accounts'] });
      onCreated(a);
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.name.trim()) return setErrors({ name: 'Enter the company name' });
    setErrors({});
    create.mutate();
  }
  return (
    <FormDialog title="New account" formId="new-account" formLabel="New account" onClose={onClose} onSubmit={submit} error={topError} pending={create.isPending} submitLabel="Create account" pendingLabel="Creating…" wide>
      <AccountFields form={form} setForm={setForm} errors={errors} defs={defs} />
    </FormDialog>
  );
}

export function AccountsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const canWrite = useCan('contacts:write');
  const canImport = useCan('contacts:import');
  const canExport = useCan('contacts:export');
  const { owners } = useOwners();
  const [creating, setCreating] = useState(false);
  const filters = useMemo(() => {
    const f: Params = {};
    params.forEach((v, k) => {
      if (v && k !== 'cursor') f[k] = v;
    });
    return f;
  }, [params]);
  const sort = filters.sort ?? 'name';
  const pager = useCursorStack(JSON.stringify(filters));
  const [q, setQ] = useSearchBox(filters.q ?? '', (v) => update({ q: v || undefined }));
  function update(changes: Params) {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    }, { replace: true });
  }
  const queryParams = { ...filters, sort, cursor: pager.cursor, limit: '50' };
  const list = useQuery({ queryKey: keys.accounts(queryParams), queryFn: () => listAccounts(queryParams), placeholderData: keepPreviousData });
  const hasFilters = Boolean(filters.q || filters.ownerId);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Accounts</h1>
          <p className="subtitle">The companies your contacts work for.</p>
        </div>
        <div className="actions">
          {canExport && (
            <a className="btn" href={accountsExportUrl({ q: filters.q, ownerId: filters.ownerId, sort })} download data-testid="export-accounts-csv">
              <IconExport /> Export CSV
            </a>
          )}
          {canImport && (
            <Link className="btn" to="/imports/new?objectType=accounts">
              <IconImport /> Import
            </Link>
          )}
          {canWrite && (
            <button className="btn btn-primary" onClick={() => setCreating(true)}>
              <IconPlus /> New account
            </button>
          )}
        </div>
      </div>
      <div className="card">
        <div className="toolbar">
          <div className="search">
            <IconSearch />
            <input className="input" type="search" placeholder="Search by name or domain" aria-label="Search accounts" value={q} onChange={(e) => setQ(e.target.value)} />
          </div>
          <select className="input select-inline" aria-label="Owner" value={filters.ownerId ?? ''} onChange={(e) => update({ ownerId: e.target.value || undefined })}>
            <option value="">Any owner</option>
            {owners.map((o) => (
              <option key={o.id} value={String(o.id)}>
                {o.name}
              </option>
            ))}
          </select>
          <div className="spacer" />
          {list.data && <span className="muted small">{formatTotal(list.data.total, 'account')}</span>}
        </div>
        {list.isPending ? (
          <Loading label="Loading accounts…" />
        ) : list.isError ? (
          <ErrorState error={list.error} retry={() => list.refetch()} title="Could not load accounts" />
        ) : list.data.items.length === 0 ? (
          hasFilters ? (
            <Empty title="No accounts match" icon={<IconSearch />} actions={<button className="btn" onClick={() => setParams({}, { replace: true })}>Clear filters</button>}>
              Try a shorter search: names and domains match from their start.
            </Empty>
          ) : (
            <Empty
              title="No accounts yet"
              icon={<IconAccounts />}
              actions={
                <>
                  {canImport && (
                    <Link className="btn btn-primary" to="/imports/new?objectType=accounts">
                      Import a CSV
                    </Link>
                  )}
                  {canWrite && (
                    <button className="btn" onClick={() => setCreating(true)}>
                      Add an account
                    </button>
                  )}
                </>
              }
            >
              Accounts are created when you import contacts with company email domains, or you can add or import them yourself.
            </Empty>
          )
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="accounts-table" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <thead>
                  <tr>
                    <th aria-sort={ariaSort("name", sort)}>
                      <SortHeader label="Name" field="name" sort={sort} onSort={(s) => update({ sort: s })} allowed={ACCOUNT_SORTS} />
                    </th>
                    <th>Domain</th>
                    <th>Industry</th>
                    <th style={{ textAlign: 'right' }}>Employees</th>
                    <th>Country</th>
                    <th style={{ textAlign: 'right' }}>Contacts</th>
                    <th>Owner</th>
                    <th aria-sort={ariaSort("createdAt", sort)}>
                      <SortHeader label="Created" field="createdAt" sort={sort} onSort={(s) => update({ sort: s })} allowed={ACCOUNT_SORTS} />
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((a) => (
                    <tr key={a.id}>
                      <td className="cell-truncate">
                        <Link className="primary" to={`/accounts/${a.id}`}>
                          {a.name}
                        </Link>
                      </td>
                      <td className="muted">{a.domain ?? '—'}</td>
                      <td className="cell-truncate">{a.industry ?? <span className="muted">—</span>}</td>
                      <td style={{ textAlign: 'right' }}>{a.employeeCount === null ? <span className="muted">—</span> : formatNumber(a.employeeCount)}</td>
                      <td>{a.country ?? <span className="muted">—</span>}</td>
                      <td style={{ textAlign: 'right' }}>{formatNumber(a.contactCount)}</td>
                      <td className="cell-truncate">{a.owner?.name ?? <span className="muted">Unassigned</span>}</td>
                      <td className="nowrap muted">{formatDate(a.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={pager.page} hasPrev={pager.page > 1} nextCursor={list.data.nextCursor} onNext={pager.next} onPrev={pager.prev} summary={formatTotal(list.data.total, 'account')} />
          </>
        )}
      </div>
      {creating && <NewAccountModal onClose={() => setCreating(false)} onCreated={(a) => navigate(`/accounts/${a.id}`)} />}
    </>
  );
}
