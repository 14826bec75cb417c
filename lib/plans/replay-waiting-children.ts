import type { Actor } from '../auth/roles';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { startReplay } from '../jobs/start-replay';

/**
 * After a parent row was fixed and replayed: replays, in one action, every open orphan
 * error row that waits for it ("parent … not migrated", linked to this parent error row),
 * one replay job per child job. The references are resolved again, so children whose
 * parent has landed now land too. Refused while the parent row itself is still open.
 */
export async function replayWaitingChildren(actor: Actor, parentErrorRowId: number): Promise<{ replays: { jobId: string; replayJobId: string; rows: number }[] }> {
  const parent = await prisma().errorRow.findUnique({ where: { id: parentErrorRowId }, select: { id: true, resolvedAt: true } });
  if (!parent) throw notFound('Error row');
  if (parent.resolvedAt === null) throw new AppError('conflict', 'Replay this row first: its children would fail again while it has not landed');
  const children = await prisma().errorRow.findMany({ where: { parentErrorRowId, resolvedAt: null }, select: { id: true, jobId: true } });
  if (children.length === 0) throw new AppError('conflict', 'No error rows wait for this row');
  const byJob = new Map<string, number[]>();
  for (const child of children) byJob.set(child.jobId, [...(byJob.get(child.jobId) ?? []), child.id]);
  const replays: { jobId: string; replayJobId: string; rows: number }[] = [];
  for (const [jobId, ids] of byJob) {
    for (let i = 0; i < ids.length; i += 10_000) {
      const rows = ids.slice(i, i + 10_000);
      const replay = await startReplay(actor, jobId, { errorRowIds: rows });
      replays.push({ jobId, replayJobId: replay.id, rows: rows.length });
    }
  }
  return { replays };
}

/** How many open error rows wait for each of these parent error rows (the job page shows it on the row). */
export async function waitingChildrenCounts(parentErrorRowIds: number[]): Promise<Map<number, number>> {
  if (parentErrorRowIds.length === 0) return new Map();
  const groups = await prisma().errorRow.groupBy({ by: ['parentErrorRowId'], where: { parentErrorRowId: { in: parentErrorRowIds }, resolvedAt: null }, _count: { _all: true } });
  return new Map(groups.flatMap((g) => (g.parentErrorRowId === null ? [] : [[g.parentErrorRowId, g._count._all] as [number, number]])));
}
