// "New program": a name, an optional description and where to start from (the starter journey, or a single
// step to build from); creates the draft and opens it in the builder. A taken name shows next to the field.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { createProgram, starterDefinition } from '../../api/nurture.ts';
import { TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';

const STARTS = [
  { key: 'starter', title: 'Starter journey', desc: 'Tag, wait 3 days, branch on engagement: engaged leads become MQLs, cold ones go to their owner. Edit from there.' },
  { key: 'blank', title: 'One step', desc: 'Leads enter and wait a day; add your own steps after it.' },
] as const;

function blankDefinition() {
  return { entry: { stages: ['lead'] }, steps: [{ id: 'wait-1', type: 'wait', label: 'Wait 1 day', duration: { days: 1 } }], reentry: { mode: 'when_recycled', cooldownDays: 30 } };
}

export function NewProgramDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [start, setStart] = useState<'starter' | 'blank'>('starter');
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => createProgram({ name, description: description.trim() || null, definition: start === 'starter' ? starterDefinition() : blankDefinition() }),
    onSuccess: (p) => navigate(`/nurture/${p.id}`),
    focusInvalid: true,
  });
  return (
    <FormDialog
      title="New nurture program"
      formId="new-program"
      formLabel="New nurture program"
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate();
      }}
      error={topError}
      pending={mutation.isPending}
      submitLabel="Create and open the builder"
      pendingLabel="Creating…"
    >
      <TextField label="Program name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} placeholder="e.g. Welcome new leads" autoFocus required />
      <div className="field">
        <label htmlFor="np-desc">Description</label>
        <textarea id="np-desc" className="input" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="Optional: who it is for and what it should achieve" />
      </div>
      <div className="field">
        <span className="label">Start from</span>
        <div className="stack" style={{ gap: 'var(--s2)' }} role="radiogroup" aria-label="Start from">
          {STARTS.map((s) => (
            <label key={s.key} className={`choice${start === s.key ? ' selected' : ''}`} style={{ padding: 'var(--s2) var(--s3)' }}>
              <input type="radio" name="np-start" checked={start === s.key} onChange={() => setStart(s.key)} />
              <span>
                <span className="title">{s.title}</span>
                <span className="desc" style={{ display: 'block' }}>
                  {s.desc}
                </span>
              </span>
            </label>
          ))}
        </div>
        <span className="hint">The program starts as a draft: nobody enters until you activate it.</span>
      </div>
    </FormDialog>
  );
}
