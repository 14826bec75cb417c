import type { KeyTuple, Row } from '../connectors/connector';
import type { WriteFailure } from './describe-write-error';

/** A row that did not land, before it is stored as an ErrorRow. */
export interface ErrorRowDraft {
  sourceKey: KeyTuple;
  sourceRow: Row;
  stage: 'read' | 'transform' | 'validate' | 'write';
  field: string | null;
  code: string;
  message: string;
  /** Every field problem of the row, for the preview. */
  allErrors?: { stage: string; field: string; code: string; message: string }[];
  /**
   * The target values a refused write carried (never stored): who holds a unique value the
   * row needed is looked up with them (unique-holder.ts).
   */
  targetValues?: Record<string, unknown>;
  /** An orphan's parent error row (resolve-references.ts), stored with the row. */
  parentErrorRowId?: number | null;
}

/** A row the target refused (its write, or the unique check before it), with the values it was written with. */
export function writeErrorDraft(row: { sourceKey: KeyTuple; sourceRow: Row; values: Record<string, unknown> }, failure: WriteFailure): ErrorRowDraft {
  return { sourceKey: row.sourceKey, sourceRow: row.sourceRow, stage: 'write', ...failure, targetValues: row.values };
}
