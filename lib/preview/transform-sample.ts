import type { ColumnInfo, Row } from '../connectors/connector';
import type { ErrorRowDraft } from '../engine/error-row-draft';
import { makeBatchTransformer } from '../engine/transform-rows';
import type { MappingSpec } from '../schemas/mapping-spec';

/**
 * The CPU part of a preview: the engine's own batch transformer over the sample rows,
 * row by row, in a preview thread (preview-thread.ts). What it is in the middle of is kept
 * in a shared array the request's thread can read after stopping it (describeProgress).
 */
export interface SampleTask {
  spec: MappingSpec;
  targetColumns: ColumnInfo[];
  sourceColumns: ColumnInfo[];
  rows: Row[];
  /** Int32Array over it: [row, field, step], -1 when not started. */
  progress: SharedArrayBuffer;
}

/** Per sample row, in order: left out by the filters, mapped, or failed. */
export type SampleOutcome =
  | { kind: 'out_of_scope' }
  | { kind: 'mapped'; values: Record<string, unknown>; targetKeyText: string }
  | { kind: 'failed'; error: Omit<ErrorRowDraft, 'sourceRow'> };

export const PROGRESS_SLOTS = 3;

export function newProgress(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(PROGRESS_SLOTS * Int32Array.BYTES_PER_ELEMENT);
  new Int32Array(buffer).fill(-1);
  return buffer;
}

export function transformSample(task: SampleTask): SampleOutcome[] {
  const progress = new Int32Array(task.progress);
  const transform = makeBatchTransformer(task.spec, task.targetColumns, task.sourceColumns, {
    trace: (field, step) => {
      Atomics.store(progress, 1, field);
      Atomics.store(progress, 2, step);
    },
  });
  return task.rows.map((row, index): SampleOutcome => {
    Atomics.store(progress, 0, index);
    Atomics.store(progress, 1, -1);
    Atomics.store(progress, 2, -1);
    const batch = transform([row]);
    if (batch.rows.length > 0) return { kind: 'mapped', values: batch.rows[0].values, targetKeyText: batch.rows[0].targetKeyText };
    if (batch.errors.length > 0) {
      const { sourceRow: _sourceRow, ...error } = batch.errors[0];
      return { kind: 'failed', error };
    }
    return { kind: 'out_of_scope' };
  });
}

/** Where a stopped task was: the row's index, and the field and step when inside one. */
export function readProgress(buffer: SharedArrayBuffer): { row: number; field: number; step: number } {
  const progress = new Int32Array(buffer);
  return { row: Atomics.load(progress, 0), field: Atomics.load(progress, 1), step: Atomics.load(progress, 2) };
}
