// Tracking → Live events: the newest events as they arrive (polled every 2 s, pausable, filtered by source and type),
// each expandable to its JSON, and a "Rejected" tab with the recent rejections and their reasons.
import { Fragment, useRef, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { EVENT_TYPES, keys, listEvents, listRejections, listSources, type EventType, type Source } from '../../api/tracking.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDateTime } from '../../components/format.ts';
import { IconClock } from '../../components/icons.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { EventTypeBadge, eventJson, eventSummary, eventWho, formatTime, InstallSnippet, JsonBlock } from './shared.tsx';

const POLL_MS = 2000;
const LIMIT = 100;

function useExpanded() {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  return { isOpen: (id: number) => open.has(id), toggle };
}

function NoEvents({ sources, filtered }: { sources: Source[]; filtered: boolean }) {
  const canManage = useCan('sources:manage');
  if (sources.length === 0) {
    return (
      <Empty title="No sources yet" icon={<IconClock />} actions={canManage ? <Link className="btn btn-primary" to="/tracking/sources">Create a source</Link> : undefined}>
        Create a source to get a write key; events sent with it appear here as they arrive.
      </Empty>
    );
  }
  if (filtered) {
    return (
      <Empty title="No events match these filters" icon={<IconClock />}>
        Events of this source and type will appear here as they arrive.
      </Empty>
    );
  }
  return (
    <div data-testid="empty-state">
      <Empty title="Waiting for the first event" icon={<IconClock />}>
        Install the snippet on your website (with the write key shown when the source was created), or send a test event with curl. Events appear here within
        2 seconds.
      </Empty>
      <div style={{ maxWidth: 760, margin: '0 auto', padding: '0 16px 24px' }}>
        <InstallSnippet />
      </div>
    </div>
  );
}

function EventsTab({ sources, sourceId, type, includeBots, filters }: { sources: Source[]; sourceId?: number; type?: EventType; includeBots: boolean; filters: ReactNode }) {
  const [paused, setPaused] = useState(false);
  const { isOpen, toggle } = useExpanded();
  /** When each event id was first shown; null entries came with the first load (not highlighted). */
  const firstSeen = useRef<Map<number, number> | null>(null);
  const params = { sourceId, type, includeBots: includeBots || undefined, limit: LIMIT };
  const events = useQuery({
    queryKey: keys.events(params),
    queryFn: () => listEvents(params),
    refetchInterval: paused ? false : POLL_MS,
    refetchIntervalInBackground: false,
  });
  const sourceName = new Map(sources.map((s) => [s.id, s.name]));
  const items = events.data?.items ?? [];
  // Rows that arrived after the first load are highlighted for a few seconds (idempotent, safe to re-render).
  const now = Date.now();
  if (events.data) {
    const initial = firstSeen.current === null;
    firstSeen.current ??= new Map();
    for (const e of items) if (!firstSeen.current.has(e.id)) firstSeen.current.set(e.id, initial ? 0 : now);
  }
  const isFresh = (id: number) => now - (firstSeen.current?.get(id) ?? 0) < 4000;
  return (
    <>
      <div className="toolbar">
        {filters}
        <span className="spacer" />
        <span className="small nowrap" data-testid="live-status">
          <span className={`live-dot${paused || events.isError ? ' paused' : ''}`} />
          {paused ? 'Paused' : events.isError ? 'Could not refresh, retrying…' : events.isFetching ? 'Live · updating…' : 'Live · every 2 s'}
        </span>
        <button className="btn btn-sm" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
      </div>
      {events.isPending ? (
        <Loading label="Loading events…" />
      ) : events.isError && !events.data ? (
        <ErrorState error={events.error} retry={() => events.refetch()} title="Could not load events" />
      ) : items.length === 0 ? (
        <NoEvents sources={sources} filtered={Boolean(sourceId || type)} />
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="events-table">
            <thead>
              <tr>
                <th />
                <th>Time</th>
                <th>Type</th>
                <th>Event</th>
                <th>Who</th>
                <th>Contact</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <Fragment key={e.id}>
                  <tr
                    onClick={() => toggle(e.id)}
                    className={`event-row${isFresh(e.id) ? ' fresh' : ''}`}
                    aria-expanded={isOpen(e.id)}
                    data-testid="event-row"
                  >
                    <td>
                      <button className="link-button" aria-label={isOpen(e.id) ? 'Hide JSON' : 'Show JSON'} onClick={(ev) => (ev.stopPropagation(), toggle(e.id))}>
                        {isOpen(e.id) ? '▾' : '▸'}
                      </button>
                    </td>
                    <td className="muted nowrap" title={formatDateTime(e.timestamp)}>
                      {formatTime(e.timestamp)}
                    </td>
                    <td className="nowrap">
                      <EventTypeBadge type={e.type} />
                      {e.isBot && (
                        <>
                          {' '}
                          <Badge tone="amber">bot</Badge>
                        </>
                      )}
                    </td>
                    <td className="cell-truncate" style={{ maxWidth: 420 }}>
                      {eventSummary(e)}
                    </td>
                    <td className="muted cell-truncate" style={{ maxWidth: 200 }}>
                      {eventWho(e)}
                    </td>
                    <td onClick={(ev) => ev.stopPropagation()}>{e.contactId ? <Link to={`/contacts/${e.contactId}`}>#{e.contactId}</Link> : <span className="muted">—</span>}</td>
                    <td className="nowrap">{sourceName.get(e.sourceId) ?? `#${e.sourceId}`}</td>
                  </tr>
                  {isOpen(e.id) && (
                    <tr className="event-detail">
                      <td />
                      <td colSpan={6}>
                        <JsonBlock value={eventJson(e)} testId="event-json" />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function RejectedTab({ sources, sourceId, filters }: { sources: Source[]; sourceId?: number; filters: ReactNode }) {
  return (
    <>
      <div className="toolbar">{filters}</div>
      <RejectedList sources={sources} sourceId={sourceId} />
    </>
  );
}

function RejectedList({ sources, sourceId }: { sources: Source[]; sourceId?: number }) {
  const { isOpen, toggle } = useExpanded();
  const rejections = useQuery({ queryKey: keys.rejections(sourceId), queryFn: () => listRejections(sourceId, 100), refetchInterval: 5000 });
  const sourceName = new Map(sources.map((s) => [s.id, s.name]));
  if (rejections.isPending) return <Loading label="Loading rejections…" />;
  if (rejections.isError) return <ErrorState error={rejections.error} retry={() => rejections.refetch()} title="Could not load rejections" />;
  const items = rejections.data.items;
  if (items.length === 0) {
    return (
      <Empty title="No rejected messages" icon={<IconClock />}>
        Messages revloop refuses (missing userId and anonymousId, a track without an event name, over 32 KB, a bad timestamp…) are listed here with the reason,
        newest 1,000 per source.
      </Empty>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid="rejections-table">
        <thead>
          <tr>
            <th />
            <th>Received</th>
            <th>Endpoint</th>
            <th>Reason</th>
            <th>Message id</th>
            <th>Source</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <Fragment key={r.id}>
              <tr className="event-row" onClick={() => toggle(r.id)} aria-expanded={isOpen(r.id)}>
                <td>
                  <button className="link-button" aria-label={isOpen(r.id) ? 'Hide payload' : 'Show payload'} onClick={(ev) => (ev.stopPropagation(), toggle(r.id))}>
                    {isOpen(r.id) ? '▾' : '▸'}
                  </button>
                </td>
                <td className="muted nowrap">{formatDateTime(r.receivedAt)}</td>
                <td className="nowrap">
                  <code>/v1/{r.endpoint}</code>
                  {r.batchIndex != null && <span className="muted small"> item {r.batchIndex}</span>}
                </td>
                <td style={{ color: 'var(--danger)' }}>{r.reason}</td>
                <td className="muted cell-truncate" style={{ maxWidth: 200 }}>
                  {r.messageId ?? '—'}
                </td>
                <td className="nowrap">{sourceName.get(r.sourceId) ?? `#${r.sourceId}`}</td>
              </tr>
              {isOpen(r.id) && (
                <tr className="event-detail">
                  <td />
                  <td colSpan={5}>{r.payload == null ? <span className="muted">The payload was not kept (too large or not JSON).</span> : <JsonBlock value={r.payload} />}</td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function LiveEventsPage() {
  const [sp, setSp] = useSearchParams();
  const tab = sp.get('tab') === 'rejected' ? 'rejected' : 'events';
  const sourceId = Number(sp.get('sourceId')) || undefined;
  const typeParam = sp.get('type');
  const type = EVENT_TYPES.includes(typeParam as EventType) ? (typeParam as EventType) : undefined;
  const includeBots = sp.get('bots') === '1';
  const sources = useQuery({ queryKey: keys.sources, queryFn: listSources });
  const set = (k: string, v: string | undefined) =>
    setSp(
      (prev) => {
        const n = new URLSearchParams(prev);
        if (v) n.set(k, v);
        else n.delete(k);
        return n;
      },
      { replace: true },
    );
  const list = sources.data?.items ?? [];
  const filters = (
    <>
      <select className="input select-inline" aria-label="Source" value={sourceId ? String(sourceId) : ''} onChange={(e) => set('sourceId', e.target.value || undefined)}>
        <option value="">All sources</option>
        {list.map((s) => (
          <option key={s.id} value={String(s.id)}>
            {s.name}
            {s.revokedAt ? ' (revoked)' : ''}
          </option>
        ))}
      </select>
      {tab === 'events' && (
        <>
          <select className="input select-inline" aria-label="Type" value={type ?? ''} onChange={(e) => set('type', e.target.value || undefined)}>
            <option value="">All types</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <label className="small row" style={{ gap: 6, cursor: 'pointer' }}>
            <input type="checkbox" checked={includeBots} onChange={(e) => set('bots', e.target.checked ? '1' : undefined)} /> Include bots
          </label>
        </>
      )}
    </>
  );
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Live events</h1>
          <p className="subtitle">The newest tracked events as they arrive, and the messages revloop rejected and why.</p>
        </div>
      </div>
      <div className="segmented" role="tablist" aria-label="Events or rejections" style={{ marginBottom: 16 }}>
        <button role="tab" aria-selected={tab === 'events'} className={tab === 'events' ? 'active' : ''} onClick={() => set('tab', undefined)}>
          Events
        </button>
        <button role="tab" aria-selected={tab === 'rejected'} className={tab === 'rejected' ? 'active' : ''} onClick={() => set('tab', 'rejected')}>
          Rejected
        </button>
      </div>
      <div className="card">
        {sources.isError ? (
          <ErrorState error={sources.error} retry={() => sources.refetch()} title="Could not load sources" />
        ) : tab === 'events' ? (
          sources.isPending ? (
            <Loading />
          ) : (
            <EventsTab sources={list} sourceId={sourceId} type={type} includeBots={includeBots} filters={filters} />
          )
        ) : (
          <RejectedTab sources={list} sourceId={sourceId} filters={filters} />
        )}
      </div>
    </>
  );
}
