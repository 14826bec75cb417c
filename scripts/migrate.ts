import path from 'node:path';
import { applyMigrations } from '../lib/db/apply-migrations';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set (see .env.example).');
  process.exit(1);
}
const result = await applyMigrations(url, path.resolve(import.meta.dirname, '../prisma/migrations'));
console.log(
  result.applied.length
    ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`
    : `Database is up to date (${result.alreadyApplied} migration(s) applied earlier).`,
);
