// Settings → Scoring: fit and engagement models (default, archive, restore, open the editor) and the
// buying-stage rules.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { archiveModel, createModel, listModels, makeDefaultModel, restoreModel, scoringKeys, type EngagementRule, type FitRule, type ScoreModel } from '../../api/scoring.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDateTime } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { ErrorAlert, ListStates } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { capText } from './ruleForm.ts';
import { StageRulesCard } from './StageRulesCard.tsx';
import { RescorePanel } from './RescorePanel.tsx';
import './scoring.css';

function summary(m: ScoreModel): string {
  if (m.kind === 'fit') {
    const g = m.grades;
    return `${m.rules.length} rule${m.rules.length === 1 ? '' : 's'}${g ? ` · A ≥ ${g.A}, B ≥ ${g.B}, C ≥ ${g.C}, D ≥ ${g.D}` : ''}`;
  }
  const capped = m.rules.filter((r) => 'match' in r && r.cap).length;
  return `${m.rules.length} rule${m.rules.length === 1 ? '' : 's'} (${capped} capped) · ${m.halfLifeDays ? `half-life ${m.halfLifeDays} days` : 'no decay'}`;
}

function ModelsTable({ kind, models, canManage }: { kind: 'fit' | 'engagement'; models: ScoreModel[]; canManage: boolean }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const act = useMutation({
    mutationFn: ({ id, action }: { id: number; action: 'default' | 'archive' | 'restore' }) =>
      action === 'default' ? makeDefaultModel(id) : action === 'archive' ? archiveModel(id) : restoreModel(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['scoring'] }),
  });
  const duplicate = useMutation({
    mutationFn: (m: ScoreModel) =>
      createModel(
        m.kind === 'fit'
          ? { kind: 'fit', name: `Copy of ${m.name}`.slice(0, 100), description: m.description, rules: m.rules as FitRule[], grades: m.grades ?? undefined }
          : { kind: 'engagement', name: `Copy of ${m.name}`.slice(0, 100), description: m.description, rules: m.rules as EngagementRule[], halfLifeDays: m.halfLifeDays },
      ),
    onSuccess: (m) => {
      qc.invalidateQueries({ queryKey: ['scoring'] });
      navigate(`/settings/scoring/models/${m.id}`);
    },
  });
  const rows = models.filter((m) => m.kind === kind);
  return (
    <div className="card" style={{ marginBottom: 16 }}>
      <div className="card-header">
        <div>
          <h2>{kind === 'fit' ? 'Fit models' : 'Engagement models'}</h2>
          <p className="muted small" style={{ margin: '2px 0 0' }}>
            {kind === 'fit'
              ? 'Who is a good customer: weighted rules over contact and account fields → a 0–100 score and a grade A–F.'
              : 'Who is showing interest: points per behaviour, with caps per period, losing value over time (half-life).'}
          </p>
        </div>
        {canManage && (
          <Link className="btn btn-sm" to={`/settings/scoring/models/new?kind=${kind}`}>
            <IconPlus /> New {kind} model
          </Link>
        )}
      </div>
      <ErrorAlert error={act.error ?? duplicate.error} />
      <div className="table-wrap">
        <table className="table" data-testid={`${kind}-models`}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Rules</th>
              <th>Version</th>
              <th>Changed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <td>
                  <div className="primary">
                    <Link to={`/settings/scoring/models/${m.id}`}>{m.name}</Link> {m.isDefault && <Badge tone="green">Default</Badge>}{' '}
                    {!m.active && <Badge>Archived</Badge>}
                  </div>
                  {m.description && <div className="sub">{m.description}</div>}
                </td>
                <td className="muted">{summary(m)}</td>
                <td>v{m.version}</td>
                <td className="muted nowrap">{formatDateTime(m.updatedAt)}</td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                  <Link className="btn btn-sm btn-ghost" to={`/settings/scoring/models/${m.id}`}>
                    {canManage ? 'Edit' : 'View'}
                  </Link>
                  {canManage && (
                    <button className="btn btn-sm btn-ghost" disabled={duplicate.isPending} onClick={() => duplicate.mutate(m)} title="A new model with the same rules, e.g. for another product line">
                      Duplicate
                    </button>
                  )}
                  {canManage && m.active && !m.isDefault && (
                    <>
                      <button className="btn btn-sm btn-ghost" disabled={act.isPending} onClick={() => act.mutate({ id: m.id, action: 'default' })}>
                        Make default
                      </button>
                      <button className="btn btn-sm btn-ghost link-danger" disabled={act.isPending} onClick={() => act.mutate({ id: m.id, action: 'archive' })}>
                        Archive
                      </button>
                    </>
                  )}
                  {canManage && !m.active && (
                    <button className="btn btn-sm btn-ghost" disabled={act.isPending} onClick={() => act.mutate({ id: m.id, action: 'restore' })}>
                      Restore
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ScoringSettingsPage() {
  const canManage = useCan('scoring:manage');
  const [archived, setArchived] = useState(false);
  const list = useQuery({ queryKey: scoringKeys.models(archived), queryFn: () => listModels(archived) });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Scoring</h1>
          <p className="subtitle">
            Fit and engagement models score every contact; the default models feed the lifecycle rules and the sales handoff. Every score is explained on the
            contact page.
          </p>
        </div>
        <label className="checkbox nowrap-label">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Show archived models
        </label>
      </div>
      {!canManage && <div className="alert alert-info">Your role can view scoring models but not change them.</div>}
      <ListStates query={list} loading="Loading models…" errorTitle="Could not load scoring models" empty={<p className="muted">No models.</p>}>
        {(data) => (
          <>
            <ModelsTable kind="fit" models={data.items} canManage={canManage} />
            <ModelsTable kind="engagement" models={data.items} canManage={canManage} />
          </>
        )}
      </ListStates>
      <RescorePanel />
      <StageRulesCard canManage={canManage} />
      <p className="muted small">Engagement caps are counted per calendar period in UTC (weeks start on Monday), e.g. “{capText({ maxTimes: 3, period: 'week' })}”.</p>
    </>
  );
}
