// Contacts list: search, filters and sort kept in the URL, keyset pagination, export and import.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { contactsExportUrl, keys, listContacts } from '../../api/contacts.ts';
import { CONTACT_SORTS, LIFECYCLE_LABELS } from '../../api/types.ts';
import { LifecycleBadge } from '../../components/Badge.tsx';
import { formatDate, formatTotal, fullName } from '../../components/format.ts';
import { IconContacts, IconExport, IconImport, IconPlus, IconSearch } from '../../components/icons.tsx';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { SortTh } from '../../components/SortHeader.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { OwnerFilter, SearchInput, useUrlFilters } from '../../components/ListFilters.tsx';
import { useSearchBox } from '../../components/useSearchBox.ts';
import { useCan } from '../identity/auth.tsx';
import { NewContactModal } from './NewContactModal.tsx';
import { PropertyFilter } from './PropertyFilter.tsx';
import { MembershipFilter } from '../market/MembershipFilter.tsx';

const FILTER_KEYS = ['q', 'lifecycleStage', 'ownerId', 'accountId', 'segmentId', 'listId'];
// The filters are everything in the URL except paging state and ?new=1 (prop.<key> filters pass through too).
const TRANSIENT_KEYS = ['new'];

export function ContactsPage() {
  const { params, setParams, filters, update } = useUrlFilters(TRANSIENT_KEYS);
  const navigate = useNavigate();
  const canWrite = useCan('contacts:write');
  const canImport = useCan('contacts:import');
  const canExport = useCan('contacts:export');
  const [creating, setCreating] = useState(params.get('new') === '1');

  const sort = filters.sort ?? '-createdAt';
  const filterKey = JSON.stringify(filters);
  const pager = useCursorStack(filterKey);

  const [q, setQ] = useSearchBox(filters.q ?? '', (v) => update({ q: v || undefined }));

  const queryParams = { ...filters, sort, cursor: pager.cursor, limit: '50' };
  const list = useQuery({ queryKey: keys.contacts(queryParams), queryFn: () => listContacts(queryParams), placeholderData: keepPreviousData });

  const hasFilters = FILTER_KEYS.some((k) => filters[k]) || Object.keys(filters).some((k) => k.startsWith('prop.'));
  const exportParams = { ...filters, sort };

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Contacts</h1>
          <p className="subtitle">People you market and sell to.</p>
        </div>
        <div className="actions">
          {canExport && (
            <a className="btn" href={contactsExportUrl(exportParams)} download data-testid="export-csv">
              <IconExport /> Export CSV
            </a>
          )}
          {canImport && (
            <Link className="btn" to="/imports/new?objectType=contacts">
              <IconImport /> Import
            </Link>
          )}
          {canWrite && (
            <button className="btn btn-primary" onClick={() => setCreating(true)}>
              <IconPlus /> New contact
            </button>
          )}
        </div>
      </div>

      <div className="card">
        <div className="toolbar">
          <SearchInput placeholder="Search by name or email" label="Search contacts" value={q} onChange={setQ} />
          <select className="input select-inline" aria-label="Lifecycle stage" value={filters.lifecycleStage ?? ''} onChange={(e) => update({ lifecycleStage: e.target.value || undefined })}>
            <option value="">All lifecycle stages</option>
            {Object.entries(LIFECYCLE_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
          <OwnerFilter value={filters.ownerId} onChange={(ownerId) => update({ ownerId })} keepUnknown />
          <PropertyFilter filters={filters} update={update} />
          <MembershipFilter segmentId={filters.segmentId} listId={filters.listId} onChange={update} />
          {hasFilters && (
            <button className="btn btn-ghost btn-sm" onClick={() => setParams(sort !== '-createdAt' ? { sort } : {}, { replace: true })}>
              Clear filters
            </button>
          )}
          <div className="spacer" />
          {list.data && (
            <span className="muted small" data-testid="contacts-total">
              {formatTotal(list.data.total, 'contact')}
            </span>
          )}
        </div>

        <ListStates
          query={list}
          loading="Loading contacts…"
          errorTitle="Could not load contacts"
          empty={
            hasFilters ? (
              <Empty title="No contacts match these filters" icon={<IconSearch />} actions={<button className="btn" onClick={() => setParams({}, { replace: true })}>Clear filters</button>}>
                Try a shorter search or another lifecycle stage or owner.
              </Empty>
            ) : (
              <Empty
                title="No contacts yet"
                icon={<IconContacts />}
                actions={
                  <>
                    {canImport && (
                      <Link className="btn btn-primary" to="/imports/new?objectType=contacts">
                        Import a CSV
                      </Link>
                    )}
                    {canWrite && (
                      <button className="btn" onClick={() => setCreating(true)}>
                        Add a contact
                      </button>
                    )}
                  </>
                }
              >
                Import your contacts from a CSV file or add them one by one. Developers can also create them through the REST API.
              </Empty>
            )
          }
        >
          {(data) => (
            <>
              <div className="table-wrap">
                <table className="table" data-testid="contacts-table" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                  <thead>
                    <tr>
                      <SortTh label="Name" field="lastName" sort={sort} onSort={(s) => update({ sort: s })} allowed={CONTACT_SORTS} />
                      <SortTh label="Email" field="email" sort={sort} onSort={(s) => update({ sort: s })} allowed={CONTACT_SORTS} />
                      <th>Title</th>
                      <th>Account</th>
                      <th>Lifecycle stage</th>
                      <th>Owner</th>
                      <SortTh label="Created" field="createdAt" sort={sort} onSort={(s) => update({ sort: s })} allowed={CONTACT_SORTS} />
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((c) => (
                      <tr key={c.id}>
                        <td className="cell-truncate">
                          <Link className="primary" to={`/contacts/${c.id}`}>
                            {fullName(c) || <span className="muted">(no name)</span>}
                          </Link>
                        </td>
                        <td className="cell-truncate">
                          <Link to={`/contacts/${c.id}`} style={{ color: 'inherit' }}>
                            {c.email}
                          </Link>
                        </td>
                        <td className="cell-truncate">{c.title ?? <span className="muted">—</span>}</td>
                        <td className="cell-truncate">{c.account ? <Link to={`/accounts/${c.account.id}`}>{c.account.name}</Link> : <span className="muted">—</span>}</td>
                        <td>
                          <LifecycleBadge stage={c.lifecycleStage} />
                        </td>
                        <td className="cell-truncate">{c.owner?.name ?? <span className="muted">Unassigned</span>}</td>
                        <td className="nowrap muted">{formatDate(c.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <CursorPager pager={pager} nextCursor={data.nextCursor} summary={formatTotal(data.total, 'contact')} />
            </>
          )}
        </ListStates>
      </div>
      {creating && <NewContactModal onClose={() => setCreating(false)} onCreated={(c) => navigate(`/contacts/${c.id}`)} />}
    </>
  );
}
