// Why a lead is in the queue: the scores the rule saw and their breakdown, what the contact read, field notes,
// and how it was routed. Shown beside the queue for the selected lead.
import { Link } from 'react-router';
import type { Handoff } from '../../api/handoff.ts';
import { Badge, LifecycleBadge } from '../../components/Badge.tsx';
import { formatDateTime, formatRelative } from '../../components/format.ts';
import { routedByLabel, slaState } from './sla.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

function ScoreBlock({ why }: { why: Obj }) {
  const scores = isObj(why.scores) ? why.scores : {};
  const breakdown = isObj(why.breakdown) ? why.breakdown : {};
  const fit = isObj(breakdown.fit) ? breakdown.fit : null;
  const eng = isObj(breakdown.engagement) ? breakdown.engagement : null;
  const matched = Array.isArray(fit?.matched) ? (fit!.matched as Obj[]) : [];
  const engRules = (Array.isArray(eng?.rules) ? (eng!.rules as Obj[]) : []).filter((r) => (num(r.current) ?? 0) > 0).sort((a, b) => (num(b.current) ?? 0) - (num(a.current) ?? 0));
  const grade = str(scores.fitGrade);
  return (
    <>
      <div className="why-scores">
        <div className="why-score">
          <div className="label">Fit</div>
          <div className="value">
            {grade ? <span className={`grade grade-${grade}`}>{grade}</span> : '—'} <span className="muted small">{num(scores.fitScore) ?? '—'}/100</span>
          </div>
        </div>
        <div className="why-score">
          <div className="label">Engagement</div>
          <div className="value">{num(scores.engagement)?.toFixed(1) ?? '—'}</div>
        </div>
        <div className="why-score">
          <div className="label">Buying stage</div>
          <div className="value small-value">{str(scores.buyingStage)?.replace('_', ' ') ?? '—'}</div>
        </div>
      </div>
      {(matched.length > 0 || engRules.length > 0) && (
        <div className="why-breakdown">
          {matched.length > 0 && (
            <>
              <div className="why-heading">Fit rules matched ({num(fit?.matchedPoints) ?? 0} of {num(fit?.maxPoints) ?? 0} points)</div>
              <ul className="why-list">
                {matched.map((m, i) => (
                  <li key={i}>
                    <span>{str(m.label) ?? str(m.ruleId)}</span>
                    <span className="pts">{(num(m.points) ?? 0) > 0 ? '+' : ''}{num(m.points)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {engRules.length > 0 && (
            <>
              <div className="why-heading">Engagement now{num(eng?.halfLifeDays) ? ` (half-life ${num(eng?.halfLifeDays)} d)` : ''}</div>
              <ul className="why-list">
                {engRules.slice(0, 8).map((r, i) => (
                  <li key={i}>
                    <span>
                      {str(r.label) ?? str(r.ruleId)} <span className="muted small">× {num(r.times) ?? 0}</span>
                    </span>
                    <span className="pts">+{num(r.current)?.toFixed(1)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </>
  );
}

export function WhyPanel({ handoff: h, now, actions }: { handoff: Handoff; now: number; actions?: React.ReactNode }) {
  const why = h.why as Obj;
  const sla = slaState(h, now);
  const consumed = h.why.consumedContent ?? [];
  const notes = h.why.fieldNotes ?? [];
  const ruleReason = str(why.reason);
  return (
    <div className="card why-panel" data-testid="why-panel">
      <div className="card-header">
        <div>
          <div style={{ fontWeight: 600, fontSize: 15 }}>
            <Link to={`/contacts/${h.contact.id}`}>{h.contact.name}</Link>
          </div>
          <div className="muted small">
            {[h.contact.title, h.contact.accountName].filter(Boolean).join(' · ') || h.contact.email}
          </div>
        </div>
        <LifecycleBadge stage={h.contact.lifecycleStage} />
      </div>
      <div className="card-body stack" style={{ gap: 14 }}>
        <div className="row" style={{ flexWrap: 'wrap', gap: 8 }}>
          <Badge tone={sla.tone}>{sla.label}</Badge>
          {sla.badge && <Badge tone="red">{sla.badge}</Badge>}
          <span className="muted small">
            {h.owner ? `Owner ${h.owner.name}` : 'Unassigned'} · {routedByLabel(h.routedBy)}
          </span>
        </div>
        {actions}
        {h.status !== 'pending' && (
          <div className={`alert alert-${h.status === 'accepted' ? 'success' : 'warning'}`} data-testid="decision">
            <strong>{h.status[0]!.toUpperCase() + h.status.slice(1)}</strong> by {h.decidedBy?.name ?? 'someone'} {formatRelative(h.decidedAt)}
            {h.reason && <div style={{ marginTop: 4 }}>“{h.reason}”</div>}
          </div>
        )}
        <div>
          <div className="why-heading">Why sales-ready{ruleReason ? `: ${ruleReason}` : ''}</div>
          <ScoreBlock why={why} />
        </div>
        <div>
          <div className="why-heading">Consumed content</div>
          {consumed.length === 0 ? (
            <p className="muted small" style={{ margin: 0 }}>No page views or tracked events yet.</p>
          ) : (
            <ul className="why-list consumed">
              {consumed.map((c, i) => (
                <li key={i}>
                  <span className="cell-truncate" title={c.path ?? c.name ?? ''}>
                    <span className="muted small">{c.type === 'page' ? 'Viewed' : 'Did'}</span> {c.title ?? c.name ?? c.path ?? c.type}
                    {c.path && c.title && <span className="muted small"> {c.path}</span>}
                  </span>
                  <span className="muted small nowrap">{formatRelative(c.at)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <div className="why-heading">Field notes</div>
          {notes.length === 0 ? <p className="muted small" style={{ margin: 0 }}>None.</p> : notes.map((n, i) => <p key={i} className="field-note">{n}</p>)}
        </div>
        <div className="muted small">Handed over {formatDateTime(h.createdAt)}{h.dueAt ? ` · due ${formatDateTime(h.dueAt)}` : ''}</div>
      </div>
    </div>
  );
}
