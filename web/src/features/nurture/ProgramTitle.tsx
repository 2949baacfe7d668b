// The program's name and description in the page header; "Rename" (for managers) turns them into a small form
// that saves on its own (the flow's unsaved changes are not touched). A taken name is shown next to the field.
import { useState, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { updateProgram, type Program } from '../../api/nurture.ts';
import { TextField } from '../../components/Field.tsx';
import { ErrorAlert } from '../../components/States.tsx';

export function ProgramTitle({ program, canManage, onSaved, badges }: { program: Program; canManage: boolean; onSaved: (p: Program) => void; badges: ReactNode }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(program.name);
  const [description, setDescription] = useState(program.description ?? '');
  const save = useMutation({
    mutationFn: () => updateProgram(program.id, { name, description: description.trim() || null }),
    onSuccess: (p) => {
      onSaved(p);
      setEditing(false);
    },
  });
  const fe = save.error instanceof ApiError ? save.error.fieldErrors : {};
  if (!editing)
    return (
      <>
        <h1>
          {program.name} {badges}
          {canManage && (
            <button type="button" className="btn btn-sm btn-ghost" style={{ marginLeft: 'var(--s2)', verticalAlign: 'middle' }} onClick={() => (setName(program.name), setDescription(program.description ?? ''), save.reset(), setEditing(true))}>
              Rename
            </button>
          )}
        </h1>
        {program.description && <p className="subtitle" style={{ marginBottom: 0 }}>{program.description}</p>}
      </>
    );
  return (
    <form
      data-testid="program-title-form"
      style={{ maxWidth: 560, margin: 'var(--s2) 0' }}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <TextField label="Program name" value={name} onChange={(e) => setName(e.target.value)} error={fe.name} autoFocus />
      <div className="field">
        <label htmlFor="program-description">Description</label>
        <textarea id="program-description" className="input" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What the program is for, who it is for" />
        {fe.description && <span className="field-error">{fe.description}</span>}
      </div>
      {save.error && !Object.keys(fe).length && <ErrorAlert error={save.error} />}
      <div className="row">
        <button className="btn btn-primary btn-sm" type="submit" disabled={save.isPending || !name.trim()}>
          {save.isPending ? 'Saving…' : 'Save name'}
        </button>
        <button className="btn btn-sm" type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
