import type { Connector, EncodedInsert, WriteBatchRequest } from '../connectors/connector';
import { describeWriteError, saysNothingAboutRows } from './describe-write-error';
import type { ListTransformedRow } from './transform-list-rows';
import { batchTimeoutMs, StepTimeoutError, withTimeout } from './with-timeout';

/** Longest run of batches that skip the plain insert after it was refused. */
const MAX_SKIP = 64;

/**
 * What became of a batch's plain insert. 'written': every row is in. 'skipped', 'refused':
 * nothing was written, the caller takes the full path with its rows. 'reread': nothing was
 * written and the caller's rows were let go (see below): it reads the batch again first.
 */
export type InsertFirstOutcome = 'written' | 'skipped' | 'refused' | 'reread';

/**
 * The fast path of upsert jobs. In a first load almost every batch is new to the target,
 * and a plain insert (a COPY on PostgreSQL) costs about half of an upsert and needs no
 * look-up of the target's other unique values first. So the batch (already free of
 * in-batch conflicts) is inserted as a whole; if the database refuses it for any reason —
 * a key already there, a unique value held by another row, a bad value — nothing was
 * written, and the caller takes the full path (unique check against the target, upsert,
 * bisection), which decides row by row exactly as it would have without this attempt.
 *
 * Where the target can encode the insert ahead of the write (PostgreSQL's COPY text), the
 * batch is encoded first and `release` lets the caller drop its rows before the database
 * takes them: a batch's live rows are what the young-generation collector copies over and
 * over while other batches of the worker run, and without them a worker spends about a
 * tenth less time per row. The rare refused batch is then read again from the source.
 *
 * Crash safety is the upsert's: a batch written before a crash and delivered again finds
 * its keys in the target, the insert is refused, and the upsert writes the same rows.
 * A refusal because a key is already in the target (a re-run, most likely) makes the next
 * batches skip the attempt (1, 2, 4 … up to 64 of them), so a re-run over rows already
 * there pays for few refused inserts. Other refusals (a bad value, another unique value
 * taken) concern the batch's own rows and skip nothing: the next batch is as likely to
 * pass as any.
 */
export function insertFirstWriter(
  ctx: { target: Connector },
  request: Omit<WriteBatchRequest, 'rows' | 'mode'>,
  enabled: boolean,
) {
  let skip = 0;
  let nextSkip = 1;
  const { target } = ctx;

  const keyText = request.keyColumns.join(', ');
  const noteRefusal = (error: unknown) => {
    const failure = describeWriteError(error);
    // PostgreSQL names the columns (`Key (id)=(7) already exists`), MySQL the index ('PRIMARY').
    const keyTaken = failure.code === 'unique_violation' && (failure.field === keyText || failure.field === 'PRIMARY');
    if (!keyTaken) return;
    skip = nextSkip;
    nextSkip = Math.min(nextSkip * 2, MAX_SKIP);
  };
  // A lost connection or a dropped table says nothing about the rows: the chunk (or job) decides.
  const rethrowIfNotAboutRows = (error: unknown) => {
    if (error instanceof StepTimeoutError || saysNothingAboutRows(error)) throw error;
  };
  /** True when the write went in; a refusal lengthens the skip. */
  const lands = async (write: () => Promise<unknown>): Promise<boolean> => {
    try {
      await withTimeout(write(), batchTimeoutMs(), 'Writing a batch');
    } catch (error) {
      rethrowIfNotAboutRows(error);
      noteRefusal(error);
      return false;
    }
    nextSkip = 1;
    return true;
  };

  return {
    async attempt(rows: ListTransformedRow[], release: () => void): Promise<InsertFirstOutcome> {
      if (!enabled || rows.length === 0) return 'skipped';
      if (skip > 0) {
        skip -= 1;
        return 'skipped';
      }
      // Each row's value array is already in request.columns order (targetColumnsOf).
      const values = () => rows.map((row) => row.list);
      if (!target.encodeInsert || !target.writeEncoded) {
        return (await lands(() => target.writeBatch({ ...request, mode: 'insert', rows: values() }))) ? 'written' : 'refused';
      }
      let encoded: EncodedInsert;
      try {
        encoded = await target.encodeInsert({ ...request, rows: values() });
      } catch (error) {
        rethrowIfNotAboutRows(error); // what the encoder refuses, the insert would refuse: the full path decides
        return 'refused';
      }
      release();
      const writeEncoded = target.writeEncoded.bind(target);
      return (await lands(() => writeEncoded(encoded))) ? 'written' : 'reread';
    },
  };
}
