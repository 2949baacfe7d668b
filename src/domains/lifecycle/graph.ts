// The lifecycle stage graph: which moves are allowed, for which cause. One place, used by transitionInTx,
// the manual-move verb (allowed moves shown in the UI) and the tests.
import type { LifecycleStage, TransitionCause } from '../../contracts/lifecycle.ts';

/** The funnel, in order. recycled and disqualified are side states. */
export const FUNNEL: readonly LifecycleStage[] = ['subscriber', 'lead', 'marketing_qualified', 'sales_ready', 'sales_accepted', 'opportunity', 'customer'];

export function funnelIndex(stage: LifecycleStage): number {
  return FUNNEL.indexOf(stage);
}

/** Moves a person may make by hand (with a reason), by the stage the contact is in. */
const MANUAL: Record<LifecycleStage, readonly LifecycleStage[]> = {
  subscriber: ['lead', 'marketing_qualified', 'recycled', 'disqualified'],
  lead: ['marketing_qualified', 'recycled', 'disqualified'],
  marketing_qualified: ['sales_ready', 'lead', 'recycled', 'disqualified'],
  // sales_ready is decided in the handoff queue (accept / reject / recycle).
  sales_ready: [],
  sales_accepted: ['opportunity', 'recycled', 'disqualified'],
  opportunity: ['recycled', 'disqualified'],
  customer: ['recycled'],
  recycled: ['lead', 'marketing_qualified', 'disqualified'],
  disqualified: ['recycled'],
};

/** Moves by rule (thresholds, the active sales-ready definition): forward through marketing's stages only, and re-qualification. */
const RULE: Record<LifecycleStage, readonly LifecycleStage[]> = {
  subscriber: ['lead'],
  lead: ['marketing_qualified'],
  marketing_qualified: ['sales_ready'],
  sales_ready: [],
  sales_accepted: [],
  opportunity: [],
  customer: [],
  recycled: ['lead', 'marketing_qualified'],
  disqualified: [],
};

/** Moves by the handoff queue: accept, reject, recycle. */
const HANDOFF: Record<LifecycleStage, readonly LifecycleStage[]> = {
  subscriber: [],
  lead: [],
  marketing_qualified: ['sales_ready'],
  sales_ready: ['sales_accepted', 'recycled', 'disqualified'],
  sales_accepted: ['recycled', 'disqualified'],
  opportunity: [],
  customer: [],
  recycled: [],
  disqualified: [],
};

const ALL: readonly LifecycleStage[] = [...FUNNEL, 'recycled', 'disqualified'];

/**
 * Deal events: an open deal makes its contacts opportunities (from anywhere before customer), a won deal
 * makes customers, a lost deal sends opportunities back (recycled or disqualified, per settings).
 */
function dealMoves(from: LifecycleStage): readonly LifecycleStage[] {
  const out: LifecycleStage[] = [];
  if (from !== 'customer' && from !== 'opportunity') out.push('opportunity');
  if (from !== 'customer') out.push('customer');
  if (from === 'opportunity') out.push('recycled', 'disqualified');
  return out;
}

export function allowedMoves(from: LifecycleStage, cause: TransitionCause): readonly LifecycleStage[] {
  switch (cause) {
    case 'manual':
      return MANUAL[from];
    case 'rule':
      return RULE[from];
    case 'handoff':
      return HANDOFF[from];
    case 'deal':
      return dealMoves(from);
    case 'self_service':
      // A self-service purchase makes a customer without sales.
      return from === 'customer' ? [] : ['customer'];
    case 'import':
    case 'api':
      // Bulk loads from another system state the stage as it is there.
      return ALL.filter((s) => s !== from);
  }
}

/** Why a move is not allowed, in words a user understands (names the rule). */
export function forbiddenReason(from: LifecycleStage, to: LifecycleStage, cause: TransitionCause): string {
  if (cause === 'manual') {
    if (from === 'sales_ready') return `sales_ready → ${to} is not a manual move: sales-ready leads are accepted, rejected or recycled in the handoff queue`;
    if (to === 'sales_accepted') return `${from} → sales_accepted is not a manual move: sales accepts leads in the handoff queue`;
    if (to === 'customer') return `${from} → customer is not a manual move: contacts become customers when a linked deal is won`;
    if (to === 'opportunity') return `${from} → opportunity is not a manual move: only sales-accepted contacts (or contacts of an open deal) become opportunities`;
    if (to === 'subscriber') return `${from} → subscriber is not allowed: subscriber is only the first stage`;
    if (to === 'sales_ready') return `${from} → sales_ready is not a manual move: only marketing-qualified contacts can be made sales-ready`;
    if (to === 'disqualified' || to === 'recycled') return `${from} → ${to} is not allowed`;
    return `${from} → ${to} is not allowed: stages move one step at a time (allowed from ${from}: ${MANUAL[from].join(', ') || 'none'})`;
  }
  return `${from} → ${to} is not allowed for cause ${cause} (allowed: ${allowedMoves(from, cause).join(', ') || 'none'})`;
}

export function isAllowed(from: LifecycleStage, to: LifecycleStage, cause: TransitionCause): boolean {
  return allowedMoves(from, cause).includes(to);
}
