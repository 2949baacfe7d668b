// Nurture programs: the list (status, version, contacts in each state) and "New program", which asks for a
// name and a starting point, then opens the builder.
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { STATUS_LABELS, STATUS_TONES, listPrograms, nurtureKeys } from '../../api/nurture.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDate, formatNumber } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { NewProgramDialog } from './NewProgramDialog.tsx';

export function ProgramsPage() {
  const canManage = useCan('nurture:manage');
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: nurtureKeys.list, queryFn: listPrograms });
  const newButton = canManage && (
    <button className="btn btn-primary" onClick={() => setCreating(true)}>
      <IconPlus /> New program
    </button>
  );
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Nurture programs</h1>
          <p className="subtitle">Stage-aware journeys that carry leads to sales-ready: entry criteria, steps, exit criteria and goals.</p>
        </div>
        <div className="actions">{newButton}</div>
      </div>
      {creating && <NewProgramDialog onClose={() => setCreating(false)} />}
      <div className="card">
        <ListStates
          query={list}
          empty={
            <Empty title="No nurture programs yet" actions={newButton}>
              A program enrols the contacts that meet its entry criteria (a segment, a lifecycle stage, a score or an event) and takes each through its steps: emails, waits, branches, stage
              changes. Start with “New program”: name it, pick the starter journey or a single step, and build it in the flow editor.
            </Empty>
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="programs-table">
                <thead>
                  <tr>
                    <th>Program</th>
                    <th>Status</th>
                    <th className="num">Version</th>
                    <th className="num">Steps</th>
                    <th className="num">In progress</th>
                    <th className="num">Goal reached</th>
                    <th className="num">Completed</th>
                    <th className="num">Exited</th>
                    <th>Since</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/nurture/${p.id}`}>{p.name}</Link>
                        {p.description && <div className="muted small">{p.description}</div>}
                      </td>
                      <td>
                        <Badge tone={STATUS_TONES[p.status]}>{STATUS_LABELS[p.status]}</Badge>
                      </td>
                      <td className="num">v{p.version}</td>
                      <td className="num">{p.definition.steps.length}</td>
                      <td className="num">{formatNumber(p.counts.active)}</td>
                      <td className="num">{formatNumber(p.counts.goalReached)}</td>
                      <td className="num">{formatNumber(p.counts.completed)}</td>
                      <td className="num">{formatNumber(p.counts.exited)}</td>
                      <td>{formatDate(p.activatedAt ?? p.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
    </>
  );
}
