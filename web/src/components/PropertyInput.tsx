// An input for one custom property value, by its type (text, number, date, boolean, enum).
import { useId } from 'react';
import type { PropertyDefinition } from '../api/types.ts';

/** Form state is a string per property; '' clears the value. */
export function toFormValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

/** Converts the form string back to the JSON value the API expects (null clears). */
export function fromFormValue(def: PropertyDefinition, s: string): string | number | boolean | null {
  const v = s.trim();
  if (v === '') return null;
  if (def.type === 'number') {
    const n = Number(v);
    return Number.isFinite(n) ? n : v; // let the server name the bad value
  }
  if (def.type === 'boolean') return v === 'true';
  return v;
}

export function PropertyInput({ def, value, onChange, error }: { def: PropertyDefinition; value: string; onChange: (v: string) => void; error?: string }) {
  const id = useId();
  const cls = `input${error ? ' invalid' : ''}`;
  let control;
  if (def.type === 'enum') {
    control = (
      <select id={id} className={cls} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {(def.options ?? []).map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
        {value && !(def.options ?? []).includes(value) && <option value={value}>{value}</option>}
      </select>
    );
  } else if (def.type === 'boolean') {
    control = (
      <select id={id} className={cls} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        <option value="true">Yes</option>
        <option value="false">No</option>
      </select>
    );
  } else {
    control = (
      <input
        id={id}
        className={cls}
        type={def.type === 'number' ? 'number' : def.type === 'date' ? 'date' : 'text'}
        step={def.type === 'number' ? 'any' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{def.label}</label>
      {control}
      {error ? <span className="field-error" role="alert">{error}</span> : def.description ? <span className="hint">{def.description}</span> : null}
    </div>
  );
}
