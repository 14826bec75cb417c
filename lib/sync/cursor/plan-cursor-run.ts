import type { CursorKind, CursorPosition, CursorProbe } from '../../connectors/connector';
import { assertCursorValue, compareCursor, cursorAtInstant, instantMillis } from './cursor-value';

/**
 * What one cursor run reads, decided from the stored checkpoint and the source's state at
 * the run's start (CursorReader.probe). Pure.
 *
 * The upper bound:
 * - timestamps: the SOURCE database's clock minus the lag, in the cursor's terms (a wall time
 *   in the connection's zone for a timestamp without zone). A transaction that stamped its
 *   rows before a later one and commits after it is still read, as long as it commits within
 *   the lag (PostgreSQL's now() is the transaction's start: the lag must exceed the longest
 *   writing transaction). The bound stays at now − lag even when rows carry future stamps
 *   (clock skew): reading them now would move the checkpoint past changes still to come with
 *   smaller stamps; they are read once the clock reaches them, and reported meanwhile.
 * - integers: the largest value at the run's start; no lag applies (an id has no clock). Rows
 *   added while the run reads wait for the next run. An id drawn before another but committed
 *   after it past the checkpoint is missed, as with any integer cursor: key reconciliation
 *   (issue 18 item 3) finds such rows; prefer a timestamp cursor where writers overlap.
 */

export const DEFAULT_CURSOR_LAG_MS = 5_000;
/** Rows stamped more than this past the source's clock are reported as future rows. */
export const DEFAULT_FUTURE_TOLERANCE_MS = 1_000;

export interface CursorRunOptions {
  /** Safety lag for timestamp cursors; default DEFAULT_CURSOR_LAG_MS. */
  lagMs?: number;
  futureToleranceMs?: number;
}

/** Something the user must be told about a run; none of them stops it. */
export type CursorFinding =
  /** The source's largest cursor is below the checkpoint: a restored backup, a clock set back, or the newest rows deleted. */
  | { code: 'cursor_moved_back'; checkpoint: string; sourceMax: string | null }
  /** The source's clock is behind the checkpoint (set back, or a wall-time zone's repeated hour): rows it stamps now sort before the checkpoint. */
  | { code: 'clock_behind_checkpoint'; checkpoint: string; sourceNow: string }
  /** Rows stamped past the source's clock plus the tolerance: not read until the clock reaches them. */
  | { code: 'future_cursor'; rows: number; above: string }
  /** Rows without a cursor value: a cursor run never reads them. */
  | { code: 'null_cursor'; rows: number };

export interface CursorRunPlan {
  kind: CursorKind;
  /** Read strictly after this position; null: from the start. */
  from: CursorPosition | null;
  /** Read cursor values up to this one, included; null: nothing to read this run. */
  upTo: string | null;
  /** Timestamp cursors: count the rows above this value as future rows (null for integers). */
  futureAbove: string | null;
  findings: CursorFinding[];
}

function nonNegative(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${what} must be a non-negative number of milliseconds`);
  return v;
}

export function planCursorRun(checkpoint: CursorPosition | null, source: CursorProbe, options: CursorRunOptions = {}): CursorRunPlan {
  const lagMs = nonNegative(options.lagMs, DEFAULT_CURSOR_LAG_MS, 'The lag');
  const toleranceMs = nonNegative(options.futureToleranceMs, DEFAULT_FUTURE_TOLERANCE_MS, 'The future tolerance');
  const { kind } = source;
  const findings: CursorFinding[] = [];
  if (checkpoint) assertCursorValue(checkpoint.cursor, kind);
  if (source.nullCursorRows > 0) findings.push({ code: 'null_cursor', rows: source.nullCursorRows });
  if (checkpoint && (source.max === null || compareCursor(source.max, checkpoint.cursor, kind) < 0)) {
    findings.push({ code: 'cursor_moved_back', checkpoint: checkpoint.cursor, sourceMax: source.max });
  }

  let upTo: string | null;
  let futureAbove: string | null = null;
  if (kind === 'integer') {
    upTo = source.max;
  } else {
    const now = instantMillis(source.now);
    upTo = cursorAtInstant(now - lagMs, kind, source.zone);
    futureAbove = cursorAtInstant(now + toleranceMs, kind, source.zone);
    const nowInCursorTerms = cursorAtInstant(now, kind, source.zone);
    if (checkpoint && compareCursor(checkpoint.cursor, nowInCursorTerms, kind) > 0) {
      findings.push({ code: 'clock_behind_checkpoint', checkpoint: checkpoint.cursor, sourceNow: nowInCursorTerms });
    }
  }
  // Rows past the checkpoint all sort above it: a bound below it leaves nothing to read.
  if (upTo !== null && checkpoint && compareCursor(upTo, checkpoint.cursor, kind) < 0) upTo = null;
  return { kind, from: checkpoint, upTo, futureAbove, findings };
}

/** One sentence per finding, for the sync page and the run's log. */
export function describeCursorFinding(finding: CursorFinding): string {
  switch (finding.code) {
    case 'cursor_moved_back':
      return (
        `The source's newest cursor value (${finding.sourceMax ?? 'none'}) is below the checkpoint (${finding.checkpoint}): ` +
        'a restored backup, a clock set back, or the newest rows deleted. Rows stamped below the checkpoint are not read; a full re-sync reads them.'
      );
    case 'clock_behind_checkpoint':
      return (
        `The source's clock (${finding.sourceNow}) is behind the checkpoint (${finding.checkpoint}): ` +
        'rows changed now get values below it and are not read until the clock passes it again.'
      );
    case 'future_cursor':
      return `${finding.rows} rows carry a cursor value past the source's clock (above ${finding.above}); they are read once the clock reaches them.`;
    case 'null_cursor':
      return `${finding.rows} rows have no cursor value and are never read by a cursor sync.`;
  }
}
