// "Advanced: JSON": a collapsed disclosure showing a value as JSON; power users can edit it and apply.
import { useState } from 'react';

export function JsonDisclosure({ label, value, onApply, readOnly }: { label: string; value: unknown; onApply: (v: unknown) => void; readOnly?: boolean }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const current = JSON.stringify(value, null, 2);
  return (
    <details
      style={{ marginTop: 'var(--s4)' }}
      onToggle={(e) => {
        const isOpen = (e.target as HTMLDetailsElement).open;
        setOpen(isOpen);
        if (isOpen) setText(current);
        setError(null);
      }}
    >
      <summary className="small muted" style={{ cursor: 'pointer' }}>
        {label}
      </summary>
      {open && (
        <>
          <textarea className="input mono" rows={10} value={text} onChange={(e) => setText(e.target.value)} readOnly={readOnly} aria-label={label} style={{ width: '100%', marginTop: 'var(--s2)' }} />
          {error && <div className="field-error">{error}</div>}
          {!readOnly && (
            <div className="row" style={{ marginTop: 'var(--s2)' }}>
              <button
                type="button"
                className="btn btn-sm"
                disabled={text === current}
                onClick={() => {
                  try {
                    onApply(JSON.parse(text));
                    setError(null);
                  } catch (e) {
                    setError(`Not valid JSON: ${(e as Error).message}`);
                  }
                }}
              >
                Apply
              </button>
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => setText(current)} disabled={text === current}>
                Reset
              </button>
            </div>
          )}
        </>
      )}
    </details>
  );
}
