// Account detail → Scores: fit = the best contact's fit, engagement = the sum of its contacts', and the
// contacts behind them.
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getAccountScores, scoringKeys } from '../../api/scoring.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { formatScore, GradeBadge, stageLabel } from './shared.tsx';

/** `updatedAt` of the account: a change of its fields refetches (its contacts' fit follows them). */
export function AccountScorePanel({ accountId, updatedAt }: { accountId: number; updatedAt?: string }) {
  const canRead = useCan('scoring:read');
  const q = useQuery({
    queryKey: [...scoringKeys.accountScores(accountId), updatedAt ?? null],
    queryFn: () => getAccountScores(accountId),
    enabled: canRead,
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  });
  if (!canRead) return null;
  return (
    <div className="card" data-testid="account-score-panel" style={{ marginTop: 16 }}>
      <div className="card-header">
        <h2>Scores</h2>
      </div>
      <div className="card-body">
        {q.isPending ? (
          <Loading label="Loading scores…" />
        ) : q.isError ? (
          <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load scores" />
        ) : (
          <>
            <div className="score-summary" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
              <div className="score-tile">
                <div className="label">Fit (best contact)</div>
                <div className="value">
                  <GradeBadge grade={q.data.fit?.grade} />
                  <span data-testid="account-fit-score">{q.data.fit ? q.data.fit.score : '–'}</span>
                  <span className="muted small">/ 100</span>
                </div>
                <div className="hint">{q.data.fit ? <>from {q.data.fit.contactEmail}</> : 'No contacts yet'}</div>
              </div>
              <div className="score-tile">
                <div className="label">Engagement (all contacts)</div>
                <div className="value" data-testid="account-engagement">
                  {formatScore(q.data.engagement?.score)}
                </div>
                <div className="hint">{q.data.engagement ? `${q.data.engagement.contacts} contact(s) with engagement points, decayed to now` : 'No engagement model'}</div>
              </div>
            </div>
            {q.data.contacts.length > 0 && (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>Contact</th>
                      <th>Fit</th>
                      <th className="num">Engagement</th>
                      <th>Buying stage</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.data.contacts.map((c) => (
                      <tr key={c.id}>
                        <td>
                          <Link to={`/contacts/${c.id}`}>{c.name ?? c.email}</Link>
                          {c.name && <div className="sub">{c.email}</div>}
                        </td>
                        <td className="nowrap">
                          <GradeBadge grade={c.fitGrade} small /> <span className="muted">{c.fitScore ?? '–'}</span>
                        </td>
                        <td className="num">{formatScore(c.engagement)}</td>
                        <td>{c.buyingStage ? stageLabel(c.buyingStage) : <span className="muted">–</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {q.data.contactsTruncated && <p className="muted small">Showing the best 100 contacts.</p>}
          </>
        )}
      </div>
    </div>
  );
}
