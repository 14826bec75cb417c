import { prisma } from '../db/client';
import { LeaseLostError } from '../jobs/units/unit-lease';
import type { RangeCounts } from './compare-batch';
import type { RangeOwner } from './range-owner';

/**
 * Finishes a range: drops what other attempts wrote, stores the counters and marks it
 * done, in one transaction that only the lease holder can commit.
 */
export async function finishRange(owner: RangeOwner, leaseId: string, counts: RangeCounts & { rowsRead: number; hashMatched: number }): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const moved = await tx.consistencyRange.updateMany({
      where: { id: owner.rangeId, leaseId },
      data: { ...counts, status: 'done', leaseId: null, workerId: null, finishedAt: new Date() },
    });
    if (moved.count !== 1) throw new LeaseLostError('range', owner.rangeId);
    await tx.consistencyDiff.deleteMany({ where: { rangeId: owner.rangeId, attempt: { not: owner.attempt } } });
    await tx.consistencyKey.deleteMany({ where: { rangeId: owner.rangeId, attempt: { not: owner.attempt } } });
  });
}
