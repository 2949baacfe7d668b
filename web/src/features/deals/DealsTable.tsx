// A table of deals (the Deals page and the Deals sections of contact and account pages).
import { Link } from 'react-router';
import { DEAL_STAGE_LABELS, formatMoney, type Deal } from '../../api/deals.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDate } from '../../components/format.ts';

const TONE = { intent: 'blue', job_to_be_done: 'amber', won: 'green', lost: 'red' } as const;

export function DealStageBadge({ stage }: { stage: Deal['stage'] }) {
  return <Badge tone={TONE[stage]}>{DEAL_STAGE_LABELS[stage]}</Badge>;
}

export function DealsTable({ deals, compact, dim }: { deals: Deal[]; compact?: boolean; dim?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="deals-table" style={{ opacity: dim ? 0.6 : 1 }}>
        <thead>
          <tr>
            <th>Deal</th>
            <th>Stage</th>
            <th className="num">Amount</th>
            <th>Close date</th>
            {!compact && <th>Account</th>}
            {!compact && <th>Contacts</th>}
            <th>Owner</th>
          </tr>
        </thead>
        <tbody>
          {deals.map((d) => (
            <tr key={d.id}>
              <td className="cell-truncate">
                <Link className="primary" to={`/deals/${d.id}`}>
                  {d.name}
                </Link>
                {d.externalId && <div className="muted small mono">{d.externalId}</div>}
              </td>
              <td>
                <DealStageBadge stage={d.stage} />
              </td>
              <td className="num">{formatMoney(d.amount, d.currency)}</td>
              <td className="nowrap muted">{d.closeDate ? formatDate(`${d.closeDate}T00:00:00Z`) : '—'}</td>
              {!compact && <td className="cell-truncate">{d.account ? <Link to={`/accounts/${d.account.id}`}>{d.account.name}</Link> : <span className="muted">—</span>}</td>}
              {!compact && <td className="cell-truncate">{d.contacts.length ? d.contacts.map((c) => c.name ?? c.email).join(', ') : <span className="muted">—</span>}</td>}
              <td className="cell-truncate">{d.owner?.name ?? <span className="muted">Unassigned</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
