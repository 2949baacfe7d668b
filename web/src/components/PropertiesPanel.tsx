// The "Properties" card of a detail page: its read view's custom-property rows, the card with its Edit
// button, and the edit form that saves only what changed.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { FieldErrors } from '../api/client.ts';
import type { PropertyDefinition } from '../api/types.ts';
import { formatPropertyValue } from './format.ts';
import { ErrorAlert } from './States.tsx';
import { useFormMutation } from './FormDialog.tsx';

function PropRow({ label, value, type }: { label: string; value: unknown; type?: string }) {
  const text = formatPropertyValue(value, type);
  return (
    <>
      <dt>{label}</dt>
      <dd>{text === '—' ? <span className="muted">—</span> : text}</dd>
    </>
  );
}

/** Custom property rows of a `<dl className="props">`: the defined ones first, then values with no definition. */
export function CustomPropertyRows({ values, defs }: { values: Record<string, unknown>; defs: PropertyDefinition[] }) {
  const known = new Set(defs.map((d) => d.key));
  const extra = Object.keys(values).filter((k) => !known.has(k));
  return (
    <>
      {(defs.length > 0 || extra.length > 0) && <div className="props-heading">Custom properties</div>}
      {defs.map((d) => (
        <PropRow key={d.key} label={d.label} value={values[d.key]} type={d.type} />
      ))}
      {extra.map((k) => (
        <PropRow key={k} label={k} value={values[k]} />
      ))}
    </>
  );
}

export function PropertiesCard({ editing, editTitle, canEdit, onEdit, children }: { editing: boolean; editTitle: string; canEdit: boolean; onEdit: () => void; children: ReactNode }) {
  return (
    <div className="card">
      <div className="card-header">
        <h2>{editing ? editTitle : 'Properties'}</h2>
        {canEdit && !editing && (
          <button className="btn btn-sm" onClick={onEdit}>
            Edit
          </button>
        )}
      </div>
      <div className="card-body">{children}</div>
    </div>
  );
}

/** Edit mode: `changes` gives only what differs from `initial`; with nothing changed, Save just closes. */
export function EditPropertiesForm<F, I extends object, T>({
  label,
  initial,
  changes,
  save,
  onSaved,
  onDone,
  fields,
}: {
  /** The form's aria-label. */
  label: string;
  initial: F;
  changes: (form: F) => I;
  save: (input: I) => Promise<T>;
  onSaved: (saved: T) => void;
  onDone: () => void;
  fields: (props: { form: F; setForm: (f: F) => void; errors: FieldErrors }) => ReactNode;
}) {
  const [form, setForm] = useState<F>(initial);
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => save(changes(form)),
    onSuccess: (saved) => {
      onSaved(saved);
      onDone();
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    if (Object.keys(changes(form)).length === 0) return onDone();
    mutation.mutate();
  }
  return (
    <form onSubmit={submit} noValidate aria-label={label}>
      <ErrorAlert error={topError} />
      {fields({ form, setForm, errors })}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
