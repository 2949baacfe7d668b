// Account detail: header, properties with edit mode, its contacts, delete.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { contactsExportUrl, deleteAccount, getAccount, keys, listContacts, updateAccount } from '../../api/contacts.ts';
import type { Account, PropertyDefinition } from '../../api/types.ts';
import { LifecycleBadge } from '../../components/Badge.tsx';
import { formatDateTime, formatNumber, formatTotal, fullName } from '../../components/format.ts';
import { IconContacts } from '../../components/icons.tsx';
import { EntityHeader } from '../../components/EntityHeader.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { Empty, ErrorState, ListStates, Loading, NotFoundCard } from '../../components/States.tsx';
import { usePropertyDefs } from '../../components/usePropertyDefs.ts';
import { useCan } from '../identity/auth.tsx';
import { CustomPropertyRows, EditPropertiesForm, PropertiesCard } from '../../components/PropertiesPanel.tsx';
import { AccountFields, accountFormToInput, accountToForm } from './AccountFields.tsx';
import { AccountScorePanel } from '../scoring/AccountScorePanel.tsx';
import { DealsSection } from '../deals/DealsSection.tsx';
import { AccountIntelCard } from '../content/AccountIntelCard.tsx';

function AccountProps({ a, defs }: { a: Account; defs: PropertyDefinition[] }) {
  const dash = <span className="muted">—</span>;
  return (
    <dl className="props" data-testid="account-properties">
      <dt>Name</dt>
      <dd>{a.name}</dd>
      <dt>Domain</dt>
      <dd>{a.domain ? <a href={`https://${a.domain}`} target="_blank" rel="noreferrer">{a.domain}</a> : dash}</dd>
      <dt>Industry</dt>
      <dd>{a.industry ?? dash}</dd>
      <dt>Employees</dt>
      <dd>{a.employeeCount === null ? dash : formatNumber(a.employeeCount)}</dd>
      <dt>Country</dt>
      <dd>{a.country ?? dash}</dd>
      <dt>Owner</dt>
      <dd>{a.owner?.name ?? <span className="muted">Unassigned</span>}</dd>
      <dt>Created</dt>
      <dd>{formatDateTime(a.createdAt)}</dd>
      <dt>Updated</dt>
      <dd>{formatDateTime(a.updatedAt)}</dd>
      <CustomPropertyRows values={a.properties} defs={defs} />
    </dl>
  );
}

function AccountContacts({ accountId }: { accountId: number }) {
  const pager = useCursorStack(String(accountId));
  const canExport = useCan('contacts:export');
  const params = { accountId: String(accountId), sort: 'lastName', limit: '25', cursor: pager.cursor };
  const list = useQuery({ queryKey: keys.contacts(params), queryFn: () => listContacts(params), placeholderData: keepPreviousData });
  return (
    <div className="card">
      <div className="card-header">
        <h2>Contacts {list.data && <span className="muted small" style={{ fontWeight: 400 }}>· {formatTotal(list.data.total, 'contact')}</span>}</h2>
        {canExport && list.data && list.data.items.length > 0 && (
          <a className="btn btn-sm" href={contactsExportUrl({ accountId: String(accountId) })} download>
            Export CSV
          </a>
        )}
      </div>
      <ListStates
        query={list}
        loading="Loading contacts…"
        errorTitle="Could not load contacts"
        empty={
          <Empty title="No contacts at this account" icon={<IconContacts />}>
            Contacts are linked to this account when you import them with an email at its domain, or when you pick this account on a contact.
          </Empty>
        }
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Email</th>
                    <th>Title</th>
                    <th>Lifecycle stage</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link className="primary" to={`/contacts/${c.id}`}>
                          {fullName(c) || c.email}
                        </Link>
                      </td>
                      <td className="cell-truncate">{c.email}</td>
                      <td className="cell-truncate">{c.title ?? <span className="muted">—</span>}</td>
                      <td>
                        <LifecycleBadge stage={c.lifecycleStage} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {(pager.page > 1 || data.nextCursor) && <CursorPager pager={pager} nextCursor={data.nextCursor} />}
          </>
        )}
      </ListStates>
    </div>
  );
}

function EditAccount({ account, defs, onDone }: { account: Account; defs: PropertyDefinition[]; onDone: () => void }) {
  const qc = useQueryClient();
  const initial = accountToForm(account, defs);
  return (
    <EditPropertiesForm
      label="Edit account"
      initial={initial}
      changes={(form) => accountFormToInput(form, defs, initial)}
      save={(input) => updateAccount(account.id, input)}
      onSaved={(a) => {
        qc.setQueryData(keys.account(account.id), a);
        qc.invalidateQueries({ queryKey: ['accounts'] });
      }}
      onDone={onDone}
      fields={({ form, setForm, errors }) => <AccountFields form={form} setForm={setForm} errors={errors} defs={defs} current={account} />}
    />
  );
}

export function AccountDetailPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('contacts:write');
  const canContent = useCan('content:read');
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const account = useQuery({ queryKey: keys.account(id), queryFn: () => getAccount(id), enabled: Number.isInteger(id) && id > 0 });
  const defs = usePropertyDefs('account');

  if (!Number.isInteger(id) || id <= 0 || (account.error instanceof ApiError && account.error.status === 404)) {
    return (
      <NotFoundCard title="Account not found" backTo="/accounts" backLabel="Back to accounts">
        It may have been deleted, or the link is wrong.
      </NotFoundCard>
    );
  }
  if (account.isPending) return <Loading label="Loading account…" />;
  if (account.isError) return <ErrorState error={account.error} retry={() => account.refetch()} title="Could not load this account" />;
  const a = account.data;
  return (
    <>
      <EntityHeader listTo="/accounts" listLabel="Accounts" name={a.name} nameTestId="account-name" square onDelete={canWrite ? () => setDeleting(true) : undefined}>
        {a.domain && <span>{a.domain}</span>}
        {a.domain && <span className="sep">•</span>}
        <span>{formatNumber(a.contactCount)} {a.contactCount === 1 ? 'contact' : 'contacts'}</span>
        <span className="sep">•</span>
        <span>Owner: {a.owner?.name ?? 'Unassigned'}</span>
      </EntityHeader>
      <div className="detail-grid">
        <PropertiesCard editing={editing} editTitle="Edit account" canEdit={canWrite} onEdit={() => setEditing(true)}>
          {editing ? <EditAccount account={a} defs={defs} onDone={() => setEditing(false)} /> : <AccountProps a={a} defs={defs} />}
        </PropertiesCard>
        <AccountContacts accountId={a.id} />
      </div>
      <AccountScorePanel accountId={a.id} updatedAt={a.updatedAt} />
      <DealsSection accountId={a.id} />
      {canContent && <AccountIntelCard accountId={a.id} />}
      {deleting && (
        <ConfirmDialog
          title="Delete this account?"
          confirmLabel="Delete account"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteAccount(a.id);
            qc.removeQueries({ queryKey: keys.account(a.id) });
            qc.invalidateQueries({ queryKey: ['accounts'] });
            qc.invalidateQueries({ queryKey: ['contacts'] });
            navigate('/accounts', { replace: true });
          }}
        >
          <strong>{a.name}</strong> will be deleted. Its {formatNumber(a.contactCount)} contacts are kept but no longer linked to an account. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
