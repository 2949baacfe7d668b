// Settings → Lifecycle: the sales-ready definition (versions, approvals, propose), the lead and MQL rules,
// recycling, handoff points per product / segment, routing and SLA defaults.
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getLifecycleSettings, lifecycleKeys, putLifecycleSettings, type LifecycleSettings } from '../../api/lifecycle.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useFormMutation } from '../../components/FormDialog.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { useOwners } from '../../components/useOwners.ts';
import { DefinitionsCard } from './DefinitionsCard.tsx';
import { RuleFields } from './RuleFields.tsx';
import { HandoffPointsCard, RoutingCard } from './SettingsCards.tsx';
import { toForm, toSettings, type Form } from './settingsForm.ts';
import './lifecycle.css';

function SettingsForm({ settings, updatedAt, updatedBy }: { settings: LifecycleSettings; updatedAt: string | null; updatedBy: string | null }) {
  const qc = useQueryClient();
  const canConfigure = useCan('lifecycle:configure');
  const [form, setForm] = useState(() => toForm(settings));
  const [saved, setSaved] = useState(false);
  const { owners } = useOwners();
  useEffect(() => setForm(toForm(settings)), [settings]);
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => putLifecycleSettings(toSettings(form, settings)),
    onSuccess: (res) => {
      qc.setQueryData(lifecycleKeys.settings, res);
      setSaved(true);
    },
    focusInvalid: true,
  });
  const ro = !canConfigure;
  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    mutation.mutate();
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Lifecycle settings" className="stack">
      <div className="card">
        <div className="card-header">
          <div>
            <h2>Qualification rules</h2>
            <p className="muted small" style={{ margin: 0 }}>
              Checked after every score change. Contacts only move forward by rule; sales stages change in the handoff queue and by deals.
            </p>
          </div>
        </div>
        <div className="card-body">
          <label className="checkbox">
            <input type="checkbox" checked={form.leadOn} disabled={ro} onChange={(e) => setForm({ ...form, leadOn: e.target.checked })} />
            <span>
              <strong>Lead rule</strong> (subscriber → lead)
              <span className="hint">Off: subscribers become leads only by hand (or when they meet the MQL rule).</span>
            </span>
          </label>
          {form.leadOn && <RuleFields form={form.lead} setForm={(lead) => setForm({ ...form, lead })} errors={errors} prefix="leadRule" disabled={ro} />}
          <label className="checkbox" style={{ marginTop: 12 }}>
            <input type="checkbox" checked={form.mqlOn} disabled={ro} onChange={(e) => setForm({ ...form, mqlOn: e.target.checked })} />
            <span>
              <strong>MQL rule</strong> (lead → marketing-qualified)
            </span>
          </label>
          {form.mqlOn && <RuleFields form={form.mql} setForm={(mql) => setForm({ ...form, mql })} errors={errors} prefix="mqlRule" disabled={ro} />}
          <div className="rule-grid four" style={{ marginTop: 12 }}>
            <TextField label="Recycle cooldown (days)" inputMode="decimal" value={form.cooldown} disabled={ro} onChange={(e) => setForm({ ...form, cooldown: e.target.value })} error={errors.recycleCooldownDays} hint="Recycled contacts re-qualify by rule after this" />
            <SelectField label="Lost deals send contacts to" value={form.lostDealStage} disabled={ro} onChange={(e) => setForm({ ...form, lostDealStage: e.target.value as Form['lostDealStage'] })}>
              <option value="recycled">Recycled (back to nurture)</option>
              <option value="disqualified">Disqualified</option>
            </SelectField>
            <TextField label="Accept sales-ready leads within (hours)" inputMode="decimal" value={form.slaHours} disabled={ro} onChange={(e) => setForm({ ...form, slaHours: e.target.value })} error={errors['sla.salesReadyAcceptHours']} hint="SLA of the handoff queue" />
            <SelectField label="Route new leads" value={form.routingMode} disabled={ro} onChange={(e) => setForm({ ...form, routingMode: e.target.value as Form['routingMode'] })} error={errors['routing.mode']}>
              <option value="round_robin">Round-robin</option>
              <option value="account_owner">To the account owner</option>
              <option value="territory">By territory</option>
            </SelectField>
          </div>
        </div>
      </div>

      <HandoffPointsCard form={form} setForm={setForm} errors={errors} ro={ro} />
      <RoutingCard form={form} setForm={setForm} errors={errors} ro={ro} owners={owners} />
      {!ro && (
        <div className="form-actions" style={{ display: 'flex', gap: 10, alignItems: 'center' }}>
          <button className="btn btn-primary" type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : 'Save settings'}
          </button>
          {saved && !mutation.isPending && <span className="muted small" role="status">Saved.</span>}
          {updatedAt && <span className="muted small">Last changed {formatDateTime(updatedAt)}{updatedBy ? ` by ${updatedBy}` : ''}</span>}
        </div>
      )}
      <ErrorAlert error={topError} />
    </form>
  );
}

export function LifecycleSettingsPage() {
  const q = useQuery({ queryKey: lifecycleKeys.settings, queryFn: getLifecycleSettings });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Lifecycle</h1>
          <p className="subtitle">What makes a lead sales-ready, how contacts move through the funnel, and where sales takes over.</p>
        </div>
      </div>
      <div className="stack">
        <DefinitionsCard />
        {q.isPending ? (
          <Loading label="Loading settings…" />
        ) : q.isError ? (
          <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load the lifecycle settings" />
        ) : (
          <SettingsForm settings={q.data.settings} updatedAt={q.data.updatedAt} updatedBy={q.data.updatedBy} />
        )}
      </div>
    </>
  );
}
