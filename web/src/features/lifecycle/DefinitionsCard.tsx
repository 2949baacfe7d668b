// Lifecycle settings → Sales-ready definition: every version with its rule, both sides' approvals and the
// approve / reject buttons for signed-in marketing and sales users; "Propose a new version" form.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { decideDefinition, lifecycleKeys, listDefinitions, proposeDefinition, type Definition } from '../../api/lifecycle.ts';
import { Badge } from '../../components/Badge.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { formatDateTime } from '../../components/format.ts';
import { Modal } from '../../components/Modal.tsx';
import { Empty, ErrorAlert, ListStates } from '../../components/States.tsx';
import { useCan, useMe } from '../identity/auth.tsx';
import { formToRule, RuleChips, RuleFields, ruleToForm } from './RuleFields.tsx';

const STATUS_TONE = { active: 'green', pending: 'amber', superseded: 'gray', rejected: 'red' } as const;

function ProposeDialog({ base, onClose }: { base: Definition | null; onClose: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState(ruleToForm(base?.rule ?? { minFitGrade: 'B', minEngagement: 50, buyingStages: [], requiredProperties: [] }));
  const [notes, setNotes] = useState('');
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => proposeDefinition({ rule: formToRule(form), notes: notes.trim() || null }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: lifecycleKeys.definitions });
      onClose();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    mutation.mutate();
  }
  return (
    <FormDialog title="Propose a sales-ready definition" formId="propose-def" formLabel="Propose a sales-ready definition" onClose={onClose} onSubmit={submit} error={topError} pending={mutation.isPending} submitLabel="Propose version" pendingLabel="Proposing…" wide>
      <p className="muted small" style={{ marginTop: 0 }}>
        A marketing-qualified contact that meets every criterion set here becomes sales-ready. The version takes effect once one marketing user and one sales user approve it.
      </p>
      <RuleFields form={form} setForm={setForm} errors={errors} prefix="rule" />
      <div className="field">
        <label htmlFor="def-notes">Notes (why this change)</label>
        <textarea id="def-notes" className="input" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={2000} />
      </div>
    </FormDialog>
  );
}

function RejectDialog({ def, onClose }: { def: Definition; onClose: () => void }) {
  const qc = useQueryClient();
  const [comment, setComment] = useState('');
  const m = useMutation({
    mutationFn: () => decideDefinition(def.id, 'reject', comment.trim() || undefined),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: lifecycleKeys.definitions });
      onClose();
    },
  });
  return (
    <Modal
      title={`Reject version ${def.version}?`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-danger" onClick={() => m.mutate()} disabled={m.isPending}>
            {m.isPending ? 'Rejecting…' : 'Reject version'}
          </button>
        </>
      }
    >
      <ErrorAlert error={m.error} />
      <div className="field">
        <label htmlFor="reject-comment">Why (shown to the other side)</label>
        <textarea id="reject-comment" className="input" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
      </div>
    </Modal>
  );
}

function Side({ def, side }: { def: Definition; side: 'marketing' | 'sales' }) {
  const mine = def.approvals.filter((a) => a.side === side);
  const approved = mine.filter((a) => a.decision === 'approve');
  const rejected = mine.find((a) => a.decision === 'reject');
  return (
    <div className={`def-side${approved.length ? ' ok' : rejected ? ' no' : ''}`} data-testid={`side-${side}`}>
      <strong>{side === 'marketing' ? 'Marketing' : 'Sales'}</strong>
      {mine.length === 0 ? (
        <span className="muted">{def.status === 'pending' ? 'Waiting for approval' : 'No decision'}</span>
      ) : (
        mine.map((a, i) => (
          <div key={i}>
            {a.decision === 'approve' ? '✓ Approved' : '✗ Rejected'} by {a.user?.name ?? 'a deleted user'} · {formatDateTime(a.at)}
            {a.comment && <div className="muted">“{a.comment}”</div>}
          </div>
        ))
      )}
    </div>
  );
}

function Version({ def }: { def: Definition }) {
  const me = useMe();
  const qc = useQueryClient();
  const canManage = useCan('definitions:manage');
  const [rejecting, setRejecting] = useState(false);
  const approve = useMutation({
    mutationFn: () => decideDefinition(def.id, 'approve'),
    onSuccess: () => qc.invalidateQueries({ queryKey: lifecycleKeys.definitions }),
  });
  const side = me.role === 'marketing' || me.role === 'sales' ? me.role : null;
  const decided = def.approvals.some((a) => a.user?.id === me.user?.id);
  const canDecide = canManage && def.status === 'pending' && me.via === 'session' && side !== null && !decided;
  return (
    <div className={`def-version${def.status === 'active' ? ' active' : ''}`} data-testid={`definition-v${def.version}`}>
      <div className="def-head">
        <h3>Version {def.version}</h3>
        <Badge tone={STATUS_TONE[def.status]}>{def.status}</Badge>
        <span className="muted small">
          proposed by {def.proposedBy?.name ?? 'API / system'} · {formatDateTime(def.createdAt)}
          {def.activatedAt && ` · active since ${formatDateTime(def.activatedAt)}`}
          {def.supersededAt && ` · superseded ${formatDateTime(def.supersededAt)}`}
        </span>
      </div>
      <RuleChips rule={def.rule} />
      {def.notes && <p className="small" style={{ margin: '4px 0' }}>{def.notes}</p>}
      <div className="def-sides">
        <Side def={def} side="marketing" />
        <Side def={def} side="sales" />
      </div>
      {def.status === 'pending' && (
        <div className="def-actions">
          {canDecide ? (
            <>
              <button className="btn btn-primary btn-sm" onClick={() => approve.mutate()} disabled={approve.isPending}>
                Approve for {side}
              </button>
              <button className="btn btn-sm" onClick={() => setRejecting(true)}>
                Reject
              </button>
            </>
          ) : (
            <span className="muted small">
              {decided
                ? 'You have decided on this version.'
                : side === null
                  ? 'Only a signed-in marketing user and a signed-in sales user can approve (not admins or API keys).'
                  : me.via !== 'session'
                    ? 'Sign in as a user to approve.'
                    : ''}
            </span>
          )}
          <ErrorAlert error={approve.error} />
        </div>
      )}
      {rejecting && <RejectDialog def={def} onClose={() => setRejecting(false)} />}
    </div>
  );
}

export function DefinitionsCard() {
  const canManage = useCan('definitions:manage');
  const [proposing, setProposing] = useState(false);
  const q = useQuery({ queryKey: lifecycleKeys.definitions, queryFn: listDefinitions });
  return (
    <div className="card" data-testid="definitions-card">
      <div className="card-header">
        <div>
          <h2>Sales-ready definition</h2>
          <p className="muted small" style={{ margin: 0 }}>
            When a marketing-qualified lead goes to sales. A new version takes effect when marketing and sales have both approved it.
          </p>
        </div>
        {canManage && (
          <button className="btn btn-primary btn-sm" onClick={() => setProposing(true)}>
            Propose a new version
          </button>
        )}
      </div>
      <div className="card-body">
        <ListStates
          query={q}
          loading="Loading definitions…"
          errorTitle="Could not load the definitions"
          empty={
            <Empty title="No sales-ready definition yet">
              Until marketing and sales agree on one, no contact becomes sales-ready by rule (people can still move them by hand).
            </Empty>
          }
        >
          {(data) => data.items.map((d) => <Version key={d.id} def={d} />)}
        </ListStates>
      </div>
      {proposing && <ProposeDialog base={q.data?.active ?? q.data?.items[0] ?? null} onClose={() => setProposing(false)} />}
    </div>
  );
}
