// Pieces shared by the import wizard pages: step indicator, status badge, client-side targets fallback.
import type { Import, PropertyDefinition } from '../../api/types.ts';
import { Badge } from '../../components/Badge.tsx';

export const STEPS = ['Upload', 'Map columns', 'Import', 'Report'];

export function Steps({ current }: { current: number }) {
  return (
    <ol className="steps" aria-label="Import steps" style={{ listStyle: 'none', padding: 0 }}>
      {STEPS.map((label, i) => (
        <li key={label} className={`step${i === current ? ' current' : i < current ? ' done' : ''}`} aria-current={i === current ? 'step' : undefined}>
          <span className="num">{i < current ? '✓' : i + 1}</span>
          {label}
        </li>
      ))}
    </ol>
  );
}

export function ImportStatusBadge({ status }: { status: Import['status'] }) {
  const tone = status === 'completed' ? 'green' : status === 'failed' ? 'red' : status === 'running' || status === 'queued' ? 'blue' : status === 'cancelled' ? 'gray' : 'amber';
  const label: Record<Import['status'], string> = {
    uploaded: 'Needs mapping',
    queued: 'Queued',
    running: 'Running',
    completed: 'Completed',
    failed: 'Failed',
    cancelled: 'Cancelled',
  };
  return <Badge tone={tone}>{label[status] ?? status}</Badge>;
}

const FIELD_LABELS: Record<string, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  title: 'Job title',
  phone: 'Phone',
  lifecycleStage: 'Lifecycle stage',
  ownerEmail: 'Owner (user email)',
  accountName: 'Account name',
  accountDomain: 'Account domain',
  name: 'Company name',
  domain: 'Domain',
  industry: 'Industry',
  employeeCount: 'Employees',
  country: 'Country',
};

/** Targets when the server's preview is not at hand (e.g. the mapping page was reloaded). */
export function fallbackTargets(objectType: Import['objectType'], fields: readonly string[], defs: PropertyDefinition[]) {
  const required = objectType === 'contacts' ? 'email' : 'name';
  return [
    ...fields.map((f) => ({ value: f, label: FIELD_LABELS[f] ?? f, required: f === required })),
    ...defs.map((d) => ({ value: `property:${d.key}`, label: `${d.label} (custom)`, required: false })),
  ];
}

/** Guess a mapping from header names when the server's suggestion is not at hand. */
export function guessMapping(headers: string[], targets: { value: string; label: string }[]): Record<string, string | null> {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const out: Record<string, string | null> = {};
  const used = new Set<string>();
  for (const h of headers) {
    const t = targets.find((t) => !used.has(t.value) && (norm(t.value.replace(/^property:/, '')) === norm(h) || norm(t.label) === norm(h)));
    out[h] = t ? t.value : null;
    if (t) used.add(t.value);
  }
  return out;
}
