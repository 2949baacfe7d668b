// Plan → Objectives: the objective tree (company → marketing → team → individual), collapsible, each row with
// its owner, period, KPI count, progress bar (with a marker at the share of the period gone), SMART badge and
// at-risk flag; a period filter and the tree's totals.
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { getObjectiveTree, objectiveKeys, type ObjectiveNode } from '../../api/objectives.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { ObjectiveForm } from './ObjectiveForm.tsx';
import { AtRiskBadge, LevelBadge, periodLabel, ProgressBar, SmartBadge, StatusBadge } from './parts.tsx';
import './objectives.css';

export function periodOptions(now = new Date()): { value: string; label: string }[] {
  const y = now.getUTCFullYear();
  const out = [{ value: '', label: 'All periods' }];
  for (const year of [y, y + 1, y - 1]) {
    out.push({ value: String(year), label: String(year) });
    for (const q of [1, 2, 3, 4]) out.push({ value: `${year}-Q${q}`, label: `Q${q} ${year}` });
  }
  return out;
}

function Row({ node, depth, collapsed, toggle }: { node: ObjectiveNode; depth: number; collapsed: Set<number>; toggle: (id: number) => void }) {
  const open = !collapsed.has(node.id);
  const kpiNames = node.kpis.map((k) => k.name).join(', ');
  return (
    <>
      <tr className={node.atRisk ? 'at-risk' : undefined} data-testid={`objective-row-${node.id}`}>
        <td>
          <div className="obj-title" style={{ paddingLeft: depth * 22 }}>
            {node.children.length ? (
              <button className="obj-toggle" type="button" onClick={() => toggle(node.id)} aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${node.title}`}>
                {open ? '▼' : '▶'}
              </button>
            ) : (
              <span className="obj-toggle-spacer" />
            )}
            <LevelBadge level={node.level} />
            <Link className="primary" to={`/objectives/${node.id}`}>
              {node.title}
            </Link>
            {!open && <span className="muted small">({node.children.length} below)</span>}
          </div>
        </td>
        <td className="small">{node.owner?.name ?? <span className="muted">No owner</span>}</td>
        <td className="small nowrap">{periodLabel(node)}</td>
        <td className="small" title={kpiNames}>
          {node.kpis.length ? `${node.kpis.length} KPI${node.kpis.length > 1 ? 's' : ''}` : <span className="muted">No KPI</span>}
        </td>
        <td style={{ minWidth: 200 }}>
          <ProgressBar value={node.progress} elapsed={node.elapsed} label={`Progress of ${node.title}`} />
        </td>
        <td>
          <div className="obj-badges">
            <SmartBadge smart={node.smart} />
            <AtRiskBadge node={node} />
            <StatusBadge status={node.status} />
            {node.atRiskBelow > 0 && <span className="muted small">{node.atRiskBelow} at risk below</span>}
          </div>
        </td>
      </tr>
      {open && node.children.map((c) => <Row key={c.id} node={c} depth={depth + 1} collapsed={collapsed} toggle={toggle} />)}
    </>
  );
}

export function ObjectivesPage() {
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? '';
  const navigate = useNavigate();
  const canManage = useCan('objectives:manage');
  const [creating, setCreating] = useState(false);
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const tree = useQuery({ queryKey: objectiveKeys.tree(period), queryFn: () => getObjectiveTree(period), placeholderData: (p) => p });
  const toggle = (id: number) => setCollapsed((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Objectives</h1>
          <p className="muted" style={{ margin: '4px 0 0' }}>
            Company → marketing → team → individual. Each objective is measured by KPIs computed from live data or checked in by hand; progress rolls up the tree.
          </p>
        </div>
        <div className="actions">
          <select className="input select-inline" aria-label="Period" value={period} onChange={(e) => setParams(e.target.value ? { period: e.target.value } : {}, { replace: true })}>
            {periodOptions().map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {canManage && (
            <button className="btn btn-primary" onClick={() => setCreating(true)}>
              New objective
            </button>
          )}
        </div>
      </div>
      {tree.isPending ? (
        <Loading label="Loading objectives…" />
      ) : tree.isError ? (
        <ErrorState error={tree.error} retry={() => tree.refetch()} title="Could not load the objectives" />
      ) : (
        <>
          <div className="stats" data-testid="objective-summary" style={{ marginBottom: 16 }}>
            <div className="stat blue">
              <div className="label">Objectives</div>
              <div className="value">{tree.data.summary.objectives}</div>
            </div>
            <div className="stat">
              <div className="label">SMART</div>
              <div className="value">
                {tree.data.summary.smart} <span className="muted small">of {tree.data.summary.objectives}</span>
              </div>
            </div>
            <div className="stat">
              <div className="label">Owned</div>
              <div className="value">
                {tree.data.summary.owned} <span className="muted small">of {tree.data.summary.objectives}</span>
              </div>
            </div>
            <div className={tree.data.summary.atRisk ? 'stat red' : 'stat'}>
              <div className="label">At risk</div>
              <div className="value">{tree.data.summary.atRisk}</div>
            </div>
          </div>
          <div className="card">
            {tree.data.roots.length === 0 ? (
              <Empty
                title={period ? 'No objectives in this period' : 'No objectives yet'}
                actions={canManage ? <button className="btn btn-primary" onClick={() => setCreating(true)}>New objective</button> : undefined}
              >
                Start with a company objective (e.g. “Grow new ARR 40 %”), then add the marketing objective that serves it, the teams’ and each person’s. Give each one an owner, a period and KPIs with a baseline and a target.
              </Empty>
            ) : (
              <div className="table-wrap">
                <table className="obj-tree" data-testid="objective-tree">
                  <thead>
                    <tr>
                      <th>Objective</th>
                      <th>Owner</th>
                      <th>Period</th>
                      <th>KPIs</th>
                      <th>Progress</th>
                      <th>Checks</th>
                    </tr>
                  </thead>
                  <tbody>
                    {tree.data.roots.map((n) => (
                      <Row key={n.id} node={n} depth={0} collapsed={collapsed} toggle={toggle} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          <p className="muted small">
            Progress = the mean of an objective’s own KPIs and its children, each weighted equally. The dark mark on a bar is the share of the period gone; an active objective more than {Math.round(tree.data.atRiskThreshold * 100)} points behind it is at risk.
          </p>
        </>
      )}
      {creating && <ObjectiveForm onClose={() => setCreating(false)} onSaved={(d) => navigate(`/objectives/${d.objective.id}`)} />}
    </>
  );
}
