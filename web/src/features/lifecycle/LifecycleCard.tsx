// Contact detail → Lifecycle: current stage and time in it, the funnel with time spent in each stage,
// a "Move stage" dialog (allowed moves, reason required) and the full transition history.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CAUSE_LABELS, formatDuration, getContactLifecycle, lifecycleKeys, moveContact, type ContactLifecycle, type LifecycleStage } from '../../api/lifecycle.ts';
import { keys as contactKeys } from '../../api/contacts.ts';
import { LIFECYCLE_LABELS } from '../../api/types.ts';
import { Badge, LifecycleBadge } from '../../components/Badge.tsx';
import { SelectField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import './lifecycle.css';

const FUNNEL: LifecycleStage[] = ['subscriber', 'lead', 'marketing_qualified', 'sales_ready', 'sales_accepted', 'opportunity', 'customer'];

function MoveDialog({ lc, onClose }: { lc: ContactLifecycle; onClose: () => void }) {
  const qc = useQueryClient();
  const [toStage, setToStage] = useState<LifecycleStage>(lc.allowedMoves[0]!);
  const [reason, setReason] = useState('');
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => moveContact(lc.contactId, { toStage, reason: reason.trim() }),
    onSuccess: (res) => {
      qc.setQueryData(lifecycleKeys.contact(lc.contactId), res.lifecycle);
      qc.invalidateQueries({ queryKey: contactKeys.contact(lc.contactId) });
      qc.invalidateQueries({ queryKey: contactKeys.timeline(lc.contactId) });
      qc.invalidateQueries({ queryKey: ['contacts'] });
      onClose();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setErrors({ reason: 'Say why: the reason is kept in the history' });
    setErrors({});
    mutation.mutate();
  }
  return (
    <FormDialog title="Move to another stage" formId="move-stage" formLabel="Move stage" onClose={onClose} onSubmit={submit} error={topError} pending={mutation.isPending} submitLabel="Move" pendingLabel="Moving…">
      <p className="muted small" style={{ marginTop: 0 }}>
        Now: <LifecycleBadge stage={lc.stage} />. Sales-ready leads are decided in the handoff queue; customers come from won deals.
      </p>
      <SelectField label="New stage" value={toStage} onChange={(e) => setToStage(e.target.value as LifecycleStage)} error={errors.toStage}>
        {lc.allowedMoves.map((s) => (
          <option key={s} value={s}>
            {LIFECYCLE_LABELS[s]}
          </option>
        ))}
      </SelectField>
      <div className="field">
        <label htmlFor="move-reason">Reason</label>
        <textarea
          id="move-reason"
          className={`input${errors.reason ? ' invalid' : ''}`}
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={errors.reason ? true : undefined}
          placeholder="e.g. Met at the trade fair, asked for a demo"
          maxLength={1000}
        />
        {errors.reason && (
          <span className="field-error" role="alert">
            {errors.reason}
          </span>
        )}
      </div>
    </FormDialog>
  );
}

export function LifecycleCard({ contactId }: { contactId: number }) {
  const canRead = useCan('lifecycle:read');
  const canMove = useCan('lifecycle:move');
  const [moving, setMoving] = useState(false);
  const q = useQuery({ queryKey: lifecycleKeys.contact(contactId), queryFn: () => getContactLifecycle(contactId), enabled: canRead });
  if (!canRead) return null;
  return (
    <div className="card" data-testid="lifecycle-card" style={{ marginTop: 'var(--s4)' }}>
      <div className="card-header">
        <h2>Lifecycle</h2>
        {canMove && q.data && q.data.allowedMoves.length > 0 && (
          <button className="btn btn-sm" onClick={() => setMoving(true)}>
            Move stage
          </button>
        )}
      </div>
      <div className="card-body">
        {q.isPending ? (
          <Loading label="Loading lifecycle…" />
        ) : q.isError ? (
          <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load the lifecycle" />
        ) : (
          <LifecycleBody lc={q.data} />
        )}
      </div>
      {moving && q.data && <MoveDialog lc={q.data} onClose={() => setMoving(false)} />}
    </div>
  );
}

function LifecycleBody({ lc }: { lc: ContactLifecycle }) {
  const time = new Map(lc.timeInStage.map((s) => [s.stage, s]));
  const side = lc.stage === 'recycled' || lc.stage === 'disqualified';
  return (
    <>
      <div className="lc-now">
        <LifecycleBadge stage={lc.stage} />
        <span className="lc-for" data-testid="time-in-stage">
          for {formatDuration(lc.secondsInStage)} (since {formatDateTime(lc.since)})
        </span>
        {lc.opportunityCycle && <Badge tone="blue">{lc.opportunityCycle === 'intent' ? 'Intent cycle' : 'Job-to-be-done cycle'}</Badge>}
        {lc.handoffPoint && <Badge tone={lc.handoffPoint.mode === 'self_service' ? 'amber' : 'gray'}>{lc.handoffPoint.name}: {lc.handoffPoint.mode === 'self_service' ? 'self-service' : 'sales'}</Badge>}
      </div>
      <div className="lc-funnel" aria-label="Time in each stage">
        {[...FUNNEL, ...(side || time.has('recycled') ? (['recycled'] as const) : []), ...(time.has('disqualified') || lc.stage === 'disqualified' ? (['disqualified'] as const) : [])].map((s) => {
          const t = time.get(s);
          return (
            <div key={s} className={`lc-step${s === lc.stage ? ' current' : t ? ' visited' : ''}`} title={t ? `${t.visits} visit${t.visits === 1 ? '' : 's'}` : 'Not reached'}>
              {LIFECYCLE_LABELS[s]}
              <span className="lc-step-time">{t ? formatDuration(t.seconds) : '—'}</span>
            </div>
          );
        })}
      </div>
      <div className="section-title" style={{ fontWeight: 600, marginBottom: 4 }}>
        History
      </div>
      {lc.history.length === 0 ? (
        <p className="muted small">No stage changes yet: the contact has been a {LIFECYCLE_LABELS[lc.stage].toLowerCase()} since it was created.</p>
      ) : (
        <ul className="lc-history" data-testid="lifecycle-history">
          {lc.history.map((h) => (
            <li key={h.id}>
              <div className="lc-move">
                {h.fromStage ? <LifecycleBadge stage={h.fromStage} /> : <span className="muted">start</span>}
                <span aria-hidden>→</span>
                <LifecycleBadge stage={h.toStage} />
                <Badge tone={h.cause === 'manual' ? 'blue' : h.cause === 'deal' ? 'green' : 'gray'} plain>
                  {CAUSE_LABELS[h.cause]}
                </Badge>
              </div>
              {h.reason && <div className="lc-reason">{h.reason}</div>}
              <div className="lc-meta">
                {formatDateTime(h.at)} · {h.actor}
                {typeof h.details.dealId === 'number' && (
                  <>
                    {' · '}
                    <Link to={`/deals/${h.details.dealId}`}>deal</Link>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
