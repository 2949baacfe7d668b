// The account page's "Field intel" card: what sales heard at this account, newest first, with a link to post more.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { listIntel, salesKeys } from '../../api/content-sales.ts';
import { formatDate } from '../../components/format.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import './sales.css';

export function AccountIntelCard({ accountId }: { accountId: number }) {
  const canPost = useCan('intel:post');
  const params = { accountId: String(accountId), limit: '10' };
  const q = useQuery({ queryKey: salesKeys.intel(params), queryFn: () => listIntel(params) });
  return (
    <div className="card" data-testid="account-intel">
      <div className="card-header">
        <h2>Field intel</h2>
        {canPost && (
          <Link className="btn btn-sm" to={`/content/intel?account=${accountId}`}>
            Post what you heard
          </Link>
        )}
      </div>
      {q.isPending ? (
        <Loading label="Loading field intel…" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load field intel" />
      ) : q.data.items.length === 0 ? (
        <div className="card-body muted">Nothing heard at this account yet. Sales post what prospects ask and what competitors say on the Field intel page.</div>
      ) : (
        <div>
          {q.data.items.map((e) => (
            <div className="intel-entry" key={e.id}>
              <div className="body">
                <p>{e.body}</p>
                <div className="meta">
                  {e.topics.map((t) => (
                    <span key={t} className="tag">
                      {t}
                    </span>
                  ))}
                  {e.competitors.map((c) => (
                    <span key={c} className="tag competitor">
                      vs {c}
                    </span>
                  ))}
                  <span>
                    {e.postedBy?.name ?? 'Someone'} · heard {formatDate(e.heardOn)}
                  </span>
                </div>
              </div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
