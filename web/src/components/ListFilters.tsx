// List pages keep their filters in the URL: reading and updating them, and the toolbar's search box and owner filter.
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { Params } from '../api/contacts.ts';
import { IconSearch } from './icons.tsx';
import { useOwners } from './useOwners.ts';

/**
 * The filters: every non-empty URL parameter except the paging cursor and the `transient` ones (e.g. `new`, which
 * opens a dialog). `update` sets or (with an empty value) removes parameters, drops the transient ones and replaces
 * the history entry.
 */
export function useUrlFilters(transient: readonly string[] = []) {
  const [params, setParams] = useSearchParams();
  const transientKey = transient.join('\n');
  const filters = useMemo(() => {
    const f: Params = {};
    params.forEach((v, k) => {
      if (v && k !== 'cursor' && !transient.includes(k)) f[k] = v;
    });
    return f;
    // transientKey stands for transient (a new array each render at most call sites).
  }, [params, transientKey]);
  function update(changes: Params) {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        for (const k of transient) next.delete(k);
        return next;
      },
      { replace: true },
    );
  }
  return { params, setParams, filters, update };
}

export function SearchInput({ placeholder, label, value, onChange }: { placeholder: string; label: string; value: string; onChange: (value: string) => void }) {
  return (
    <div className="search">
      <IconSearch />
      <input className="input" type="search" placeholder={placeholder} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** "Any owner" + every owner; with `keepUnknown`, an owner id from the URL that is not among them stays selectable. */
export function OwnerFilter({ value, onChange, keepUnknown = false }: { value: string | undefined; onChange: (ownerId: string | undefined) => void; keepUnknown?: boolean }) {
  const { owners } = useOwners();
  return (
    <select className="input select-inline" aria-label="Owner" value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">Any owner</option>
      {owners.map((o) => (
        <option key={o.id} value={String(o.id)}>
          {o.name}
        </option>
      ))}
      {keepUnknown && value && !owners.some((o) => String(o.id) === value) && <option value={value}>User #{value}</option>}
    </select>
  );
}
