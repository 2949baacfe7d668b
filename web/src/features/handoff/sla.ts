// SLA wording for a handoff: a countdown while it is pending, "overdue" / "SLA breached" once past due.
import type { Handoff } from '../../api/handoff.ts';

export function formatDuration(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  const d = Math.floor(h / 24);
  return `${d} d ${h % 24} h`;
}

export interface SlaState {
  tone: 'green' | 'amber' | 'red' | 'gray';
  label: string;
  /** Shown as a badge beside the countdown. */
  badge: string | null;
}

type SlaFields = Pick<Handoff, 'status' | 'dueAt' | 'breachedAt' | 'decidedAt'> &
  Partial<Pick<Handoff, 'followUpDueAt' | 'followUpBreachedAt'>> & { contact?: { lifecycleStage: string } };

/**
 * Pending: the accept countdown. Accepted with a follow-up SLA while the contact is still sales-accepted:
 * the follow-up countdown. `warnMs`: left time under which it is shown amber (default 4 h).
 */
export function slaState(h: SlaFields, now: number, warnMs = 4 * 3_600_000): SlaState {
  if (h.status === 'accepted' && h.followUpDueAt && (!h.contact || h.contact.lifecycleStage === 'sales_accepted')) {
    const left = new Date(h.followUpDueAt).getTime() - now;
    if (left <= 0 || h.followUpBreachedAt) return { tone: 'red', label: `Follow-up overdue by ${formatDuration(-left)}`, badge: 'Not followed up' };
    return { tone: left < warnMs ? 'amber' : 'green', label: `Follow up in ${formatDuration(left)}`, badge: null };
  }
  if (h.status !== 'pending') {
    if (h.breachedAt) return { tone: 'gray', label: `Decided after the SLA`, badge: 'SLA breached' };
    if (h.followUpBreachedAt) return { tone: 'gray', label: 'Followed up late', badge: 'Not followed up in time' };
    return { tone: 'gray', label: 'Decided within the SLA', badge: null };
  }
  if (!h.dueAt) return { tone: 'gray', label: 'No SLA', badge: null };
  const left = new Date(h.dueAt).getTime() - now;
  if (left <= 0 || h.breachedAt) return { tone: 'red', label: `Overdue by ${formatDuration(-left)}`, badge: h.breachedAt ? 'SLA breached' : 'Overdue' };
  return { tone: left < warnMs ? 'amber' : 'green', label: `Due in ${formatDuration(left)}`, badge: null };
}

export const ROUTED_BY_LABELS: Record<string, string> = {
  round_robin: 'Round-robin',
  account_owner: 'Account owner',
  manual: 'Reassigned',
  unassigned: 'Unassigned',
};

export function routedByLabel(routedBy: string): string {
  if (routedBy.startsWith('territory:')) return `Territory ${routedBy.slice('territory:'.length)}`;
  return ROUTED_BY_LABELS[routedBy] ?? routedBy;
}
