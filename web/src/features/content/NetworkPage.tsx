// The thought-leadership network: subject-matter experts, their expertise topics, the items they contributed
// to (and the readers those reached), and the topics nobody in the network covers yet.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { CONTENT_STAGE_LABELS, CONTENT_STATUS_LABELS } from '../../../../src/contracts/content.ts';
import { getNetwork, itemPath, salesKeys } from '../../api/content-sales.ts';
import { Badge } from '../../components/Badge.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatNumber } from '../../components/format.ts';
import { useCan } from '../identity/auth.tsx';
import './sales.css';

const statusTone = (s: string) => (s === 'published' || s === 'audited' ? 'green' : s === 'retired' ? 'gray' : 'blue');

export function NetworkPage() {
  const canWrite = useCan('content:write');
  const net = useQuery({ queryKey: salesKeys.network, queryFn: getNetwork });
  if (net.isPending) return <Loading label="Loading the network…" />;
  if (net.isError) return <ErrorState error={net.error} retry={() => net.refetch()} title="Could not load the SME network" />;
  const { smes, uncoveredTopics } = net.data;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Thought-leadership network</h1>
          <p className="subtitle">
            {smes.length} subject-matter expert{smes.length === 1 ? '' : 's'} and what they contributed. Interview them for new pieces on their topics.
          </p>
        </div>
      </div>
      <div className="network-layout">
        <div>
          {smes.length === 0 ? (
            <div className="card">
              <Empty title="No subject-matter experts yet">
                Add the experts you interview (engineers, customers, analysts) {canWrite ? 'on a content item or with POST /api/v1/content/smes' : '— marketing adds them'}, with the topics they know.
              </Empty>
            </div>
          ) : (
            <div className="sme-grid" data-testid="sme-grid">
              {smes.map((s) => (
                <div className="card sme-card" key={s.id}>
                  <div className="card-body">
                    <div className="row" style={{ justifyContent: 'space-between', alignItems: 'flex-start' }}>
                      <div>
                        <h3>{s.name}</h3>
                        <div className="muted small">{[s.title, s.email ?? s.user?.email].filter(Boolean).join(' · ') || '—'}</div>
                      </div>
                      <div className="muted small" title="Readers of their items in the last 90 days" style={{ textAlign: 'right' }}>
                        <strong style={{ color: 'var(--text)', fontSize: 16 }}>{formatNumber(s.readers)}</strong>
                        <br />
                        readers
                      </div>
                    </div>
                    <div className="chips" style={{ marginTop: 10 }}>
                      {s.topics.length ? (
                        s.topics.map((t) => (
                          <span key={t} className="tag">
                            {t}
                          </span>
                        ))
                      ) : (
                        <span className="muted small">No expertise topics yet</span>
                      )}
                    </div>
                    {s.items.length ? (
                      <ul>
                        {s.items.map((i) => (
                          <li key={i.id}>
                            <Link to={itemPath(i.id)}>{i.title}</Link> <span className="muted small">({i.role ?? 'contributor'}, {CONTENT_STAGE_LABELS[i.stage as keyof typeof CONTENT_STAGE_LABELS] ?? i.stage})</span>{' '}
                            <Badge tone={statusTone(i.status)} plain>
                              {CONTENT_STATUS_LABELS[i.status as keyof typeof CONTENT_STATUS_LABELS] ?? i.status}
                            </Badge>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p className="muted small" style={{ marginTop: 10 }}>
                        Not on any item yet.
                      </p>
                    )}
                  </div>
                </div>
              ))}
            </div>
          )}
        </div>
        <div className="card" data-testid="uncovered-topics">
          <div className="card-header">
            <strong>Topics nobody covers</strong>
          </div>
          {uncoveredTopics.length ? (
            <div className="table-wrap">
              <table className="table">
                <tbody>
                  {uncoveredTopics.map((t) => (
                    <tr key={t.topic}>
                      <td>
                        <Link to={`/content/backlog`}>{t.topic}</Link>
                      </td>
                      <td className="num muted small">
                        {t.items} item{t.items === 1 ? '' : 's'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <div className="card-body muted small">Every topic in your content and field intel has an expert. Recruit more as new topics appear.</div>
          )}
        </div>
      </div>
    </>
  );
}
