import type { Connector, CursorPosition, CursorProbe, CursorReadSpec } from '../../connectors/connector';
import { advanceCursor } from './advance-cursor';
import { type CursorFinding, type CursorRunOptions, type CursorRunPlan, planCursorRun } from './plan-cursor-run';

/**
 * One run of a sync in "incremental by cursor" mode: the changed rows of one source table,
 * batch by batch, with the checkpoint to store after each.
 *
 * API for the sync job kind:
 *
 *   for await (const event of readCursorChanges(source, spec, storedCheckpoint, { batchSize, lagMs })) {
 *     if (event.type === 'planned') { report event.findings; continue }   // always first, once
 *     // event.rows: value arrays in withKeyColumns(spec.keyColumns, spec.columns) order, the
 *     // shape readRangeArrays gives the copy engine: map them and write them through the
 *     // engine's write path (upserts on the target key), then, in the same transaction as the
 *     // run's counters, store event.checkpoint. Only then pull the next event.
 *   }
 *
 * - The checkpoint is a CursorPosition (canonical cursor text + key tuple), plain JSON: store it
 *   as is; null means "from the start". To follow a full load (or start "from now"), plan
 *   before the load begins (probe + planCursorRun(null, …)) and start from
 *   { cursor: that plan's upTo, key: any key of the table, e.g. keyBounds' first }: every row
 *   at or below that bound was committed before the load read it (the lag's premise), and the
 *   rows above it are read by cursor, some again, harmlessly.
 * - Rows are read strictly after (cursor, key…) of the checkpoint, so equal cursor values across
 *   a batch boundary are each read once; a run stops at the bound planned at its start
 *   (plan-cursor-run.ts), so rows changed while it reads are left to the next run.
 * - A run reads a row again only if the caller stops before storing a batch's checkpoint: the
 *   next run then starts from the last stored one (at least once; writes are upserts).
 * - Findings (a cursor moving backwards, future stamps, NULL cursors) never stop a run: the
 *   caller records them for the user. They are computed at the start only.
 * - The delay gauge: a batch's cursors[0] is the oldest change about to be applied.
 * - Deletes are not seen by a cursor: key reconciliation or a soft-delete column finds them.
 */

export interface CursorReadOptions extends CursorRunOptions {
  batchSize: number;
}

export type CursorRunEvent =
  | { type: 'planned'; probe: CursorProbe; plan: CursorRunPlan; findings: CursorFinding[] }
  | {
      type: 'batch';
      rows: unknown[][];
      /** Each row's cursor value (canonical text). */
      cursors: string[];
      /** Store this once the batch's rows are committed in the target. */
      checkpoint: CursorPosition;
    };

export async function* readCursorChanges(
  connector: Connector,
  spec: CursorReadSpec,
  checkpoint: CursorPosition | null,
  options: CursorReadOptions,
): AsyncGenerator<CursorRunEvent> {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer');
  if (!connector.cursorReader) throw new Error(`A ${connector.kind} source cannot be read by cursor`);
  const reader = connector.cursorReader(spec);

  const probe = await reader.probe();
  const plan = planCursorRun(checkpoint, probe, options);
  const findings = [...plan.findings];
  if (plan.futureAbove !== null) {
    const rows = await reader.countAbove(plan.futureAbove);
    if (rows > 0) findings.push({ code: 'future_cursor', rows, above: plan.futureAbove });
  }
  yield { type: 'planned', probe, plan, findings };

  const upTo = plan.upTo;
  if (upTo === null) return;
  let position = checkpoint;
  for (;;) {
    const batch = await reader.readAfter(position, upTo, batchSize);
    position = advanceCursor(position, batch, upTo, plan.kind);
    if (!position || batch.rows.length === 0) return;
    yield { type: 'batch', rows: batch.rows, cursors: batch.cursors, checkpoint: position };
    if (batch.rows.length < batchSize) return;
  }
}
