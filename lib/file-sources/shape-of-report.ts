import type { CsvShape, CsvShapeReport } from '../connectors/csv/csv-shape';

/** The shape a report describes, without its preview and notes: what a file row stores. */
export function shapeOfReport(report: CsvShapeReport): CsvShape {
  const { encoding, bom, delimiter, quote, escape, headerRow, columns } = report;
  return { encoding, bom, delimiter, quote, escape, headerRow, columns };
}
