import type { ConstraintColumns, Connector, WriteBatchRequest } from '../connectors/connector';
import { describeWriteError, saysNothingAboutRows, type WriteFailure } from './describe-write-error';

export interface WriteItem<T> {
  /** Values in the order of `columns`. */
  values: unknown[];
  /** Whatever the caller needs to record a failure (source key, source row …). */
  origin: T;
}

export interface BisectionResult<T> {
  written: number;
  failed: { origin: T; failure: WriteFailure }[];
  /** Write statements issued, for the job log. */
  statements: number;
}

/** What bisection writes through: a connector, or a preview's rehearsal (Connector.rehearseWrites). */
export type BatchWriter = Pick<Connector, 'writeBatch' | 'constraintColumns'>;

/**
 * Writes a batch all-or-nothing; when the database refuses it, splits it in halves
 * and retries each, down to single rows, so the good rows land and exactly the bad
 * ones are reported (pgloader's approach). Transient errors are rethrown untouched:
 * they say nothing about rows, and the job's retry with backoff handles them.
 * A refused row's field is named from the constraint's columns where the error names a
 * constraint (looked up once, at the first refused row).
 */
export async function writeWithBisection<T>(
  connector: BatchWriter,
  request: Omit<WriteBatchRequest, 'rows'>,
  items: WriteItem<T>[],
): Promise<BisectionResult<T>> {
  const result: BisectionResult<T> = { written: 0, failed: [], statements: 0 };
  let constraints: Promise<ConstraintColumns | undefined> | undefined;
  // A failed look-up leaves the field to what the error itself says.
  const constraintsOf = () => (constraints ??= connector.constraintColumns?.(request.table).catch(() => undefined) ?? Promise.resolve(undefined));
  async function attempt(slice: WriteItem<T>[]): Promise<void> {
    if (slice.length === 0) return;
    result.statements += 1;
    try {
      const { written } = await connector.writeBatch({ ...request, rows: slice.map((i) => i.values) });
      result.written += written;
    } catch (error) {
      if (saysNothingAboutRows(error)) throw error;
      if (slice.length === 1) {
        const context = { table: request.table, columns: request.columns, constraintColumns: await constraintsOf() };
        result.failed.push({ origin: slice[0].origin, failure: describeWriteError(error, context) });
        return;
      }
      const middle = Math.ceil(slice.length / 2);
      await attempt(slice.slice(0, middle));
      await attempt(slice.slice(middle));
    }
  }
  await attempt(items);
  return result;
}
