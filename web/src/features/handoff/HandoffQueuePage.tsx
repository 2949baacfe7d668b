// Sales → Handoff queue: sales-ready leads routed to reps, most urgent first, with the why beside the list,
// SLA countdowns and breach badges, and accept / reject / recycle / reassign.
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getHandoff, handoffKeys, listHandoffs, type Handoff, type HandoffParams, type HandoffStatus } from '../../api/handoff.ts';
import { Badge } from '../../components/Badge.tsx';
import { Pager, useCursorStack } from '../../components/Pager.tsx';
import { Empty, ErrorState, ListStates, Loading } from '../../components/States.tsx';
import { formatRelative } from '../../components/format.ts';
import { useCan, useMe } from '../identity/auth.tsx';
import { DecisionDialog, type DecisionKind } from './DecisionDialog.tsx';
import { routedByLabel, slaState } from './sla.ts';
import { WhyPanel } from './WhyPanel.tsx';
import './handoff.css';

const STATUS_TABS: { value: HandoffStatus | 'all'; label: string }[] = [
  { value: 'pending', label: 'Pending' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'recycled', label: 'Recycled' },
  { value: 'all', label: 'All' },
];
const STATUS_TONE: Record<HandoffStatus, 'blue' | 'green' | 'red' | 'amber'> = { pending: 'blue', accepted: 'green', rejected: 'red', recycled: 'amber' };

function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

function DecisionButtons({ h, onDecide, size = 'sm' }: { h: Handoff; onDecide: (k: DecisionKind, h: Handoff) => void; size?: 'sm' | 'md' }) {
  const canWork = useCan('handoff:work');
  if (!canWork || h.status !== 'pending') return null;
  const cls = size === 'sm' ? 'btn btn-sm' : 'btn';
  return (
    <div className={`actions${size === 'sm' ? ' row-actions' : ''}`} onClick={(e) => e.stopPropagation()}>
      <button className={`${cls} btn-primary`} onClick={() => onDecide('accept', h)} data-testid={`accept-${h.id}`}>
        Accept
      </button>
      <button className={cls} onClick={() => onDecide('reject', h)}>
        Reject
      </button>
      {size === 'md' && (
        <>
          <button className={cls} onClick={() => onDecide('recycle', h)}>
            Recycle
          </button>
          <button className={`${cls} btn-ghost`} onClick={() => onDecide('reassign', h)}>
            Reassign
          </button>
        </>
      )}
    </div>
  );
}

export function HandoffQueuePage() {
  const me = useMe();
  const now = useNow();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') ?? (me.role === 'sales' ? 'mine' : 'all');
  const status = (params.get('status') ?? 'pending') as HandoffStatus | 'all';
  const breached = params.get('breached') === 'true';
  const selectedId = Number(params.get('id')) || null;
  const set = (k: string, v: string | null) =>
    setParams((p) => {
      const n = new URLSearchParams(p);
      if (v === null) n.delete(k);
      else n.set(k, v);
      if (k !== 'id') n.delete('id');
      return n;
    });
  const filters: HandoffParams = { owner: view === 'mine' ? 'me' : undefined, status: status === 'all' ? undefined : status, breached: breached || undefined, limit: 25 };
  const pager = useCursorStack(JSON.stringify(filters));
  const list = useQuery({
    queryKey: handoffKeys.list({ ...filters, cursor: pager.cursor }),
    queryFn: () => listHandoffs({ ...filters, cursor: pager.cursor }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const items = list.data?.items ?? [];
  const inList = items.find((h) => h.id === selectedId);
  const single = useQuery({ queryKey: ['handoffs', 'one', selectedId], queryFn: () => getHandoff(selectedId!), enabled: !!selectedId && !inList });
  const selected = inList ?? single.data ?? (selectedId ? undefined : items[0]);
  const [decision, setDecision] = useState<{ kind: DecisionKind; h: Handoff } | null>(null);
  const counts = list.data?.counts;

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Handoff queue</h1>
          <p className="subtitle">
            Sales-ready leads handed to sales. Accept them within the SLA, or say why not: the reason goes back to marketing (
            <Link to="/symptoms">symptoms</Link>).
          </p>
        </div>
      </div>
      <div className="stats handoff-stats" style={{ marginBottom: 16 }}>
        <div className="stat blue">
          <div className="label">Pending</div>
          <div className="value" data-testid="count-pending">{counts?.pending ?? '–'}</div>
        </div>
        <div className="stat">
          <div className="label">Pending, mine</div>
          <div className="value">{counts?.pendingMine ?? '–'}</div>
        </div>
        <div className={`stat${counts?.breached ? ' red' : ''}`}>
          <div className="label">Pending past SLA (flagged)</div>
          <div className="value">{counts?.breached ?? '–'}</div>
        </div>
      </div>
      <div className="handoff-grid">
        <div className="card">
          <div className="toolbar">
            <div className="segmented" role="tablist" aria-label="Whose leads">
              {[
                ['mine', 'My leads'],
                ['all', 'All leads'],
              ].map(([v, l]) => (
                <button key={v} role="tab" aria-selected={view === v} className={view === v ? 'active' : ''} onClick={() => set('view', v!)}>
                  {l}
                </button>
              ))}
            </div>
            <div className="segmented" role="tablist" aria-label="Status">
              {STATUS_TABS.map((t) => (
                <button key={t.value} role="tab" aria-selected={status === t.value} className={status === t.value ? 'active' : ''} onClick={() => set('status', t.value)}>
                  {t.label}
                </button>
              ))}
            </div>
            <label className="checkbox" style={{ margin: 0, alignItems: 'center' }}>
              <input type="checkbox" checked={breached} onChange={(e) => set('breached', e.target.checked ? 'true' : null)} style={{ marginTop: 0 }} /> SLA breached only
            </label>
          </div>
          <ListStates
            query={list}
            loading="Loading the queue…"
            errorTitle="Could not load the handoff queue"
            empty={
              <Empty title={status === 'pending' ? 'No leads waiting' : 'Nothing here'}>
                {status === 'pending'
                  ? view === 'mine'
                    ? 'No sales-ready leads are waiting for you. New ones are routed here as contacts meet the sales-ready definition.'
                    : 'No sales-ready leads are waiting. New ones appear as contacts meet the sales-ready definition.'
                  : 'No handoffs match these filters.'}
              </Empty>
            }
          >
            {(data) => (
              <>
                <div className="table-wrap">
                  <table className="table" data-testid="handoff-table">
                    <thead>
                      <tr>
                        <th>Lead</th>
                        <th>Owner</th>
                        <th>SLA</th>
                        {status !== 'pending' && <th>Status</th>}
                        <th />
                      </tr>
                    </thead>
                    <tbody>
                      {data.items.map((h) => {
                        const sla = slaState(h, now);
                        const active = selected?.id === h.id;
                        return (
                          <tr key={h.id} className={`clickable${active ? ' selected' : ''}`} onClick={() => set('id', String(h.id))} data-testid="handoff-row">
                            <td>
                              <div className="primary">{h.contact.name}</div>
                              <div className="muted small cell-truncate">{[h.contact.title, h.contact.accountName].filter(Boolean).join(' · ') || h.contact.email}</div>
                            </td>
                            <td>
                              <div className="nowrap">{h.owner?.name ?? <span className="muted">Unassigned</span>}</div>
                              <div className="muted small">{routedByLabel(h.routedBy)}</div>
                            </td>
                            <td className="nowrap">
                              <div className={`sla sla-${sla.tone}`}>{h.status === 'pending' || sla.tone !== 'gray' ? sla.label : formatRelative(h.decidedAt)}</div>
                              {sla.badge && <Badge tone={sla.tone === 'gray' ? 'amber' : 'red'}>{sla.badge}</Badge>}
                            </td>
                            {status !== 'pending' && (
                              <td>
                                <Badge tone={STATUS_TONE[h.status]}>{h.status}</Badge>
                              </td>
                            )}
                            <td style={{ textAlign: 'right' }}>
                              <DecisionButtons h={h} onDecide={(kind, x) => setDecision({ kind, h: x })} />
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
                <Pager page={pager.page} hasPrev={pager.page > 1} nextCursor={data.nextCursor} onNext={pager.next} onPrev={pager.prev} />
              </>
            )}
          </ListStates>
        </div>
        <div className="handoff-side">
          {selected ? (
            <WhyPanel handoff={selected} now={now} actions={<DecisionButtons h={selected} size="md" onDecide={(kind, x) => setDecision({ kind, h: x })} />} />
          ) : selectedId && single.isPending ? (
            <div className="card"><Loading /></div>
          ) : selectedId && single.isError ? (
            <div className="card"><ErrorState error={single.error} title="Could not load this lead" /></div>
          ) : (
            <div className="card">
              <Empty title="Select a lead">See why it is sales-ready: scores, what they read, field notes.</Empty>
            </div>
          )}
        </div>
      </div>
      {decision && <DecisionDialog kind={decision.kind} handoff={decision.h} onClose={() => setDecision(null)} />}
    </>
  );
}
