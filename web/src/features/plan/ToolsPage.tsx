// Tools & job map: the marketer's job "create a qualified lead" as a map of steps (Step 0 apart) with their desired
// outcomes, the tools laid on the steps (the Frankenstack report: gaps and overlaps with their cost), and the tools.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatMoney } from '../../api/deals.ts';
import { createTool, deleteTool, getFrankenstack, listObjectiveOptions, listTools, resetJobMap, spendKeys, updateJobMapStep, updateTool, type FrankenstackReport, type Tool } from '../../api/spend.ts';
import { Badge } from '../../components/Badge.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { IconPlus } from '../../components/icons.tsx';
import { Empty, ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';

type Step = FrankenstackReport['steps'][number];
const money = (n: number | null) => (n == null ? '—' : formatMoney(n, 'USD'));
const TONE = { gap: 'red', covered: 'green', overlap: 'amber' } as const;
const STATUS = { gap: 'Gap', covered: 'Covered', overlap: 'Overlap' } as const;

function ToolForm({ tool, steps, onClose }: { tool?: Tool; steps: Step[]; onClose: () => void }) {
  const qc = useQueryClient();
  const objectives = useQuery({ queryKey: ['objectives', 'options'], queryFn: listObjectiveOptions });
  const [form, setForm] = useState({ name: tool?.name ?? '', vendor: tool?.vendor ?? '', annualCost: tool?.annualCost == null ? '' : String(tool.annualCost), objectiveId: tool?.objective ? String(tool.objective.id) : '', steps: new Set(tool?.steps ?? []) });
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => {
      const body = { name: form.name.trim(), vendor: form.vendor.trim() || null, annualCost: form.annualCost.trim() ? Number(form.annualCost.replace(/[,\s$]/g, '')) : null, objectiveId: form.objectiveId ? Number(form.objectiveId) : null, steps: [...form.steps] };
      return tool ? updateTool(tool.id, body) : createTool(body);
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['tools'] });
      qc.invalidateQueries({ queryKey: ['job-map'] });
      onClose();
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.name.trim()) return setErrors({ name: 'Name the tool' });
    if (form.annualCost.trim() && !(Number(form.annualCost.replace(/[,\s$]/g, '')) >= 0)) return setErrors({ annualCost: 'Enter an amount, e.g. 12000' });
    mutation.mutate();
  }
  const toggle = (k: string) => {
    const s = new Set(form.steps);
    if (s.has(k)) s.delete(k);
    else s.add(k);
    setForm({ ...form, steps: s });
  };
  return (
    <FormDialog title={tool ? 'Edit tool' : 'Add tool'} formId="tool-form" formLabel="Tool" onClose={onClose} onSubmit={submit} error={topError} pending={mutation.isPending} submitLabel="Save tool" pendingLabel="Saving…" wide>
      <div className="form-row">
        <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} autoFocus />
        <TextField label="Vendor" value={form.vendor} onChange={(e) => setForm({ ...form, vendor: e.target.value })} error={errors.vendor} />
      </div>
      <div className="form-row">
        <TextField label="Annual cost (USD)" inputMode="decimal" value={form.annualCost} onChange={(e) => setForm({ ...form, annualCost: e.target.value })} error={errors.annualCost} />
        <SelectField label="Objective it serves" value={form.objectiveId} onChange={(e) => setForm({ ...form, objectiveId: e.target.value })} error={errors.objectiveId} hint="A tool bought for no objective is a random act">
          <option value="">None</option>
          {objectives.data?.map((o) => (
            <option key={o.id} value={o.id}>
              {'  '.repeat(o.depth)}
              {o.title}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset className="field">
        <legend>Job-map steps it serves</legend>
        {errors.steps && <span className="field-error" role="alert">{errors.steps}</span>}
        <div className="checks" style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px' }}>
          {steps.map((s) => (
            <label key={s.key} className="small">
              <input type="checkbox" checked={form.steps.has(s.key)} onChange={() => toggle(s.key)} /> {s.isStepZero ? 'Step 0: ' : ''}
              {s.name}
            </label>
          ))}
        </div>
      </fieldset>
    </FormDialog>
  );
}

function OutcomesForm({ step, onClose }: { step: Step; onClose: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState(step.name);
  const [goal, setGoal] = useState(step.goal);
  const [text, setText] = useState(step.outcomes.join('\n'));
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => updateJobMapStep(step.key, { name: name.trim(), goal: goal.trim(), outcomes: text.split('\n').map((s) => s.trim()).filter(Boolean) }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['job-map'] });
      onClose();
    },
  });
  return (
    <FormDialog title={`Edit step: ${step.name}`} formId="step-form" formLabel="Job map step" onClose={onClose} onSubmit={(e) => { e.preventDefault(); mutation.mutate(); }} error={topError} pending={mutation.isPending} submitLabel="Save step" pendingLabel="Saving…" wide>
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <TextField label="What the marketer is trying to get done" value={goal} onChange={(e) => setGoal(e.target.value)} error={errors.goal} />
      <div className="field">
        <label htmlFor="outcomes">Desired outcomes (one per line)</label>
        <textarea id="outcomes" className="input" rows={7} value={text} onChange={(e) => setText(e.target.value)} />
        {errors.outcomes && <span className="field-error" role="alert">{errors.outcomes}</span>}
      </div>
    </FormDialog>
  );
}

const BORDER = { gap: '#c9372c', covered: '#1f8a4c', overlap: '#a35400' } as const;

function StepCard({ s, canManage, onEdit }: { s: Step; canManage: boolean; onEdit: () => void }) {
  return (
    <div className="card" data-testid={`step-${s.key}`} style={{ borderTop: `3px solid ${s.isStepZero ? '#8a8f98' : BORDER[s.status]}` }}>
      <div className="card-header">
        <h2 style={{ fontSize: 15 }}>{s.isStepZero ? 'Step 0 · ' : `${s.position}. `}{s.name}</h2>
        {s.isStepZero ? <Badge>Separate job</Badge> : <Badge tone={TONE[s.status]}>{STATUS[s.status]}</Badge>}
      </div>
      <div className="card-body small">
        <p className="muted" style={{ margin: '0 0 8px' }}>{s.goal}</p>
        {s.tools.length ? (
          <ul style={{ margin: 0, paddingLeft: 16 }}>
            {s.tools.map((t) => (
              <li key={t.id}>
                <strong>{t.name}</strong> <span className="muted">{money(t.annualCost)}/yr</span>
              </li>
            ))}
          </ul>
        ) : (
          <div style={{ color: s.isStepZero ? undefined : BORDER.gap }}>No tool serves this step.</div>
        )}
        {s.status === 'overlap' && <div style={{ marginTop: 6 }}>Overlap cost: <strong>{money(s.overlapCost)}</strong>/yr</div>}
        <details style={{ marginTop: 8 }}>
          <summary className="muted">{s.outcomes.length} desired outcomes</summary>
          <ul style={{ margin: '4px 0 0', paddingLeft: 16 }}>
            {s.outcomes.map((o, i) => (
              <li key={i}>{o}</li>
            ))}
          </ul>
        </details>
        {canManage && (
          <button className="btn btn-sm" style={{ marginTop: 8 }} onClick={onEdit}>
            Edit step
          </button>
        )}
      </div>
    </div>
  );
}

export function ToolsPage() {
  const qc = useQueryClient();
  const canManage = useCan('spend:manage');
  const report = useQuery({ queryKey: spendKeys.frankenstack, queryFn: getFrankenstack });
  const tools = useQuery({ queryKey: spendKeys.tools, queryFn: listTools });
  const [editing, setEditing] = useState<Tool | true | null>(null);
  const [step, setStep] = useState<Step | null>(null);
  const reset = useMutation({ mutationFn: resetJobMap, onSuccess: () => qc.invalidateQueries({ queryKey: ['job-map'] }) });
  const del = useMutation({ mutationFn: deleteTool, onSuccess: () => { qc.invalidateQueries({ queryKey: ['tools'] }); qc.invalidateQueries({ queryKey: ['job-map'] }); } });
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorState error={report.error} retry={() => report.refetch()} />;
  const r = report.data;
  const allSteps = [...(r.stepZero ? [r.stepZero] : []), ...r.steps];
  const overlapCost = r.overlaps.reduce((a, o) => a + o.annualCost, 0);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Tools &amp; job map</h1>
          <p className="subtitle">The marketer's job, “{r.job}”, step by step. Tools support steps; they are not the method. Gaps are steps no tool serves, overlaps are steps several tools pay for.</p>
        </div>
        <div className="actions">
          {canManage && (
            <>
              <button className="btn" onClick={() => reset.mutate()} disabled={reset.isPending}>Reset map to template</button>
              <button className="btn btn-primary" onClick={() => setEditing(true)}>
                <IconPlus /> Add tool
              </button>
            </>
          )}
        </div>
      </div>
      <ErrorAlert error={reset.error ?? del.error} />
      <div className="stats" data-testid="frankenstack-stats">
        <div className="stat blue">
          <div className="label">Tools</div>
          <div className="value">{tools.data?.items.length ?? '—'}</div>
          <div className="stat-sub">{money(r.totalAnnualCost)}/yr</div>
        </div>
        <div className="stat">
          <div className="label">Gaps</div>
          <div className="value">{r.gaps.length}</div>
          <div className="stat-sub">{r.gaps.join(', ') || 'none'}</div>
        </div>
        <div className="stat">
          <div className="label">Overlaps</div>
          <div className="value">{r.overlaps.length}</div>
          <div className="stat-sub">{money(overlapCost)}/yr across overlapping steps</div>
        </div>
        <div className="stat">
          <div className="label">Mapped to no step</div>
          <div className="value">{r.unmappedTools.length}</div>
          <div className="stat-sub">{r.unmappedTools.map((t) => t.name).join(', ') || 'none'}</div>
        </div>
      </div>
      <h2 style={{ margin: 'var(--s5) 0 var(--s3)' }}>The job map</h2>
      <div data-testid="job-map" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(250px, 1fr))', gap: 'var(--s4)' }}>
        {r.steps.map((s) => (
          <StepCard key={s.key} s={s} canManage={canManage} onEdit={() => setStep(s)} />
        ))}
      </div>
      {r.stepZero && (
        <>
          <h2 style={{ margin: 'var(--s5) 0 var(--s3)' }}>Step 0, a separate job</h2>
          <p className="muted small">Discovering the market opportunity is its own competency: marketing consumes its findings. It is not counted as a gap.</p>
          <div style={{ maxWidth: 420 }}>
            <StepCard s={r.stepZero} canManage={canManage} onEdit={() => setStep(r.stepZero!)} />
          </div>
        </>
      )}
      <div className="card" style={{ marginTop: 'var(--s5)' }}>
        <div className="card-header">
          <h2>Tools</h2>
        </div>
        {tools.data && tools.data.items.length === 0 ? (
          <Empty title="No tools yet" actions={canManage ? <button className="btn btn-primary" onClick={() => setEditing(true)}>Add tool</button> : undefined}>
            List your martech stack: each tool with its vendor, annual cost, the objective it serves and the job-map steps it supports. The map above then shows the gaps and overlaps.
          </Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="tools-table">
              <thead>
                <tr>
                  <th>Tool</th>
                  <th>Vendor</th>
                  <th className="num">Annual cost</th>
                  <th>Objective</th>
                  <th>Steps</th>
                  <th className="num">Spend (cost lines)</th>
                  {canManage && <th />}
                </tr>
              </thead>
              <tbody>
                {tools.data?.items.map((t) => (
                  <tr key={t.id}>
                    <td><strong>{t.name}</strong></td>
                    <td>{t.vendor ?? <span className="muted">—</span>}</td>
                    <td className="num">{money(t.annualCost)}</td>
                    <td>{t.objective ? t.objective.title : <Badge tone="amber">No objective</Badge>}</td>
                    <td className="small">{t.steps.map((k) => allSteps.find((s) => s.key === k)?.name ?? k).join(', ') || <span className="muted">none</span>}</td>
                    <td className="num">{money(t.spend)}</td>
                    {canManage && (
                      <td className="num nowrap">
                        <button className="btn btn-sm" onClick={() => setEditing(t)}>Edit</button>{' '}
                        <button className="btn btn-sm" onClick={() => del.mutate(t.id)} aria-label={`Delete ${t.name}`}>Delete</button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {editing && <ToolForm tool={editing === true ? undefined : editing} steps={allSteps} onClose={() => setEditing(null)} />}
      {step && <OutcomesForm step={step} onClose={() => setStep(null)} />}
    </>
  );
}
