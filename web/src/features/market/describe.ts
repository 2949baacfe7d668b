// A rule in words ("all of: Lifecycle stage is one of lead, MQL; did Demo Requested ≥ 1 time in 90 days").
import { SEGMENT_OP_LABELS, type Condition, type RuleGroup } from '../../api/market.ts';

function value(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.join(v.length === 2 && typeof v[0] !== 'string' ? '–' : ', ');
  return String(v);
}

function cond(c: Condition): string {
  switch (c.kind) {
    case 'property':
      return `${c.object === 'account' ? 'account ' : ''}${c.field.replace(/^prop\./, '')} ${SEGMENT_OP_LABELS[c.op] ?? c.op} ${value(c.value)}`.trim();
    case 'event': {
      const what = [c.event, c.eventType && !c.event ? `any ${c.eventType}` : null, c.pageUrl ? `URL ${c.pageUrl.op} ${c.pageUrl.value}` : null].filter(Boolean).join(', ');
      const op = { gte: '≥', lte: '≤', eq: '=' }[c.count.op];
      return `did ${what} ${op} ${c.count.value} time${c.count.value === 1 ? '' : 's'}${c.withinDays ? ` in the last ${c.withinDays} days` : ''}`;
    }
    case 'score':
      return `${c.model} score ${c.op === 'gte' ? '≥' : c.op === 'lte' ? '≤' : 'between'} ${value(c.value)}`;
    case 'grade':
      return `${c.icpId ? `ICP ${c.icpId}` : 'fit'} grade ${c.op === 'in' ? 'in' : 'not in'} ${value(c.value)}`;
    case 'buying_stage':
      return `buying stage ${c.op === 'in' ? 'in' : 'not in'} ${value(c.value)}`;
    case 'list':
      return `${c.op === 'in' ? 'in' : 'not in'} list ${c.listId}`;
    default:
      return '';
  }
}

export function describeRule(g: RuleGroup): string {
  if (!g.conditions.length) return g.match === 'all' ? 'everyone' : 'nobody';
  const parts = g.conditions.map((c) => (c.kind === 'group' ? `(${describeRule(c as RuleGroup)})` : cond(c as Condition)));
  return `${g.match === 'all' ? 'all of' : 'any of'}: ${parts.join('; ')}`;
}
