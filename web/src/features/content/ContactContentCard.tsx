// The contact page's "Content read" card: the content items the contact read (views, deepest read, active time, last
// view), most recent first, each linking to its item page.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { CONTENT_STAGE_LABELS, getContactContent } from '../../api/content.ts';
import { formatRelative } from '../../components/format.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';

export function ContactContentCard({ contactId }: { contactId: number }) {
  const q = useQuery({ queryKey: ['contact-content', contactId], queryFn: () => getContactContent(contactId) });
  const canLibrary = useCan('library:use');
  return (
    <div className="card" data-testid="contact-content" style={{ marginTop: 'var(--s4)' }}>
      <div className="card-header">
        <h2>Content read</h2>
        {canLibrary && (
          <Link className="btn btn-sm" to={`/content/library?contact=${contactId}`} title="Find content for this contact in the sales library and copy a tracked link">
            Send content
          </Link>
        )}
      </div>
      {q.isPending ? (
        <Loading label="Loading content…" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load the content this contact read" />
      ) : q.data.items.length === 0 ? (
        <div className="card-body muted">No content read yet. Page views of content items appear here once this visitor is identified.</div>
      ) : (
        <ul className="timeline" style={{ padding: 'var(--s4) var(--s4) 0' }}>
          {q.data.items.map((i) => (
            <li key={i.itemId}>
              <div className="t-title">
                <Link to={`/content/${i.itemId}`}>{i.title}</Link>
              </div>
              <div className="t-meta">
                {CONTENT_STAGE_LABELS[i.stage]} · {i.views} view{i.views === 1 ? '' : 's'}
                {i.maxDepthPct ? ` · read ${i.maxDepthPct}%` : ''}
                {i.activeSeconds ? ` · ${Math.max(1, Math.round(i.activeSeconds / 60))} min active` : ''} · {formatRelative(i.lastAt)}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
