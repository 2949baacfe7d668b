// Step 1: choose what to import and upload the CSV (with upload progress).
import { useState, type DragEvent } from 'react';
import { errorMessage } from '../../api/client.ts';
import { uploadImport } from '../../api/imports.ts';
import type { ImportPreview } from '../../api/types.ts';
import { formatBytes } from '../../components/format.ts';
import { IconAccounts, IconContacts, IconUpload } from '../../components/icons.tsx';

export function UploadStep({ initialObject, onUploaded }: { initialObject: 'contacts' | 'accounts'; onUploaded: (p: ImportPreview) => void }) {
  const [objectType, setObjectType] = useState(initialObject);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drag, setDrag] = useState(false);

  async function submit() {
    if (!file) return setError(new Error('Choose a CSV file first'));
    setError(null);
    setProgress(0);
    try {
      const preview = await uploadImport(file, objectType, setProgress);
      onUploaded(preview);
    } catch (e) {
      setError(e);
      setProgress(null);
    }
  }
  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDrag(false);
    const f = e.dataTransfer.files[0];
    if (f) setFile(f);
  }
  const uploading = progress !== null;

  return (
    <div className="card">
      <div className="card-header">
        <h2>What are you importing?</h2>
      </div>
      <div className="card-body">
        <div className="choice-grid" role="radiogroup" aria-label="Object to import">
          {(
            [
              ['contacts', 'Contacts', 'People, matched by email. Existing contacts can be updated; accounts are linked by email domain.', <IconContacts key="c" />],
              ['accounts', 'Accounts', 'Companies, matched by domain.', <IconAccounts key="a" />],
            ] as const
          ).map(([value, title, desc]) => (
            <label key={value} className={`choice${objectType === value ? ' selected' : ''}`}>
              <input type="radio" name="objectType" value={value} checked={objectType === value} onChange={() => setObjectType(value)} disabled={uploading} />
              <span>
                <span className="title">{title}</span>
                <br />
                <span className="desc">{desc}</span>
              </span>
            </label>
          ))}
        </div>

        <label
          className={`dropzone${drag ? ' drag' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDrag(true);
          }}
          onDragLeave={() => setDrag(false)}
          onDrop={onDrop}
        >
          <IconUpload />
          <div className="big">{file ? file.name : 'Drop a CSV file here, or click to choose one'}</div>
          <div className="muted small">
            {file ? formatBytes(file.size) : 'UTF-8 CSV with a header row. The first row names the columns; you map them to fields next.'}
          </div>
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label="CSV file"
            data-testid="import-file"
            className="sr-only"
            disabled={uploading}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setError(null);
            }}
          />
        </label>

        {uploading && (
          <div style={{ marginTop: 16 }}>
            <div className="row small muted" style={{ justifyContent: 'space-between', marginBottom: 6 }}>
              <span>{progress < 1 ? 'Uploading…' : 'Reading the file…'}</span>
              <span>{Math.round(progress * 100)}%</span>
            </div>
            <div className="progress" role="progressbar" aria-label="Upload progress" aria-valuenow={Math.round(progress * 100)} aria-valuemin={0} aria-valuemax={100}>
              <div style={{ width: `${Math.round(progress * 100)}%` }} />
            </div>
          </div>
        )}
        {error ? (
          <div className="alert alert-error" role="alert" style={{ marginTop: 16, marginBottom: 0 }}>
            {errorMessage(error)}
          </div>
        ) : null}
        <div className="form-actions" style={{ marginTop: 20 }}>
          <button className="btn btn-primary" onClick={submit} disabled={!file || uploading}>
            {uploading ? 'Uploading…' : 'Upload and continue'}
          </button>
        </div>
      </div>
    </div>
  );
}
