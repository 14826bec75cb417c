import type { CsvColumn, CsvShape } from '../connectors/csv/csv-shape';
import type { CsvColumnOverride, CsvShapeOverrides } from '../schemas/file-source';

/**
 * Detected columns with the analyst's choices laid over them, as the sparse list
 * detectCsvShape takes: a hole leaves that column detected (and its choice says so).
 * A new type without a format drops the detected format, which belonged to the old type.
 */
export function mergeColumnOverrides(detected: readonly CsvColumn[], overrides: readonly (CsvColumnOverride | null | undefined)[]): CsvColumn[] {
  const merged: CsvColumn[] = [];
  overrides.forEach((override, i) => {
    const column = detected[i];
    if (!override || !column) return;
    const { format: detectedFormat, ...rest } = column;
    const keepFormat = override.format === undefined && (override.type === undefined || override.type === column.type);
    const format = override.format ?? (keepFormat ? detectedFormat : undefined);
    merged[i] = { ...rest, ...stripUndefined(override), ...(format === undefined ? {} : { format }) };
  });
  return merged;
}

function stripUndefined(override: CsvColumnOverride): Partial<CsvColumn> {
  return Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined));
}

/** A confirmed shape as choices to detect under, so a file's report shows it as it is read. */
export function shapeAsOverrides(shape: CsvShape): CsvShapeOverrides {
  return {
    encoding: shape.encoding,
    bom: shape.bom,
    delimiter: shape.delimiter,
    quote: shape.quote,
    escape: shape.escape,
    headerRow: shape.headerRow,
    columns: shape.columns.map((column) => ({
      name: column.name,
      type: column.type,
      nullable: column.nullable,
      ...(column.format === undefined ? {} : { format: column.format }),
    })),
  };
}
