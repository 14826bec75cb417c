import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Loads the project's `.env` for processes Next.js does not start (workers, scripts).
 * Variables already in the environment win, as with Next.js itself.
 */
export function loadLocalEnvFile(root = process.cwd()): void {
  const file = path.join(root, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
