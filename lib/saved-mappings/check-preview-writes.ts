import { fieldsOf } from '../connectors/classify-connection-error';
import type { Connector, RehearsalLimits, TableDetail } from '../connectors/connector';
import { writeErrorDraft, type ErrorRowDraft } from '../engine/error-row-draft';
import { rejectUniqueConflicts } from '../engine/reject-unique-conflicts';
import type { TransformedRow } from '../engine/transform-rows';
import { nameUniqueHolders } from '../engine/unique-holder';
import { writeWithBisection } from '../engine/write-with-bisection';
import { targetColumnsOf } from '../mapping/apply-mapping';
import type { WriteCheck } from '../schemas/mapping-preview';
import type { MappingSpec } from '../schemas/mapping-spec';

/**
 * A preview waits at most this long for a lock a live session holds on the target, and
 * lets no statement run longer: it must never hold up the table's own users.
 */
export const PREVIEW_WRITE_LIMITS: RehearsalLimits = { lockTimeoutMs: 2_000, statementTimeoutMs: 10_000 };

export interface PreviewWrites {
  writeCheck: WriteCheck;
  /** The rows the target refused: the error rows the run records for them. */
  errors: ErrorRowDraft[];
}

/**
 * Writes the preview's mapped rows to the target as one batch of the run, in a transaction
 * that is always rolled back (Connector.rehearseWrites), so foreign keys, unique values
 * (within the batch and against existing rows), CHECKs, triggers and type input refuse
 * exactly the rows they refuse in the run, with the same error rows.
 *
 * The steps are the run's full path (copy-batch.ts): rows sharing another unique value
 * within the batch, the same against the target, the write with bisection, then naming the
 * target rows that hold the unique values refused rows needed. The run tries a plain insert
 * of the batch first, which lands it only when every row would land and otherwise changes
 * nothing, so it is left out here. `rows` are in source key order, as a run's batch is.
 */
export async function checkPreviewWrites(target: Connector, table: TableDetail, spec: MappingSpec, rows: TransformedRow[]): Promise<PreviewWrites> {
  if (rows.length === 0) return { writeCheck: { status: 'not_needed', message: 'No row got as far as the write.' }, errors: [] };
  if (!target.rehearseWrites) {
    return { writeCheck: { status: 'unsupported', message: 'This target cannot try writes without keeping them: the preview shows the mapping’s errors only.' }, errors: [] };
  }
  const key = spec.target.key;
  const columns = targetColumnsOf(spec);
  const request = { table: spec.target.table, keyColumns: key, columns, mode: spec.writeMode };
  let errors: ErrorRowDraft[];
  try {
    errors = await target.rehearseWrites(PREVIEW_WRITE_LIMITS, async (session) => {
      const drafts: ErrorRowDraft[] = [];
      const inBatch = await rejectUniqueConflicts(target, table, key, rows, false);
      // The check against the target reads through the session only: under its lock limits.
      const unique = await rejectUniqueConflicts({ ...target, readKeys: session.readKeys }, table, key, inBatch.clean);
      for (const { row, failure } of [...inBatch.rejected, ...unique.rejected]) drafts.push(writeErrorDraft(row, failure));
      const items = unique.clean.map((row) => ({ values: columns.map((c) => row.values[c] ?? null), origin: row }));
      const written = await writeWithBisection(session, request, items);
      for (const { origin, failure } of written.failed) drafts.push(writeErrorDraft(origin, failure));
      // Inside the transaction: the holder may be a row this batch just wrote, as in the run.
      await nameUniqueHolders(session, table, key, drafts);
      return drafts;
    });
  } catch (error) {
    // Half a check would show some of the rows' write errors as if it were all of them.
    return { writeCheck: uncheckedBecause(error), errors: [] };
  }
  return {
    writeCheck: { status: 'checked', message: 'The rows were written to the target in a transaction that was then rolled back: nothing was kept.' },
    errors,
  };
}

const LOCK_TIMEOUTS = { codes: ['55P03'], errnos: [1205] };
const STATEMENT_TIMEOUTS = { codes: ['57014'], errnos: [1969, 3024] };

function uncheckedBecause(error: unknown): WriteCheck {
  const { code, errno } = fieldsOf(error);
  const is = (kind: { codes: string[]; errnos: number[] }) => (code !== undefined && kind.codes.includes(code)) || (errno !== undefined && kind.errnos.includes(errno));
  if (is(LOCK_TIMEOUTS)) {
    return { status: 'locked', message: 'The target table is locked by another session; preview could not check the writes. Try again when the table is free.' };
  }
  if (is(STATEMENT_TIMEOUTS)) {
    return {
      status: 'timed_out',
      message: `Writing the rows took longer than ${PREVIEW_WRITE_LIMITS.statementTimeoutMs / 1000} s; preview could not check the writes.`,
    };
  }
  // The details are for the log: the browser gets the code.
  console.error('[preview] the write check failed', error);
  const reason = code ?? (errno !== undefined ? `error ${errno}` : 'see the server log');
  return { status: 'failed', message: `The target refused the write check (${reason}); preview could not check the writes.` };
}
