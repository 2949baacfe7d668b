// An objective's page: where it sits in the tree (ancestors), progress and time gone, its KPIs (trend, check-ins),
// the SMART checklist, the objectives below it, its initiatives and the campaigns that serve it.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { deleteInitiative, deleteObjective, getObjective, OBJECTIVE_LEVEL_LABELS, objectiveKeys, pct } from '../../api/objectives.ts';
import { formatMoney } from '../../api/deals.ts';
import { formatDate } from '../../components/format.ts';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { ErrorState, Loading, NotFoundCard } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { InitiativeForm } from './InitiativeForm.tsx';
import { KpiCard } from './KpiCard.tsx';
import { KpiForm } from './KpiForm.tsx';
import { ObjectiveForm } from './ObjectiveForm.tsx';
import { AtRiskBadge, LevelBadge, periodLabel, ProgressBar, SmartBadge, SmartChecklist, StatusBadge } from './parts.tsx';
import './objectives.css';

export function ObjectiveDetailPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canManage = useCan('objectives:manage');
  const [dialog, setDialog] = useState<null | 'edit' | 'child' | 'kpi' | 'initiative' | 'delete'>(null);
  const valid = Number.isInteger(id) && id > 0;
  const q = useQuery({ queryKey: objectiveKeys.objective(id), queryFn: () => getObjective(id), enabled: valid });
  if (!valid || (q.error instanceof ApiError && q.error.status === 404)) {
    return (
      <NotFoundCard title="Objective not found" backTo="/objectives" backLabel="Back to objectives">
        It may have been deleted, or the link is wrong.
      </NotFoundCard>
    );
  }
  if (q.isPending) return <Loading label="Loading objective…" />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load this objective" />;
  const { objective: o, ancestors, kpis, initiatives, campaigns } = q.data;
  return (
    <>
      <div className="breadcrumb" data-testid="objective-breadcrumb">
        <Link to="/objectives">Objectives</Link>
        {ancestors.map((a) => (
          <span key={a.id}>
            {' / '}
            <Link to={`/objectives/${a.id}`}>{a.title}</Link>
          </span>
        ))}
        {' / '}
        {o.title}
      </div>
      <div className="page-header">
        <div>
          <h1 data-testid="objective-title">{o.title}</h1>
          <div className="entity-meta">
            <LevelBadge level={o.level} /> <SmartBadge smart={o.smart} /> <AtRiskBadge node={o} /> <StatusBadge status={o.status} />
            <span className="sep">•</span>
            <span>Owner: {o.owner?.name ?? 'No owner'}</span>
            <span className="sep">•</span>
            <span>{periodLabel(o)}</span>
          </div>
        </div>
        {canManage && (
          <div className="actions">
            <button className="btn" onClick={() => setDialog('edit')}>
              Edit
            </button>
            {o.level !== 'individual' && (
              <button className="btn" onClick={() => setDialog('child')}>
                Add objective below
              </button>
            )}
            <button className="btn btn-danger" onClick={() => setDialog('delete')}>
              Delete
            </button>
          </div>
        )}
      </div>
      {o.description && <p className="muted">{o.description}</p>}
      <div className="stats" style={{ marginBottom: 16 }}>
        <div className="stat blue">
          <div className="label">Progress</div>
          <div className="value" data-testid="objective-progress">
            {pct(o.progress)}
          </div>
        </div>
        <div className="stat">
          <div className="label">Period gone</div>
          <div className="value">{pct(o.elapsed)}</div>
        </div>
        <div className="stat">
          <div className="label">KPIs · objectives below</div>
          <div className="value">
            {o.kpis.length} · {o.children.length}
          </div>
        </div>
        <div className={o.atRisk ? 'stat red' : 'stat green'}>
          <div className="label">Status</div>
          <div className="value">{o.atRisk ? 'At risk' : o.progress == null ? 'No data' : 'On track'}</div>
        </div>
      </div>
      {o.atRisk && <div className="alert alert-error" style={{ marginBottom: 16 }}>At risk: {o.atRiskReason}</div>}
      <div className="obj-grid">
        <div style={{ display: 'grid', gap: 16 }}>
          <div className="card">
            <div className="card-header">
              <h2>KPIs</h2>
              {canManage && (
                <button className="btn btn-sm btn-primary" onClick={() => setDialog('kpi')}>
                  Add KPI
                </button>
              )}
            </div>
            <div className="card-body" style={{ display: 'grid', gap: 12 }}>
              {kpis.length ? (
                kpis.map((k) => <KpiCard key={k.id} kpi={k} objectiveId={o.id} period={o} canManage={canManage} />)
              ) : (
                <p className="muted">No KPI yet. Add one: a metric revloop computes (new leads, pipeline, conversion…) or a manual metric you check in. Give it a baseline and a target.</p>
              )}
            </div>
          </div>
          <div className="card">
            <div className="card-header">
              <h2>Objectives below</h2>
            </div>
            {o.children.length ? (
              <table className="obj-tree" data-testid="objective-children">
                <tbody>
                  {o.children.map((c) => (
                    <tr key={c.id} className={c.atRisk ? 'at-risk' : undefined}>
                      <td>
                        <div className="obj-title">
                          <LevelBadge level={c.level} />
                          <Link className="primary" to={`/objectives/${c.id}`}>
                            {c.title}
                          </Link>
                        </div>
                      </td>
                      <td className="small">{c.owner?.name ?? <span className="muted">No owner</span>}</td>
                      <td style={{ minWidth: 200 }}>
                        <ProgressBar value={c.progress} elapsed={c.elapsed} label={`Progress of ${c.title}`} />
                      </td>
                      <td>
                        <div className="obj-badges">
                          <SmartBadge smart={c.smart} />
                          <AtRiskBadge node={c} />
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <div className="card-body muted">{o.level === 'individual' ? 'An individual objective is the bottom of the tree.' : `No ${OBJECTIVE_LEVEL_LABELS[o.level === 'company' ? 'marketing' : o.level === 'marketing' ? 'team' : 'individual'].toLowerCase()} objective serves this one yet.`}</div>
            )}
          </div>
          <div className="card">
            <div className="card-header">
              <h2>Initiatives</h2>
              {canManage && (
                <button className="btn btn-sm" onClick={() => setDialog('initiative')}>
                  New initiative
                </button>
              )}
            </div>
            {initiatives.length ? (
              <table className="table" data-testid="objective-initiatives">
                <thead>
                  <tr>
                    <th>Initiative</th>
                    <th>Owner</th>
                    <th>Dates</th>
                    <th className="num">Campaigns</th>
                    {canManage && <th />}
                  </tr>
                </thead>
                <tbody>
                  {initiatives.map((i) => (
                    <tr key={i.id}>
                      <td>
                        <strong>{i.name}</strong>
                        {i.description && <div className="muted small">{i.description}</div>}
                      </td>
                      <td className="small">{i.owner?.name ?? ''}</td>
                      <td className="small">{i.startDate || i.endDate ? `${formatDate(i.startDate)} – ${formatDate(i.endDate)}` : ''}</td>
                      <td className="num">{i.campaigns}</td>
                      {canManage && (
                        <td className="num">
                          <button
                            className="btn btn-sm"
                            onClick={async () => {
                              if (!window.confirm(`Delete initiative "${i.name}"? Its campaigns keep this objective.`)) return;
                              await deleteInitiative(i.id);
                              await qc.invalidateQueries({ queryKey: ['objectives'] });
                            }}
                          >
                            Delete
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <div className="card-body muted">No initiative yet: group the work (and its campaigns) that moves this objective.</div>
            )}
          </div>
          <div className="card">
            <div className="card-header">
              <h2>Campaigns</h2>
            </div>
            {campaigns.length ? (
              <table className="table" data-testid="objective-campaigns">
                <thead>
                  <tr>
                    <th>Campaign</th>
                    <th>Status</th>
                    <th>Dates</th>
                    <th>Initiative</th>
                    <th className="num">Budget</th>
                  </tr>
                </thead>
                <tbody>
                  {campaigns.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link className="primary" to={`/campaigns/${c.id}`}>
                          {c.name}
                        </Link>
                        <div className="muted small mono">{c.utmCampaign}</div>
                      </td>
                      <td className="small">{c.status}</td>
                      <td className="small">{c.startDate || c.endDate ? `${formatDate(c.startDate)} – ${formatDate(c.endDate)}` : ''}</td>
                      <td className="small">{initiatives.find((i) => i.id === c.initiativeId)?.name ?? ''}</td>
                      <td className="num">{c.budget == null ? '—' : formatMoney(c.budget, 'USD')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <div className="card-body muted">No campaign serves this objective yet. Pick it in a campaign’s form (Campaigns → Edit → Objective).</div>
            )}
          </div>
        </div>
        <div className="card">
          <div className="card-header">
            <h2>SMART check</h2>
            <SmartBadge smart={o.smart} />
          </div>
          <div className="card-body">
            <SmartChecklist smart={o.smart} />
          </div>
        </div>
      </div>
      {dialog === 'edit' && <ObjectiveForm objective={o} onClose={() => setDialog(null)} onSaved={() => setDialog(null)} />}
      {dialog === 'child' && <ObjectiveForm parent={o} onClose={() => setDialog(null)} onSaved={(d) => { setDialog(null); navigate(`/objectives/${d.objective.id}`); }} />}
      {dialog === 'kpi' && <KpiForm objectiveId={o.id} period={o} onClose={() => setDialog(null)} />}
      {dialog === 'initiative' && <InitiativeForm objectiveId={o.id} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && (
        <ConfirmDialog
          title="Delete objective"
          confirmLabel="Delete objective"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await deleteObjective(o.id);
            await qc.invalidateQueries({ queryKey: ['objectives'] });
            navigate(o.parentId ? `/objectives/${o.parentId}` : '/objectives');
          }}
        >
          Delete “{o.title}” and its {o.kpis.length} KPIs? Campaigns and initiatives linked to it will link to no objective. An objective with objectives below it cannot be deleted.
        </ConfirmDialog>
      )}
    </>
  );
}
