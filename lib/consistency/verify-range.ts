import type { UnitOutcome, UnitRun } from '../jobs/units/run-unit';
import { compareRange, type RangeResult } from './compare-range';
import { findExtras } from './find-extras';
import { finishRange } from './finish-range';
import type { RangeOwner } from './range-owner';
import { loadVerifyContext } from './verify-context';

/**
 * Compares one key range (or, in the extras pass, looks for target keys no source row
 * produced). Diffs are written as they are found, tagged with the attempt; counters and
 * the end of the range are committed once, lease-checked, so a retried range counts
 * once. Cancel and shutdown are checked between batches.
 */
export async function verifyRange(run: UnitRun<null>): Promise<UnitOutcome> {
  const { lease } = run;
  let stop: Awaited<ReturnType<typeof run.pollStop>> = null;
  const shouldStop = async () => {
    stop = await run.pollStop();
    return stop !== null;
  };
  const ctx = await loadVerifyContext(run.jobId);
  if (!ctx) return { skipped: 'job deleted' };
  const owner: RangeOwner = { reportId: ctx.reportId, rangeId: run.unitId, attempt: lease.attempts, mappingId: ctx.mappingId };
  const range = { lower: lease.lowerKey, upper: lease.upperKey };
  const extras = lease.phase === 'extras';
  const result: RangeResult | null = extras ? await findExtras(ctx, owner, range, shouldStop) : await compareRange(ctx, owner, range, shouldStop);
  if (!result) return { stopped: stop ?? 'cancelled' };
  await finishRange(owner, lease.leaseId, result);
  return {
    done: {
      type: 'range_done',
      message: `Range ${lease.seq}${extras ? ' (extras)' : ''}: ${result.matched} matched, ${result.different} different, ${result.missing} missing, ${result.extra} extra`,
      data: { range: lease.seq, phase: lease.phase, ...result },
    },
  };
}
