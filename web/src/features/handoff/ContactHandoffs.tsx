// The contact's handoffs to sales (each time it became sales-ready): owner, SLA, decision and reason, with a
// link to the queue. Nothing is shown for contacts that were never handed to sales.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { handoffKeys, listHandoffs, type HandoffStatus } from '../../api/handoff.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDateTime } from '../../components/format.ts';
import { useCan } from '../identity/auth.tsx';
import { routedByLabel, slaState } from './sla.ts';
import './handoff.css';

const TONE: Record<HandoffStatus, 'blue' | 'green' | 'red' | 'amber'> = { pending: 'blue', accepted: 'green', rejected: 'red', recycled: 'amber' };

export function ContactHandoffs({ contactId }: { contactId: number }) {
  const canRead = useCan('lifecycle:read');
  const q = useQuery({ queryKey: handoffKeys.list({ contactId, limit: 20 }), queryFn: () => listHandoffs({ contactId, limit: 20 }), enabled: canRead });
  if (!canRead || !q.data?.items.length) return null;
  const now = Date.now();
  return (
    <div className="card" style={{ marginTop: 'var(--s4)' }} data-testid="contact-handoffs">
      <div className="card-header">
        <h2>Sales handoffs</h2>
        <Link className="btn btn-sm" to={`/handoff?view=all&status=all&id=${q.data.items[0]!.id}`}>
          Open in queue
        </Link>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Handed over</th>
              <th>Owner</th>
              <th>SLA</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {q.data.items.map((h) => {
              const sla = slaState(h, now);
              return (
                <tr key={h.id}>
                  <td className="nowrap">{formatDateTime(h.createdAt)}</td>
                  <td>
                    {h.owner?.name ?? <span className="muted">Unassigned</span>} <span className="muted small">· {routedByLabel(h.routedBy)}</span>
                  </td>
                  <td>
                    <span className={`sla sla-${sla.tone}`}>{sla.label}</span> {sla.badge && <Badge tone="red">{sla.badge}</Badge>}
                  </td>
                  <td>
                    <Badge tone={TONE[h.status]}>{h.status}</Badge>
                    {h.decidedBy && <span className="muted small"> by {h.decidedBy.name}</span>}
                    {h.reason && <div className="small">“{h.reason}”</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
