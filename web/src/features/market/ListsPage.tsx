// Static lists: create lists; a list page adds contacts by email (one per line) or from a CSV of emails,
// removes them, and links to the list in Contacts. Segment rules can read list membership.
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addListMembers, createList, getList, importListCsv, listLists, listMembers, marketKeys, removeListMembers, type ListChange } from '../../api/market.ts';
import { LifecycleBadge } from '../../components/Badge.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { formatNumber, formatRelative } from '../../components/format.ts';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { IconPlus } from '../../components/icons.tsx';
import { Empty, ErrorAlert, ErrorState, ListStates, Loading } from '../../components/States.tsx';
import type { LifecycleStage } from '../../api/types.ts';
import { useCan } from '../identity/auth.tsx';
import './market.css';

function NewListDialog({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => createList({ name: name.trim(), description: description.trim() || null }),
    onSuccess: (l) => {
      qc.invalidateQueries({ queryKey: marketKeys.lists });
      navigate(`/lists/${l.id}`);
    },
    focusInvalid: true,
  });
  return (
    <FormDialog title="New list" formId="list-form" formLabel="New list" onClose={onClose} onSubmit={(e: FormEvent) => (e.preventDefault(), mutation.mutate())} error={topError} pending={mutation.isPending} submitLabel="Create list" pendingLabel="Creating…">
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} placeholder="Webinar attendees, March" autoFocus />
      <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} />
    </FormDialog>
  );
}

export function ListsPage() {
  const canManage = useCan('market:manage');
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const lists = useQuery({ queryKey: marketKeys.lists, queryFn: listLists });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Lists</h1>
          <p className="subtitle">Static lists: contacts added and removed by hand or from a CSV of emails.</p>
        </div>
        {canManage && (
          <div className="actions">
            <button className="btn btn-primary" onClick={() => setCreating(true)}>
              <IconPlus /> New list
            </button>
          </div>
        )}
      </div>
      <div className="card">
        <ListStates
          query={lists}
          loading="Loading lists…"
          errorTitle="Could not load lists"
          empty={
            <Empty title="No lists yet" actions={canManage ? <button className="btn btn-primary" onClick={() => setCreating(true)}>New list</button> : undefined}>
              A list holds exactly the contacts you put in it: event attendees, a partner's referrals, an account-based target list. Upload a CSV of emails or paste them.
            </Empty>
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="lists-table">
                <thead>
                  <tr>
                    <th>List</th>
                    <th className="num">Contacts</th>
                    <th>Changed</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((l) => (
                    <tr key={l.id} onClick={() => navigate(`/lists/${l.id}`)} style={{ cursor: 'pointer' }}>
                      <td>
                        <Link to={`/lists/${l.id}`}>{l.name}</Link>
                        {l.description && <div className="muted small">{l.description}</div>}
                      </td>
                      <td className="num">{formatNumber(l.memberCount)}</td>
                      <td>{formatRelative(l.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
      {creating && <NewListDialog onClose={() => setCreating(false)} />}
    </>
  );
}

function ChangeReport({ r }: { r: ListChange }) {
  return (
    <div className="alert alert-warning" role="status" data-testid="list-change">
      {formatNumber(r.changed)} changed, {formatNumber(r.unchanged)} already so.
      {r.notFound.length > 0 && (
        <>
          {' '}
          {r.notFound.length} not added:
          <ul>
            {r.notFound.slice(0, 10).map((n, i) => (
              <li key={i}>
                {n.line ? `line ${n.line}: ` : ''}
                {n.email}: {n.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function ListPage() {
  const id = Number(useParams().id);
  const qc = useQueryClient();
  const canManage = useCan('market:manage');
  const pager = useCursorStack(String(id));
  const after = Number(pager.cursor ?? 0);
  const [emails, setEmails] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  const list = useQuery({ queryKey: marketKeys.list(id), queryFn: () => getList(id) });
  const members = useQuery({ queryKey: marketKeys.listMembers(id, after), queryFn: () => listMembers(id, after) });
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['list', id] });
    qc.invalidateQueries({ queryKey: marketKeys.lists });
  };
  const parse = () => emails.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  const add = useMutation({ mutationFn: () => addListMembers(id, { emails: parse() }), onSuccess: () => (setEmails(''), refresh()) });
  const csv = useMutation({ mutationFn: (f: File) => importListCsv(id, f), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (contactId: number) => removeListMembers(id, { contactIds: [contactId] }), onSuccess: refresh });
  if (list.isPending) return <Loading label="Loading list…" />;
  if (list.isError) return <ErrorState error={list.error} retry={() => list.refetch()} title="Could not load this list" />;
  const report = add.data ?? csv.data;
  return (
    <>
      <div className="page-header">
        <div>
          <div className="muted small">
            <Link to="/lists">Lists</Link> /
          </div>
          <h1>{list.data.name}</h1>
          <p className="subtitle">
            {formatNumber(list.data.memberCount)} contacts{list.data.description ? ` · ${list.data.description}` : ''}
          </p>
        </div>
        <div className="actions">
          <Link className="btn" to={`/contacts?listId=${id}`}>
            Open in Contacts
          </Link>
        </div>
      </div>
      {canManage && (
        <div className="card" style={{ marginBottom: 'var(--s4)' }}>
          <div className="card-body">
            <ErrorAlert error={add.error ?? csv.error ?? remove.error} />
            {report && <ChangeReport r={report} />}
            <div className="grid-2">
              <div className="field">
                <label htmlFor="list-emails">Add contacts by email</label>
                <textarea id="list-emails" className="input" rows={3} value={emails} onChange={(e) => setEmails(e.target.value)} placeholder="ann@acme.com, bob@acme.com" style={{ height: 'auto', padding: 8 }} />
                <div>
                  <button className="btn btn-primary btn-sm" disabled={!parse().length || add.isPending} onClick={() => add.mutate()}>
                    {add.isPending ? 'Adding…' : `Add ${parse().length || ''}`}
                  </button>
                </div>
              </div>
              <div className="field">
                <label htmlFor="list-csv">Or upload a CSV of emails</label>
                <input id="list-csv" ref={fileRef} type="file" accept=".csv,text/csv" className="input" onChange={(e) => e.target.files?.[0] && csv.mutate(e.target.files[0])} style={{ paddingTop: 4 }} />
                <span className="hint">A column named "email" (else the first column). Emails that are not contacts are listed, nothing else is created.</span>
              </div>
            </div>
          </div>
        </div>
      )}
      <div className="card">
        {members.isError ? (
          <ErrorState error={members.error} retry={() => members.refetch()} />
        ) : !members.data ? (
          <Loading />
        ) : members.data.items.length === 0 ? (
          <Empty title="This list is empty">Add contacts by email above, or upload a CSV of emails.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="list-members">
                <thead>
                  <tr>
                    <th>Contact</th>
                    <th>Account</th>
                    <th>Stage</th>
                    <th>Added</th>
                    {canManage && <th />}
                  </tr>
                </thead>
                <tbody>
                  {members.data.items.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <Link to={`/contacts/${m.id}`}>{m.name ?? m.email}</Link>
                        {m.name && <div className="muted small">{m.email}</div>}
                      </td>
                      <td>{m.accountName ?? <span className="muted">—</span>}</td>
                      <td>
                        <LifecycleBadge stage={m.lifecycleStage as LifecycleStage} />
                      </td>
                      <td>{formatRelative(m.since)}</td>
                      {canManage && (
                        <td className="num">
                          <button className="btn btn-sm btn-ghost" onClick={() => remove.mutate(m.id)} aria-label={`Remove ${m.email}`}>
                            Remove
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <CursorPager pager={pager} nextCursor={members.data.nextAfter === null ? null : String(members.data.nextAfter)} />
          </>
        )}
      </div>
    </>
  );
}
