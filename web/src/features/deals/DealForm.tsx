// New / edit deal dialog: name, amount, currency, stage, close date, owner, lost reason, linked contacts (by email;
// the server names an unknown one).
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { createDeal, DEAL_STAGE_LABELS, DealStageSchema, updateDeal, type Deal, type DealStage } from '../../api/deals.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { OwnerSelect } from '../../components/OwnerSelect.tsx';

interface Form {
  name: string;
  amount: string;
  currency: string;
  stage: DealStage;
  closeDate: string;
  ownerId: string;
  lostReason: string;
  emails: string;
}

export function DealForm({
  deal,
  preset,
  onClose,
  onSaved,
}: {
  deal?: Deal;
  /** For a new deal from a contact or account page. */
  preset?: { contactEmails?: string[]; accountId?: number };
  onClose: () => void;
  onSaved: (d: Deal) => void;
}) {
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>({
    name: deal?.name ?? '',
    amount: deal ? String(deal.amount) : '',
    currency: deal?.currency ?? 'USD',
    stage: deal?.stage ?? 'intent',
    closeDate: deal?.closeDate ?? '',
    ownerId: deal?.owner ? String(deal.owner.id) : '',
    lostReason: deal?.lostReason ?? '',
    emails: (deal ? deal.contacts.map((c) => c.email) : (preset?.contactEmails ?? [])).join(', '),
  });
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: async () => {
      const emails = [...new Set(form.emails.split(/[,;\s]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))];
      const body = {
        name: form.name.trim(),
        amount: form.amount.trim() === '' ? 0 : Number(form.amount.replace(/[,\s]/g, '')),
        currency: form.currency.trim() || 'USD',
        stage: form.stage,
        closeDate: form.closeDate || null,
        ownerId: form.ownerId ? Number(form.ownerId) : null,
        lostReason: form.stage === 'lost' ? form.lostReason.trim() || null : null,
        contacts: emails.map((email) => ({ email, role: deal?.contacts.find((c) => c.email === email)?.role ?? null })),
        ...(deal ? {} : preset?.accountId ? { accountId: preset.accountId } : {}),
      };
      return deal ? updateDeal(deal.id, body) : createDeal(body);
    },
    onSuccess: (d) => {
      qc.invalidateQueries({ queryKey: ['deals'] });
      qc.setQueryData(['deal', d.id], d);
      for (const c of d.contacts) {
        qc.invalidateQueries({ queryKey: ['contact', c.id] });
      }
      qc.invalidateQueries({ queryKey: ['contacts'] });
      onSaved(d);
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.name.trim()) return setErrors({ name: 'Name the deal' });
    setErrors({});
    mutation.mutate();
  }
  const set = (p: Partial<Form>) => setForm({ ...form, ...p });
  return (
    <FormDialog title={deal ? 'Edit deal' : 'New deal'} formId="deal-form" formLabel={deal ? 'Edit deal' : 'New deal'} onClose={onClose} onSubmit={submit} error={topError} pending={mutation.isPending} submitLabel={deal ? 'Save deal' : 'Create deal'} pendingLabel="Saving…" wide>
      <TextField label="Name" value={form.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} autoFocus />
      <div className="form-row">
        <TextField label="Amount" inputMode="decimal" value={form.amount} onChange={(e) => set({ amount: e.target.value })} error={errors.amount} placeholder="0" />
        <TextField label="Currency" value={form.currency} onChange={(e) => set({ currency: e.target.value.toUpperCase() })} error={errors.currency} maxLength={3} />
      </div>
      <div className="form-row">
        <SelectField label="Stage" value={form.stage} onChange={(e) => set({ stage: e.target.value as DealStage })} error={errors.stage} hint="Open deals make their contacts opportunities; won makes customers">
          {DealStageSchema.options.map((s) => (
            <option key={s} value={s}>
              {DEAL_STAGE_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <TextField label="Close date" type="date" value={form.closeDate} onChange={(e) => set({ closeDate: e.target.value })} error={errors.closeDate} />
      </div>
      {form.stage === 'lost' && <TextField label="Lost reason" value={form.lostReason} onChange={(e) => set({ lostReason: e.target.value })} error={errors.lostReason} />}
      <OwnerSelect value={form.ownerId} onChange={(e) => set({ ownerId: e.target.value })} error={errors.ownerId} current={deal?.owner ?? null} />
      <TextField
        label="Contacts (emails)"
        value={form.emails}
        onChange={(e) => set({ emails: e.target.value })}
        error={errors.contacts ?? Object.entries(errors).find(([k]) => k.startsWith('contacts.'))?.[1]}
        hint="Separate several with commas"
      />
    </FormDialog>
  );
}
