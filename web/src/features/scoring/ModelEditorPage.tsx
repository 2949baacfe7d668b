// Settings → Scoring → a model: name, description, the rule table, grade thresholds (fit) or half-life
// (engagement). Saving a change of rules makes a new version of the model.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, type FieldErrors } from '../../api/client.ts';
import { createModel, DEFAULT_GRADES, getModel, scoringKeys, updateModel, type EngagementRule, type FitRule, type ScoreModel } from '../../api/scoring.ts';
import { Badge } from '../../components/Badge.tsx';
import { TextField } from '../../components/Field.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorAlert, ErrorState, Loading, NotFoundCard } from '../../components/States.tsx';
import { usePropertyDefs } from '../../components/usePropertyDefs.ts';
import { useCan } from '../identity/auth.tsx';
import { EngagementRulesTable } from './EngagementRulesTable.tsx';
import { FitRulesTable } from './FitRulesTable.tsx';
import { RescorePanel } from './RescorePanel.tsx';
import {
  blankEngagementRow,
  blankFitRow,
  engagementRowFrom,
  engagementRuleFrom,
  ensureIds,
  fitRowFrom,
  fitRuleFrom,
  type EngagementRow,
  type FitRow,
} from './ruleForm.ts';
import './scoring.css';

type Kind = 'fit' | 'engagement';
const GRADE_KEYS = ['A', 'B', 'C', 'D'] as const;

/** "rules.2.op" → "Rule 3 · op". */
function describeField(field: string): string {
  const m = /^rules\.(\d+)\.?(.*)$/.exec(field);
  return m ? `Rule ${Number(m[1]) + 1}${m[2] ? ` · ${m[2].replace(/\.(\d+)\./g, (_, n) => ` ${Number(n) + 1} `)}` : ''}` : field;
}

function Editor({ kind, model }: { kind: Kind; model: ScoreModel | null }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const canManage = useCan('scoring:manage');
  const readOnly = !canManage;
  const contactDefs = usePropertyDefs('contact');
  const accountDefs = usePropertyDefs('account');
  const [name, setName] = useState(model?.name ?? '');
  const [description, setDescription] = useState(model?.description ?? '');
  const [fitRows, setFitRows] = useState<FitRow[]>(() => (kind === 'fit' ? (model ? (model.rules as FitRule[]).map(fitRowFrom) : [blankFitRow()]) : []));
  const [engRows, setEngRows] = useState<EngagementRow[]>(() =>
    kind === 'engagement' ? (model ? (model.rules as EngagementRule[]).map(engagementRowFrom) : [blankEngagementRow()]) : [],
  );
  const [grades, setGrades] = useState<Record<string, string>>(() =>
    Object.fromEntries(GRADE_KEYS.map((g) => [g, String((model?.grades ?? DEFAULT_GRADES)[g])])),
  );
  const [halfLife, setHalfLife] = useState(model ? (model.halfLifeDays === null ? '' : String(model.halfLifeDays)) : '30');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<ScoreModel | null>(null);

  const save = useMutation({
    mutationFn: async () => {
      const rules = kind === 'fit' ? ensureIds(fitRows).map(fitRuleFrom) : ensureIds(engRows).map(engagementRuleFrom);
      const common = { name: name.trim(), description: description.trim() || null };
      const gradesBody = Object.fromEntries(GRADE_KEYS.map((g) => [g, Number(grades[g])]));
      const halfLifeDays = halfLife.trim() === '' ? null : Number(halfLife);
      const extra = kind === 'fit' ? { grades: gradesBody } : { halfLifeDays };
      if (model) return updateModel(model.id, { ...common, rules, ...extra } as never);
      return createModel({ kind, ...common, rules, ...extra } as never);
    },
    onSuccess: (m) => {
      setErrors({});
      setSaved(m);
      qc.setQueryData(scoringKeys.model(m.id), m);
      qc.invalidateQueries({ queryKey: ['scoring'] });
      if (!model) navigate(`/settings/scoring/models/${m.id}`, { replace: true });
    },
    onError: (e) => setErrors(e instanceof ApiError ? e.fieldErrors : {}),
  });

  // Rows get ids on save; keep them so a second save sends the same ids.
  useEffect(() => {
    if (saved) {
      if (kind === 'fit') setFitRows((rows) => ensureIds(rows));
      else setEngRows((rows) => ensureIds(rows));
    }
  }, [saved, kind]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!name.trim()) errs.name = 'Enter a name';
    const rows = kind === 'fit' ? fitRows : engRows;
    rows.forEach((r, i) => {
      if (!r.label.trim()) errs[`rules.${i}.label`] = 'Enter a label';
    });
    setErrors(errs);
    setSaved(null);
    if (!Object.keys(errs).length) save.mutate();
  }

  const errorList = Object.entries(errors);
  const topError = save.isError && errorList.length === 0 ? save.error : null;
  return (
    <form onSubmit={submit} noValidate aria-label={`${kind} model`}>
      <div className="page-header">
        <div>
          <div className="breadcrumb">
            <Link to="/settings/scoring">Scoring</Link> / {model ? model.name : `New ${kind} model`}
          </div>
          <h1>
            {model ? model.name : `New ${kind} model`} {model?.isDefault && <Badge tone="green">Default</Badge>} {model && !model.active && <Badge>Archived</Badge>}
          </h1>
          <p className="subtitle">
            {kind === 'fit' ? 'Fit model' : 'Engagement model'}
            {model && ` · version ${model.version} · changed ${formatDateTime(model.updatedAt)}`}
          </p>
        </div>
        {canManage && (
          <div className="actions">
            <Link className="btn" to="/settings/scoring">
              Cancel
            </Link>
            <button className="btn btn-primary" type="submit" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : model ? 'Save changes' : 'Create model'}
            </button>
          </div>
        )}
      </div>
      {readOnly && <div className="alert alert-info">Your role can view this model but not change it.</div>}
      {saved && (
        <div className="alert alert-success" role="status">
          Saved: version {saved.version}. New events are scored with it right away; a rescore brings every stored score to this version.
        </div>
      )}
      {saved && <RescorePanel modelId={saved.id} modelName={saved.name} />}
      <ErrorAlert error={topError} />
      {errorList.length > 0 && (
        <div className="alert alert-error" role="alert" data-testid="rule-errors">
          Fix {errorList.length === 1 ? 'this' : 'these'} before saving:
          <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
            {errorList.slice(0, 8).map(([f, msg]) => (
              <li key={f}>
                <strong>{describeField(f)}</strong>: {msg}
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="card" style={{ marginBottom: 16 }}>
        <div className="card-body grid-2">
          <TextField label="Name" name="name" value={name} disabled={readOnly} onChange={(e) => setName(e.target.value)} error={errors.name} />
          <TextField label="Description (optional)" name="description" value={description} disabled={readOnly} onChange={(e) => setDescription(e.target.value)} error={errors.description} />
        </div>
      </div>

      <div className="card" style={{ marginBottom: 16 }}>
        <div className="card-header">
          <h2>Rules</h2>
        </div>
        <div className="card-body">
          {kind === 'fit' ? (
            <FitRulesTable rows={fitRows} setRows={setFitRows} errors={errors} readOnly={readOnly} contactDefs={contactDefs} accountDefs={accountDefs} />
          ) : (
            <EngagementRulesTable rows={engRows} setRows={setEngRows} errors={errors} readOnly={readOnly} />
          )}
        </div>
      </div>

      <div className="card">
        <div className="card-header">
          <h2>{kind === 'fit' ? 'Grades' : 'Decay'}</h2>
        </div>
        <div className="card-body">
          {kind === 'fit' ? (
            <>
              <div className="grade-inputs">
                {GRADE_KEYS.map((g) => (
                  <TextField
                    key={g}
                    label={`${g} from`}
                    type="number"
                    min={0}
                    max={100}
                    value={grades[g]}
                    disabled={readOnly}
                    onChange={(e) => setGrades({ ...grades, [g]: e.target.value })}
                    error={errors[`grades.${g}`]}
                  />
                ))}
              </div>
              <p className="muted small">A score at or above a threshold gets that grade; below D is F. Thresholds must go down from A to D.</p>
            </>
          ) : (
            <div style={{ maxWidth: 260 }}>
              <TextField
                label="Half-life (days)"
                type="number"
                min={0}
                value={halfLife}
                disabled={readOnly}
                onChange={(e) => setHalfLife(e.target.value)}
                error={errors.halfLifeDays}
                hint="Points lose half their value every this many days. Empty: no decay."
              />
            </div>
          )}
        </div>
      </div>
    </form>
  );
}

export function ModelEditorPage() {
  const params = useParams();
  const [search] = useSearchParams();
  const isNew = params.id === 'new';
  const id = Number(params.id);
  const q = useQuery({ queryKey: scoringKeys.model(id), queryFn: () => getModel(id), enabled: !isNew && Number.isInteger(id) && id > 0 });
  if (isNew) {
    const kind = search.get('kind') === 'engagement' ? 'engagement' : 'fit';
    return <Editor key={`new-${kind}`} kind={kind} model={null} />;
  }
  if (!Number.isInteger(id) || id <= 0 || (q.error instanceof ApiError && q.error.status === 404)) {
    return (
      <NotFoundCard title="Model not found" backTo="/settings/scoring" backLabel="Back to scoring">
        It may have been removed, or the link is wrong.
      </NotFoundCard>
    );
  }
  if (q.isPending) return <Loading label="Loading model…" />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load this model" />;
  return <Editor key={q.data.id} kind={q.data.kind} model={q.data} />;
}
