// Small form controls of the program builder: the pickers' data (templates, topics, segments, tracked event
// names, contact properties, webhook endpoints), stage checkboxes, a duration (number + unit), a date-time in the user's local
// time, a typed value (text / number / true / false / empty), a step select, and server field errors by path.
import { useId, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { emailKeys, listTemplates, listTopics } from '../../api/email.ts';
import { listSegments, marketKeys, ruleFields } from '../../api/market.ts';
import { LIFECYCLE_LABELS } from '../../api/types.ts';
import { listWebhookTargets, nurtureKeys, STEP_LABELS, type Step } from '../../api/nurture.ts';
import { usePropertyDefs } from '../../components/usePropertyDefs.ts';

export const LIFECYCLE_STAGES = Object.keys(LIFECYCLE_LABELS) as (keyof typeof LIFECYCLE_LABELS)[];
export { CONTENT_STAGE_LABELS, CONTENT_STAGES } from '../../../../src/contracts/content.ts';

/** Server field errors under one prefix: `errs('duration')` is the message for `duration` or `duration.days`. */
export type Errs = (path: string) => string | undefined;
export function errsFrom(all: Record<string, string>, prefix = ''): Errs {
  return (path) => {
    const key = prefix ? (path ? `${prefix}.${path}` : prefix) : path;
    for (const [k, v] of Object.entries(all)) if (k === key || k.startsWith(`${key}.`)) return humanize(v);
    return undefined;
  };
}
function humanize(m: string): string {
  if (/received undefined/.test(m)) return 'Required';
  return m.replace(/^Invalid input: /, '');
}

/** Names for the pickers; every role that reads nurture programs can read these. */
export function usePickers() {
  const templates = useQuery({ queryKey: emailKeys.templates, queryFn: listTemplates });
  const topics = useQuery({ queryKey: emailKeys.topics, queryFn: listTopics });
  const segments = useQuery({ queryKey: marketKeys.segments({}), queryFn: () => listSegments({}) });
  const fields = useQuery({ queryKey: marketKeys.fields, queryFn: ruleFields });
  const props = usePropertyDefs('contact');
  const hooks = useQuery({ queryKey: nurtureKeys.webhookTargets, queryFn: listWebhookTargets });
  return {
    templates: templates.data?.items ?? [],
    topics: topics.data?.items ?? [],
    segments: segments.data?.items ?? [],
    events: fields.data?.events ?? [],
    propertyKeys: props.map((p) => p.key),
    webhooks: hooks.data?.items ?? [],
    loaded: templates.isSuccess && topics.isSuccess,
  };
}
export type Pickers = ReturnType<typeof usePickers>;

/** A labelled control with a hint, or the server's error for it in place of the hint. */
export function Row({ label, hint, error, children, id }: { label: string; hint?: ReactNode; error?: string; children: ReactNode; id?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <span className="field-error" role="alert" data-testid="field-error">
          {error}
        </span>
      ) : (
        hint && <span className="hint">{hint}</span>
      )}
    </div>
  );
}

/** Checkboxes for a set of stages; `[]` when none is ticked. */
export function StageChecks<S extends string>({ all, labels, value, onChange, label, hint, error }: { all: readonly S[]; labels: Record<S, string>; value: readonly S[]; onChange: (v: S[]) => void; label: string; hint?: ReactNode; error?: string }) {
  return (
    <fieldset className="field" style={{ border: 0, padding: 0, margin: '0 0 var(--s4)' }} aria-invalid={error ? true : undefined}>
      <legend className="label" style={{ fontWeight: 500, fontSize: 13, color: 'var(--text-2)', marginBottom: 5 }}>
        {label}
      </legend>
      <div className="chips">
        {all.map((s) => (
          <label key={s} style={{ cursor: 'pointer', display: 'inline-flex', gap: 5, alignItems: 'center', padding: '3px 10px 3px 7px', border: '1px solid var(--border-strong)', borderRadius: 999, fontSize: 13, background: value.includes(s) ? 'var(--accent-soft)' : 'var(--surface)' }}>
            <input type="checkbox" checked={value.includes(s)} onChange={(e) => onChange(e.target.checked ? all.filter((x) => x === s || value.includes(x)) : value.filter((x) => x !== s))} />
            {labels[s]}
          </label>
        ))}
      </div>
      {error ? (
        <span className="field-error" role="alert" data-testid="field-error">
          {error}
        </span>
      ) : (
        hint && <span className="hint">{hint}</span>
      )}
    </fieldset>
  );
}

type Dur = { days?: number; hours?: number; minutes?: number };
const UNITS = { minutes: 1, hours: 60, days: 1440, weeks: 10080 } as const;
type Unit = keyof typeof UNITS;
export function splitDuration(d: Dur): { n: number; unit: Unit } {
  const m = (d.days ?? 0) * 1440 + (d.hours ?? 0) * 60 + (d.minutes ?? 0);
  if (m === 0) return { n: 0, unit: 'days' };
  const unit: Unit = m % UNITS.weeks === 0 ? 'weeks' : m % UNITS.days === 0 ? 'days' : m % UNITS.hours === 0 ? 'hours' : 'minutes';
  return { n: m / UNITS[unit], unit };
}
export function joinDuration(n: number, unit: Unit): Dur {
  if (unit === 'weeks') return { days: n * 7 };
  if (unit === 'days') return { days: n };
  if (unit === 'hours') return n > 1000 && Number.isInteger(n) ? { days: Math.floor(n / 24), hours: n % 24 } : { hours: n };
  return { minutes: n };
}

/** A duration as a number and a unit (minutes, hours, days, weeks). */
export function DurationInput({ value, onChange, label, hint, error, testId }: { value: Dur; onChange: (d: Dur) => void; label: string; hint?: ReactNode; error?: string; testId?: string }) {
  const id = useId();
  const init = splitDuration(value);
  const [unit, setUnit] = useState<Unit>(init.unit);
  const [text, setText] = useState(String(init.n));
  const set = (t: string, u: Unit) => {
    setText(t);
    setUnit(u);
    onChange(joinDuration(t.trim() === '' ? 0 : Number(t), u));
  };
  return (
    <Row label={label} hint={hint} error={error} id={id}>
      <div className="row" style={{ gap: 'var(--s2)' }} data-testid={testId}>
        <input id={id} className={`input${error ? ' invalid' : ''}`} type="number" min={0} step={1} style={{ width: 110 }} value={text} aria-invalid={error ? true : undefined} onChange={(e) => set(e.target.value, unit)} />
        <select className="input" aria-label={`${label}: unit`} style={{ width: 130 }} value={unit} onChange={(e) => set(text, e.target.value as Unit)}>
          {(Object.keys(UNITS) as Unit[]).map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
    </Row>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
/** ISO (any offset) → the value of a datetime-local input in the browser's time zone. */
export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
/** A datetime-local value (browser's time zone) → ISO with that zone's offset, e.g. 2026-12-10T09:00:00+01:00. */
export function localInputToIso(v: string): string {
  const d = new Date(v);
  if (!v || Number.isNaN(d.getTime())) return v;
  return `${v.length === 16 ? `${v}:00` : v.slice(0, 19)}${offsetOf(d)}`;
}
export function offsetOf(d: Date): string {
  const off = -d.getTimezoneOffset();
  return `${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

export type Typed = string | number | boolean | null;
type Kind = 'text' | 'number' | 'true' | 'false' | 'empty';
const kindOf = (v: Typed): Kind => (v === null ? 'empty' : v === true ? 'true' : v === false ? 'false' : typeof v === 'number' ? 'number' : 'text');

/** A value with its type: text, number, true, false or (when allowEmpty) empty. */
export function TypedValue({ value, onChange, label, hint, error, allowEmpty = true }: { value: Typed; onChange: (v: Typed) => void; label: string; hint?: ReactNode; error?: string; allowEmpty?: boolean }) {
  const id = useId();
  const [kind, setKind] = useState<Kind>(kindOf(value));
  const [text, setText] = useState(value === null || typeof value === 'boolean' ? '' : String(value));
  const emit = (k: Kind, t: string) => {
    setKind(k);
    setText(t);
    onChange(k === 'empty' ? null : k === 'true' ? true : k === 'false' ? false : k === 'number' ? (t.trim() === '' ? Number.NaN : Number(t)) : t);
  };
  return (
    <Row label={label} hint={hint} error={error} id={id}>
      <div className="row" style={{ gap: 'var(--s2)' }}>
        <select className="input" aria-label={`${label}: type`} style={{ width: 120 }} value={kind} onChange={(e) => emit(e.target.value as Kind, text)}>
          <option value="text">Text</option>
          <option value="number">Number</option>
          <option value="true">Yes (true)</option>
          <option value="false">No (false)</option>
          {allowEmpty && <option value="empty">Empty (clear it)</option>}
        </select>
        {(kind === 'text' || kind === 'number') && (
          <input id={id} className={`input${error ? ' invalid' : ''}`} type={kind === 'number' ? 'number' : 'text'} value={text} aria-invalid={error ? true : undefined} onChange={(e) => emit(kind, e.target.value)} style={{ flex: 1 }} />
        )}
      </div>
    </Row>
  );
}

/** What a step select offers besides the steps: "the next step in the list" (undefined) and "end" (null). */
export function stepName(s: Step): string {
  return s.label || STEP_LABELS[s.type];
}
export function StepSelect({ steps, self, value, onChange, label, hint, error, allowFollowing, followingName }: {
  steps: Step[];
  self: string;
  value: string | null | undefined;
  onChange: (v: string | null | undefined) => void;
  label: string;
  hint?: ReactNode;
  error?: string;
  allowFollowing?: boolean;
  followingName?: string;
}) {
  const id = useId();
  const v = value === undefined ? '__following' : value === null ? '__end' : value;
  return (
    <Row label={label} hint={hint} error={error} id={id}>
      <select id={id} className={`input${error ? ' invalid' : ''}`} value={v} aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.target.value === '__following' ? undefined : e.target.value === '__end' ? null : e.target.value)}>
        {allowFollowing && <option value="__following">The next step in the list{followingName ? ` (${followingName})` : ' (none: the program ends)'}</option>}
        {steps.map((s, i) =>
          s.id === self ? null : (
            <option key={s.id} value={s.id}>
              {i + 1}. {stepName(s)}
            </option>
          ),
        )}
        <option value="__end">End the program</option>
        {value && !steps.some((s) => s.id === value) && <option value={value}>Missing step “{value}”</option>}
      </select>
    </Row>
  );
}
