// Custom property filters for the contacts list (URL parameters prop.<key>=<value>, exact match).
import { useState } from 'react';
import type { Params } from '../../api/contacts.ts';
import type { PropertyDefinition } from '../../api/types.ts';
import { usePropertyDefs } from '../../components/usePropertyDefs.ts';

function ValueInput({ def, onApply }: { def: PropertyDefinition; onApply: (v: string) => void }) {
  const [text, setText] = useState('');
  if (def.type === 'enum' || def.type === 'boolean') {
    const options = def.type === 'boolean' ? ['true', 'false'] : (def.options ?? []);
    return (
      <select className="input select-inline" aria-label={`${def.label} value`} value="" onChange={(e) => e.target.value && onApply(e.target.value)}>
        <option value="">Choose a value…</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {def.type === 'boolean' ? (o === 'true' ? 'Yes' : 'No') : o}
          </option>
        ))}
      </select>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onApply(text.trim());
      }}
    >
      <input
        className="input"
        style={{ width: 170 }}
        aria-label={`${def.label} value`}
        type={def.type === 'number' ? 'number' : def.type === 'date' ? 'date' : 'text'}
        placeholder="Equals… (Enter)"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    </form>
  );
}

/** A "+ Property filter" control plus one removable chip per active prop.<key> filter. */
export function PropertyFilter({ filters, update }: { filters: Params; update: (changes: Params) => void }) {
  const defs = usePropertyDefs('contact');
  const [picking, setPicking] = useState<string>('');
  const active = Object.entries(filters).filter(([k]) => k.startsWith('prop.'));
  const def = defs.find((d) => d.key === picking);
  const label = (key: string) => defs.find((d) => d.key === key)?.label ?? key;
  const shown = (key: string, v: string) => (defs.find((d) => d.key === key)?.type === 'boolean' ? (v === 'true' ? 'Yes' : 'No') : v);
  if (defs.length === 0 && active.length === 0) return null;
  return (
    <>
      {active.map(([k, v]) => (
        <span key={k} className="badge badge-blue plain" style={{ height: 28, paddingRight: 4 }}>
          {label(k.slice(5))}: {shown(k.slice(5), v ?? '')}
          <button className="close-x" style={{ fontSize: 15, padding: '0 4px' }} aria-label={`Remove filter ${label(k.slice(5))}`} onClick={() => update({ [k]: undefined })}>
            ×
          </button>
        </span>
      ))}
      {defs.length > 0 && (
        <select className="input select-inline" aria-label="Filter by property" value={picking} onChange={(e) => setPicking(e.target.value)}>
          <option value="">+ Property filter</option>
          {defs.map((d) => (
            <option key={d.key} value={d.key}>
              {d.label}
            </option>
          ))}
        </select>
      )}
      {def && (
        <ValueInput
          key={def.key}
          def={def}
          onApply={(v) => {
            update({ [`prop.${def.key}`]: v });
            setPicking('');
          }}
        />
      )}
    </>
  );
}
