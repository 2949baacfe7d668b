// A program: the builder (flow diagram with contacts per step; select a step to edit it, add, move or remove
// steps; entry / exit / goals / re-entry as JSON), status moves, the dry run ("who would enter and where
// would they be after N days") and a test send of an email step to one contact.
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { STATUS_LABELS, STATUS_TONES, STEP_LABELS, STEP_TYPES, dryRun, getProgram, getStats, nurtureKeys, programAction, testSend, updateProgram, type DryRunResult, type Program, type Step } from '../../api/nurture.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDateTime, formatNumber } from '../../components/format.ts';
import { ErrorAlert, ErrorState, Loading, NotFoundCard } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { FlowDiagram } from './FlowDiagram.tsx';

type Def = Program['definition'];

const DEFAULTS: Record<Step['type'], Record<string, unknown>> = {
  send_email: { templateId: 1, topicKey: 'newsletter' },
  send_content: { templateId: 1, topicKey: 'newsletter', fallbackStage: 'awareness' },
  wait: { duration: { days: 1 } },
  wait_until: { until: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  wait_event: { event: 'Demo Requested', timeout: { days: 7 } },
  branch: { condition: { kind: 'stage_in', stages: ['marketing_qualified'] }, yes: null, no: null },
  update_property: { key: 'nurture_track', value: 'welcome' },
  update_stage: { stage: 'marketing_qualified' },
  notify_owner: { message: 'Please follow up' },
  webhook: {},
  exit: {},
};

function newId(steps: Step[], type: string): string {
  let n = 1;
  while (steps.some((s) => s.id === `${type.replace(/_/g, '-')}-${n}`)) n++;
  return `${type.replace(/_/g, '-')}-${n}`;
}

function DryRunCard({ program, draft }: { program: Program; draft: Def }) {
  const [days, setDays] = useState(14);
  const run = useMutation({ mutationFn: () => dryRun(program.id, { days, definition: draft }) });
  const r: DryRunResult | undefined = run.data;
  return (
    <div className="card" data-testid="dry-run">
      <div className="card-header">
        <h2>Dry run</h2>
      </div>
      <div className="card-body">
        <div className="form-row" style={{ alignItems: 'flex-end' }}>
          <div className="field">
            <label htmlFor="dr-days">After how many days?</label>
            <input id="dr-days" className="input" type="number" min={0} max={365} value={days} onChange={(e) => setDays(Number(e.target.value))} />
          </div>
          <div className="field">
            <button className="btn" onClick={() => run.mutate()} disabled={run.isPending}>
              {run.isPending ? 'Simulating…' : 'Run dry run'}
            </button>
          </div>
        </div>
        <p className="muted small">Uses the definition as edited (saved or not). Nothing is written; no events are assumed, so waits for events time out.</p>
        {run.error && <ErrorAlert error={run.error} />}
        {r && (
          <>
            <p>
              <strong>{formatNumber(r.entering)}</strong> contacts would enter now{r.alreadyEnrolled ? ` (${formatNumber(r.alreadyEnrolled)} already in the program)` : ''}. After {r.days} days:
            </p>
            {r.entering === 0 ? (
              <p className="muted">No contact meets the entry criteria today. Widen them (another stage, a lower score) or wait for new leads.</p>
            ) : (
              <table className="table" data-testid="dry-run-positions">
                <thead>
                  <tr>
                    <th>Where</th>
                    <th className="num">Contacts</th>
                  </tr>
                </thead>
                <tbody>
                  {r.positions.map((p) => (
                    <tr key={`${p.stepId}|${p.label}`}>
                      <td>{p.stepId ? `Waiting at “${p.label}”` : p.label}</td>
                      <td className="num">{formatNumber(p.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {r.sample.length > 0 && (
              <details style={{ marginTop: 'var(--s3)' }}>
                <summary>First {r.sample.length} contacts and their path</summary>
                <table className="table">
                  <tbody>
                    {r.sample.map((s) => (
                      <tr key={s.contact.id}>
                        <td>
                          <Link to={`/contacts/${s.contact.id}`}>{s.contact.name ?? s.contact.email}</Link>
                        </td>
                        <td className="mono small">{s.path.join(' → ') || '—'}</td>
                        <td>{s.label}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            )}
          </>
        )}
      </div>
    </div>
  );
}

function TestSendCard({ program }: { program: Program }) {
  const emailSteps = program.definition.steps.filter((s) => s.type === 'send_email' || s.type === 'send_content');
  const [stepId, setStepId] = useState(emailSteps[0]?.id ?? '');
  const [contactId, setContactId] = useState('');
  const send = useMutation({ mutationFn: () => testSend(program.id, { stepId, contactId: Number(contactId) }) });
  if (!emailSteps.length) return null;
  return (
    <div className="card" data-testid="test-send">
      <div className="card-header">
        <h2>Test send</h2>
      </div>
      <div className="card-body">
        <div className="form-row" style={{ alignItems: 'flex-end' }}>
          <div className="field">
            <label htmlFor="ts-step">Email step</label>
            <select id="ts-step" className="input" value={stepId} onChange={(e) => setStepId(e.target.value)}>
              {emailSteps.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label || s.id}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ts-contact">Contact id</label>
            <input id="ts-contact" className="input" inputMode="numeric" value={contactId} onChange={(e) => setContactId(e.target.value.replace(/\D/g, ''))} />
          </div>
          <div className="field">
            <button className="btn" disabled={!contactId || send.isPending} onClick={() => send.mutate()}>
              Send test
            </button>
          </div>
        </div>
        <p className="muted small">Goes through the outbox like a real send: consent and the suppression list still apply.</p>
        {send.error && <ErrorAlert error={send.error} />}
        {send.data && <p data-testid="test-send-result">{send.data.note}</p>}
      </div>
    </div>
  );
}

export function ProgramPage() {
  const id = Number(useParams().id);
  const qc = useQueryClient();
  const canManage = useCan('nurture:manage');
  const program = useQuery({ queryKey: nurtureKeys.program(id), queryFn: () => getProgram(id) });
  const stats = useQuery({ queryKey: nurtureKeys.stats(id), queryFn: () => getStats(id), refetchInterval: 10_000 });
  const [draft, setDraft] = useState<Def | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [stepText, setStepText] = useState('');
  const [criteriaText, setCriteriaText] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  useEffect(() => {
    if (program.data && !draft) {
      setDraft(program.data.definition);
      setSelected(program.data.definition.steps[0]?.id ?? null);
    }
  }, [program.data, draft]);
  const step = draft?.steps.find((s) => s.id === selected) ?? null;
  useEffect(() => setStepText(step ? JSON.stringify(step, null, 2) : ''), [selected, draft]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (draft) setCriteriaText(JSON.stringify({ entry: draft.entry, exit: draft.exit, goals: draft.goals, reentry: draft.reentry }, null, 2));
  }, [draft]);
  const counts = useMemo(() => new Map((stats.data?.steps ?? []).map((s) => [s.stepId, { waiting: s.waiting, runs: s.runs }])), [stats.data]);
  const refresh = (p: Program) => {
    qc.setQueryData(nurtureKeys.program(id), p);
    void qc.invalidateQueries({ queryKey: nurtureKeys.stats(id) });
    void qc.invalidateQueries({ queryKey: nurtureKeys.list });
    setDraft(p.definition);
  };
  const save = useMutation({ mutationFn: (d: Def) => updateProgram(id, { definition: d }), onSuccess: refresh });
  const act = useMutation({ mutationFn: (a: 'activate' | 'pause' | 'resume') => programAction(id, a), onSuccess: refresh });

  if (program.isPending || !draft) return program.isError ? <ErrorState error={program.error} retry={() => program.refetch()} /> : <Loading />;
  if (program.isError) {
    if (program.error instanceof ApiError && program.error.status === 404) return <NotFoundCard title="Program not found" backTo="/nurture" backLabel="All programs">It may have been deleted.</NotFoundCard>;
    return <ErrorState error={program.error} />;
  }
  const p = program.data;
  const dirty = JSON.stringify(draft) !== JSON.stringify(p.definition);
  const edit = (steps: Step[]) => setDraft({ ...draft, steps });
  const applyStep = () => {
    try {
      const next = JSON.parse(stepText) as Step;
      edit(draft.steps.map((s) => (s.id === selected ? next : s)));
      setSelected(next.id);
      setLocalError(null);
    } catch (e) {
      setLocalError(`Step: ${(e as Error).message}`);
    }
  };
  const applyCriteria = () => {
    try {
      setDraft({ ...draft, ...(JSON.parse(criteriaText) as Partial<Def>) });
      setLocalError(null);
    } catch (e) {
      setLocalError(`Criteria: ${(e as Error).message}`);
    }
  };
  const addStep = (type: Step['type']) => {
    const at = selected ? draft.steps.findIndex((s) => s.id === selected) + 1 : draft.steps.length;
    const s = { id: newId(draft.steps, type), type, ...DEFAULTS[type] } as Step;
    edit([...draft.steps.slice(0, at), s, ...draft.steps.slice(at)]);
    setSelected(s.id);
  };
  const move = (d: -1 | 1) => {
    const i = draft.steps.findIndex((s) => s.id === selected);
    const j = i + d;
    if (i < 0 || j < 0 || j >= draft.steps.length) return;
    const steps = [...draft.steps];
    [steps[i], steps[j]] = [steps[j]!, steps[i]!];
    edit(steps);
  };
  const remove = () => {
    if (draft.steps.length <= 1) return;
    edit(draft.steps.filter((s) => s.id !== selected));
    setSelected(draft.steps[0]!.id === selected ? (draft.steps[1]?.id ?? null) : draft.steps[0]!.id);
  };
  const c = stats.data?.counts;
  return (
    <>
      <div className="page-header">
        <div>
          <div className="muted small">
            <Link to="/nurture">Nurture programs</Link> /
          </div>
          <h1>
            {p.name} <Badge tone={STATUS_TONES[p.status]}>{STATUS_LABELS[p.status]}</Badge> <span className="muted small">v{p.version}</span>
          </h1>
          <p className="subtitle">
            {c ? `${formatNumber(c.active)} in progress · ${formatNumber(c.goalReached)} reached a goal · ${formatNumber(c.completed)} completed · ${formatNumber(c.exited)} exited` : ' '}
            {p.activatedAt && ` · active since ${formatDateTime(p.activatedAt)}`}
          </p>
        </div>
        {canManage && (
          <div className="actions">
            {p.status === 'draft' && (
              <button className="btn btn-primary" disabled={dirty || act.isPending} onClick={() => act.mutate('activate')} title={dirty ? 'Save first' : undefined}>
                Activate
              </button>
            )}
            {p.status === 'active' && (
              <button className="btn" onClick={() => act.mutate('pause')} disabled={act.isPending}>
                Pause
              </button>
            )}
            {p.status === 'paused' && (
              <button className="btn btn-primary" onClick={() => act.mutate('resume')} disabled={act.isPending}>
                Resume
              </button>
            )}
            <button className="btn btn-primary" disabled={!dirty || save.isPending} onClick={() => save.mutate(draft)} data-testid="save-program">
              {save.isPending ? 'Saving…' : p.activatedAt ? 'Save as new version' : 'Save'}
            </button>
          </div>
        )}
      </div>
      {(save.error || act.error) && <ErrorAlert error={save.error ?? act.error} />}
      {localError && <div className="alert alert-error">{localError}</div>}
      {p.activatedAt && dirty && (
        <div className="alert" style={{ marginBottom: 'var(--s4)' }}>
          Saving creates version {p.version + 1}. Contacts already in the program finish on the version they entered with; new entries run the new one.
        </div>
      )}
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(420px, 1.2fr) minmax(320px, 1fr)', gap: 'var(--s5)', alignItems: 'start' }}>
        <div className="card">
          <div className="card-header">
            <h2>Flow</h2>
            {stats.data && stats.data.versions.length > 1 && <span className="muted small">in flight: {stats.data.versions.map((v) => `v${v.version}: ${v.active}`).join(', ')}</span>}
          </div>
          <div className="card-body">
            <FlowDiagram steps={draft.steps} counts={dirty ? undefined : counts} selected={selected} onSelect={setSelected} />
          </div>
        </div>
        <div style={{ display: 'grid', gap: 'var(--s5)' }}>
          {canManage && (
            <div className="card" data-testid="step-editor">
              <div className="card-header">
                <h2>{step ? `Step “${step.label || STEP_LABELS[step.type]}”` : 'Steps'}</h2>
              </div>
              <div className="card-body">
                <div style={{ display: 'flex', gap: 'var(--s2)', flexWrap: 'wrap' }}>
                  <select className="input" style={{ flex: '1 1 220px' }} aria-label="Add a step" value="" onChange={(e) => e.target.value && addStep(e.target.value as Step['type'])}>
                    <option value="">+ Add a step after this one…</option>
                    {STEP_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {STEP_LABELS[t]}
                      </option>
                    ))}
                  </select>
                  <button className="btn btn-sm" onClick={() => move(-1)} disabled={!step}>
                    ↑
                  </button>
                  <button className="btn btn-sm" onClick={() => move(1)} disabled={!step}>
                    ↓
                  </button>
                  <button className="btn btn-sm" onClick={remove} disabled={!step || draft.steps.length <= 1}>
                    Remove
                  </button>
                </div>
                {step && (
                  <>
                    <textarea className="input mono" rows={10} value={stepText} onChange={(e) => setStepText(e.target.value)} aria-label="Step definition" style={{ width: '100%', marginTop: 'var(--s3)' }} />
                    <button className="btn btn-sm" onClick={applyStep}>
                      Apply to step
                    </button>
                    <p className="muted small">
                      <code>next</code> names the step that follows (null ends the program; left out: the next one in the list). Branches go to <code>yes</code> / <code>no</code>.
                    </p>
                  </>
                )}
              </div>
            </div>
          )}
          <div className="card">
            <div className="card-header">
              <h2>Entry, exit, goals, re-entry</h2>
            </div>
            <div className="card-body">
              <textarea className="input mono" rows={12} value={criteriaText} onChange={(e) => setCriteriaText(e.target.value)} readOnly={!canManage} aria-label="Criteria" style={{ width: '100%' }} />
              {canManage && (
                <button className="btn btn-sm" onClick={applyCriteria}>
                  Apply
                </button>
              )}
            </div>
          </div>
          <DryRunCard program={p} draft={draft} />
          {canManage && <TestSendCard program={p} />}
        </div>
      </div>
    </>
  );
}
