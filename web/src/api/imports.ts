// CSV import API: upload → preview & mapping → background job → report.
import { get, post, qs, upload } from './client.ts';
import type { Import, ImportErrorPageT, ImportListT, ImportPreview, StartImportInput } from './types.ts';

export const keys = {
  imports: ['imports'] as const,
  import: (id: number) => ['import', id] as const,
  preview: (id: number) => ['import', id, 'preview'] as const,
  errors: (id: number, cursor: string | null) => ['import', id, 'errors', cursor] as const,
};

export function uploadImport(file: File, objectType: 'contacts' | 'accounts', onProgress: (f: number) => void) {
  const form = new FormData();
  // Fields before the file so the server can read objectType before streaming the file.
  form.append('objectType', objectType);
  form.append('file', file, file.name);
  return upload<ImportPreview>('/imports', form, onProgress);
}
export const listImports = () => get<ImportListT>('/imports');
export const getImport = (id: number) => get<Import>(`/imports/${id}`);
export const getImportPreview = (id: number) => get<ImportPreview>(`/imports/${id}/preview`);
export const startImport = (id: number, input: StartImportInput) => post<Import>(`/imports/${id}/start`, input);
export const cancelImport = (id: number) => post<Import>(`/imports/${id}/cancel`, {});
export const listImportErrors = (id: number, cursor: string | null) => get<ImportErrorPageT>(`/imports/${id}/errors${qs({ cursor, limit: 100 })}`);
export const importErrorsCsvUrl = (id: number) => `/api/v1/imports/${id}/errors.csv`;
