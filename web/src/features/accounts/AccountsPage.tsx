// Accounts list: search, sort, keyset pagination, "New account".
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountsExportUrl, createAccount, keys, listAccounts } from '../../api/contacts.ts';
import { ACCOUNT_SORTS, type Account } from '../../api/types.ts';
import { formatDate, formatNumber, formatTotal } from '../../components/format.ts';
import { IconAccounts, IconExport, IconImport, IconPlus, IconSearch } from '../../components/icons.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { SortTh } from '../../components/SortHeader.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { OwnerFilter, SearchInput, useUrlFilters } from '../../components/ListFilters.tsx';
import { useSearchBox } from '../../components/useSearchBox.ts';
import { usePropertyDefs } from '../../components/usePropertyDefs.ts';
import { useCan } from '../identity/auth.tsx';
import { AccountFields, accountFormToInput, emptyAccountForm } from './AccountFields.tsx';

function NewAccountModal({ onClose, onCreated }: { onClose: () => void; onCreated: (a: Account) => void }) {
  const qc = useQueryClient();
  const defs = usePropertyDefs('account');
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
  const { setParams, filters, update } = useUrlFilters();
  const navigate = useNavigate();
  const canWrite = useCan('contacts:write');
  const canImport = useCan('contacts:import');
  const canExport = useCan('contacts:export');
  const [creating, setCreating] = useState(false);
  const sort = filters.sort ?? 'name';
  const pager = useCursorStack(JSON.stringify(filters));
  const [q, setQ] = useSearchBox(filters.q ?? '', (v) => update({ q: v || undefined }));
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
          <SearchInput placeholder="Search by name or domain" label="Search accounts" value={q} onChange={setQ} />
          <OwnerFilter value={filters.ownerId} onChange={(ownerId) => update({ ownerId })} />
          <div className="spacer" />
          {list.data && <span className="muted small">{formatTotal(list.data.total, 'account')}</span>}
        </div>
        <ListStates
          query={list}
          loading="Loading accounts…"
          errorTitle="Could not load accounts"
          empty={
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
          }
        >
          {(data) => (
            <>
              <div className="table-wrap">
                <table className="table" data-testid="accounts-table" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                  <thead>
                    <tr>
                      <SortTh label="Name" field="name" sort={sort} onSort={(s) => update({ sort: s })} allowed={ACCOUNT_SORTS} />
                      <th>Domain</th>
                      <th>Industry</th>
                      <th style={{ textAlign: 'right' }}>Employees</th>
                      <th>Country</th>
                      <th style={{ textAlign: 'right' }}>Contacts</th>
                      <th>Owner</th>
                      <SortTh label="Created" field="createdAt" sort={sort} onSort={(s) => update({ sort: s })} allowed={ACCOUNT_SORTS} />
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((a) => (
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
              <CursorPager pager={pager} nextCursor={data.nextCursor} summary={formatTotal(data.total, 'account')} />
            </>
          )}
        </ListStates>
      </div>
      {creating && <NewAccountModal onClose={() => setCreating(false)} onCreated={(a) => navigate(`/accounts/${a.id}`)} />}
    </>
  );
}
