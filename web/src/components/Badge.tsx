// Lifecycle stage badge and a generic coloured badge.
import type { ReactNode } from 'react';
import { LIFECYCLE_LABELS, type LifecycleStage } from '../api/types.ts';

export function LifecycleBadge({ stage }: { stage: LifecycleStage }) {
  return (
    <span className={`badge badge-${stage}`} data-testid="lifecycle-badge">
      {LIFECYCLE_LABELS[stage] ?? stage}
    </span>
  );
}

export function Badge({ tone = 'gray', children, plain }: { tone?: 'gray' | 'green' | 'red' | 'amber' | 'blue'; children: ReactNode; plain?: boolean }) {
  return <span className={`badge badge-${tone}${plain ? ' plain' : ''}`}>{children}</span>;
}
