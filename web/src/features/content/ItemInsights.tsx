// On a content item's page: what readers said (ratings 1–5 from the rating widget, distribution, latest comments)
// and its influence (contacts who read it and later became sales-ready / opportunity / customer, their pipeline).
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { getInfluence, getRatings, insightKeys } from '../../api/content-insights.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { formatDate, formatNumber, formatRelative } from '../../components/format.ts';
import './insights.css';

const STAGE: Record<string, string> = { sales_ready: 'Sales-ready', opportunity: 'Opportunity', customer: 'Customer' };

function Ratings({ itemId }: { itemId: number }) {
  const q = useQuery({ queryKey: insightKeys.ratings(itemId), queryFn: () => getRatings(itemId) });
  if (q.isPending) return <Loading label="Loading ratings…" />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load the ratings" />;
  const { summary, items } = q.data;
  if (!summary.count) {
    return (
      <div className="card-body muted">
        No ratings yet. Add <code>&lt;div data-revloop-rating&gt;&lt;/div&gt;</code> and the <code>/rate.js</code> script (with a source write key) to the article page; readers rate it 1–5 with a comment.
      </div>
    );
  }
  const max = Math.max(1, ...summary.distribution);
  return (
    <div className="card-body" data-testid="item-ratings">
      <div className="rating-head">
        <span className="rating-avg">{summary.average?.toFixed(1)} ★</span>
        <span className="muted">{formatNumber(summary.count)} ratings</span>
      </div>
      <div className="rating-bars">
        {[5, 4, 3, 2, 1].map((n) => (
          <div key={n} className="rating-bar">
            <span>{n} ★</span>
            <span className="bar"><span style={{ width: `${(summary.distribution[n - 1]! / max) * 100}%` }} /></span>
            <span className="muted">{summary.distribution[n - 1]}</span>
          </div>
        ))}
      </div>
      {items.filter((r) => r.comment).slice(0, 5).map((r) => (
        <blockquote key={r.id} className="rating-comment">
          <div>“{r.comment}”</div>
          <div className="muted small">
            {r.rating} ★ · {r.contact ? <Link to={`/contacts/${r.contact.id}`}>{r.contact.email}</Link> : 'anonymous reader'} · {formatRelative(r.updatedAt)}
          </div>
        </blockquote>
      ))}
    </div>
  );
}

function InfluenceCard({ itemId }: { itemId: number }) {
  const q = useQuery({ queryKey: insightKeys.influence(itemId), queryFn: () => getInfluence(itemId) });
  if (q.isPending) return <Loading label="Loading influence…" />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load the influence" />;
  const f = q.data;
  return (
    <>
      <div className="card-body influence-head" data-testid="item-influence">
        <div>
          <div className="value">{formatNumber(f.influencedContacts)}</div>
          <div className="muted small">of {formatNumber(f.readers)} readers moved on after reading</div>
        </div>
        <div>
          <div className="value">${formatNumber(Math.round(f.influencedPipeline))}</div>
          <div className="muted small">open and won deals they carry</div>
        </div>
        <div className="muted small">
          {f.byStage.sales_ready} sales-ready · {f.byStage.opportunity} opportunity · {f.byStage.customer} customer
          <br />
          {f.refreshedAt ? `figures ${formatRelative(f.refreshedAt)}` : 'figures not computed yet'}
        </div>
      </div>
      {f.contacts.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Contact</th>
                <th>Read</th>
                <th>Became</th>
                <th className="num">Pipeline</th>
              </tr>
            </thead>
            <tbody>
              {f.contacts.slice(0, 10).map((c) => (
                <tr key={c.contactId}>
                  <td><Link to={`/contacts/${c.contactId}`}>{c.email ?? `#${c.contactId}`}</Link></td>
                  <td>{formatDate(c.firstReadAt)}</td>
                  <td>{STAGE[c.reachedStage] ?? c.reachedStage} · {formatDate(c.reachedAt)}</td>
                  <td className="num">${formatNumber(Math.round(c.pipeline))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Two cards side by side: reader ratings and influence. */
export function ItemInsights({ itemId }: { itemId: number }) {
  return (
    <div className="detail-grid item-insights">
      <div className="card">
        <div className="card-header">
          <h2>Reader ratings</h2>
        </div>
        <Ratings itemId={itemId} />
      </div>
      <div className="card">
        <div className="card-header">
          <h2>Influence</h2>
        </div>
        <InfluenceCard itemId={itemId} />
      </div>
    </div>
  );
}
