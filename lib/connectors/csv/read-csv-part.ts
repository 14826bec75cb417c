import { createReadStream } from 'node:fs';
import type { CsvPart } from './build-csv-index';
import type { CsvShape } from './csv-shape';
import { readCsvRecords, type CsvRawRecord } from './read-csv-records';

export type CsvRowErrorCode = 'too_few_fields' | 'too_many_fields' | 'invalid_encoding' | 'unclosed_quote';

export interface CsvPartRow {
  /** 1-based line on which the record starts. */
  line: number;
  /** The record's fields; null only when no fields could be told apart (an unclosed quote). */
  record: string[] | null;
  error?: { code: CsvRowErrorCode; message: string };
}

export type CsvPartShape = Pick<CsvShape, 'encoding' | 'delimiter' | 'quote' | 'escape' | 'columns'>;

/**
 * The rows of one part of a file (build-csv-index.ts), in batches, read on their own from the part's
 * byte range. A record that cannot be read as a row of the shape's columns is an error row
 * with its line, and reading goes on: wrong field count (the fields are kept, so the
 * analyst can see what shifted), invalid bytes for the encoding (the fields are kept with
 * U+FFFD for those bytes), and a quote never closed (the rest of the file was one field).
 */
export async function* readCsvPart(path: string, shape: CsvPartShape, part: CsvPart): AsyncGenerator<CsvPartRow[]> {
  if (part.endByte <= part.startByte) return;
  const input = createReadStream(path, { start: part.startByte, end: part.endByte - 1, highWaterMark: 64 * 1024 });
  const width = shape.columns.length;
  for await (const batch of readCsvRecords(input, shape, { byte: part.startByte, line: part.firstLine })) {
    // Rows go out in the reader's batches: a step through an async generator per row costs more than reading the row.
    yield batch.map((record) => toRow(record, width, shape.columns));
  }
}

function toRow(record: CsvRawRecord, width: number, columns: CsvPartShape['columns']): CsvPartRow {
  const { line, fields } = record;
  if (record.unclosedQuote) {
    return { line, record: null, error: { code: 'unclosed_quote', message: `line ${line}: a quoted field opens here and is never closed, so the rest of the file cannot be read as rows` } };
  }
  if (record.invalidFields.length > 0) {
    const names = record.invalidFields.map((i) => columns[i]?.name ?? `field ${i + 1}`).join(', ');
    return { line, record: fields, error: { code: 'invalid_encoding', message: `line ${line}: ${names} holds bytes that are not valid in the file's encoding` } };
  }
  if (width > 0 && fields.length < width) {
    return { line, record: fields, error: { code: 'too_few_fields', message: `line ${line}: ${fields.length} field${fields.length === 1 ? '' : 's'}, expected ${width}` } };
  }
  if (width > 0 && fields.length > width) {
    return { line, record: fields, error: { code: 'too_many_fields', message: `line ${line}: ${fields.length} fields, expected ${width} (an unquoted delimiter inside a value?)` } };
  }
  return { line, record: fields };
}
