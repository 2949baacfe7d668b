// Accept / reject / recycle / reassign a lead. Reject and recycle need a reason (it feeds marketing's
// symptoms dashboard); reject can disqualify instead of recycling.
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { acceptHandoff, handoffKeys, reassignHandoff, recycleHandoff, rejectHandoff, type Handoff } from '../../api/handoff.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { useOwners } from '../../components/useOwners.ts';

export type DecisionKind = 'accept' | 'reject' | 'recycle' | 'reassign';

const TITLES: Record<DecisionKind, string> = { accept: 'Accept lead', reject: 'Reject lead', recycle: 'Recycle lead', reassign: 'Reassign lead' };

export function DecisionDialog({ kind, handoff, onClose }: { kind: DecisionKind; handoff: Handoff; onClose: () => void }) {
  const qc = useQueryClient();
  const { owners } = useOwners();
  const [reason, setReason] = useState('');
  const [disqualify, setDisqualify] = useState(false);
  const [ownerId, setOwnerId] = useState<string>('');
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => {
      if (kind === 'accept') return acceptHandoff(handoff.id, reason.trim() || undefined);
      if (kind === 'reject') return rejectHandoff(handoff.id, reason.trim(), disqualify);
      if (kind === 'recycle') return recycleHandoff(handoff.id, reason.trim());
      return reassignHandoff(handoff.id, Number(ownerId));
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: handoffKeys.all });
      await qc.invalidateQueries({ queryKey: ['symptoms'] });
      onClose();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if ((kind === 'reject' || kind === 'recycle') && !reason.trim()) return setErrors({ reason: 'Say why: marketing sees this reason' });
    if (kind === 'reassign' && !ownerId) return setErrors({ ownerId: 'Choose who takes the lead' });
    setErrors({});
    mutation.mutate();
  }
  const who = handoff.contact.name;
  return (
    <FormDialog
      title={TITLES[kind]}
      formId={`handoff-${kind}`}
      formLabel={TITLES[kind]}
      onClose={onClose}
      onSubmit={submit}
      error={topError}
      pending={mutation.isPending}
      submitLabel={kind === 'accept' ? 'Accept' : kind === 'reject' ? (disqualify ? 'Reject and disqualify' : 'Reject') : kind === 'recycle' ? 'Recycle to nurture' : 'Reassign'}
      pendingLabel="Saving…"
    >
      <p style={{ marginTop: 0, marginBottom: 16 }}>
        {kind === 'accept' && <>You take <strong>{who}</strong>: the contact becomes sales-accepted.</>}
        {kind === 'reject' && <><strong>{who}</strong> is not a lead for sales. The contact goes back to marketing as recycled, or is disqualified.</>}
        {kind === 'recycle' && <><strong>{who}</strong> is not ready yet: back to nurture (recycled). The history is kept and the contact can qualify again.</>}
        {kind === 'reassign' && <>Give <strong>{who}</strong> to another rep; they are notified.</>}
      </p>
      {kind === 'reassign' ? (
        <SelectField label="New owner" name="ownerId" value={ownerId} onChange={(e) => setOwnerId(e.target.value)} error={errors.ownerId}>
          <option value="">Choose…</option>
          {owners.filter((o) => o.id !== handoff.owner?.id).map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
      ) : (
        <TextField
          label={kind === 'accept' ? 'Note (optional)' : 'Reason'}
          name="reason"
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            if (errors.reason) setErrors({});
          }}
          error={errors.reason}
          hint={kind === 'accept' ? undefined : 'e.g. “No budget this year”, “Student”, “Competitor”'}
          maxLength={1000}
          autoFocus
        />
      )}
      {kind === 'reject' && (
        <label className="checkbox" style={{ marginTop: 8 }}>
          <input type="checkbox" checked={disqualify} onChange={(e) => setDisqualify(e.target.checked)} name="disqualify" /> Disqualify (never a fit), instead of recycling
        </label>
      )}
    </FormDialog>
  );
}
