// New / edit campaign dialog: name, UTM code (suggested from the name), channel, status, dates, budget, owner,
// the objective it serves and (optionally) one of that objective's initiatives.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CAMPAIGN_CHANNELS, CAMPAIGN_STATUSES, CHANNEL_LABELS, STATUS_LABELS, createCampaign, updateCampaign, type Campaign, type CampaignChannel, type CampaignStatus } from '../../api/campaigns.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { OwnerSelect } from '../../components/OwnerSelect.tsx';
import { flattenTree, getObjectiveTree, listInitiatives, OBJECTIVE_LEVEL_LABELS, objectiveKeys } from '../../api/objectives.ts';

interface Form {
  name: string;
  utmCampaign: string;
  channel: CampaignChannel;
  status: CampaignStatus;
  startDate: string;
  endDate: string;
  budget: string;
  currency: string;
  ownerId: string;
  description: string;
  objectiveId: string;
  initiativeId: string;
}

/** "Spring Launch 2026!" → "spring-launch-2026" */
export const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);

export function CampaignForm({ campaign, preset, onClose, onSaved }: { campaign?: Campaign; preset?: { utmCampaign: string }; onClose: () => void; onSaved: (c: Campaign) => void }) {
  const qc = useQueryClient();
  const [codeTouched, setCodeTouched] = useState(Boolean(campaign || preset));
  const [form, setForm] = useState<Form>({
    name: campaign?.name ?? '',
    utmCampaign: campaign?.utmCampaign ?? preset?.utmCampaign ?? '',
    channel: campaign?.channel ?? 'other',
    status: campaign?.status ?? (preset ? 'active' : 'planned'),
    startDate: campaign?.startDate ?? '',
    endDate: campaign?.endDate ?? '',
    budget: campaign?.budget == null ? '' : String(campaign.budget),
    currency: campaign?.currency ?? 'USD',
    ownerId: campaign?.owner ? String(campaign.owner.id) : '',
    description: campaign?.description ?? '',
    objectiveId: campaign?.objective ? String(campaign.objective.id) : '',
    initiativeId: campaign?.initiative ? String(campaign.initiative.id) : '',
  });
  const objectives = useQuery({ queryKey: objectiveKeys.tree(''), queryFn: () => getObjectiveTree('') });
  const initiatives = useQuery({ queryKey: objectiveKeys.initiatives(Number(form.objectiveId)), queryFn: () => listInitiatives(Number(form.objectiveId)), enabled: Boolean(form.objectiveId) });
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: async () => {
      const body = {
        name: form.name.trim(),
        utmCampaign: form.utmCampaign.trim(),
        channel: form.channel,
        status: form.status,
        startDate: form.startDate || null,
        endDate: form.endDate || null,
        budget: form.budget.trim() === '' ? null : Number(form.budget.replace(/[,\s]/g, '')),
        currency: form.currency.trim() || 'USD',
        ownerId: form.ownerId ? Number(form.ownerId) : null,
        description: form.description.trim() || null,
        objectiveId: form.objectiveId ? Number(form.objectiveId) : null,
        initiativeId: form.objectiveId && form.initiativeId ? Number(form.initiativeId) : null,
      };
      return campaign ? updateCampaign(campaign.id, body) : createCampaign(body);
    },
    onSuccess: (c) => {
      qc.invalidateQueries({ queryKey: ['campaigns'] });
      qc.invalidateQueries({ queryKey: ['campaign', c.id] });
      onSaved(c);
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!form.name.trim()) errs.name = 'Name the campaign';
    if (!form.utmCampaign.trim()) errs.utmCampaign = 'Give the utm_campaign code its links use';
    if (form.budget.trim() && !Number.isFinite(Number(form.budget.replace(/[,\s]/g, '')))) errs.budget = 'Enter an amount, e.g. 25000';
    if (Object.keys(errs).length) return setErrors(errs);
    setErrors({});
    mutation.mutate();
  }
  const set = (p: Partial<Form>) => setForm({ ...form, ...p });
  return (
    <FormDialog
      title={campaign ? 'Edit campaign' : 'New campaign'}
      formId="campaign-form"
      formLabel={campaign ? 'Edit campaign' : 'New campaign'}
      onClose={onClose}
      onSubmit={submit}
      error={topError}
      pending={mutation.isPending}
      submitLabel={campaign ? 'Save campaign' : 'Create campaign'}
      pendingLabel="Saving…"
      wide
    >
      <TextField label="Name" value={form.name} onChange={(e) => set({ name: e.target.value, ...(codeTouched ? {} : { utmCampaign: slug(e.target.value) }) })} error={errors.name} autoFocus />
      <TextField
        label="UTM code (utm_campaign)"
        value={form.utmCampaign}
        onChange={(e) => {
          setCodeTouched(true);
          set({ utmCampaign: e.target.value });
        }}
        error={errors.utmCampaign}
        hint="Tracked visits whose links carry this utm_campaign (any case) count as this campaign's touches"
        className="mono"
      />
      <div className="form-row">
        <SelectField label="Channel" value={form.channel} onChange={(e) => set({ channel: e.target.value as CampaignChannel })} error={errors.channel}>
          {CAMPAIGN_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {CHANNEL_LABELS[c]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Status" value={form.status} onChange={(e) => set({ status: e.target.value as CampaignStatus })} error={errors.status}>
          {CAMPAIGN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-row">
        <TextField label="Start date" type="date" value={form.startDate} onChange={(e) => set({ startDate: e.target.value })} error={errors.startDate} />
        <TextField label="End date" type="date" value={form.endDate} onChange={(e) => set({ endDate: e.target.value })} error={errors.endDate} />
      </div>
      <div className="form-row">
        <TextField label="Budget" inputMode="decimal" value={form.budget} onChange={(e) => set({ budget: e.target.value })} error={errors.budget} placeholder="Not set" />
        <TextField label="Currency" value={form.currency} onChange={(e) => set({ currency: e.target.value.toUpperCase() })} error={errors.currency} maxLength={3} />
      </div>
      <div className="form-row">
        <SelectField
          label="Objective"
          value={form.objectiveId}
          onChange={(e) => set({ objectiveId: e.target.value, initiativeId: '' })}
          error={errors.objectiveId}
          hint={form.objectiveId ? undefined : 'A campaign that serves no objective is a random act'}
        >
          <option value="">None (random act)</option>
          {campaign?.objective && !flattenTree(objectives.data?.roots ?? []).some(({ node }) => node.id === campaign.objective!.id) && <option value={String(campaign.objective.id)}>{campaign.objective.title}</option>}
          {flattenTree(objectives.data?.roots ?? []).map(({ node, depth }) => (
            <option key={node.id} value={String(node.id)}>
              {'\u2003'.repeat(depth)}
              {OBJECTIVE_LEVEL_LABELS[node.level]}: {node.title}
            </option>
          ))}
        </SelectField>
        <SelectField label="Initiative" value={form.initiativeId} onChange={(e) => set({ initiativeId: e.target.value })} error={errors.initiativeId} disabled={!form.objectiveId}>
          <option value="">None</option>
          {(initiatives.data?.items ?? []).map((i) => (
            <option key={i.id} value={String(i.id)}>
              {i.name}
            </option>
          ))}
        </SelectField>
      </div>
      <OwnerSelect value={form.ownerId} onChange={(e) => set({ ownerId: e.target.value })} error={errors.ownerId} current={campaign?.owner ?? null} />
      <TextField label="Description" value={form.description} onChange={(e) => set({ description: e.target.value })} error={errors.description} placeholder="Goal, audience, offer" />
    </FormDialog>
  );
}
