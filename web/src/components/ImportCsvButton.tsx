// "Import CSV" button of a list page: opens the file picker, hands the chosen file to `onFile` (the page's import
// mutation) and clears the input so the same file can be chosen again after fixing it.
import { useRef } from 'react';
import { IconImport } from './icons.tsx';

export function ImportCsvButton({ label, pending, onFile, testId }: { label: string; pending: boolean; onFile: (file: File) => void; testId: string }) {
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={fileRef}
        type="file"
        accept=".csv,text/csv"
        hidden
        data-testid={testId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onFile(f);
          e.target.value = '';
        }}
      />
      <button className="btn" onClick={() => fileRef.current?.click()} disabled={pending}>
        <IconImport /> {pending ? 'Importing…' : label}
      </button>
    </>
  );
}
