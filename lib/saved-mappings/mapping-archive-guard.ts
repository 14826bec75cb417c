import type { Prisma } from '../db/client';
import { AppError, notFound } from '../errors';

/**
 * An archived mapping is history: it keeps its versions, jobs, error rows and reports, but
 * nothing new happens to it (no job, no version, no replayed row) until it is restored.
 */
export function archivedMappingError(name: string, action: string): AppError {
  return new AppError('conflict', `Mapping "${name}" is archived: restore it before ${action}`);
}

/** Refuses `action` on an archived mapping (a check on a row already read). */
export function assertMappingNotArchived(mapping: { name: string; archivedAt: Date | null }, action: string): void {
  if (mapping.archivedAt) throw archivedMappingError(mapping.name, action);
}

/**
 * The same check inside the transaction that creates a job or a version, holding the
 * mapping's row until it commits: archiving (which locks the row, then looks for active
 * jobs) waits for it and then sees the new job, or has committed first and this sees it
 * archived. No key lock, so the job's own foreign key to the mapping never waits on it.
 */
export async function lockUnarchivedMapping(tx: Prisma.TransactionClient, mappingId: string, action: string): Promise<void> {
  const rows = await tx.$queryRaw<{ name: string; archived_at: Date | null }[]>`
    SELECT name, archived_at FROM mappings WHERE id = ${mappingId} FOR NO KEY UPDATE`;
  if (rows.length === 0) throw notFound('Mapping');
  assertMappingNotArchived({ name: rows[0].name, archivedAt: rows[0].archived_at }, action);
}
