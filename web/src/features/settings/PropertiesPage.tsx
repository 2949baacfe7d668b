// Settings → Properties: custom property definitions for contacts and accounts.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FieldErrors } from '../../api/client.ts';
import { createProperty, deleteProperty, keys, listProperties, updateProperty } from '../../api/contacts.ts';
import type { PropertyDefinition } from '../../api/types.ts';
import { Badge } from '../../components/Badge.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { formatDate } from '../../components/format.ts';
import { IconPlus, IconProperties } from '../../components/icons.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';

type Obj = 'contact' | 'account';
const TYPES = [
  ['text', 'Text'],
  ['number', 'Number'],
  ['date', 'Date'],
  ['boolean', 'Yes / No'],
  ['enum', 'Dropdown (enum)'],
] as const;

const toKey = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 63);

const parseOptions = (s: string) =>
  s
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean);

function PropertyModal({ objectType, editing, onClose }: { objectType: Obj; editing: PropertyDefinition | null; onClose: () => void }) {
  const qc = useQueryClient();
  const [label, setLabel] = useState(editing?.label ?? '');
  const [key, setKey] = useState(editing?.key ?? '');
  const [keyTouched, setKeyTouched] = useState(false);
  const [type, setType] = useState<PropertyDefinition['type']>(editing?.type ?? 'text');
  const [options, setOptions] = useState((editing?.options ?? []).join('\n'));
  const [description, setDescription] = useState(editing?.description ?? '');
  const { mutation: save, errors, setErrors, topError } = useFormMutation({
    mutationFn: () =>
      editing
        ? updateProperty(editing.id, { label, description: description.trim() || null, ...(editing.type === 'enum' ? { options: parseOptions(options) } : {}) })
        : createProperty({ objectType, key, label, type, description: description.trim() || null, ...(type === 'enum' ? { options: parseOptions(options) } : {}) }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['properties'] });
      onClose();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!label.trim()) errs.label = 'Enter a label';
    if (!editing && !/^[a-z][a-z0-9_]{0,62}$/.test(key)) errs.key = 'Use snake_case: a-z, 0-9 and _, starting with a letter';
    if ((editing?.type ?? type) === 'enum' && parseOptions(options).length === 0) errs.options = 'Add at least one option, one per line';
    setErrors(errs);
    if (!Object.keys(errs).length) save.mutate();
  }
  const shownErrors = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/\.\d+$/, ''), v]));
  return (
    <FormDialog
      title={editing ? `Edit “${editing.label}”` : `New ${objectType} property`}
      formId="property-form"
      formLabel="Property"
      onClose={onClose}
      onSubmit={submit}
      error={topError}
      pending={save.isPending}
      submitLabel={editing ? 'Save changes' : 'Create property'}
      pendingLabel="Saving…"
    >
      <TextField
        label="Label"
        name="label"
        value={label}
        autoFocus
        onChange={(e) => {
          setLabel(e.target.value);
          if (!editing && !keyTouched) setKey(toKey(e.target.value));
        }}
        error={shownErrors.label}
      />
      <TextField
        label="Internal name"
        name="key"
        value={key}
        disabled={Boolean(editing)}
        onChange={(e) => {
          setKeyTouched(true);
          setKey(e.target.value);
        }}
        error={shownErrors.key}
        hint={editing ? 'The internal name cannot change.' : 'Used in the API, CSV imports (property:<name>) and filters (prop.<name>).'}
      />
      <SelectField label="Type" value={editing?.type ?? type} disabled={Boolean(editing)} onChange={(e) => setType(e.target.value as PropertyDefinition['type'])} error={shownErrors.type}>
        {TYPES.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </SelectField>
      {(editing?.type ?? type) === 'enum' && (
        <div className="field">
          <label htmlFor="prop-options">Options</label>
          <textarea id="prop-options" className={`input${shownErrors.options ? ' invalid' : ''}`} value={options} onChange={(e) => setOptions(e.target.value)} placeholder={'One option per line'} rows={5} />
          {shownErrors.options ? <span className="field-error">{shownErrors.options}</span> : <span className="hint">One option per line.</span>}
        </div>
      )}
      <TextField label="Description (optional)" name="description" value={description} onChange={(e) => setDescription(e.target.value)} error={shownErrors.description} />
    </FormDialog>
  );
}

export function PropertiesPage() {
  const qc = useQueryClient();
  const [objectType, setObjectType] = useState<Obj>('contact');
  const [modal, setModal] = useState<{ editing: PropertyDefinition | null } | null>(null);
  const [deleting, setDeleting] = useState<PropertyDefinition | null>(null);
  const list = useQuery({ queryKey: keys.properties(objectType), queryFn: () => listProperties(objectType) });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Properties</h1>
          <p className="subtitle">Custom fields for contacts and accounts, validated on every write and import.</p>
        </div>
        <button className="btn btn-primary" onClick={() => setModal({ editing: null })}>
          <IconPlus /> New property
        </button>
      </div>
      <div className="card">
        <div className="toolbar">
          <div className="segmented" role="tablist" aria-label="Object">
            {(['contact', 'account'] as const).map((o) => (
              <button key={o} role="tab" aria-selected={objectType === o} className={objectType === o ? 'active' : ''} onClick={() => setObjectType(o)}>
                {o === 'contact' ? 'Contacts' : 'Accounts'}
              </button>
            ))}
          </div>
        </div>
        <ListStates
          query={list}
          loading="Loading properties…"
          errorTitle="Could not load properties"
          empty={
            <Empty title={`No custom ${objectType} properties`} icon={<IconProperties />} actions={<button className="btn btn-primary" onClick={() => setModal({ editing: null })}>New property</button>}>
              Add fields your team tracks beyond the standard ones, such as industry segment, lead source or renewal date. They appear on detail pages and in imports.
            </Empty>
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="properties-table">
                <thead>
                  <tr>
                    <th>Label</th>
                    <th>Internal name</th>
                    <th>Type</th>
                    <th>Options</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <div className="primary">{p.label}</div>
                        {p.description && <div className="sub">{p.description}</div>}
                      </td>
                      <td>
                        <code>{p.key}</code>
                      </td>
                      <td>
                        <Badge tone="blue" plain>
                          {TYPES.find(([v]) => v === p.type)?.[1] ?? p.type}
                        </Badge>
                      </td>
                      <td>
                        {p.options?.length ? (
                          <div className="chips">
                            {p.options.slice(0, 6).map((o) => (
                              <Badge key={o} plain>
                                {o}
                              </Badge>
                            ))}
                            {p.options.length > 6 && <span className="muted small">+{p.options.length - 6} more</span>}
                          </div>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td className="muted nowrap">{formatDate(p.createdAt)}</td>
                      <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                        <button className="btn btn-sm btn-ghost" onClick={() => setModal({ editing: p })} aria-label={`Edit ${p.label}`}>
                          Edit
                        </button>
                        <button className="btn btn-sm btn-ghost link-danger" onClick={() => setDeleting(p)} aria-label={`Delete ${p.label}`}>
                          Delete
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
      {modal && <PropertyModal objectType={objectType} editing={modal.editing} onClose={() => setModal(null)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.label}”?`}
          confirmLabel="Delete property"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteProperty(deleting.id);
            await qc.invalidateQueries({ queryKey: ['properties'] });
          }}
        >
          The property definition is removed and its values are no longer shown or accepted on {deleting.objectType}s. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
