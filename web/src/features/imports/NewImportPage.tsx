// Import wizard, steps 1–2: upload, then mapping. Starting the import moves on to /imports/:id (progress, report).
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/imports.ts';
import type { ImportPreview } from '../../api/types.ts';
import { MappingStep } from './MappingStep.tsx';
import { Steps } from './shared.tsx';
import { UploadStep } from './UploadStep.tsx';

export function NewImportPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const initial = params.get('objectType') === 'accounts' ? 'accounts' : 'contacts';
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  return (
    <>
      <div className="breadcrumb">
        <Link to="/imports">Imports</Link> / New import
      </div>
      <div className="page-header">
        <div>
          <h1>Import from CSV</h1>
          <p className="subtitle">Bring in contacts or accounts. Valid rows are imported; every rejected row is listed with its line and reason.</p>
        </div>
      </div>
      <Steps current={preview ? 1 : 0} />
      {preview ? (
        <MappingStep
          data={preview}
          onBack={() => setPreview(null)}
          onStarted={(imp) => {
            qc.setQueryData(keys.import(imp.id), imp);
            qc.invalidateQueries({ queryKey: keys.imports });
            navigate(`/imports/${imp.id}`);
          }}
        />
      ) : (
        <UploadStep
          initialObject={initial}
          onUploaded={(p) => {
            qc.setQueryData(keys.preview(p.import.id), p);
            setPreview(p);
          }}
        />
      )}
    </>
  );
}
