// Nurture programs: the list (status, version, contacts in each state) and "New program", which starts from
// a small template the builder then edits.
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { STATUS_LABELS, STATUS_TONES, createProgram, listPrograms, nurtureKeys, starterDefinition } from '../../api/nurture.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDate, formatNumber } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { Empty, ErrorAlert, ListStates } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';

export function ProgramsPage() {
  const canManage = useCan('nurture:manage');
  const navigate = useNavigate();
  const list = useQuery({ queryKey: nurtureKeys.list, queryFn: listPrograms });
  const create = useMutation({
    mutationFn: () => createProgram({ name: `New program ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`, definition: starterDefinition() }),
    onSuccess: (p) => navigate(`/nurture/${p.id}`),
  });
  const newButton = canManage && (
    <button className="btn btn-primary" onClick={() => create.mutate()} disabled={create.isPending}>
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
      {create.error && <ErrorAlert error={create.error} />}
      <div className="card">
        <ListStates
          query={list}
          empty={
            <Empty title="No nurture programs yet" actions={newButton}>
              A program enrols the contacts that meet its entry criteria (a segment, a lifecycle stage, a score or an event) and takes each through its steps: emails, waits, branches, stage
              changes. Start with “New program”: it opens a template in the builder.
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
