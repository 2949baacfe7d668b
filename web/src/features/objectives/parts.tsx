// Small pieces the objective screens share: progress bar, SMART badge and checklist, at-risk and level badges.
import { Badge } from '../../components/Badge.tsx';
import { OBJECTIVE_LEVEL_LABELS, OBJECTIVE_STATUS_LABELS, pct, type ObjectiveNode } from '../../api/objectives.ts';

export function ProgressBar({ value, elapsed, label }: { value: number | null; elapsed?: number | null; label: string }) {
  return (
    <div className="obj-progress" title={`${label}: ${pct(value)}${elapsed != null ? ` · ${pct(elapsed)} of the period gone` : ''}`}>
      <div className="obj-bar">
        <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value == null ? undefined : Math.round(value * 100)}>
          <div style={{ width: `${Math.round((value ?? 0) * 100)}%` }} />
        </div>
        {elapsed != null && <span className="obj-elapsed" style={{ left: `${Math.round(elapsed * 100)}%` }} aria-hidden="true" />}
      </div>
      <span className="obj-pct">{pct(value)}</span>
    </div>
  );
}

export function SmartBadge({ smart }: { smart: ObjectiveNode['smart'] }) {
  const missing = smart.criteria.filter((c) => !c.ok).map((c) => c.label);
  return (
    <span title={missing.length ? `Not yet: ${missing.join(', ')}` : 'Specific, measurable, time-bound, owned, relevant, target beyond baseline'} data-testid="smart-badge">
      <Badge tone={smart.ok ? 'green' : smart.passed >= 4 ? 'amber' : 'gray'}>{smart.ok ? 'SMART' : `SMART ${smart.passed}/6`}</Badge>
    </span>
  );
}

export function AtRiskBadge({ node }: { node: Pick<ObjectiveNode, 'atRisk' | 'atRiskReason'> }) {
  if (!node.atRisk) return null;
  return (
    <span title={node.atRiskReason ?? ''} data-testid="at-risk">
      <Badge tone="red">At risk</Badge>
    </span>
  );
}

export function LevelBadge({ level }: { level: ObjectiveNode['level'] }) {
  const tone = { company: 'blue', marketing: 'green', team: 'amber', individual: 'gray' } as const;
  return (
    <Badge tone={tone[level]} plain>
      {OBJECTIVE_LEVEL_LABELS[level]}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: ObjectiveNode['status'] }) {
  if (status === 'active') return null;
  return <Badge tone={status === 'achieved' ? 'green' : status === 'missed' ? 'red' : 'gray'}>{OBJECTIVE_STATUS_LABELS[status]}</Badge>;
}

export function SmartChecklist({ smart }: { smart: ObjectiveNode['smart'] }) {
  return (
    <ul className="smart-list" data-testid="smart-checklist">
      {smart.criteria.map((c) => (
        <li key={c.key} className={c.ok ? 'ok' : 'no'}>
          <span className="smart-mark" aria-label={c.ok ? 'met' : 'not met'}>
            {c.ok ? '✓' : '✗'}
          </span>
          <div>
            <strong>{c.label}</strong>
            <div className="muted small">{c.reason}</div>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function periodLabel(o: { periodStart: string | null; periodEnd: string | null }): string {
  if (!o.periodStart && !o.periodEnd) return 'No period';
  return `${o.periodStart ?? '…'} – ${o.periodEnd ?? '…'}`;
}
