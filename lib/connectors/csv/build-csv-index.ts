import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { trackAscendingColumns } from './ascending-columns';
import type { CsvShape } from './csv-shape';
import { bomLength } from './detect-csv-encoding';
import { readCsvRecords } from './read-csv-records';

/** A byte range of the file holding whole records: a worker reads it alone (readCsvPart). */
export interface CsvPart {
  /** File offset of the part's first byte: always the start of a record (or of blank lines before one). */
  startByte: number;
  /** File offset just past the part's last byte. */
  endByte: number;
  /** 1-based line of startByte. */
  firstLine: number;
  /** 0-based index, among the file's data records, of the part's first record. */
  firstRecord: number;
  records: number;
  /** 1-based line on which the part's last record starts. */
  lastLine: number;
}

export interface CsvIndex {
  parts: CsvPart[];
  /** Data records in the file (after the header; a record that cannot be read counts: it becomes an error row). */
  records: number;
  bytes: number;
  /** The header row's cells as written (empty when the shape has no header row). */
  header: string[];
  /** Integer columns filled and strictly ascending over every record that reads as a row (ascending-columns.ts). */
  ascendingColumns: string[];
}

/** Without columns (a shape still being detected) no column is followed. */
export type CsvIndexShape = Pick<CsvShape, 'encoding' | 'bom' | 'delimiter' | 'quote' | 'escape' | 'headerRow'> & Partial<Pick<CsvShape, 'columns'>>;

/**
 * Reads the file once, as a stream, and splits its data records into parts of
 * `rowsPerPart` records, each cut where a record ends (a quoted line break never splits a
 * part, since the cut comes from the parser). The records before the header row (title
 * lines) and the header itself belong to no part. The last part runs to the end of the file.
 */
export async function buildCsvIndex(source: string | Readable, shape: CsvIndexShape, options: { rowsPerPart: number }): Promise<CsvIndex> {
  if (!Number.isInteger(options.rowsPerPart) || options.rowsPerPart < 1) throw new RangeError('rowsPerPart must be a positive integer');
  const skip = shape.bom ? bomLength(shape.encoding) : 0;
  const input = typeof source === 'string' ? createReadStream(source, { start: skip, highWaterMark: 256 * 1024 }) : source;
  const counted = { bytes: typeof source === 'string' ? skip : 0 };
  const parts: CsvPart[] = [];
  let header: string[] = [];
  let leading = 0; // records seen up to the header
  let records = 0;
  let boundary = { byte: skip, line: 1 }; // where the next part would start
  let open: CsvPart | null = null;
  let end = skip;

  const columns = shape.columns ?? [];
  const ascending = trackAscendingColumns(columns);
  const headerRecords = (shape.headerRow ?? -1) + 1;
  const fieldsWanted = (record: number) => record < headerRecords || ascending.active;
  for await (const batch of readCsvRecords(countAndSkip(input, counted, typeof source === 'string' ? 0 : skip), shape, { byte: skip, line: 1 }, undefined, fieldsWanted)) {
    for (const record of batch) {
      end = record.endByte;
      if (shape.headerRow !== null && leading <= shape.headerRow) {
        if (leading === shape.headerRow) header = record.fields;
        leading++;
        boundary = { byte: record.endByte, line: record.nextLine };
        continue;
      }
      if (ascending.active && record.fields.length === columns.length && record.invalidFields.length === 0 && !record.unclosedQuote) ascending.add(record.fields);
      open ??= { startByte: boundary.byte, endByte: boundary.byte, firstLine: boundary.line, firstRecord: records, records: 0, lastLine: record.line };
      open.records++;
      open.lastLine = record.line;
      records++;
      boundary = { byte: record.endByte, line: record.nextLine };
      if (open.records === options.rowsPerPart) {
        open.endByte = record.endByte;
        parts.push(open);
        open = null;
      }
    }
  }
  const bytes = Math.max(end, counted.bytes);
  if (open !== null) parts.push(open);
  // Blank lines after the last record still belong to a part, so parts cover the data to the end.
  if (parts.length > 0) parts[parts.length - 1].endByte = bytes;
  return { parts, records, bytes, header, ascendingColumns: ascending.names() };
}

/** The input without its first `skip` bytes (a byte order mark), counting every byte read. */
async function* countAndSkip(input: AsyncIterable<Buffer | Uint8Array>, counted: { bytes: number }, skip: number): AsyncGenerator<Uint8Array> {
  let left = skip;
  for await (const chunk of input) {
    counted.bytes += chunk.length;
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}
