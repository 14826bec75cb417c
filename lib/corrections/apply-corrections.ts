import { UNREADABLE } from '../connectors/unreadable-row';
import type { KeyTuple, Row } from '../connectors/connector';
import { keyText, toKeyValue } from '../engine/key-text';
import { loadCorrectedKeys, loadCorrections, type CorrectionScope, type RowCorrection } from './load-corrections';

/** Where corrections come from (row_corrections; a test gives its own). */
export interface CorrectionStore {
  keys(scope: CorrectionScope): Promise<{ mappingId: string | null; keyTexts: Set<string> }>;
  rows(mappingId: string, keyTexts: string[]): Promise<Map<string, RowCorrection>>;
}

const database: CorrectionStore = { keys: loadCorrectedKeys, rows: loadCorrections };

/**
 * Substitutes corrected rows for the source rows of corrected keys, batch by batch. It
 * loads the mapping's corrected key texts once (one corrector per chunk, verify range or
 * repair), so a batch with no corrected key costs a look-up per row in memory; corrected
 * rows are read in one query per batch that has any.
 *
 * A corrected row keeps the fresh source key, and the fresh value of any column it does
 * not have (one the mapping reads since): the correction overrides what it holds.
 */
export interface Corrector {
  /** Source rows as objects: corrected in place (and returned). */
  rows(rows: Row[]): Promise<Row[]>;
  /** Source rows as value arrays in the `arrayColumns` order: corrected in place. */
  arrays(rows: unknown[][]): Promise<void>;
  /** Key texts of the rows corrected so far. */
  readonly applied: ReadonlySet<string>;
  /** The corrections no batch has met so far. */
  notApplied(): Promise<RowCorrection[]>;
}

export function makeCorrector(
  scope: CorrectionScope,
  shape: { keyColumns: string[]; arrayColumns?: string[] },
  store: CorrectionStore = database,
): Corrector {
  let known: Promise<{ mappingId: string | null; keyTexts: Set<string> }> | null = null;
  const keys = () => (known ??= store.keys(scope));
  const applied = new Set<string>();
  const columns = shape.arrayColumns ?? [];
  const keyAt = shape.keyColumns.map((c) => columns.indexOf(c));

  /** The corrections of the given keys (texts of rows of one batch), when there are any. */
  const correctionsOf = async <T>(rows: T[], keyOf: (row: T) => KeyTuple): Promise<{ texts: string[]; found: Map<string, RowCorrection> } | null> => {
    const { mappingId, keyTexts } = await keys();
    if (!mappingId || keyTexts.size === 0) return null;
    const texts = rows.map((row) => keyText(keyOf(row)));
    const hits = texts.filter((t) => keyTexts.has(t));
    if (hits.length === 0) return null;
    return { texts, found: await store.rows(mappingId, hits) };
  };

  return {
    applied,
    async rows(rows) {
      const hits = await correctionsOf(rows, (row) => shape.keyColumns.map((c) => toKeyValue(row[c])));
      if (!hits) return rows;
      rows.forEach((row, i) => {
        const correction = hits.found.get(hits.texts[i]);
        if (!correction) return;
        rows[i] = correctedRow(row, correction, shape.keyColumns);
        applied.add(hits.texts[i]);
      });
      return rows;
    },
    async arrays(rows) {
      if (keyAt.some((i) => i < 0)) throw new Error('makeCorrector: arrayColumns must hold the key columns');
      const hits = await correctionsOf(rows, (row) => keyAt.map((i) => toKeyValue(row[i])));
      if (!hits) return;
      rows.forEach((row, i) => {
        const correction = hits.found.get(hits.texts[i]);
        if (!correction) return;
        rows[i] = correctedArray(columns, row, correction, keyAt);
        applied.add(hits.texts[i]);
      });
    },
    async notApplied() {
      const { mappingId, keyTexts } = await keys();
      const rest = [...keyTexts].filter((t) => !applied.has(t));
      if (!mappingId || rest.length === 0) return [];
      return [...(await store.rows(mappingId, rest)).values()];
    },
  };
}

/** The corrected values over the fresh source row; the key stays the source's. */
export function correctedRow(fresh: Row, correction: RowCorrection, keyColumns: string[]): Row {
  const row: Row = { ...fresh, ...correction.sourceRow };
  for (const column of keyColumns) row[column] = fresh[column];
  // A record that could not be read (a CSV line with a field too many) reads as the analyst corrected it.
  delete row[UNREADABLE];
  return row;
}

export function correctedArray(columns: string[], fresh: readonly unknown[], correction: RowCorrection, keyAt: number[]): unknown[] {
  const corrected = correction.sourceRow;
  return columns.map((column, i) => (!keyAt.includes(i) && Object.hasOwn(corrected, column) ? corrected[column] : fresh[i]));
}
