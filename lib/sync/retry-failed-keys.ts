import type { KeyTuple } from '../connectors/connector';
import { prisma } from '../db/client';
import { keyText, toKeyValue } from '../engine/key-text';
import { changeReadColumns, type AppliedChanges, type SourceChange } from './apply-changes';
import type { SyncContext } from './sync-context';

/** Keys retried per pass: a long list of failures is worked through over several runs. */
const RETRY_LIMIT = 1000;

/**
 * Failed keys are retried on every later run until they pass or an admin dismisses them
 * (Hightouch and Census do the same): the open error rows' keys are read again from the
 * source, as they are now, and applied like any change (a key gone from the source is a
 * deletion, handled by the delete policy). What lands resolves its error row when the
 * caller stores the batch; what fails again updates it.
 */
export async function retryFailedKeys(ctx: SyncContext): Promise<AppliedChanges | null> {
  const open = await prisma().errorRow.findMany({
    where: { jobId: ctx.jobId, resolvedAt: null },
    select: { sourceKey: true },
    orderBy: { id: 'asc' },
    take: RETRY_LIMIT,
  });
  if (open.length === 0) return null;
  const keys = open.map((r) => r.sourceKey as KeyTuple);
  const { spec } = ctx;
  const rows = await ctx.source.readKeys(spec.source.table, spec.source.key, changeReadColumns(spec, ctx.sync), keys);
  const now = Date.now();
  const found = new Set(rows.map((row) => keyText(spec.source.key.map((c) => toKeyValue(row[c])))));
  const changes: SourceChange[] = rows.map((row) => ({ op: 'upsert', row, commitTime: now }));
  for (const key of keys) if (!found.has(keyText(key))) changes.push({ op: 'delete', key, before: null, commitTime: now });
  return { ...(await ctx.apply(changes)), retry: true };
}
