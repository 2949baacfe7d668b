// Uploaded files live in DATA_DIR/uploads until their import completes or is cancelled. Files elsewhere
// (the CLI imports the user's own file in place) are never removed.
import { unlink } from 'node:fs/promises';
import path from 'node:path';

export const uploadsDir = (dataDir: string) => path.join(dataDir, 'uploads');

export async function removeUpload(dataDir: string, filePath: string): Promise<void> {
  const dir = uploadsDir(dataDir) + path.sep;
  if (!path.resolve(filePath).startsWith(dir)) return;
  await unlink(filePath).catch(() => undefined);
}
