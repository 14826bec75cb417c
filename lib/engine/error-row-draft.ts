import type { KeyTuple, Row } from '../connectors/connector';

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
}
