// The contact's tracked events (page views, track calls, identify traits…), newest first, with "Show older" paging.
import { Fragment, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { keys, listEvents } from '../../api/tracking.ts';
import { formatDateTime } from '../../components/format.ts';
import { IconClock } from '../../components/icons.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { EventTypeBadge, eventJson, eventSummary, JsonBlock } from './shared.tsx';

const PAGE = 25;

export function ContactEvents({ contactId }: { contactId: number }) {
  const [open, setOpen] = useState<number | null>(null);
  const q = useInfiniteQuery({
    queryKey: keys.contactEvents(contactId),
    queryFn: ({ pageParam }) => listEvents({ contactId, limit: PAGE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isPending) return <Loading label="Loading events…" />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load events" />;
  if (items.length === 0) {
    return (
      <Empty title="No tracked events yet" icon={<IconClock />}>
        Page views and actions appear here once this person is identified: install the tracking snippet (Tracking → Sources) and send an identify call with
        their email, or let them submit a form marked data-revloop-form.
      </Empty>
    );
  }
  return (
    <>
      <ul className="timeline" data-testid="contact-events">
        {items.map((e) => (
          <Fragment key={e.id}>
            <li>
              <div className="t-title row" style={{ gap: 8 }}>
                <EventTypeBadge type={e.type} />
                <span style={{ overflowWrap: 'anywhere' }}>{eventSummary(e)}</span>
              </div>
              <div className="t-meta">
                {formatDateTime(e.timestamp)}
                {e.type === 'page' && e.page.referrer ? ` · from ${e.page.referrer}` : ''}
                {e.campaign.linked ? (
                  <>
                    {' · campaign '}
                    <Link to={`/campaigns/${e.campaign.linked.id}`}>{e.campaign.linked.name}</Link>
                  </>
                ) : e.campaign.name ? (
                  ` · utm_campaign ${e.campaign.name} (no campaign)`
                ) : (
                  ''
                )}
                {' · '}
                <button className="link-button small" onClick={() => setOpen(open === e.id ? null : e.id)} aria-expanded={open === e.id}>
                  {open === e.id ? 'Hide details' : 'Details'}
                </button>
              </div>
              {open === e.id && (
                <div style={{ marginTop: 6 }}>
                  <JsonBlock value={eventJson(e)} />
                </div>
              )}
            </li>
          </Fragment>
        ))}
      </ul>
      {q.hasNextPage && (
        <button className="btn btn-sm" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          {q.isFetchingNextPage ? 'Loading…' : 'Show older events'}
        </button>
      )}
    </>
  );
}
