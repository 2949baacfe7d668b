// A search-as-you-type picker for one record (a contact, an account): shows the chosen one as a chip with a
// clear button, else an input whose matches drop down below it.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { listAccounts, listContacts } from '../../api/contacts.ts';
import { fullName } from '../../components/format.ts';

export interface Picked {
  id: number;
  label: string;
}

function Picker({ label, placeholder, value, onChange, search, testId }: { label: string; placeholder: string; value: Picked | null; onChange: (p: Picked | null) => void; search: (q: string) => Promise<Picked[]>; testId: string }) {
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const term = q.trim();
  const results = useQuery({ queryKey: ['picker', testId, term], queryFn: () => search(term), enabled: open && term.length > 0, staleTime: 30_000 });
  if (value) {
    return (
      <span className="picker-chosen" data-testid={`${testId}-chosen`}>
        {value.label}
        <button type="button" aria-label={`Clear ${label.toLowerCase()}`} onClick={() => onChange(null)}>
          ×
        </button>
      </span>
    );
  }
  return (
    <div className="picker">
      <input
        className="input"
        aria-label={label}
        placeholder={placeholder}
        value={q}
        data-testid={testId}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      {open && term && (
        <div className="picker-list" role="listbox">
          {results.isPending && <div className="muted small" style={{ padding: 8 }}>Searching…</div>}
          {results.data?.length === 0 && <div className="muted small" style={{ padding: 8 }}>No match for “{term}”</div>}
          {results.data?.map((r) => (
            <button
              key={r.id}
              type="button"
              role="option"
              aria-selected={false}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                onChange(r);
                setQ('');
                setOpen(false);
              }}
            >
              {r.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

export function ContactPicker(props: { value: Picked | null; onChange: (p: Picked | null) => void }) {
  return (
    <Picker
      {...props}
      label="Contact"
      placeholder="Search a contact by email or name"
      testId="contact-picker"
      search={async (q) =>
        (await listContacts({ q, limit: '8' })).items.map((c) => ({ id: c.id, label: fullName(c) ? `${fullName(c)} · ${c.email}` : c.email }))
      }
    />
  );
}

export function AccountPicker(props: { value: Picked | null; onChange: (p: Picked | null) => void }) {
  return (
    <Picker
      {...props}
      label="Account"
      placeholder="Search an account"
      testId="account-picker"
      search={async (q) => (await listAccounts({ q, limit: '8' })).items.map((a) => ({ id: a.id, label: a.domain ? `${a.name} (${a.domain})` : a.name }))}
    />
  );
}
