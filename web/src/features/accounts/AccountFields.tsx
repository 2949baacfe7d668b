// Editable account fields (standard + custom properties), shared by "New account" and the edit mode.
import type { FieldErrors } from '../../api/client.ts';
import type { Account, AccountInput, PropertyDefinition } from '../../api/types.ts';
import { TextField } from '../../components/Field.tsx';
import { fromFormValue, PropertyInput, toFormValue } from '../../components/PropertyInput.tsx';
import { OwnerSelect } from '../../components/OwnerSelect.tsx';

export interface AccountForm {
  name: string;
  domain: string;
  industry: string;
  employeeCount: string;
  country: string;
  ownerId: string;
  properties: Record<string, string>;
}

export const emptyAccountForm = (): AccountForm => ({ name: '', domain: '', industry: '', employeeCount: '', country: '', ownerId: '', properties: {} });

export function accountToForm(a: Account, defs: PropertyDefinition[]): AccountForm {
  const properties: Record<string, string> = {};
  for (const d of defs) properties[d.key] = toFormValue(a.properties[d.key]);
  return {
    name: a.name,
    domain: a.domain ?? '',
    industry: a.industry ?? '',
    employeeCount: a.employeeCount === null ? '' : String(a.employeeCount),
    country: a.country ?? '',
    ownerId: a.owner ? String(a.owner.id) : '',
    properties,
  };
}

const nul = (s: string) => (s.trim() === '' ? null : s.trim());

export function accountFormToInput(f: AccountForm, defs: PropertyDefinition[], before?: AccountForm): AccountInput {
  const count = f.employeeCount.trim();
  const all: Record<string, unknown> = {
    name: f.name.trim(),
    domain: nul(f.domain),
    industry: nul(f.industry),
    employeeCount: count === '' ? null : Number.isFinite(Number(count)) ? Number(count) : count,
    country: nul(f.country),
    ownerId: f.ownerId ? Number(f.ownerId) : null,
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) {
    if (!before || (before as unknown as Record<string, string>)[k] !== (f as unknown as Record<string, string>)[k]) out[k] = v;
  }
  const props: Record<string, string | number | boolean | null> = {};
  for (const d of defs) {
    const v = f.properties[d.key] ?? '';
    if (before ? v !== (before.properties[d.key] ?? '') : v !== '') props[d.key] = fromFormValue(d, v);
  }
  if (Object.keys(props).length) out.properties = props;
  return out as AccountInput;
}

export function AccountFields({ form, setForm, errors, defs, current }: { form: AccountForm; setForm: (f: AccountForm) => void; errors: FieldErrors; defs: PropertyDefinition[]; current?: Account }) {
  const set = (k: keyof Omit<AccountForm, 'properties'>) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <>
      <div className="form-row">
        <TextField label="Company name" name="name" value={form.name} onChange={set('name')} error={errors.name} required />
        <TextField label="Domain" name="domain" value={form.domain} onChange={set('domain')} error={errors.domain} placeholder="acme.com" />
      </div>
      <div className="form-row">
        <TextField label="Industry" name="industry" value={form.industry} onChange={set('industry')} error={errors.industry} />
        <TextField label="Employees" name="employeeCount" type="number" min={0} value={form.employeeCount} onChange={set('employeeCount')} error={errors.employeeCount} />
      </div>
      <div className="form-row">
        <TextField label="Country" name="country" value={form.country} onChange={set('country')} error={errors.country} />
        <OwnerSelect value={form.ownerId} onChange={set('ownerId')} error={errors.ownerId} current={current?.owner} />
      </div>
      {defs.length > 0 && <div className="props-heading" style={{ marginBottom: 12 }}>Custom properties</div>}
      {defs.map((d) => (
        <PropertyInput key={d.key} def={d} value={form.properties[d.key] ?? ''} onChange={(v) => setForm({ ...form, properties: { ...form.properties, [d.key]: v } })} error={errors[`properties.${d.key}`]} />
      ))}
    </>
  );
}
