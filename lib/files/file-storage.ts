import path from 'node:path';
import { env } from '../env';

/** The folder uploads are written to (absolute). */
export function fileStorageRoot(): string {
  return path.resolve(env().FERRY_FILE_STORAGE);
}

/** Where connectors keep the byte-offset indexes of files (build-csv-index.ts), one JSON file per file and key. */
export function fileIndexFolder(): string {
  return path.join(fileStorageRoot(), '.indexes');
}

/** The absolute path of a stored file's `path` column: relative ones are inside the storage folder. */
export function storedFilePath(stored: string): string {
  return path.isAbsolute(stored) ? stored : path.join(fileStorageRoot(), stored);
}

/** The folders admins may register files from by path: the storage folder and FERRY_FILE_IMPORT_DIRS. */
export function registrableFolders(): string[] {
  const extra = env()
    .FERRY_FILE_IMPORT_DIRS.split(':')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => path.resolve(entry));
  return [fileStorageRoot(), ...extra];
}

export const maxUploadBytes = (): number => env().FERRY_MAX_UPLOAD_BYTES;
