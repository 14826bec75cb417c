import type { Connector, WriteBatchRequest } from '../connectors/connector';
import { isTransientError } from './describe-write-error';
import type { ListTransformedRow } from './transform-list-rows';
import { batchTimeoutMs, StepTimeoutError, withTimeout } from './with-timeout';

/** Longest run of batches that skip the plain insert after it was refused. */
const MAX_SKIP = 64;

/**
 * The fast path of upsert jobs. In a first load almost every batch is new to the target,
 * and a plain insert (a COPY on PostgreSQL) costs about half of an upsert and needs no
 * look-up of the target's other unique values first. So the batch (already free of
 * in-batch conflicts) is inserted as a whole; if the database refuses it for any reason —
 * a key already there, a unique value held by another row, a bad value — nothing was
 * written, and the caller takes the full path (unique check against the target, upsert,
 * bisection), which decides row by row exactly as it would have without this attempt.
 *
 * Crash safety is the upsert's: a batch written before a crash and delivered again finds
 * its keys in the target, the insert is refused, and the upsert writes the same rows.
 * After a refusal the next batches skip the attempt (1, 2, 4 … up to 64 of them), so a
 * re-run over rows already in the target pays for few refused inserts.
 */
export function insertFirstWriter(
  ctx: { target: Connector },
  request: Omit<WriteBatchRequest, 'rows' | 'mode'>,
  enabled: boolean,
) {
  let skip = 0;
  let nextSkip = 1;
  return {
    /** 'written', or nothing was written ('refused', 'skipped') and the caller takes the full path. */
    async attempt(rows: ListTransformedRow[]): Promise<'written' | 'refused' | 'skipped'> {
      if (!enabled || rows.length === 0) return 'skipped';
      if (skip > 0) {
        skip -= 1;
        return 'skipped';
      }
      try {
        // Each row's value array is already in request.columns order (targetColumnsOf).
        const values = rows.map((row) => row.list);
        await withTimeout(ctx.target.writeBatch({ ...request, mode: 'insert', rows: values }), batchTimeoutMs(), 'Writing a batch');
      } catch (error) {
        // A lost connection says nothing about the rows: the chunk's retry handles it.
        if (error instanceof StepTimeoutError || isTransientError(error)) throw error;
        skip = nextSkip;
        nextSkip = Math.min(nextSkip * 2, MAX_SKIP);
        return 'refused';
      }
      nextSkip = 1;
      return 'written';
    },
  };
}
