// Deal detail: amount, stage (with one-click moves through the cycles: intent → job-to-be-done → won / lost),
// linked contacts with their lifecycle stage, edit, delete.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { deleteDeal, dealKeys, formatMoney, getDeal, updateDeal, type Deal, type DealStage } from '../../api/deals.ts';
import { LifecycleBadge } from '../../components/Badge.tsx';
import { EntityHeader } from '../../components/EntityHeader.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { ErrorAlert, ErrorState, Loading, NotFoundCard } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { DealForm } from './DealForm.tsx';
import { DealStageBadge } from './DealsTable.tsx';

const NEXT: Record<DealStage, { stage: DealStage; label: string }[]> = {
  intent: [
    { stage: 'job_to_be_done', label: 'Move to job-to-be-done cycle' },
    { stage: 'won', label: 'Mark won' },
    { stage: 'lost', label: 'Mark lost' },
  ],
  job_to_be_done: [
    { stage: 'won', label: 'Mark won' },
    { stage: 'lost', label: 'Mark lost' },
  ],
  won: [],
  lost: [{ stage: 'intent', label: 'Reopen' }],
};

function StageActions({ deal }: { deal: Deal }) {
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: (stage: DealStage) => updateDeal(deal.id, { stage }),
    onSuccess: (d) => {
      qc.setQueryData(dealKeys.deal(d.id), d);
      qc.invalidateQueries({ queryKey: ['deals'] });
      for (const c of d.contacts) qc.invalidateQueries({ queryKey: ['contact', c.id] });
    },
  });
  if (!NEXT[deal.stage].length) return null;
  return (
    <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 12 }}>
      {NEXT[deal.stage].map((n) => (
        <button key={n.stage} className={`btn btn-sm${n.stage === 'won' ? ' btn-primary' : ''}`} onClick={() => m.mutate(n.stage)} disabled={m.isPending}>
          {n.label}
        </button>
      ))}
      <ErrorAlert error={m.error} />
    </div>
  );
}

export function DealDetailPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('deals:write');
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const deal = useQuery({ queryKey: dealKeys.deal(id), queryFn: () => getDeal(id), enabled: Number.isInteger(id) && id > 0 });
  if (!Number.isInteger(id) || id <= 0 || (deal.error instanceof ApiError && deal.error.status === 404)) {
    return (
      <NotFoundCard title="Deal not found" backTo="/deals" backLabel="Back to deals">
        It may have been deleted, or the link is wrong.
      </NotFoundCard>
    );
  }
  if (deal.isPending) return <Loading label="Loading deal…" />;
  if (deal.isError) return <ErrorState error={deal.error} retry={() => deal.refetch()} title="Could not load this deal" />;
  const d = deal.data;
  return (
    <>
      <EntityHeader listTo="/deals" listLabel="Deals" name={d.name} nameTestId="deal-name" square onDelete={canWrite ? () => setDeleting(true) : undefined}>
        <strong>{formatMoney(d.amount, d.currency)}</strong>
        <span className="sep">•</span>
        <DealStageBadge stage={d.stage} />
        {d.account && (
          <>
            <span className="sep">•</span>
            <Link to={`/accounts/${d.account.id}`}>{d.account.name}</Link>
          </>
        )}
        <span className="sep">•</span>
        <span>Owner: {d.owner?.name ?? 'Unassigned'}</span>
      </EntityHeader>
      <div className="detail-grid">
        <div className="card">
          <div className="card-header">
            <h2>Deal</h2>
            {canWrite && (
              <button className="btn btn-sm" onClick={() => setEditing(true)}>
                Edit
              </button>
            )}
          </div>
          <div className="card-body">
            <dl className="props" data-testid="deal-properties">
              <dt>Amount</dt>
              <dd>{formatMoney(d.amount, d.currency)}</dd>
              <dt>Stage</dt>
              <dd>
                <DealStageBadge stage={d.stage} />
              </dd>
              <dt>Close date</dt>
              <dd>{d.closeDate ? formatDate(`${d.closeDate}T00:00:00Z`) : <span className="muted">—</span>}</dd>
              {d.wonAt && (
                <>
                  <dt>Won</dt>
                  <dd>{formatDateTime(d.wonAt)}</dd>
                </>
              )}
              {d.stage === 'lost' && (
                <>
                  <dt>Lost reason</dt>
                  <dd>{d.lostReason ?? <span className="muted">—</span>}</dd>
                </>
              )}
              <dt>External ID</dt>
              <dd className="mono">{d.externalId ?? <span className="muted">—</span>}</dd>
              <dt>Created</dt>
              <dd>{formatDateTime(d.createdAt)}</dd>
              <dt>Updated</dt>
              <dd>{formatDateTime(d.updatedAt)}</dd>
            </dl>
            {canWrite && <StageActions deal={d} />}
          </div>
        </div>
        <div className="card">
          <div className="card-header">
            <h2>Contacts</h2>
          </div>
          {d.contacts.length === 0 ? (
            <div className="card-body muted">No contacts linked. Edit the deal to add them by email.</div>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="deal-contacts">
                <thead>
                  <tr>
                    <th>Contact</th>
                    <th>Role</th>
                    <th>Lifecycle stage</th>
                  </tr>
                </thead>
                <tbody>
                  {d.contacts.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link className="primary" to={`/contacts/${c.id}`}>
                          {c.name ?? c.email}
                        </Link>
                        {c.name && <div className="muted small">{c.email}</div>}
                      </td>
                      <td>{c.role ?? <span className="muted">—</span>}</td>
                      <td>
                        <LifecycleBadge stage={c.lifecycleStage} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
      {editing && <DealForm deal={d} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete this deal?"
          confirmLabel="Delete deal"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteDeal(d.id);
            qc.removeQueries({ queryKey: dealKeys.deal(d.id) });
            qc.invalidateQueries({ queryKey: ['deals'] });
            navigate('/deals', { replace: true });
          }}
        >
          <strong>{d.name}</strong> will be deleted. Its contacts keep their lifecycle stage and history.
        </ConfirmDialog>
      )}
    </>
  );
}
