// Email → Suppressions: addresses that never receive email (hard bounces, complaints, "unsubscribe from all",
// added by hand). Search, add, remove.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { addSuppression, emailKeys, listSuppressions, REASON_LABELS, removeSuppression, type Suppression, type SuppressionReason } from '../../api/email.ts';
import { Badge } from '../../components/Badge.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { formatDateTime } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { EmailTabs } from './EmailNav.tsx';

const TONES: Record<SuppressionReason, 'red' | 'amber' | 'gray' | 'blue'> = { bounce: 'red', complaint: 'red', manual: 'gray', unsubscribe_all: 'amber' };

function AddDialog({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [detail, setDetail] = useState('');
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => addSuppression({ email, reason: 'manual', detail: detail || null }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['email', 'suppressions'] });
      onClose();
    },
  });
  return (
    <FormDialog title="Suppress an address" formId="suppression" formLabel="Suppress an address" onClose={onClose} onSubmit={(e: FormEvent) => { e.preventDefault(); mutation.mutate(); }} error={topError} pending={mutation.isPending} submitLabel="Suppress" pendingLabel="Saving…">
      <TextField label="Email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} autoFocus />
      <TextField label="Why" name="detail" value={detail} onChange={(e) => setDetail(e.target.value)} error={errors.detail} hint="Optional: e.g. asked by phone not to be emailed." />
    </FormDialog>
  );
}

export function SuppressionsPage() {
  const [q, setQ] = useState('');
  const [reason, setReason] = useState('');
  const list = useQuery({ queryKey: emailKeys.suppressions({ q, reason }), queryFn: () => listSuppressions({ q: q || undefined, reason: reason || undefined }) });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Suppression | null>(null);
  const qc = useQueryClient();
  const canManage = useCan('email:manage');
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Email</h1>
          <p className="subtitle">Nothing is ever sent to these addresses; checked when a message is queued and again when it is sent.</p>
        </div>
        {canManage && <button className="btn btn-primary" onClick={() => setAdding(true)}><IconPlus /> Suppress address</button>}
      </div>
      <EmailTabs />
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
        <TextField label="Search" placeholder="address contains…" value={q} onChange={(e) => setQ(e.target.value)} />
        <div className="field">
          <label htmlFor="sup-reason">Reason</label>
          <select id="sup-reason" className="input" value={reason} onChange={(e) => setReason(e.target.value)}>
            <option value="">Any</option>
            {Object.entries(REASON_LABELS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </div>
        {list.data && <span className="muted small" style={{ marginBottom: 18 }}>{list.data.total} address{list.data.total === 1 ? '' : 'es'}</span>}
      </div>
      <div className="card">
        <ListStates query={list} loading="Loading…" errorTitle="Could not load suppressions" empty={<Empty title={q || reason ? 'No suppressed address matches' : 'No suppressed addresses'}>Hard bounces and complaints land here automatically (POST them to /api/v1/email/inbound); you can also add an address by hand.</Empty>}>
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="suppressions-table">
                <thead><tr><th>Address</th><th>Reason</th><th>Detail</th><th>By</th><th>Since</th><th /></tr></thead>
                <tbody>
                  {data.items.map((s) => (
                    <tr key={s.id}>
                      <td>{s.email}</td>
                      <td><Badge tone={TONES[s.reason]}>{REASON_LABELS[s.reason]}</Badge></td>
                      <td className="small">{s.detail ?? '—'}</td>
                      <td className="small muted">{s.createdBy}</td>
                      <td>{formatDateTime(s.createdAt)}</td>
                      <td>{canManage && <button className="btn btn-sm" onClick={() => setRemoving(s)}>Remove</button>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
      {adding && <AddDialog onClose={() => setAdding(false)} />}
      {removing && (
        <ConfirmDialog title={`Remove ${removing.email}?`} confirmLabel="Remove" onClose={() => setRemoving(null)} onConfirm={async () => { await removeSuppression(removing.email); await qc.invalidateQueries({ queryKey: ['email', 'suppressions'] }); setRemoving(null); }}>
          {removing.reason === 'complaint' || removing.reason === 'bounce' ? 'This address bounced or complained. Only remove it if you know the problem is fixed: sending to it again hurts your sender reputation.' : 'Email may be sent to this address again (consent per topic still applies).'}
        </ConfirmDialog>
      )}
    </>
  );
}
