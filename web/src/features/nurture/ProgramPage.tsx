// A program: the builder (flow diagram with contacts per step; select a step to edit it in a form for its
// type, add, move or remove steps; entry / exit / goals / re-entry as forms, with the JSON as a collapsed
// "Advanced" view), status moves, the dry run and a test send. Viewers see the same forms, disabled.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { STATUS_LABELS, STATUS_TONES, STEP_LABELS, getProgram, getStats, nurtureKeys, programAction, updateProgram, type Program, type Step } from '../../api/nurture.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDateTime, formatNumber } from '../../components/format.ts';
import { ErrorAlert, ErrorState, Loading, NotFoundCard } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { describeCondition } from './ConditionForm.tsx';
import { CriteriaForm } from './CriteriaForm.tsx';
import { FlowDiagram, stepDetail } from './FlowDiagram.tsx';
import { JsonDisclosure } from './JsonDisclosure.tsx';
import { DryRunCard, TestSendCard } from './ProgramCards.tsx';
import { ProgramTitle } from './ProgramTitle.tsx';
import { StepForm } from './StepForm.tsx';
import { StepToolbar, removeStep } from './StepToolbar.tsx';
import { errsFrom, stepName, usePickers, type Pickers } from './controls.tsx';

type Def = Program['definition'];

/** Server field errors (paths under `definition.`) with step indexes turned into the ids of the steps saved. */
export function errorsByStepId(err: unknown, saved: Def | undefined): Record<string, string> {
  if (!(err instanceof ApiError) || !saved) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(err.fieldErrors)) {
    const path = k.replace(/^definition\.?/, '');
    const m = /^steps\.(\d+)(?:\.(.*))?$/.exec(path);
    const id = m ? saved.steps[Number(m[1])]?.id : undefined;
    out[m && id ? `steps.${id}${m[2] ? `.${m[2]}` : ''}` : path] = v;
  }
  return out;
}

function detailWithNames(p: Pickers) {
  return (s: Step): string => {
    if (s.type === 'send_email' || s.type === 'send_content') {
      const tpl = p.templates.find((t) => t.id === s.templateId)?.name ?? (s.templateId ? `template ${s.templateId}` : 'no template yet');
      return s.type === 'send_content' ? `by buying stage · ${tpl}` : `${tpl} · ${p.topics.find((t) => t.key === s.topicKey)?.name ?? s.topicKey}`;
    }
    if (s.type === 'branch') return describeCondition(s.condition, p);
    if (s.type === 'webhook' && s.endpointId) return `nurture.step to ${p.webhooks.find((w) => w.id === s.endpointId)?.name ?? `endpoint ${s.endpointId}`}`;
    return stepDetail(s);
  };
}

export function ProgramPage() {
  const id = Number(useParams().id);
  const qc = useQueryClient();
  const canManage = useCan('nurture:manage');
  const program = useQuery({ queryKey: nurtureKeys.program(id), queryFn: () => getProgram(id) });
  const stats = useQuery({ queryKey: nurtureKeys.stats(id), queryFn: () => getStats(id), refetchInterval: 10_000 });
  const pickers = usePickers();
  const panel = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState<Def | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  /** Bumped when the draft is replaced wholesale (saved, discarded, JSON applied) so the forms re-read it. */
  const [rev, setRev] = useState(0);
  useEffect(() => {
    if (program.data && !draft) {
      setDraft(program.data.definition);
      setSelected(program.data.definition.steps[0]?.id ?? null);
    }
  }, [program.data, draft]);
  const dirtyNow = !!draft && !!program.data && JSON.stringify(draft) !== JSON.stringify(program.data.definition);
  useEffect(() => {
    if (!dirtyNow) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirtyNow]);
  const counts = useMemo(() => new Map((stats.data?.steps ?? []).map((s) => [s.stepId, { waiting: s.waiting, runs: s.runs }])), [stats.data]);
  const refresh = (p: Program) => {
    qc.setQueryData(nurtureKeys.program(id), p);
    void qc.invalidateQueries({ queryKey: nurtureKeys.stats(id) });
    void qc.invalidateQueries({ queryKey: nurtureKeys.list });
    setDraft(p.definition);
    setErrors({});
    setRev((r) => r + 1);
  };
  const save = useMutation({
    mutationFn: (d: Def) => updateProgram(id, { definition: d }),
    onSuccess: refresh,
    onError: (err, d) => {
      const e = errorsByStepId(err, d);
      setErrors(e);
      const first = Object.keys(e).find((k) => k.startsWith('steps.'));
      if (first) setSelected(first.split('.')[1]!);
    },
  });
  const act = useMutation({ mutationFn: (a: 'activate' | 'pause' | 'resume') => programAction(id, a), onSuccess: refresh });

  if (program.isPending || !draft) return program.isError ? <ErrorState error={program.error} retry={() => program.refetch()} /> : <Loading />;
  if (program.isError) {
    if (program.error instanceof ApiError && program.error.status === 404) return <NotFoundCard title="Program not found" backTo="/nurture" backLabel="All programs">It may have been deleted.</NotFoundCard>;
    return <ErrorState error={program.error} />;
  }
  const p = program.data;
  const step = draft.steps.find((s) => s.id === selected) ?? null;
  const dirty = JSON.stringify(draft) !== JSON.stringify(p.definition);
  const clearErrors = (pred: (k: string) => boolean) => setErrors((e) => (Object.keys(e).some(pred) ? Object.fromEntries(Object.entries(e).filter(([k]) => !pred(k))) : e));
  const changeStep = (next: Step) => {
    const old = selected;
    setDraft({ ...draft, steps: draft.steps.map((s) => (s.id === old ? next : s)) });
    if (next.id !== old) setSelected(next.id);
    clearErrors((k) => k === `steps.${old}` || k.startsWith(`steps.${old}.`));
  };
  const changeCriteria = (d: Def) => {
    setDraft(d);
    clearErrors((k) => !k.startsWith('steps.'));
  };
  const invalid = new Set(Object.keys(errors).filter((k) => k.startsWith('steps.')).map((k) => k.split('.')[1]!));
  const stepErrors = Object.entries(errors).filter(([k]) => k.startsWith('steps.')).length;
  const otherErrors = Object.keys(errors).length - stepErrors;
  const c = stats.data?.counts;
  return (
    <>
      <div className="page-header">
        <div>
          <div className="muted small">
            <Link to="/nurture">Nurture programs</Link> /
          </div>
          <ProgramTitle
            key={p.id}
            program={p}
            canManage={canManage}
            onSaved={(np) => (qc.setQueryData(nurtureKeys.program(id), np), void qc.invalidateQueries({ queryKey: nurtureKeys.list }))}
            badges={
              <>
                <Badge tone={STATUS_TONES[p.status]}>{STATUS_LABELS[p.status]}</Badge> <span className="muted small">v{p.version}</span>
              </>
            }
          />
          <p className="subtitle">
            {c ? `${formatNumber(c.active)} in progress · ${formatNumber(c.goalReached)} reached a goal · ${formatNumber(c.completed)} completed · ${formatNumber(c.exited)} exited` : ' '}
            {p.activatedAt && ` · active since ${formatDateTime(p.activatedAt)}`}
          </p>
        </div>
        {canManage && (
          <div className="actions">
            {dirty && (
              <span className="badge badge-amber" data-testid="unsaved">
                Unsaved changes
              </span>
            )}
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
            {dirty && (
              <button className="btn" onClick={() => (setDraft(p.definition), setErrors({}), setRev((r) => r + 1))} disabled={save.isPending}>
                Discard
              </button>
            )}
            <button className="btn btn-primary" disabled={!dirty || save.isPending} onClick={() => save.mutate(draft)} data-testid="save-program">
              {save.isPending ? 'Saving…' : p.activatedAt ? 'Save as new version' : 'Save'}
            </button>
          </div>
        )}
      </div>
      {save.error && Object.keys(errors).length > 0 ? (
        <div className="alert alert-error" role="alert" data-testid="save-errors">
          Not saved: {Object.keys(errors).length === 1 ? 'one field needs' : `${Object.keys(errors).length} fields need`} a fix, marked in red
          {stepErrors > 0 && ` (steps with a red border in the flow${invalid.size === 1 ? `: “${stepName(draft.steps.find((s) => invalid.has(s.id)) ?? draft.steps[0]!)}”` : ''})`}
          {otherErrors > 0 && ' (under Entry, exit, goals, re-entry)'}.
        </div>
      ) : (
        (save.error || act.error) && <ErrorAlert error={save.error ?? act.error} />
      )}
      {!canManage && <div className="alert alert-info">You can look at this program; changing it needs the marketing or admin role.</div>}
      {p.activatedAt && dirty && (
        <div className="alert" style={{ marginBottom: 'var(--s4)' }}>
          Saving creates version {p.version + 1}. Contacts already in the program finish on the version they entered with; new entries run the new one.
        </div>
      )}
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(420px, 1.1fr) minmax(360px, 1fr)', gap: 'var(--s5)', alignItems: 'start' }}>
        <div style={{ display: 'grid', gap: 'var(--s5)' }}>
          <div className="card">
            <div className="card-header">
              <h2>Flow</h2>
              {stats.data && stats.data.versions.length > 1 && <span className="muted small">in flight: {stats.data.versions.map((v) => `v${v.version}: ${v.active}`).join(', ')}</span>}
            </div>
            <div className="card-body">
              <p className="muted small" style={{ marginTop: 0 }}>
                Click a step to edit it. Contacts go down the list unless a step says otherwise.
              </p>
              <FlowDiagram steps={draft.steps} counts={dirty ? undefined : counts} selected={selected} onSelect={(sid) => (setSelected(sid), panel.current?.scrollTo({ top: 0 }))} detail={detailWithNames(pickers)} invalid={invalid} />
            </div>
          </div>
          <div className="card" data-testid="criteria">
            <div className="card-header">
              <h2>Entry, exit, goals, re-entry</h2>
            </div>
            <div className="card-body">
              <fieldset disabled={!canManage} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
                <CriteriaForm key={rev} draft={draft} onChange={changeCriteria} pickers={pickers} errs={errsFrom(errors)} />
              </fieldset>
              <JsonDisclosure
                label="Advanced: entry, exit, goals and re-entry as JSON"
                value={{ entry: draft.entry, exit: draft.exit, goals: draft.goals, reentry: draft.reentry }}
                readOnly={!canManage}
                onApply={(v) => (changeCriteria({ ...draft, ...(v as Partial<Def>) }), setRev((r) => r + 1))}
              />
            </div>
          </div>
        </div>
        <div style={{ alignSelf: 'stretch' }}>
          {/* The side panel stays in view while the flow scrolls (its own scroll when taller than the window). */}
          <div ref={panel} data-testid="side-panel" style={{ position: 'sticky', top: 72, maxHeight: 'calc(100vh - 88px)', overflowY: 'auto', display: 'grid', gap: 'var(--s5)', paddingBottom: 2 }}>
            <div className="card" data-testid="step-editor">
              <div className="card-header">
                <h2>{step ? `Step ${draft.steps.indexOf(step) + 1}: ${stepName(step)}` : 'Steps'}</h2>
                {step && <span className="muted small">{STEP_LABELS[step.type]}</span>}
              </div>
              <div className="card-body">
                {canManage && <StepToolbar draft={draft} selected={selected} setDraft={setDraft} setSelected={setSelected} onRemove={() => setDraft(removeStep(draft, selected))} />}
                {step ? (
                  <fieldset disabled={!canManage} style={{ border: 0, padding: 0, margin: 'var(--s3) 0 0', minWidth: 0 }}>
                    <StepForm key={`${step.id}-${rev}`} step={step} steps={draft.steps} onChange={changeStep} pickers={pickers} errs={errsFrom(errors, `steps.${step.id}`)} />
                  </fieldset>
                ) : (
                  <p className="muted">Select a step in the flow to see and change what it does.</p>
                )}
                {step && <JsonDisclosure key={step.id} label="Advanced: this step as JSON" value={step} readOnly={!canManage} onApply={(v) => (changeStep(v as Step), setRev((r) => r + 1))} />}
              </div>
            </div>
            <DryRunCard program={p} draft={draft} />
            {canManage && <TestSendCard program={p} />}
          </div>
        </div>
      </div>
    </>
  );
}
