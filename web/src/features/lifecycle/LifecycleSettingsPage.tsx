// Settings → Lifecycle: the sales-ready definition (versions, approvals, propose), the lead and MQL rules,
// recycling, handoff points per product / segment, routing and SLA defaults.
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CONDITION_OPS, getLifecycleSettings, lifecycleKeys, putLifecycleSettings, type HandoffPoint, type LifecycleSettings } from '../../api/lifecycle.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useFormMutation } from '../../components/FormDialog.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { useOwners } from '../../components/useOwners.ts';
import { DefinitionsCard } from './DefinitionsCard.tsx';
import { formToRule, RuleFields, ruleToForm, type RuleForm } from './RuleFields.tsx';
import './lifecycle.css';

interface PointForm {
  name: string;
  field: string;
  op: string;
  value: string;
  mode: 'sales' | 'self_service';
}

interface TerritoryForm {
  name: string;
  field: string;
  op: string;
  value: string;
  ownerId: string;
}

interface Form {
  leadOn: boolean;
  lead: RuleForm;
  mqlOn: boolean;
  mql: RuleForm;
  cooldown: string;
  lostDealStage: 'recycled' | 'disqualified';
  slaHours: string;
  routingMode: LifecycleSettings['routing']['mode'];
  pool: number[];
  territories: TerritoryForm[];
  points: PointForm[];
}

const FIELD_HINTS = ['properties.product_line', 'account.employeeCount', 'account.industry', 'account.country', 'title', 'emailDomain'];

function toForm(s: LifecycleSettings): Form {
  return {
    leadOn: s.leadRule !== null,
    lead: ruleToForm(s.leadRule ?? { minEngagement: 5 }),
    mqlOn: s.mqlRule !== null,
    mql: ruleToForm(s.mqlRule ?? { minFitGrade: 'C', minEngagement: 30 }),
    cooldown: String(s.recycleCooldownDays),
    lostDealStage: s.lostDealStage,
    slaHours: String(s.sla.salesReadyAcceptHours),
    routingMode: s.routing.mode,
    pool: [...s.routing.pool],
    territories: s.routing.territories.map((t) => ({
      name: t.name,
      field: t.match.field,
      op: t.match.op,
      value: t.match.value == null ? '' : Array.isArray(t.match.value) ? t.match.value.join(', ') : String(t.match.value),
      ownerId: String(t.ownerId),
    })),
    points: s.handoffPoints.map((p) => ({
      name: p.name,
      field: p.match?.field ?? '',
      op: p.match?.op ?? 'eq',
      value: p.match?.value == null ? '' : Array.isArray(p.match.value) ? p.match.value.join(', ') : String(p.match.value),
      mode: p.mode,
    })),
  };
}

function pointValue(op: string, raw: string): unknown {
  if (op === 'exists') return undefined;
  if (op === 'in' || op === 'not_in') return raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (['gt', 'gte', 'lt', 'lte'].includes(op)) return raw.trim() === '' ? raw : Number(raw);
  return raw;
}

function toSettings(f: Form, base: LifecycleSettings): LifecycleSettings {
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  return {
    ...base,
    leadRule: f.leadOn ? formToRule(f.lead) : null,
    mqlRule: f.mqlOn ? formToRule(f.mql) : null,
    recycleCooldownDays: num(f.cooldown),
    lostDealStage: f.lostDealStage,
    sla: { ...base.sla, salesReadyAcceptHours: num(f.slaHours) },
    routing: {
      mode: f.routingMode,
      pool: f.pool,
      territories: f.territories.map(
        (t) =>
          ({
            name: t.name,
            match: { field: t.field.trim(), op: t.op, ...(t.op === 'exists' ? {} : { value: pointValue(t.op, t.value) }) },
            ownerId: Number(t.ownerId),
          }) as LifecycleSettings['routing']['territories'][number],
      ),
    },
    handoffPoints: f.points.map(
      (p) =>
        ({
          name: p.name,
          match: p.field.trim() ? { field: p.field.trim(), op: p.op, ...(p.op === 'exists' ? {} : { value: pointValue(p.op, p.value) }) } : null,
          mode: p.mode,
        }) as HandoffPoint,
    ),
  };
}

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
  const setPoint = (i: number, p: Partial<PointForm>) => setForm({ ...form, points: form.points.map((x, j) => (j === i ? { ...x, ...p } : x)) });
  const pointErr = (i: number, k: string) => errors[`handoffPoints.${i}.${k}`] ?? errors[`handoffPoints.${i}.match.${k}`];
  const setTerritory = (i: number, p: Partial<TerritoryForm>) => setForm({ ...form, territories: form.territories.map((x, j) => (j === i ? { ...x, ...p } : x)) });
  const terrErr = (i: number, k: string) => errors[`routing.territories.${i}.${k}`] ?? errors[`routing.territories.${i}.match.${k}`];
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

      <div className="card">
        <div className="card-header">
          <div>
            <h2>Handoff points</h2>
            <p className="muted small" style={{ margin: 0 }}>
              Per product or segment: the first point whose condition matches a contact decides whether it goes to sales or stays self-service
              (self-service contacts skip the handoff queue and become customers when they buy). No match: sales.
            </p>
          </div>
          {!ro && (
            <button type="button" className="btn btn-sm" onClick={() => setForm({ ...form, points: [...form.points, { name: '', field: 'properties.product_line', op: 'eq', value: '', mode: 'sales' }] })}>
              Add handoff point
            </button>
          )}
        </div>
        <div className="card-body" data-testid="handoff-points">
          {form.points.length === 0 && <p className="muted small">No handoff points: every sales-ready lead goes to sales.</p>}
          <datalist id="hp-fields">
            {FIELD_HINTS.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
          {form.points.map((p, i) => (
            <div className="hp-row" key={i}>
              <TextField label="Name" value={p.name} disabled={ro} onChange={(e) => setPoint(i, { name: e.target.value })} error={pointErr(i, 'name')} placeholder="Starter plan" />
              <TextField label="Field" list="hp-fields" value={p.field} disabled={ro} onChange={(e) => setPoint(i, { field: e.target.value })} error={pointErr(i, 'field')} placeholder="empty: everyone" />
              <SelectField label="Operator" value={p.op} disabled={ro} onChange={(e) => setPoint(i, { op: e.target.value })}>
                {CONDITION_OPS.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </SelectField>
              <TextField label="Value" value={p.value} disabled={ro || p.op === 'exists'} onChange={(e) => setPoint(i, { value: e.target.value })} error={pointErr(i, 'value')} placeholder={p.op === 'in' || p.op === 'not_in' ? 'a, b, c' : ''} />
              <SelectField label="Goes to" value={p.mode} disabled={ro} onChange={(e) => setPoint(i, { mode: e.target.value as PointForm['mode'] })}>
                <option value="sales">Sales handoff</option>
                <option value="self_service">Self-service</option>
              </SelectField>
              {!ro && (
                <button type="button" className="btn btn-sm btn-ghost" aria-label={`Remove handoff point ${p.name || i + 1}`} onClick={() => setForm({ ...form, points: form.points.filter((_, j) => j !== i) })} style={{ marginBottom: 14 }}>
                  Remove
                </button>
              )}
            </div>
          ))}
        </div>
      </div>
      <div className="card">
        <div className="card-header">
          <div>
            <h2>Routing</h2>
            <p className="muted small" style={{ margin: 0 }}>
              Who gets a new sales-ready lead. Round-robin goes through the pool (empty: every active sales user); account owner and territory fall back to it.
            </p>
          </div>
          {!ro && (
            <button type="button" className="btn btn-sm" onClick={() => setForm({ ...form, territories: [...form.territories, { name: '', field: 'account.country', op: 'in', value: '', ownerId: owners[0] ? String(owners[0].id) : '' }] })}>
              Add territory
            </button>
          )}
        </div>
        <div className="card-body" data-testid="routing">
          <fieldset className="field" style={{ border: 0, padding: 0, margin: '0 0 12px' }} disabled={ro}>
            <legend style={{ fontSize: 13, fontWeight: 600, marginBottom: 4 }}>Round-robin pool</legend>
            <div style={{ display: 'flex', gap: 14, flexWrap: 'wrap' }}>
              {owners.map((o) => (
                <label key={o.id} style={{ display: 'inline-flex', gap: 5, alignItems: 'center', fontSize: 13 }}>
                  <input
                    type="checkbox"
                    checked={form.pool.includes(o.id)}
                    onChange={(e) => setForm({ ...form, pool: e.target.checked ? [...form.pool, o.id] : form.pool.filter((x) => x !== o.id) })}
                  />
                  {o.name}
                </label>
              ))}
            </div>
            {errors['routing.pool'] && <span className="field-error">{errors['routing.pool']}</span>}
          </fieldset>
          {form.territories.length === 0 && <p className="muted small">No territories.</p>}
          {form.territories.map((t, i) => (
            <div className="hp-row" key={i}>
              <TextField label="Territory" value={t.name} disabled={ro} onChange={(e) => setTerritory(i, { name: e.target.value })} error={terrErr(i, 'name')} placeholder="DACH" />
              <TextField label="Field" list="hp-fields" value={t.field} disabled={ro} onChange={(e) => setTerritory(i, { field: e.target.value })} error={terrErr(i, 'field')} />
              <SelectField label="Operator" value={t.op} disabled={ro} onChange={(e) => setTerritory(i, { op: e.target.value })}>
                {CONDITION_OPS.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </SelectField>
              <TextField label="Value" value={t.value} disabled={ro || t.op === 'exists'} onChange={(e) => setTerritory(i, { value: e.target.value })} error={terrErr(i, 'value')} placeholder={t.op === 'in' || t.op === 'not_in' ? 'DE, AT, CH' : ''} />
              <SelectField label="Owner" value={t.ownerId} disabled={ro} onChange={(e) => setTerritory(i, { ownerId: e.target.value })} error={terrErr(i, 'ownerId')}>
                <option value="">Choose…</option>
                {owners.map((o) => (
                  <option key={o.id} value={String(o.id)}>
                    {o.name}
                  </option>
                ))}
              </SelectField>
              {!ro && (
                <button type="button" className="btn btn-sm btn-ghost" aria-label={`Remove territory ${t.name || i + 1}`} onClick={() => setForm({ ...form, territories: form.territories.filter((_, j) => j !== i) })} style={{ marginBottom: 14 }}>
                  Remove
                </button>
              )}
            </div>
          ))}
        </div>
      </div>
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
