// The segment rule builder: nested all/any groups of conditions. Property pickers are typed by the property
// definitions (the operators and the value input follow the field's type); behaviour, score, ICP grade,
// buying stage and list conditions have their own rows.
import type { ReactNode } from 'react';
import './market.css';
import { SEGMENT_OP_LABELS, type Condition, type RuleFields, type RuleGroup } from '../../api/market.ts';

const BUYING_STAGES = ['epiphany', 'awareness', 'interest', 'consideration', 'purchase', 'post_sale'];
const GRADES = ['A', 'B', 'C', 'D', 'F'];
const NO_VALUE = new Set(['exists', 'not_exists', 'is_true', 'is_false']);
const MAX_DEPTH = 5;

type Kind = Condition['kind'] | 'group';
const KIND_LABELS: Record<Kind, string> = {
  property: 'Property',
  event: 'Did an event',
  score: 'Score',
  grade: 'ICP grade',
  buying_stage: 'Buying stage',
  list: 'In a list',
  group: 'Group',
};

export function emptyCondition(kind: Kind, fields: RuleFields): Condition | RuleGroup {
  switch (kind) {
    case 'group':
      return { kind: 'group', match: 'any', conditions: [] };
    case 'event':
      return { kind: 'event', event: fields.events[0] ?? 'Demo Requested', count: { op: 'gte', value: 1 }, withinDays: 30 } as Condition;
    case 'score':
      return { kind: 'score', model: 'fit', op: 'gte', value: 60 } as Condition;
    case 'grade':
      return { kind: 'grade', op: 'in', value: ['A', 'B'], ...(fields.icps[0] ? { icpId: fields.icps[0].id } : {}) } as Condition;
    case 'buying_stage':
      return { kind: 'buying_stage', op: 'in', value: ['consideration'] } as Condition;
    case 'list':
      return { kind: 'list', op: 'in', listId: fields.lists[0]?.id ?? 0 } as Condition;
    default: {
      const f = fields.items[0]!;
      return { kind: 'property', object: f.object, field: f.field, op: f.ops[0]!, value: defaultValue(f.type, f.ops[0]!, f.options) } as Condition;
    }
  }
}

function defaultValue(type: string, op: string, options: string[] | null): unknown {
  if (NO_VALUE.has(op)) return undefined;
  if (op === 'in' || op === 'not_in') return options?.length ? [options[0]] : [];
  if (op === 'between') return type === 'date' ? [new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10), new Date().toISOString().slice(0, 10)] : [0, 100];
  if (op === 'within_last_days' || op === 'more_than_days_ago') return 30;
  if (type === 'number') return 0;
  if (type === 'date') return new Date().toISOString().slice(0, 10);
  if (options?.length) return options[0];
  return '';
}

function ValueInput({ type, op, options, value, onChange, label }: { type: string; op: string; options: string[] | null; value: unknown; onChange: (v: unknown) => void; label: string }) {
  if (NO_VALUE.has(op)) return null;
  if (op === 'in' || op === 'not_in') {
    if (options?.length) {
      const sel = new Set((value as string[]) ?? []);
      return (
        <span className="rule-chips" role="group" aria-label={label}>
          {options.map((o) => (
            <label key={o} className="chip-check">
              <input type="checkbox" checked={sel.has(o)} onChange={(e) => onChange(options.filter((x) => (x === o ? e.target.checked : sel.has(x))))} /> {o}
            </label>
          ))}
        </span>
      );
    }
    return <input className="input input-sm" aria-label={label} placeholder="a, b, c" value={((value as string[]) ?? []).join(', ')} onChange={(e) => onChange(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))} />;
  }
  if (op === 'between') {
    const [a, b] = (value as [unknown, unknown]) ?? ['', ''];
    const t = type === 'date' ? 'date' : 'number';
    const conv = (s: string) => (t === 'number' ? Number(s) : s);
    return (
      <span className="rule-between">
        <input className="input input-sm" type={t} aria-label={`${label} from`} value={String(a ?? '')} onChange={(e) => onChange([conv(e.target.value), b])} /> and{' '}
        <input className="input input-sm" type={t} aria-label={`${label} to`} value={String(b ?? '')} onChange={(e) => onChange([a, conv(e.target.value)])} />
      </span>
    );
  }
  if (op === 'within_last_days' || op === 'more_than_days_ago')
    return (
      <span>
        <input className="input input-sm num-input" type="number" min={0} aria-label={label} value={String(value ?? '')} onChange={(e) => onChange(Number(e.target.value))} /> days
      </span>
    );
  if (options?.length)
    return (
      <select className="input input-sm" aria-label={label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  if (type === 'number') return <input className="input input-sm num-input" type="number" aria-label={label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))} />;
  if (type === 'date') return <input className="input input-sm" type="date" aria-label={label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />;
  return <input className="input input-sm" aria-label={label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />;
}

function ConditionRow({ c, fields, onChange, path }: { c: Condition; fields: RuleFields; onChange: (c: Condition) => void; path: string }) {
  const set = (patch: Record<string, unknown>) => onChange({ ...c, ...patch } as Condition);
  switch (c.kind) {
    case 'property': {
      const key = `${c.object}:${c.field}`;
      const f = fields.items.find((x) => `${x.object}:${x.field}` === key);
      return (
        <>
          <select
            className="input input-sm"
            aria-label={`${path} field`}
            value={key}
            onChange={(e) => {
              const nf = fields.items.find((x) => `${x.object}:${x.field}` === e.target.value)!;
              const op = nf.ops.includes(c.op) ? c.op : nf.ops[0]!;
              onChange({ kind: 'property', object: nf.object, field: nf.field, op, value: defaultValue(nf.type, op, nf.options) } as Condition);
            }}
          >
            {(['contact', 'account'] as const).map((o) => (
              <optgroup key={o} label={o === 'contact' ? 'Contact' : 'Account'}>
                {fields.items
                  .filter((x) => x.object === o)
                  .map((x) => (
                    <option key={`${x.object}:${x.field}`} value={`${x.object}:${x.field}`}>
                      {x.label} ({x.type})
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
          <select className="input input-sm" aria-label={`${path} operator`} value={c.op} onChange={(e) => set({ op: e.target.value, value: defaultValue(f?.type ?? 'text', e.target.value, f?.options ?? null) })}>
            {(f?.ops ?? [c.op]).map((o) => (
              <option key={o} value={o}>
                {SEGMENT_OP_LABELS[o] ?? o}
              </option>
            ))}
          </select>
          <ValueInput type={f?.type ?? 'text'} op={c.op} options={f?.options ?? null} value={c.value} onChange={(v) => set({ value: v })} label={`${path} value`} />
        </>
      );
    }
    case 'event':
      return (
        <>
          <input className="input input-sm" list="rule-event-names" aria-label={`${path} event`} placeholder="Event name" value={c.event ?? ''} onChange={(e) => set({ event: e.target.value || undefined })} />
          <select className="input input-sm" aria-label={`${path} count operator`} value={c.count.op} onChange={(e) => set({ count: { ...c.count, op: e.target.value } })}>
            <option value="gte">at least</option>
            <option value="lte">at most</option>
            <option value="eq">exactly</option>
          </select>
          <input className="input input-sm num-input" type="number" min={0} aria-label={`${path} times`} value={c.count.value} onChange={(e) => set({ count: { ...c.count, value: Number(e.target.value) } })} /> times
          <span className="muted small">in the last</span>
          <input className="input input-sm num-input" type="number" min={1} aria-label={`${path} days`} placeholder="any" value={c.withinDays ?? ''} onChange={(e) => set({ withinDays: e.target.value ? Number(e.target.value) : undefined })} />
          <span className="muted small">days; page URL contains</span>
          <input className="input input-sm" aria-label={`${path} page URL`} placeholder="(any)" value={c.pageUrl?.value ?? ''} onChange={(e) => set({ pageUrl: e.target.value ? { op: 'contains', value: e.target.value } : undefined })} />
        </>
      );
    case 'score':
      return (
        <>
          <select className="input input-sm" aria-label={`${path} model`} value={c.model} onChange={(e) => set({ model: e.target.value })}>
            <option value="fit">Fit score</option>
            <option value="engagement">Engagement score</option>
          </select>
          <select className="input input-sm" aria-label={`${path} operator`} value={c.op} onChange={(e) => set({ op: e.target.value, value: e.target.value === 'between' ? [0, 100] : 50 })}>
            <option value="gte">≥</option>
            <option value="lte">≤</option>
            <option value="between">between</option>
          </select>
          <ValueInput type="number" op={c.op} options={null} value={c.value} onChange={(v) => set({ value: v })} label={`${path} value`} />
        </>
      );
    case 'grade':
      return (
        <>
          <select className="input input-sm" aria-label={`${path} ICP`} value={c.icpId ?? ''} onChange={(e) => set({ icpId: e.target.value ? Number(e.target.value) : undefined })}>
            <option value="">Default fit model</option>
            {fields.icps.map((i) => (
              <option key={i.id} value={i.id}>
                ICP: {i.name}
              </option>
            ))}
          </select>
          <select className="input input-sm" aria-label={`${path} operator`} value={c.op} onChange={(e) => set({ op: e.target.value })}>
            <option value="in">is one of</option>
            <option value="not_in">is none of</option>
          </select>
          <ValueInput type="enum" op="in" options={GRADES} value={c.value} onChange={(v) => set({ value: v })} label={`${path} grades`} />
        </>
      );
    case 'buying_stage':
      return (
        <>
          <select className="input input-sm" aria-label={`${path} operator`} value={c.op} onChange={(e) => set({ op: e.target.value })}>
            <option value="in">is one of</option>
            <option value="not_in">is none of</option>
          </select>
          <ValueInput type="enum" op="in" options={BUYING_STAGES} value={c.value} onChange={(v) => set({ value: v })} label={`${path} stages`} />
        </>
      );
    case 'list':
      return (
        <>
          <select className="input input-sm" aria-label={`${path} operator`} value={c.op} onChange={(e) => set({ op: e.target.value })}>
            <option value="in">is in</option>
            <option value="not_in">is not in</option>
          </select>
          <select className="input input-sm" aria-label={`${path} list`} value={c.listId} onChange={(e) => set({ listId: Number(e.target.value) })}>
            {!fields.lists.length && <option value={0}>No lists yet</option>}
            {fields.lists.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </>
      );
  }
}

export function GroupEditor({ group, fields, onChange, onRemove, depth = 1, path = 'rule', errors }: { group: RuleGroup; fields: RuleFields; onChange: (g: RuleGroup) => void; onRemove?: () => void; depth?: number; path?: string; errors: Record<string, string> }) {
  const setChild = (i: number, c: Condition | RuleGroup) => onChange({ ...group, conditions: group.conditions.map((x, j) => (j === i ? c : x)) });
  const remove = (i: number) => onChange({ ...group, conditions: group.conditions.filter((_, j) => j !== i) });
  const add = (kind: Kind) => onChange({ ...group, conditions: [...group.conditions, emptyCondition(kind, fields)] });
  const errorFor = (p: string): ReactNode => {
    const hits = Object.entries(errors).filter(([k]) => k === p || k.startsWith(`${p}.`) && !k.slice(p.length + 1).startsWith('conditions'));
    return hits.length ? <div className="field-error" role="alert">{hits.map(([, m]) => m).join('; ')}</div> : null;
  };
  return (
    <div className={`rule-group depth-${depth}`} data-testid={`group-${path}`}>
      <div className="rule-group-head">
        <select className="input input-sm" aria-label={`${path} match`} value={group.match} onChange={(e) => onChange({ ...group, match: e.target.value as 'all' | 'any' })}>
          <option value="all">All of</option>
          <option value="any">Any of</option>
        </select>
        <span className="muted small">{group.match === 'all' ? 'every condition below must hold' : 'at least one condition below must hold'}</span>
        <div className="spacer" />
        {onRemove && (
          <button type="button" className="btn btn-sm btn-ghost" onClick={onRemove} aria-label={`Remove ${path}`}>
            Remove group
          </button>
        )}
      </div>
      {group.conditions.length === 0 && <div className="muted small rule-empty">{group.match === 'all' ? 'No conditions: every contact matches.' : 'No conditions: nobody matches. Add one below.'}</div>}
      {group.conditions.map((c, i) => {
        const p = `${path}.conditions.${i}`;
        if (c.kind === 'group')
          return <GroupEditor key={i} group={c as RuleGroup} fields={fields} onChange={(g) => setChild(i, g)} onRemove={() => remove(i)} depth={depth + 1} path={p} errors={errors} />;
        return (
          <div key={i} className="rule-row" data-testid={`cond-${p}`}>
            <span className="badge badge-gray plain rule-kind">{KIND_LABELS[c.kind]}</span>
            <ConditionRow c={c as Condition} fields={fields} onChange={(nc) => setChild(i, nc)} path={p} />
            <div className="spacer" />
            <button type="button" className="close-x" onClick={() => remove(i)} aria-label={`Remove ${p}`}>
              ×
            </button>
            {errorFor(p)}
          </div>
        );
      })}
      <div className="rule-add">
        <span className="muted small">Add:</span>
        {(['property', 'event', 'score', 'grade', 'buying_stage', 'list'] as const).map((k) => (
          <button key={k} type="button" className="btn btn-sm" onClick={() => add(k)} disabled={k === 'list' && !fields.lists.length}>
            + {KIND_LABELS[k]}
          </button>
        ))}
        {depth < MAX_DEPTH && (
          <button type="button" className="btn btn-sm" onClick={() => add('group')}>
            + Group
          </button>
        )}
      </div>
      {depth === 1 && (
        <datalist id="rule-event-names">
          {fields.events.map((e) => (
            <option key={e} value={e} />
          ))}
        </datalist>
      )}
    </div>
  );
}
