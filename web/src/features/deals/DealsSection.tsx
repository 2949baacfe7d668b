// "Deals" card on a contact or account page: its deals, and "New deal" pre-filled with the contact / account.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { dealKeys, formatMoney, listDeals } from '../../api/deals.ts';
import { Empty, ListStates } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { DealForm } from './DealForm.tsx';
import { DealsTable } from './DealsTable.tsx';

export function DealsSection({ contact, accountId }: { contact?: { id: number; email: string }; accountId?: number }) {
  const canRead = useCan('deals:read');
  const canWrite = useCan('deals:write');
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const params = contact ? { contactId: String(contact.id), limit: '50' } : { accountId: String(accountId), limit: '50' };
  const q = useQuery({ queryKey: dealKeys.list(params), queryFn: () => listDeals(params), enabled: canRead });
  if (!canRead) return null;
  const won = q.data?.items.filter((d) => d.stage === 'won') ?? [];
  return (
    <div className="card" data-testid="deals-section" style={{ marginTop: 'var(--s4)' }}>
      <div className="card-header">
        <div>
          <h2>Deals</h2>
          {won.length > 0 && (
            <p className="muted small" style={{ margin: 0 }}>
              Won: {won.map((d) => formatMoney(d.amount, d.currency)).join(' + ')}
            </p>
          )}
        </div>
        {canWrite && (
          <button className="btn btn-sm" onClick={() => setCreating(true)}>
            New deal
          </button>
        )}
      </div>
      <ListStates query={q} loading="Loading deals…" errorTitle="Could not load deals" empty={<Empty title="No deals yet">Deals come from your CRM through the API or a CSV import, or you can add one here.</Empty>}>
        {(data) => <DealsTable deals={data.items} compact />}
      </ListStates>
      {creating && (
        <DealForm
          preset={{ contactEmails: contact ? [contact.email] : [], accountId }}
          onClose={() => setCreating(false)}
          onSaved={(d) => navigate(`/deals/${d.id}`)}
        />
      )}
    </div>
  );
}
