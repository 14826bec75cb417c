import { Parser, type Options } from 'csv-parse';
import iconv from 'iconv-lite';
import type { CsvShape } from './csv-shape';
import { makeCsvFieldDecoder } from './decode-csv-field';

/** One record as read from bytes: where it is, its decoded fields, and what went wrong reading it. */
export interface CsvRawRecord {
  /** 1-based line on which the record starts (quoted line breaks count, so it is the line an editor shows). */
  line: number;
  /** The line after the record's last line. */
  nextLine: number;
  fields: string[];
  /** Indexes of fields whose bytes are not valid in the encoding. */
  invalidFields: number[];
  /** File offset just past the record and its line break: where the next record starts. */
  endByte: number;
  /**
   * A quote opened in this record is never closed: the record runs to the end of the input,
   * or past the field size limit, after which nothing more is parsed.
   */
  unclosedQuote: boolean;
}

/**
 * A field may not grow past this: without the limit an unclosed quote near the start of a
 * large file would hold the rest of the file in memory as one field.
 */
export const MAX_FIELD_BYTES = 16 * 1024 * 1024;

/** Thrown from csv-parse's error hook to stop it: the parse cannot continue past a runaway field. */
class StopParsing extends Error {}

export type CsvReadShape = Pick<CsvShape, 'encoding' | 'delimiter' | 'quote' | 'escape'>;

const LINE_BREAKS = ['\r\n', '\n', '\r'];
const NONE: number[] = [];
const NO_FIELDS: string[] = [];

/**
 * Reads records from a byte stream that starts at a record boundary (`start`: its file
 * offset and line), in batches (one per input chunk), never holding more than a chunk and
 * the record in progress. csv-parse parses the raw bytes (`encoding: null`), so a delimiter,
 * quote or line break is matched as a byte and its offsets (`info.bytes`) are offsets in
 * the input; fields are decoded afterwards, which is what lets an invalid byte sequence be
 * reported on its record instead of being silently replaced. UTF-16, where those characters
 * are not single bytes, is transcoded to UTF-8 first and each record's length is converted
 * back to UTF-16 bytes by counting its code units.
 *
 * Line numbers are counted here from the line breaks inside the fields (csv-parse counts a
 * quoted CRLF as two lines). Blank lines are not records: they only move the line number.
 * Any of CRLF, LF and CR ends a record, so one odd line ending cannot merge two records.
 */
export async function* readCsvRecords(
  input: AsyncIterable<Uint8Array>,
  shape: CsvReadShape,
  start: { byte: number; line: number },
  maxFieldBytes = MAX_FIELD_BYTES,
  /** Records whose fields are decoded; later ones come with no fields (an index needs only where records are). */
  decodedRecords = Infinity,
): AsyncGenerator<CsvRawRecord[]> {
  const transcoded = shape.encoding === 'utf-16le' || shape.encoding === 'utf-16be';
  const transcoder = transcoded ? iconv.getDecoder(shape.encoding, { stripBOM: false }) : null;
  const units = transcoded ? new CodeUnitCounter() : null;
  const decode = makeCsvFieldDecoder(shape.encoding);
  let parsedUpTo = 0;
  let decoded = 0;
  let byte = start.byte;
  let line = start.line;
  let readBytes = 0;
  let batch: CsvRawRecord[] = [];
  const stopped: { at: CsvRawRecord | null } = { at: null };

  const onRecord = (fields: Uint8Array[], endOffset: number) => {
    const length = endOffset - parsedUpTo;
    parsedUpTo = endOffset;
    byte += units ? units.take(length) * 2 : length;
    const blank = fields.length === 1 && fields[0].length === 0 && length <= 2;
    // Line breaks inside fields move the line number; every supported encoding decodes CR and LF as themselves.
    let breaks = 0;
    let invalidFields: number[] = NONE;
    if (decoded >= decodedRecords) {
      for (const bytes of fields) if (bytes.includes(0x0a) || bytes.includes(0x0d)) breaks += countLineBreaks(bytes);
      const nextLine = line + breaks + 1;
      if (!blank) batch.push({ line, nextLine, fields: NO_FIELDS, invalidFields: NONE, endByte: byte, unclosedQuote: false });
      line = nextLine;
      return;
    }
    if (!blank) decoded++;
    const texts = new Array<string>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const text = decode.text(fields[i]);
      texts[i] = text;
      if (text.includes('\ufffd') && decode.invalid(fields[i], text)) invalidFields = [...invalidFields, i];
      if (text.includes('\n') || text.includes('\r')) breaks += countLineBreaks(fields[i]);
    }
    const nextLine = line + breaks + 1;
    if (!blank) batch.push({ line, nextLine, fields: texts, invalidFields, endByte: byte, unclosedQuote: false });
    line = nextLine;
  };

  const parser = new RecordParser(onRecord, {
    encoding: null,
    bom: false,
    delimiter: shape.delimiter,
    quote: shape.quote,
    escape: shape.escape,
    record_delimiter: LINE_BREAKS,
    relax_column_count: true,
    // A stray quote inside an unquoted field (5" screen) is text, as spreadsheets read it.
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: maxFieldBytes,
    // The only errors left with these options: a quote still open at the end of the input,
    // or one open for longer than any real field.
    on_skip: (error) => {
      if (error?.code === 'CSV_QUOTE_NOT_CLOSED') {
        batch.push({ line, nextLine: line, fields: [], invalidFields: [], endByte: start.byte + readBytes, unclosedQuote: true });
      } else if (error?.code === 'CSV_MAX_RECORD_SIZE') {
        stopped.at = { line, nextLine: line, fields: [], invalidFields: [], endByte: start.byte + readBytes, unclosedQuote: true };
        batch.push(stopped.at);
        throw new StopParsing();
      }
      return undefined;
    },
  });
  parser.resume(); // records are taken as they are parsed, so nothing is queued; this only lets 'end' come
  const ended = new Promise<void>((resolve, reject) => {
    parser.once('end', resolve);
    parser.once('error', (error) => (error instanceof StopParsing ? resolve() : reject(error)));
  });
  const write = (bytes: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      parser.write(bytes, (error) => (error && !(error instanceof StopParsing) ? reject(error) : resolve()));
    });
  const feed = async (chunk: Uint8Array) => {
    if (stopped.at !== null) return;
    const bytes = transcoder ? Buffer.from(transcoder.write(Buffer.from(chunk)), 'utf8') : chunk;
    units?.push(bytes);
    if (bytes.length > 0) await write(bytes);
  };

  for await (const chunk of input) {
    readBytes += chunk.length;
    await feed(chunk);
    if (batch.length > 0 && stopped.at === null) {
      yield batch;
      batch = [];
    }
  }
  if (stopped.at === null) {
    const rest = transcoder?.end();
    if (rest) await feed(Buffer.from(rest, 'utf8'));
    parser.end();
  }
  await ended;
  // After a runaway field the input is still read to its end (unparsed): its record ends there.
  if (stopped.at !== null) stopped.at.endByte = start.byte + readBytes;
  if (batch.length > 0) yield batch;
}

/**
 * csv-parse's stream parser, taking each record where it is parsed: `info.bytes` is then
 * the record's end. (Its `info` and `on_record` options build an info object per record,
 * which doubles the parse time of a large file.)
 */
class RecordParser extends Parser {
  constructor(
    private readonly onRecord: (fields: Uint8Array[], endOffset: number) => void,
    options: Options,
  ) {
    super(options);
    // csv-parse builds an error object (message, position) for every record whose width differs
    // from the first record's, before relax_column_count lets it pass: a broken first line
    // would cost that on every later record. Widths are judged by read-csv-part.ts instead.
    const api = (this as unknown as { api: { state: { record: unknown[]; expectedRecordLength: number }; __onRecord: (push: unknown) => unknown } }).api;
    const judged = api.__onRecord;
    api.__onRecord = function (this: typeof api, push: unknown) {
      this.state.expectedRecordLength = this.state.record.length;
      return judged.call(this, push);
    };
  }

  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    this.onRecord(record as Uint8Array[], this.info.bytes);
    return true;
  }
}

function countLineBreaks(bytes: Uint8Array): number {
  let breaks = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x0a) breaks++;
    else if (byte === 0x0d && bytes[i + 1] !== 0x0a) breaks++;
  }
  return breaks;
}

/** UTF-16 code units in the next n bytes of a UTF-8 stream: one per character, two for those past U+FFFF. */
class CodeUnitCounter {
  private readonly chunks: Uint8Array[] = [];
  private head = 0;

  push(bytes: Uint8Array) {
    if (bytes.length > 0) this.chunks.push(bytes);
  }

  take(count: number): number {
    let units = 0;
    let left = count;
    while (left > 0 && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const end = Math.min(chunk.length, this.head + left);
      for (let i = this.head; i < end; i++) {
        const byte = chunk[i];
        if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
      }
      left -= end - this.head;
      this.head = end;
      if (this.head === chunk.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    return units;
  }
}
