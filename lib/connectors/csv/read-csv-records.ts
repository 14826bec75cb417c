import { isUtf8 } from 'node:buffer';
import { Parser, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
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
 * the record in progress. csv-parse parses the raw bytes, so a delimiter, quote or line break
 * is matched as a byte and its offsets (`info.bytes`) are offsets in the input; it decodes
 * each field at its end (UTF-8, Latin-1) or hands out its bytes for iconv (Windows-1252). An
 * invalid byte sequence is reported on its record instead of being silently replaced: a
 * field decoded with U+FFFD sends its record's bytes (held from the input until the record
 * ends) to a check, which tells a real U+FFFD from invalid bytes. UTF-16, where those characters
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
  /**
   * Whether the fields of the next record (0-based, blank lines not counted) are wanted;
   * records whose fields are not come with none (an index needs mostly where records are).
   */
  fieldsWanted: (record: number) => boolean = () => true,
): AsyncGenerator<CsvRawRecord[]> {
  const transcoded = shape.encoding === 'utf-16le' || shape.encoding === 'utf-16be';
  const transcoder = transcoded ? iconv.getDecoder(shape.encoding, { stripBOM: false }) : null;
  const units = transcoded ? new CodeUnitCounter() : null;
  // The parser decodes fields itself where Node has the encoding (UTF-16 reaches it as UTF-8):
  // byte fields cost two copies each and run the parse at less than half the speed.
  const textEncoding = shape.encoding === 'iso-8859-1' ? 'latin1' : shape.encoding === 'windows-1252' ? null : 'utf8';
  const decode = makeCsvFieldDecoder(shape.encoding);
  const held = textEncoding === 'utf8' ? new HeldBytes() : null;
  let parsedUpTo = 0;
  let records = 0; // non-blank records so far
  let byte = start.byte;
  let line = start.line;
  let readBytes = 0;
  let batch: CsvRawRecord[] = [];
  const stopped: { at: CsvRawRecord | null } = { at: null };

  const onRecord = (fields: (Uint8Array | string)[], endOffset: number) => {
    const recordStart = parsedUpTo;
    const length = endOffset - parsedUpTo;
    parsedUpTo = endOffset;
    byte += units ? units.take(length) * 2 : length;
    const blank = fields.length === 1 && fields[0].length === 0 && length <= 2;
    // Line breaks inside fields move the line number; every supported encoding decodes CR and LF as themselves.
    let breaks = 0;
    let invalidFields: number[] = NONE;
    const wanted = blank || fieldsWanted(records);
    if (!blank) records++;
    if (!wanted) {
      for (const field of fields) if (hasLineBreak(field)) breaks += countLineBreaks(field);
      const nextLine = line + breaks + 1;
      if (!blank) batch.push({ line, nextLine, fields: NO_FIELDS, invalidFields: NONE, endByte: byte, unclosedQuote: false });
      line = nextLine;
      held?.drop(parsedUpTo);
      return;
    }
    const texts = new Array<string>(fields.length);
    let replaced = false;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      const text = typeof field === 'string' ? field : decode.text(field);
      texts[i] = text;
      if (text.includes('\ufffd')) {
        if (typeof field === 'string') replaced = true;
        else if (decode.invalid(field, text)) invalidFields = [...invalidFields, i];
      }
      if (hasLineBreak(text)) breaks += countLineBreaks(text);
    }
    // A U+FFFD decoded by the parser is a real one or stands for invalid bytes: only the record's bytes tell.
    if (replaced && held) invalidFields = invalidUtf8Fields(held.take(recordStart, endOffset), shape, texts);
    held?.drop(parsedUpTo);
    const nextLine = line + breaks + 1;
    if (!blank) batch.push({ line, nextLine, fields: texts, invalidFields, endByte: byte, unclosedQuote: false });
    line = nextLine;
  };

  const parser = new RecordParser(onRecord, {
    encoding: textEncoding,
    bom: false,
    ...dialectOptions(shape),
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
    held?.push(bytes);
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
    private readonly onRecord: (fields: (Uint8Array | string)[], endOffset: number) => void,
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
    this.onRecord(record as (Uint8Array | string)[], this.info.bytes);
    return true;
  }
}

/** How records and fields are told apart, for the stream and for a record read again. */
function dialectOptions(shape: CsvReadShape): Options {
  return {
    delimiter: shape.delimiter,
    quote: shape.quote,
    escape: shape.escape,
    record_delimiter: LINE_BREAKS,
    relax_column_count: true,
    // A stray quote inside an unquoted field (5" screen) is text, as spreadsheets read it.
    relax_quotes: true,
  };
}

/** Line breaks in a field (CRLF counts once), from its bytes or its text. */
function countLineBreaks(field: Uint8Array | string): number {
  let breaks = 0;
  const code = typeof field === 'string' ? (i: number) => field.charCodeAt(i) : (i: number) => field[i];
  for (let i = 0; i < field.length; i++) {
    const unit = code(i);
    if (unit === 0x0a) breaks++;
    else if (unit === 0x0d && code(i + 1) !== 0x0a) breaks++;
  }
  return breaks;
}

const hasLineBreak = (field: Uint8Array | string) =>
  typeof field === 'string' ? field.includes('\n') || field.includes('\r') : field.includes(0x0a) || field.includes(0x0d);

/**
 * Which fields of a record whose text holds U+FFFD were invalid UTF-8: none when the
 * record's bytes are valid (the file holds a real U+FFFD), otherwise those whose own bytes
 * are not, found by parsing the record's bytes again byte by byte (rare, so its cost does
 * not matter).
 */
function invalidUtf8Fields(recordBytes: Uint8Array, shape: CsvReadShape, texts: string[]): number[] {
  if (isUtf8(recordBytes)) return NONE;
  const [fields] = parseSync(Buffer.from(recordBytes.buffer, recordBytes.byteOffset, recordBytes.byteLength), {
    encoding: null,
    ...dialectOptions(shape),
    to: 1,
  }) as unknown as Uint8Array[][];
  const invalid: number[] = [];
  if (fields?.length === texts.length) {
    fields.forEach((field, i) => {
      if (!isUtf8(field)) invalid.push(i);
    });
  }
  return invalid.length > 0 ? invalid : texts.flatMap((text, i) => (text.includes('\ufffd') ? [i] : []));
}

/** The parser's input from the start of the record in progress on, to read a record's bytes again. */
class HeldBytes {
  private readonly chunks: Uint8Array[] = [];
  /** Parser offset of the first held byte. */
  private start = 0;

  push(bytes: Uint8Array) {
    if (bytes.length > 0) this.chunks.push(bytes);
  }

  /** Forgets the chunks that end at or before `offset`. */
  drop(offset: number) {
    while (this.chunks.length > 1 && this.start + this.chunks[0].length <= offset) this.start += this.chunks.shift()!.length;
  }

  take(from: number, to: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let at = this.start;
    for (const chunk of this.chunks) {
      const end = at + chunk.length;
      if (end > from && at < to) parts.push(chunk.subarray(Math.max(0, from - at), Math.min(chunk.length, to - at)));
      at = end;
    }
    return Buffer.concat(parts);
  }
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
