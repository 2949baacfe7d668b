// Contact detail → Scores: fit grade, engagement, buying stage, and the explanation of every point
// (matched fit rules; engagement per rule and per rule × cap window, earned vs worth now after decay; caps that stopped points).
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getContactScores, listModels, scoringKeys, type ContactScores } from '../../api/scoring.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { formatScore, GradeBadge, Points, stageLabel } from './shared.tsx';
import { capText } from './ruleForm.ts';

function FitTable({ fit }: { fit: NonNullable<ContactScores['fit']> }) {
  const [showAll, setShowAll] = useState(false);
  const rows = [...fit.matched.map((m) => ({ ...m, matched: true })), ...(showAll ? fit.unmatched.map((m) => ({ ...m, matched: false })) : [])];
  return (
    <div className="score-section">
      <div className="section-title">
        Fit · {fit.model.name} (v{fit.model.version})
      </div>
      <p className="muted small" style={{ margin: '0 0 8px' }}>
        {fit.matchedPoints} of {fit.maxPoints} possible points → {fit.score} / 100 → grade {fit.grade} (A ≥ {fit.grades.A}, B ≥ {fit.grades.B}, C ≥ {fit.grades.C}, D ≥ {fit.grades.D}).
      </p>
      {rows.length === 0 ? (
        <p className="muted">No fit rule matches this contact.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="fit-explanation">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Found</th>
                <th className="num">Points</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.ruleId}>
                  <td className={m.matched ? '' : 'muted'}>
                    {m.label}
                    {!m.matched && ' (no match)'}
                  </td>
                  <td className="muted">
                    <span className="small">{m.field}</span>: {m.actual ?? <em>empty</em>}
                  </td>
                  <td className="num">{m.matched ? <Points value={m.points} /> : <span className="strike">{m.points}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {fit.unmatched.length > 0 && (
        <button className="btn btn-sm btn-ghost" onClick={() => setShowAll((s) => !s)}>
          {showAll ? 'Hide rules that did not match' : `Show ${fit.unmatched.length} rules that did not match`}
        </button>
      )}
    </div>
  );
}

function EngagementTables({ e }: { e: NonNullable<ContactScores['engagement']> }) {
  const [entries, setEntries] = useState(false);
  return (
    <div className="score-section">
      <div className="section-title">
        Engagement · {e.model.name} (v{e.model.version})
      </div>
      <p className="muted small" style={{ margin: '0 0 8px' }}>
        {formatScore(e.earned)} points earned, worth {formatScore(e.score)} now
        {e.model.halfLifeDays ? ` (points lose half their value every ${e.model.halfLifeDays} days)` : ' (no decay)'}.
      </p>
      {e.rules.length === 0 ? (
        <p className="muted">No behaviour has earned engagement points yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="engagement-explanation">
            <thead>
              <tr>
                <th>Rule</th>
                <th className="num">Times</th>
                <th className="num">Earned</th>
                <th className="num">Worth now</th>
                <th className="num">Stopped by cap</th>
              </tr>
            </thead>
            <tbody>
              {e.rules.map((r) => (
                <tr key={r.ruleId}>
                  <td>{r.label ?? <span className="muted">{r.ruleId} (rule removed)</span>}</td>
                  <td className="num">{r.times}</td>
                  <td className="num">
                    <Points value={r.earned} decimals={r.earned % 1 ? 2 : 0} />
                  </td>
                  <td className="num">
                    <Points value={r.current} decimals={2} />
                  </td>
                  <td className="num">
                    {r.cappedTimes ? `${r.cappedTimes}×` : <span className="muted">–</span>}
                    {r.cap && <div className="muted small">{capText(r.cap)}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {e.entries.length > 0 && (
        <button className="btn btn-sm btn-ghost" onClick={() => setEntries((s) => !s)} data-testid="toggle-entries">
          {entries ? 'Hide the windows' : `Show the ${e.entries.length}${e.entriesTruncated ? ' latest' : ''} rule windows behind these points`}
        </button>
      )}
      {entries && (
        <div className="table-wrap">
          <table className="table" data-testid="engagement-entries">
            <thead>
              <tr>
                <th>Window</th>
                <th>Rule</th>
                <th className="num">Events</th>
                <th className="num">Earned</th>
                <th className="num">Worth now</th>
              </tr>
            </thead>
            <tbody>
              {e.entries.map((x) => (
                <tr key={`${x.ruleId} ${x.windowStart ?? 'ever'}`}>
                  <td className="nowrap">
                    {windowText(x)}
                    <div className="muted small">{x.count > 1 ? `${formatDateTime(x.firstAt)} – ${formatDateTime(x.lastAt)}` : formatDateTime(x.lastAt)}</div>
                  </td>
                  <td>
                    {x.label ?? <span className="muted">{x.ruleId}</span>}
                    {x.eventName && <div className="muted small">{x.eventName}</div>}
                  </td>
                  <td className="num">
                    {x.count}
                    {x.capped && (
                      <div className="muted small">
                        {x.times === 0 ? 'all stopped by cap' : x.cappedTimes ? `${x.cappedTimes} stopped by cap` : 'partly capped'}
                      </div>
                    )}
                  </td>
                  <td className="num">
                    <Points value={x.earned} decimals={x.earned % 1 ? 2 : 0} />
                  </td>
                  <td className="num">
                    <Points value={x.current} decimals={2} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The cap window of an entry: a day, a week (from its Monday), a month, or the whole history. */
function windowText(x: NonNullable<ContactScores['engagement']>['entries'][number]): string {
  if (!x.windowStart) return 'All time';
  if (x.period === 'week') return `Week of ${formatDate(x.windowStart)}`;
  if (x.period === 'month') return new Date(x.windowStart).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return formatDate(x.windowStart);
}

/** `updatedAt` of the contact: a change of its fields refetches (fit follows them); engagement refreshes every 10 s. */
export function ContactScorePanel({ contactId, updatedAt }: { contactId: number; updatedAt?: string }) {
  const canRead = useCan('scoring:read');
  const [fitModelId, setFitModelId] = useState<number | undefined>();
  const [engagementModelId, setEngagementModelId] = useState<number | undefined>();
  const models = useQuery({ queryKey: scoringKeys.models(false), queryFn: () => listModels(false), enabled: canRead, staleTime: 60_000 });
  const q = useQuery({
    queryKey: [...scoringKeys.contactScores(contactId), updatedAt ?? null, fitModelId ?? null, engagementModelId ?? null],
    queryFn: () => getContactScores(contactId, { fitModelId, engagementModelId }),
    enabled: canRead,
    refetchInterval: 10_000,
    placeholderData: keepPreviousData,
  });
  if (!canRead) return null;
  const fitModels = models.data?.items.filter((m) => m.kind === 'fit') ?? [];
  const engModels = models.data?.items.filter((m) => m.kind === 'engagement') ?? [];
  return (
    <div className="card" data-testid="score-panel" style={{ marginTop: 16 }}>
      <div className="card-header">
        <h2>Scores</h2>
        <div className="row" style={{ gap: 8 }}>
          {fitModels.length > 1 && (
            <select className="input select-inline" aria-label="Fit model" value={fitModelId ?? q.data?.fit?.model.id ?? ''} onChange={(e) => setFitModelId(Number(e.target.value))}>
              {fitModels.map((m) => (
                <option key={m.id} value={m.id}>
                  Fit: {m.name}
                  {m.isDefault ? ' (default)' : ''}
                </option>
              ))}
            </select>
          )}
          {engModels.length > 1 && (
            <select
              className="input select-inline"
              aria-label="Engagement model"
              value={engagementModelId ?? q.data?.engagement?.model.id ?? ''}
              onChange={(e) => setEngagementModelId(Number(e.target.value))}
            >
              {engModels.map((m) => (
                <option key={m.id} value={m.id}>
                  Engagement: {m.name}
                  {m.isDefault ? ' (default)' : ''}
                </option>
              ))}
            </select>
          )}
          <button className="btn btn-sm btn-ghost" onClick={() => q.refetch()} disabled={q.isFetching}>
            {q.isFetching ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      <div className="card-body">
        {q.isPending ? (
          <Loading label="Loading scores…" />
        ) : q.isError ? (
          <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load scores" />
        ) : (
          <>
            <div className="score-summary">
              <div className="score-tile">
                <div className="label">Fit</div>
                <div className="value">
                  <GradeBadge grade={q.data.fit?.grade} />
                  <span data-testid="fit-score">{q.data.fit ? `${q.data.fit.score}` : '–'}</span>
                  <span className="muted small">/ 100</span>
                </div>
                <div className="hint">{q.data.fit ? q.data.fit.model.name : 'No fit model'}</div>
              </div>
              <div className="score-tile">
                <div className="label">Engagement</div>
                <div className="value" data-testid="engagement-score">
                  {formatScore(q.data.engagement?.score)}
                </div>
                <div className="hint">{q.data.engagement ? `as of ${formatDateTime(q.data.engagement.asOf)}` : 'No engagement model'}</div>
              </div>
              <div className="score-tile">
                <div className="label">Buying stage</div>
                <div className="value" data-testid="buying-stage">
                  {stageLabel(q.data.buyingStage.stage)}
                </div>
                <div className="hint">
                  Most advanced stage of the pages viewed in the last {q.data.buyingStage.windowDays} days
                  {q.data.buyingStage.evidence.length > 0 &&
                    `: ${q.data.buyingStage.evidence.map((s) => `${stageLabel(s.stage)} ${s.count}× (last ${formatDate(s.lastAt)})`).join(', ')}`}
                </div>
              </div>
            </div>
            {q.data.fit && <FitTable fit={q.data.fit} />}
            {q.data.engagement && <EngagementTables e={q.data.engagement} />}
          </>
        )}
      </div>
    </div>
  );
}
