// The editable contact fields (standard + custom properties), shared by "New contact" and the edit mode.
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { keys, listAccounts } from '../../api/contacts.ts';
import { LIFECYCLE_LABELS, type Contact, type ContactInput, type PropertyDefinition } from '../../api/types.ts';
import type { FieldErrors } from '../../api/client.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { fromFormValue, PropertyInput, toFormValue } from '../../components/PropertyInput.tsx';
import { OwnerSelect } from '../../components/OwnerSelect.tsx';

export interface ContactForm {
  email: string;
  firstName: string;
  lastName: string;
  title: string;
  phone: string;
  lifecycleStage: string;
  ownerId: string;
  accountId: string;
  properties: Record<string, string>;
}

export function emptyContactForm(): ContactForm {
  return { email: '', firstName: '', lastName: '', title: '', phone: '', lifecycleStage: 'lead', ownerId: '', accountId: '', properties: {} };
}

export function contactToForm(c: Contact, defs: PropertyDefinition[]): ContactForm {
  const properties: Record<string, string> = {};
  for (const d of defs) properties[d.key] = toFormValue(c.properties[d.key]);
  return {
    email: c.email,
    firstName: c.firstName ?? '',
    lastName: c.lastName ?? '',
    title: c.title ?? '',
    phone: c.phone ?? '',
    lifecycleStage: c.lifecycleStage,
    ownerId: c.owner ? String(c.owner.id) : '',
    accountId: c.account ? String(c.account.id) : '',
    properties,
  };
}

const nul = (s: string) => (s.trim() === '' ? null : s.trim());

/** Full input for create; for edit, only what changed compared with `before`. */
export function formToInput(f: ContactForm, defs: PropertyDefinition[], before?: ContactForm): ContactInput {
  const all: Record<string, unknown> = {
    email: f.email.trim(),
    firstName: nul(f.firstName),
    lastName: nul(f.lastName),
    title: nul(f.title),
    phone: nul(f.phone),
    lifecycleStage: f.lifecycleStage,
    ownerId: f.ownerId ? Number(f.ownerId) : null,
    accountId: f.accountId ? Number(f.accountId) : null,
  };
  const props: Record<string, string | number | boolean | null> = {};
  for (const d of defs) {
    const v = f.properties[d.key] ?? '';
    if (before ? v !== (before.properties[d.key] ?? '') : v !== '') props[d.key] = fromFormValue(d, v);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) {
    if (!before || (before as unknown as Record<string, string>)[k] !== (f as unknown as Record<string, string>)[k]) out[k] = v;
  }
  if (Object.keys(props).length) out.properties = props;
  return out as ContactInput;
}

export function AccountSelect({ value, onChange, error, current }: { value: string; onChange: (v: string) => void; error?: string; current?: { id: number; name: string } | null }) {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const params = { sort: 'name', limit: '100', q: q || undefined };
  const accounts = useQuery({ queryKey: keys.accounts(params), queryFn: () => listAccounts(params), placeholderData: keepPreviousData });
  const items = accounts.data?.items ?? [];
  const more = Boolean(accounts.data?.nextCursor);
  return (
    <div className="field">
      <label htmlFor="contact-account">Account</label>
      <div className="row" style={{ gap: 8 }}>
        <input className="input" style={{ maxWidth: 180 }} type="search" placeholder="Find account…" aria-label="Find account" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select id="contact-account" className={`input${error ? ' invalid' : ''}`} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">No account</option>
          {current && !items.some((a) => a.id === current.id) && <option value={String(current.id)}>{current.name}</option>}
          {items.map((a) => (
            <option key={a.id} value={String(a.id)}>
              {a.name}
              {a.domain ? ` (${a.domain})` : ''}
            </option>
          ))}
        </select>
      </div>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : accounts.isError ? (
        <span className="hint">Accounts could not be loaded</span>
      ) : more ? (
        <span className="hint">Showing the first {items.length} accounts{q ? ` starting with “${q}”` : ''}; type to find others.</span>
      ) : null}
    </div>
  );
}

export function ContactFields({
  form,
  setForm,
  errors,
  defs,
  current,
}: {
  form: ContactForm;
  setForm: (f: ContactForm) => void;
  errors: FieldErrors;
  defs: PropertyDefinition[];
  current?: Contact;
}) {
  const set = (k: keyof Omit<ContactForm, 'properties'>) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <>
      <TextField label="Email" name="email" type="email" value={form.email} onChange={set('email')} error={errors.email} required />
      <div className="form-row">
        <TextField label="First name" name="firstName" value={form.firstName} onChange={set('firstName')} error={errors.firstName} />
        <TextField label="Last name" name="lastName" value={form.lastName} onChange={set('lastName')} error={errors.lastName} />
      </div>
      <div className="form-row">
        <TextField label="Job title" name="title" value={form.title} onChange={set('title')} error={errors.title} />
        <TextField label="Phone" name="phone" value={form.phone} onChange={set('phone')} error={errors.phone} />
      </div>
      <div className="form-row">
        {current ? (
          // An existing contact changes stage through the Lifecycle card's "Move stage" (rules, reason, history).
          <div className="field">
            <label>Lifecycle stage</label>
            <div>{LIFECYCLE_LABELS[form.lifecycleStage as keyof typeof LIFECYCLE_LABELS] ?? form.lifecycleStage}</div>
            <span className="hint">Change it with “Move stage” in the Lifecycle card (reason and history kept)</span>
          </div>
        ) : (
          <SelectField label="Lifecycle stage" value={form.lifecycleStage} onChange={set('lifecycleStage')} error={errors.lifecycleStage}>
            {Object.entries(LIFECYCLE_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
        )}
        <OwnerSelect value={form.ownerId} onChange={set('ownerId')} error={errors.ownerId} current={current?.owner} />
      </div>
      <AccountSelect value={form.accountId} onChange={(v) => setForm({ ...form, accountId: v })} error={errors.accountId} current={current?.account} />
      {defs.length > 0 && <div className="props-heading" style={{ marginBottom: 12 }}>Custom properties</div>}
      {defs.map((d) => (
        <PropertyInput
          key={d.key}
          def={d}
          value={form.properties[d.key] ?? ''}
          onChange={(v) => setForm({ ...form, properties: { ...form.properties, [d.key]: v } })}
          error={errors[`properties.${d.key}`]}
        />
      ))}
    </>
  );
}
