// Form fields for a qualification rule (lead rule, MQL rule, sales-ready definition): minimum fit grade,
// minimum engagement, buying stages, required properties. Values are kept as strings while editing.
import { BuyingStageName, FitGrade, type QualificationRule } from '../../api/lifecycle.ts';
import type { FieldErrors } from '../../api/client.ts';
import { SelectField, TextField } from '../../components/Field.tsx';

export interface RuleForm {
  minFitGrade: string;
  minEngagement: string;
  buyingStages: string[];
  requiredProperties: string;
}

export const STAGE_LABELS: Record<string, string> = {
  epiphany: 'Epiphany',
  awareness: 'Awareness',
  interest: 'Interest',
  consideration: 'Consideration',
  purchase: 'Purchase',
  post_sale: 'Post-sale',
};

export function ruleToForm(r: Partial<QualificationRule> | null | undefined): RuleForm {
  return {
    minFitGrade: r?.minFitGrade ?? '',
    minEngagement: r?.minEngagement == null ? '' : String(r.minEngagement),
    buyingStages: [...(r?.buyingStages ?? [])],
    requiredProperties: (r?.requiredProperties ?? []).join(', '),
  };
}

export function formToRule(f: RuleForm) {
  const n = f.minEngagement.trim();
  return {
    minFitGrade: (f.minFitGrade || null) as QualificationRule['minFitGrade'],
    minEngagement: n === '' ? null : Number(n),
    buyingStages: f.buyingStages as QualificationRule['buyingStages'],
    requiredProperties: f.requiredProperties.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean),
  };
}

/** "Fit ≥ B · Engagement ≥ 40 · Consideration/Purchase · needs title" */
export function RuleChips({ rule }: { rule: Partial<QualificationRule> }) {
  const chips: string[] = [];
  if (rule.minFitGrade) chips.push(`Fit grade ${rule.minFitGrade} or better`);
  if (rule.minEngagement != null) chips.push(`Engagement ≥ ${rule.minEngagement}`);
  if (rule.buyingStages?.length) chips.push(`Buying stage: ${rule.buyingStages.map((s) => STAGE_LABELS[s] ?? s).join(' / ')}`);
  if (rule.requiredProperties?.length) chips.push(`Needs ${rule.requiredProperties.join(', ')}`);
  return (
    <div className="def-rule">
      {chips.map((c) => (
        <span key={c} className="badge badge-gray plain">
          {c}
        </span>
      ))}
    </div>
  );
}

export function RuleFields({ form, setForm, errors, prefix, disabled }: { form: RuleForm; setForm: (f: RuleForm) => void; errors: FieldErrors; prefix: string; disabled?: boolean }) {
  const err = (k: string) => errors[`${prefix}.${k}`] ?? Object.entries(errors).find(([f]) => f.startsWith(`${prefix}.${k}.`))?.[1];
  return (
    <>
      <div className="rule-grid">
        <SelectField label="Minimum fit grade" value={form.minFitGrade} onChange={(e) => setForm({ ...form, minFitGrade: e.target.value })} error={err('minFitGrade')} disabled={disabled}>
          <option value="">Any</option>
          {FitGrade.options.map((g) => (
            <option key={g} value={g}>
              {g}
              {g === 'A' ? ' (best)' : ' or better'}
            </option>
          ))}
        </SelectField>
        <TextField label="Minimum engagement" inputMode="decimal" value={form.minEngagement} onChange={(e) => setForm({ ...form, minEngagement: e.target.value })} error={err('minEngagement')} placeholder="Any" disabled={disabled} />
        <TextField
          label="Required properties"
          value={form.requiredProperties}
          onChange={(e) => setForm({ ...form, requiredProperties: e.target.value })}
          error={err('requiredProperties')}
          placeholder="title, phone"
          hint="Contact fields or custom property keys"
          disabled={disabled}
        />
      </div>
      <fieldset className="field" style={{ border: 0, padding: 0, margin: '0 0 8px' }} disabled={disabled}>
        <legend style={{ fontSize: 13, fontWeight: 600, marginBottom: 4 }}>Buying stages (none checked: any)</legend>
        <div style={{ display: 'flex', gap: 14, flexWrap: 'wrap' }}>
          {BuyingStageName.options.map((s) => (
            <label key={s} style={{ display: 'inline-flex', gap: 5, alignItems: 'center', fontSize: 13 }}>
              <input
                type="checkbox"
                checked={form.buyingStages.includes(s)}
                onChange={(e) => setForm({ ...form, buyingStages: e.target.checked ? [...form.buyingStages, s] : form.buyingStages.filter((x) => x !== s) })}
              />
              {STAGE_LABELS[s]}
            </label>
          ))}
        </div>
        {err('buyingStages') && <span className="field-error">{err('buyingStages')}</span>}
      </fieldset>
      {errors[prefix] && (
        <span className="field-error" role="alert">
          {errors[prefix]}
        </span>
      )}
    </>
  );
}
