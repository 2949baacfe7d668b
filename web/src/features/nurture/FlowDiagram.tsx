// The program as a flow diagram (SVG): steps top to bottom in list order, straight arrows to the following
// step, routed arrows (right and left lanes) for jumps, branch yes/no and wait timeouts, and an End node.
// Each step shows how many contacts wait at it now and how many times it ran. Click a step to edit it.
import type { Step } from '../../api/nurture.ts';
import { STEP_LABELS } from '../../api/nurture.ts';
import { isoToLocalInput } from './controls.tsx';

const W = 300;
const H = 58;
const GAP = 44;
const X = 150;

export function stepDetail(s: Step): string {
  const dur = (d: { days?: number; hours?: number; minutes?: number }) =>
    [d.days ? `${d.days} d` : '', d.hours ? `${d.hours} h` : '', d.minutes ? `${d.minutes} min` : ''].filter(Boolean).join(' ') || '0';
  switch (s.type) {
    case 'wait':
      return `for ${dur(s.duration)}`;
    case 'wait_until':
      return `until ${(isoToLocalInput(s.until) || s.until).replace('T', ' ')}`;
    case 'wait_event':
      return `“${s.event}”, at most ${dur(s.timeout)}`;
    case 'branch': {
      const c = s.condition;
      if (c.kind === 'stage_in' || c.kind === 'buying_stage_in') return `${c.kind === 'stage_in' ? 'stage' : 'buying stage'} in ${c.stages.join(', ')}`;
      if (c.kind === 'score_at_least') return `${c.score} ≥ ${c.value}`;
      if (c.kind === 'property_equals') return `${c.key} = ${JSON.stringify(c.value)}`;
      if (c.kind === 'did_event') return `did “${c.event}”`;
      if (c.kind === 'in_segment') return `in segment ${c.segmentId}`;
      return c.topicKey ? `unsubscribed from ${c.topicKey}` : 'unsubscribed';
    }
    case 'send_email':
      return `template ${s.templateId} · topic ${s.topicKey}`;
    case 'send_content':
      return `by buying stage · template ${s.templateId}`;
    case 'update_property':
      return `${s.key} = ${JSON.stringify(s.value)}`;
    case 'update_stage':
      return `→ ${s.stage.replace(/_/g, ' ')}`;
    case 'notify_owner':
      return s.message;
    case 'webhook':
      return s.endpointId ? `nurture.step to endpoint ${s.endpointId}` : 'nurture.step to subscribers';
    case 'exit':
      return 'leave the program';
  }
}

interface Edge {
  from: number;
  to: number; // index; steps.length = End
  label?: string;
}

export function FlowDiagram({ steps, counts, selected, onSelect, detail = stepDetail, invalid }: {
  steps: Step[];
  counts?: Map<string, { waiting: number; runs: number }>;
  selected?: string | null;
  onSelect?: (id: string) => void;
  /** The second line of a step (default stepDetail; the builder passes one with template and topic names). */
  detail?: (s: Step) => string;
  /** Steps the server rejected: drawn with a red border. */
  invalid?: Set<string>;
}) {
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const end = steps.length;
  const target = (id: string | null | undefined, i: number) => (id === undefined ? (i + 1 <= end ? i + 1 : end) : id === null ? end : (index.get(id) ?? end));
  const edges: Edge[] = [];
  steps.forEach((s, i) => {
    if (s.type === 'exit') return;
    if (s.type === 'branch') {
      edges.push({ from: i, to: target(s.yes, i), label: 'yes' }, { from: i, to: target(s.no, i), label: 'no' });
      return;
    }
    edges.push({ from: i, to: target(s.next, i) });
    if (s.type === 'wait_event' && s.timeoutNext !== undefined) edges.push({ from: i, to: target(s.timeoutNext, i), label: 'timeout' });
  });
  const y = (i: number) => 20 + i * (H + GAP);
  const height = y(end) + 40;
  let right = 0;
  let left = 0;
  const paths = edges.map((e, k) => {
    const y1 = y(e.from) + H;
    const straight = e.to === e.from + 1 && !edges.some((o, j) => j < k && o.from === e.from && o.to === e.to);
    if (straight) return { d: `M ${X + W / 2} ${y1} L ${X + W / 2} ${y(e.to) - 6}`, lx: X + W / 2 + 6, ly: y1 + 16, label: e.label };
    const useRight = e.label !== 'no' || right <= left;
    if (useRight) {
      const lane = X + W + 24 + 18 * right++;
      const ys = y(e.from) + H / 2;
      const ye = y(e.to) + (e.to === end ? 16 : H / 2);
      return { d: `M ${X + W} ${ys} L ${lane} ${ys} L ${lane} ${ye} L ${X + W + 6} ${ye}`, lx: X + W + 4, ly: ys - 6, label: e.label };
    }
    const lane = X - 24 - 18 * left++;
    const ys = y(e.from) + H / 2;
    const ye = y(e.to) + (e.to === end ? 16 : H / 2);
    return { d: `M ${X} ${ys} L ${lane} ${ys} L ${lane} ${ye} L ${X - 6} ${ye}`, lx: X - 24, ly: ys - 6, label: e.label };
  });
  const width = X + W + 40 + 18 * Math.max(right, 1) + 20;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width, display: 'block' }} role="img" aria-label="Program flow" data-testid="flow-diagram">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#7d859a" />
        </marker>
      </defs>
      {paths.map((p, k) => (
        <g key={k}>
          <path d={p.d} fill="none" stroke="#9aa1b1" strokeWidth={1.5} markerEnd="url(#arrow)" />
          {p.label && (
            <text x={p.lx} y={p.ly} fontSize={11} fill={p.label === 'yes' ? '#1f8a4c' : p.label === 'no' ? '#c9372c' : '#a15c00'} fontWeight={600}>
              {p.label}
            </text>
          )}
        </g>
      ))}
      {steps.map((s, i) => {
        const c = counts?.get(s.id);
        const isSel = selected === s.id;
        const fill = s.type === 'branch' ? '#fff4e0' : s.type.startsWith('wait') ? '#eef0fd' : s.type === 'exit' ? '#fdeeed' : s.type.startsWith('send') ? '#e7f6ed' : '#ffffff';
        return (
          <g
            key={s.id}
            transform={`translate(${X}, ${y(i)})`}
            style={{ cursor: onSelect ? 'pointer' : undefined, outline: 'none' }}
            onClick={() => onSelect?.(s.id)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onSelect?.(s.id))}
            tabIndex={onSelect ? 0 : undefined}
            role={onSelect ? 'button' : undefined}
            aria-label={`Step ${i + 1}: ${s.label || STEP_LABELS[s.type]}${invalid?.has(s.id) ? ' (needs a fix)' : ''}`}
            aria-pressed={onSelect ? isSel : undefined}
            data-testid={`flow-step-${s.id}`}
          >
            <rect width={W} height={H} rx={8} fill={fill} stroke={invalid?.has(s.id) ? '#c9372c' : isSel ? '#4c5fd5' : '#cfd4dc'} strokeWidth={isSel || invalid?.has(s.id) ? 2.5 : 1} />
            <text x={12} y={22} fontSize={13} fontWeight={600} fill="#1b1f29">
              {(s.label || STEP_LABELS[s.type]).slice(0, 30)}
            </text>
            <text x={12} y={42} fontSize={11} fill="#4a5263">
              {detail(s).slice(0, 42)}
            </text>
            {c && (
              <g transform={`translate(${W - 8}, 10)`}>
                <text textAnchor="end" y={12} fontSize={11} fill="#4c5fd5" fontWeight={600}>
                  {c.waiting} here
                </text>
                <text textAnchor="end" y={40} fontSize={10} fill="#6b7385">
                  {c.runs} runs
                </text>
              </g>
            )}
          </g>
        );
      })}
      <g transform={`translate(${X + W / 2 - 40}, ${y(end)})`}>
        <rect width={80} height={32} rx={16} fill="#f6f7f9" stroke="#cfd4dc" />
        <text x={40} y={20} fontSize={12} textAnchor="middle" fill="#4a5263">
          End
        </text>
      </g>
    </svg>
  );
}
