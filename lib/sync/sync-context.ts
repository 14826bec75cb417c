import { prisma } from '../db/client';
import type { Sync } from '../db/generated/client';
import { loadJobContext, type JobContext } from '../engine/load-job-context';
import { makeChangeApplier, type ChangeApplier } from './apply-changes';

export interface SyncContext extends JobContext {
  sync: Sync;
  apply: ChangeApplier;
}

/** A sync job's context: the migration engine's (mapping, connectors, tables) plus the sync and its change applier. */
export async function loadSyncContext(jobId: string): Promise<SyncContext | null> {
  const [ctx, sync] = await Promise.all([loadJobContext(jobId), prisma().sync.findUnique({ where: { jobId } })]);
  if (!ctx || !sync) return null;
  const apply = makeChangeApplier(ctx, { policy: sync.deletePolicy, markColumn: sync.markColumn, softDeleteColumn: sync.softDeleteColumn });
  return { ...ctx, sync, apply };
}

/** The source table as the log names it: PostgreSQL schema and table, or MariaDB/MySQL database and table. */
export function capturedTable(ctx: Pick<JobContext, 'sourceTable'>): { schema: string; table: string } {
  return { schema: ctx.sourceTable.schema, table: ctx.sourceTable.name };
}
