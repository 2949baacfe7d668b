// Add a step (after the selected one, with sensible defaults), move the selected step up or down, remove it
// (references to it move to the step that followed it, so the flow stays connected).
import { STEP_LABELS, STEP_TYPES, type Program, type Step } from '../../api/nurture.ts';
import { localInputToIso } from './controls.tsx';

type Def = Program['definition'];

function defaults(type: Step['type']): Record<string, unknown> {
  const inAWeek = new Date(Date.now() + 7 * 86_400_000);
  const local = `${inAWeek.getFullYear()}-${String(inAWeek.getMonth() + 1).padStart(2, '0')}-${String(inAWeek.getDate()).padStart(2, '0')}T09:00`;
  switch (type) {
    case 'send_email':
      return { topicKey: '' };
    case 'send_content':
      return { topicKey: '', fallbackStage: 'awareness' };
    case 'wait':
      return { duration: { days: 1 } };
    case 'wait_until':
      return { until: localInputToIso(local) };
    case 'wait_event':
      return { event: 'Demo Requested', timeout: { days: 7 } };
    case 'branch':
      return { condition: { kind: 'stage_in', stages: ['marketing_qualified'] }, yes: null, no: null };
    case 'update_property':
      return { key: 'nurture_track', value: 'welcome' };
    case 'update_stage':
      return { stage: 'marketing_qualified' };
    case 'notify_owner':
      return { message: 'Please follow up with this lead' };
    default:
      return {};
  }
}

function newId(steps: Step[], type: string): string {
  const base = type.replace(/_/g, '-');
  let n = 1;
  while (steps.some((s) => s.id === `${base}-${n}`)) n++;
  return `${base}-${n}`;
}

export function removeStep(draft: Def, id: string | null): Def {
  const i = draft.steps.findIndex((s) => s.id === id);
  if (i < 0 || draft.steps.length <= 1) return draft;
  const gone = draft.steps[i]!;
  const after = gone.next !== undefined ? gone.next : (draft.steps[i + 1]?.id ?? null);
  const steps = draft.steps
    .filter((s) => s.id !== id)
    .map((s) => {
      const o = { ...s } as Record<string, unknown>;
      // A step that would now lead to itself follows the list instead (or ends, for a branch).
      for (const k of ['next', 'timeoutNext'] as const) if (o[k] === id) o[k] = after === s.id ? undefined : after;
      for (const k of ['yes', 'no'] as const) if (o[k] === id) o[k] = after === s.id ? null : after;
      if (o.next === undefined) delete o.next;
      if (o.timeoutNext === undefined) delete o.timeoutNext;
      return o as Step;
    });
  return { ...draft, steps };
}

export function StepToolbar({ draft, selected, setDraft, setSelected, onRemove }: { draft: Def; selected: string | null; setDraft: (d: Def) => void; setSelected: (id: string | null) => void; onRemove: () => void }) {
  const i = draft.steps.findIndex((s) => s.id === selected);
  const add = (type: Step['type']) => {
    const at = i >= 0 ? i + 1 : draft.steps.length;
    const s = { id: newId(draft.steps, type), type, ...defaults(type) } as Step;
    setDraft({ ...draft, steps: [...draft.steps.slice(0, at), s, ...draft.steps.slice(at)] });
    setSelected(s.id);
  };
  const move = (d: -1 | 1) => {
    const j = i + d;
    if (i < 0 || j < 0 || j >= draft.steps.length) return;
    const steps = [...draft.steps];
    [steps[i], steps[j]] = [steps[j]!, steps[i]!];
    setDraft({ ...draft, steps });
  };
  const remove = () => {
    const next = draft.steps[i + 1]?.id ?? draft.steps[i - 1]?.id ?? null;
    onRemove();
    setSelected(next);
  };
  return (
    <div style={{ display: 'flex', gap: 'var(--s2)', flexWrap: 'wrap' }}>
      <select className="input" style={{ flex: '1 1 220px' }} aria-label="Add a step" value="" onChange={(e) => e.target.value && add(e.target.value as Step['type'])}>
        <option value="">{i >= 0 ? '+ Add a step after this one…' : '+ Add a step at the end…'}</option>
        {STEP_TYPES.map((t) => (
          <option key={t} value={t}>
            {STEP_LABELS[t]}
          </option>
        ))}
      </select>
      <button className="btn btn-sm" onClick={() => move(-1)} disabled={i <= 0} aria-label="Move step up" title="Move up">
        ↑
      </button>
      <button className="btn btn-sm" onClick={() => move(1)} disabled={i < 0 || i >= draft.steps.length - 1} aria-label="Move step down" title="Move down">
        ↓
      </button>
      <button className="btn btn-sm" onClick={remove} disabled={i < 0 || draft.steps.length <= 1}>
        Remove
      </button>
    </div>
  );
}
