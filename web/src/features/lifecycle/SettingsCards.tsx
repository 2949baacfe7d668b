// Settings → Lifecycle: the handoff points card and the routing card (rows of conditions), parts of the settings form.
import type { Dispatch, SetStateAction } from 'react';
import { CONDITION_OPS } from '../../api/lifecycle.ts';
import type { FieldErrors } from '../../api/client.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import type { Owner } from '../../components/useOwners.ts';
import { FIELD_HINTS, type Form, type PointForm, type TerritoryForm } from './settingsForm.ts';

interface CardProps {
  form: Form;
  setForm: Dispatch<SetStateAction<Form>>;
  errors: FieldErrors;
  ro: boolean;
}

export function HandoffPointsCard({ form, setForm, errors, ro }: CardProps) {
  const setPoint = (i: number, p: Partial<PointForm>) => setForm({ ...form, points: form.points.map((x, j) => (j === i ? { ...x, ...p } : x)) });
  const pointErr = (i: number, k: string) => errors[`handoffPoints.${i}.${k}`] ?? errors[`handoffPoints.${i}.match.${k}`];
  return (
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
  );
}

export function RoutingCard({ form, setForm, errors, ro, owners }: CardProps & { owners: Owner[] }) {
  const setTerritory = (i: number, p: Partial<TerritoryForm>) => setForm({ ...form, territories: form.territories.map((x, j) => (j === i ? { ...x, ...p } : x)) });
  const terrErr = (i: number, k: string) => errors[`routing.territories.${i}.${k}`] ?? errors[`routing.territories.${i}.match.${k}`];
  return (
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
  );
}
