// New initiative under an objective: name, owner, dates, description.
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { createInitiative } from '../../api/objectives.ts';
import { TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { OwnerSelect } from '../../components/OwnerSelect.tsx';

export function InitiativeForm({ objectiveId, onClose }: { objectiveId: number; onClose: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: '', ownerId: '', startDate: '', endDate: '', description: '' });
  const set = (p: Partial<typeof form>) => setForm({ ...form, ...p });
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: () =>
      createInitiative({ objectiveId, name: form.name.trim(), ownerId: form.ownerId ? Number(form.ownerId) : null, startDate: form.startDate || null, endDate: form.endDate || null, description: form.description.trim() || null }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['objectives'] });
      onClose();
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.name.trim()) return setErrors({ name: 'Name the initiative' });
    setErrors({});
    mutation.mutate();
  }
  return (
    <FormDialog title="New initiative" formId="initiative-form" formLabel="New initiative" onClose={onClose} onSubmit={submit} error={topError} pending={mutation.isPending} submitLabel="Create initiative" pendingLabel="Saving…">
      <TextField label="Name" value={form.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} autoFocus placeholder="e.g. Mid-market webinar series" />
      <OwnerSelect value={form.ownerId} onChange={(e) => set({ ownerId: e.target.value })} error={errors.ownerId} />
      <div className="form-row">
        <TextField label="Start date" type="date" value={form.startDate} onChange={(e) => set({ startDate: e.target.value })} error={errors.startDate} />
        <TextField label="End date" type="date" value={form.endDate} onChange={(e) => set({ endDate: e.target.value })} error={errors.endDate} />
      </div>
      <TextField label="Description" value={form.description} onChange={(e) => set({ description: e.target.value })} error={errors.description} />
    </FormDialog>
  );
}
