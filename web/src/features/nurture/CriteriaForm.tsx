// Who enters, who leaves, what counts as success and who may come back, as forms: entry criteria (segment,
// lifecycle stages, scores, a recent event, a property value), exit criteria and goals (conditions) and the
// re-entry rule. Each control says in one line what it does.
import { useId } from 'react';
import type { Program } from '../../api/nurture.ts';
import { LIFECYCLE_LABELS } from '../../api/types.ts';
import { CONDITION_LABELS, ConditionForm, EventList, type Condition } from './ConditionForm.tsx';
import { LIFECYCLE_STAGES, Row, StageChecks, TypedValue, type Errs, type Pickers } from './controls.tsx';

type Def = Program['definition'];
type Entry = Def['entry'];

const REENTRY: { mode: Def['reentry']['mode']; title: string; desc: string }[] = [
  { mode: 'never', title: 'Never', desc: 'A contact goes through the program once.' },
  { mode: 'when_recycled', title: 'When recycled', desc: 'Again after sales sends the contact back (stage “recycled”), keeping its history.' },
  { mode: 'after_end', title: 'After it ends', desc: 'Again whenever the contact meets the entry criteria after finishing.' },
];

function num(v: string): number | undefined {
  return v.trim() === '' ? undefined : Number(v);
}
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function EntryForm({ entry, onChange, pickers, errs }: { entry: Entry; onChange: (e: Entry) => void; pickers: Pickers; errs: Errs }) {
  const id = useId();
  const set = (patch: Partial<Entry>) => onChange(clean({ ...entry, ...patch }));
  return (
    <section data-testid="entry-form">
      <h3 style={{ margin: '0 0 4px' }}>Who enters</h3>
      <p className="muted small" style={{ margin: '0 0 var(--s3)' }}>
        Contacts meeting <strong>all</strong> the criteria you set enter the program (checked every few minutes while it is active). Leave a criterion empty to ignore it.
      </p>
      {errs('') && !['segmentId', 'stages', 'minEngagementScore', 'minFitScore', 'event', 'property'].some((k) => errs(k)) && (
        <div className="field-error" role="alert" data-testid="field-error" style={{ marginBottom: 'var(--s3)' }}>
          Set at least one criterion below.
        </div>
      )}
      <Row label="In segment" id={`${id}-seg`} error={errs('segmentId')} hint="Members of a segment built under Market → Segments.">
        <select id={`${id}-seg`} className="input" value={entry.segmentId ?? ''} onChange={(e) => set({ segmentId: num(e.target.value) })}>
          <option value="">Any segment</option>
          {pickers.segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Row>
      <StageChecks label="Lifecycle stage is one of" all={LIFECYCLE_STAGES} labels={LIFECYCLE_LABELS} value={entry.stages ?? []} onChange={(s) => set({ stages: s.length ? s : undefined })} hint="None ticked: any stage." error={errs('stages')} />
      <div className="form-row">
        <Row label="Engagement score at least" id={`${id}-eng`} error={errs('minEngagementScore')} hint="Behaviour: visits, opens, clicks.">
          <input id={`${id}-eng`} className="input" type="number" min={0} value={entry.minEngagementScore ?? ''} onChange={(e) => set({ minEngagementScore: num(e.target.value) })} />
        </Row>
        <Row label="Fit score at least" id={`${id}-fit`} error={errs('minFitScore')} hint="Who they are, 0–100.">
          <input id={`${id}-fit`} className="input" type="number" min={0} max={100} value={entry.minFitScore ?? ''} onChange={(e) => set({ minFitScore: num(e.target.value) })} />
        </Row>
      </div>
      <div className="form-row">
        <Row label="Did the event" id={`${id}-ev`} error={errs('event.name')} hint="A tracked event, e.g. Webinar Attended.">
          <input id={`${id}-ev`} className="input" list={`${id}-events`} value={entry.event?.name ?? ''} onChange={(e) => set({ event: e.target.value ? { name: e.target.value, withinDays: entry.event?.withinDays ?? 30 } : undefined })} />
          <EventList id={`${id}-events`} events={pickers.events} />
        </Row>
        <Row label="In the last (days)" id={`${id}-within`} error={errs('event.withinDays')}>
          <input id={`${id}-within`} className="input" type="number" min={1} max={365} disabled={!entry.event} value={entry.event?.withinDays ?? 30} onChange={(e) => entry.event && set({ event: { ...entry.event, withinDays: Number(e.target.value) } })} />
        </Row>
      </div>
      <div className="form-row">
        <Row label="Property" id={`${id}-pk`} error={errs('property.key')} hint="e.g. interest, from a form.">
          <input id={`${id}-pk`} className="input" list={`${id}-keys`} value={entry.property?.key ?? ''} onChange={(e) => set({ property: e.target.value ? { key: e.target.value, value: entry.property?.value ?? '' } : undefined })} />
          <datalist id={`${id}-keys`}>
            {pickers.propertyKeys.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </Row>
        {entry.property ? (
          <TypedValue label="Equals" allowEmpty={false} value={entry.property.value} onChange={(v) => entry.property && set({ property: { ...entry.property, value: v as string | number | boolean } })} error={errs('property.value')} />
        ) : (
          <div />
        )}
      </div>
    </section>
  );
}

/** A list of conditions (exit criteria) or named conditions (goals), each removable, and "add". */
export function ConditionList<T>({ title, itemLabel, explain, items, onChange, pickers, errs, toCondition, fromCondition, name, addLabel, testId }: {
  title: string;
  itemLabel: string;
  explain: string;
  items: T[];
  onChange: (items: T[]) => void;
  pickers: Pickers;
  errs: Errs;
  toCondition: (t: T) => Condition;
  fromCondition: (c: Condition, old?: T) => T;
  name?: { get: (t: T) => string; set: (t: T, n: string) => T; errPath: string };
  addLabel: string;
  testId: string;
}) {
  const id = useId();
  return (
    <section data-testid={testId} style={{ marginTop: 'var(--s5)' }}>
      <h3 style={{ margin: '0 0 4px' }}>{title}</h3>
      <p className="muted small" style={{ margin: '0 0 var(--s3)' }}>
        {explain}
      </p>
      {items.length === 0 && <p className="small muted">None yet.</p>}
      {items.map((it, i) => (
        <div key={i} style={{ border: '1px solid var(--border)', borderRadius: 'var(--radius-sm)', padding: 'var(--s3)', marginBottom: 'var(--s3)' }}>
          <div className="row" style={{ justifyContent: 'space-between', marginBottom: 'var(--s2)' }}>
            <strong className="small">
              {itemLabel} {i + 1}
            </strong>
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => onChange(items.filter((_, j) => j !== i))} aria-label={`Remove ${itemLabel.toLowerCase()} ${i + 1}`}>
              Remove
            </button>
          </div>
          {name && (
            <Row label="Goal name" id={`${id}-${i}-name`} error={errs(`${i}.${name.errPath}`)}>
              <input id={`${id}-${i}-name`} className="input" value={name.get(it)} onChange={(e) => onChange(items.map((x, j) => (j === i ? name.set(x, e.target.value) : x)))} />
            </Row>
          )}
          <ConditionForm
            idPrefix={`${testId}-${i}`}
            label={name ? 'Reached when the contact…' : 'Leaves when the contact…'}
            value={toCondition(it)}
            onChange={(c) => onChange(items.map((x, j) => (j === i ? fromCondition(c, x) : x)))}
            pickers={pickers}
            errs={(p) => errs(name ? `${i}.condition${p ? `.${p}` : ''}` : `${i}${p ? `.${p}` : ''}`)}
          />
        </div>
      ))}
      <button type="button" className="btn btn-sm" onClick={() => onChange([...items, fromCondition({ kind: 'stage_in', stages: ['marketing_qualified'] })])}>
        {addLabel}
      </button>
    </section>
  );
}

export function CriteriaForm({ draft, onChange, pickers, errs }: { draft: Def; onChange: (d: Def) => void; pickers: Pickers; errs: Errs }) {
  return (
    <div>
      <EntryForm entry={draft.entry} onChange={(entry) => onChange({ ...draft, entry })} pickers={pickers} errs={(p) => errs(p ? `entry.${p}` : 'entry')} />
      <ConditionList<Condition>
        title="Exit criteria"
        itemLabel="Exit criterion"
        testId="exit-form"
        explain="Checked before every step: a contact meeting any one leaves the program (e.g. became sales-ready, unsubscribed)."
        items={draft.exit}
        onChange={(exit) => onChange({ ...draft, exit })}
        pickers={pickers}
        errs={(p) => errs(`exit.${p}`)}
        toCondition={(c) => c}
        fromCondition={(c) => c}
        addLabel="+ Add an exit criterion"
      />
      <ConditionList<Def['goals'][number]>
        title="Goals"
        itemLabel="Goal"
        testId="goals-form"
        explain="Checked before every step: a contact meeting one has converted; it leaves the program counted as “reached a goal”."
        items={draft.goals}
        onChange={(goals) => onChange({ ...draft, goals })}
        pickers={pickers}
        errs={(p) => errs(`goals.${p}`)}
        toCondition={(g) => g.condition}
        fromCondition={(c, old) => ({ name: old?.name ?? `Became ${c.kind === 'stage_in' ? c.stages.map((s) => LIFECYCLE_LABELS[s]).join(' or ') : CONDITION_LABELS[c.kind].toLowerCase()}`, condition: c })}
        name={{ get: (g) => g.name, set: (g, n) => ({ ...g, name: n }), errPath: 'name' }}
        addLabel="+ Add a goal"
      />
      <section data-testid="reentry-form" style={{ marginTop: 'var(--s5)' }}>
        <h3 style={{ margin: '0 0 4px' }}>Re-entry</h3>
        <p className="muted small" style={{ margin: '0 0 var(--s3)' }}>
          Whether a contact who already went through the program can enter it again.
        </p>
        <div className="stack" style={{ gap: 'var(--s2)', marginBottom: 'var(--s3)' }} role="radiogroup" aria-label="Re-entry">
          {REENTRY.map((r) => (
            <label key={r.mode} className={`choice${draft.reentry.mode === r.mode ? ' selected' : ''}`} style={{ padding: 'var(--s2) var(--s3)' }}>
              <input type="radio" name="reentry" checked={draft.reentry.mode === r.mode} onChange={() => onChange({ ...draft, reentry: { ...draft.reentry, mode: r.mode } })} />
              <span>
                <span className="title">{r.title}</span>
                <span className="desc" style={{ display: 'block' }}>
                  {r.desc}
                </span>
              </span>
            </label>
          ))}
        </div>
        {draft.reentry.mode !== 'never' && (
          <Row label="Wait at least (days) after the previous run ended" id="reentry-cooldown" error={errs('reentry.cooldownDays')} hint="0: as soon as the rule allows.">
            <input id="reentry-cooldown" className="input" type="number" min={0} max={3650} style={{ width: 120 }} value={draft.reentry.cooldownDays} onChange={(e) => onChange({ ...draft, reentry: { ...draft.reentry, cooldownDays: e.target.value === '' ? 0 : Number(e.target.value) } })} />
          </Row>
        )}
      </section>
    </div>
  );
}
