import iconv from 'iconv-lite';
import { chooseCsvDelimiter, delimiterName, modalWidth } from './choose-csv-delimiter';
import { chooseCsvQuote } from './choose-csv-quote';
import { findHeaderCandidate, judgeHeaderCandidate, type ChosenHeaderRow } from './choose-header-row';
import type { CsvChoice, CsvColumn, CsvShape, CsvShapeReport } from './csv-shape';
import { bomLength, detectCsvEncoding, label } from './detect-csv-encoding';
import { inferColumnType, type InferredColumnType } from './infer-column-type';
import { nameCsvColumns } from './name-csv-columns';
import { parseCsvText } from './parse-csv-text';

const SAMPLE_RECORDS = 1000;
const PREVIEW_RECORDS = 20;
const SAMPLE_VALUES = 5;

export interface DetectCsvShapeOptions {
  /** The sample is the start of a longer file: its last line may be cut, so it is left out. */
  truncated?: boolean;
}

const detected = (confidence: number, note: string): CsvChoice => ({ confidence, note, overridden: false });
const overridden = (note: string): CsvChoice => ({ confidence: 1, note, overridden: true });

/**
 * The shape of a CSV file from its first bytes: encoding, delimiter, quote and escape,
 * header row and each column's name and type, with how sure each choice is and why, and
 * the first records as they read with it. Each choice the analyst made in `overrides` wins
 * and the choices after it are detected under it (a different delimiter, different columns).
 */
export function detectCsvShape(sample: Buffer, overrides: Partial<CsvShape> = {}, options: DetectCsvShapeOptions = {}): CsvShapeReport {
  const guess = detectCsvEncoding(sample, options.truncated);
  const encoding = overrides.encoding ?? guess.encoding;
  const bom = overrides.bom ?? (overrides.encoding === undefined ? guess.bom : startsWithBom(sample, encoding));
  const encodingChoice = overrides.encoding !== undefined ? overridden(`${label(encoding)}, as chosen`) : detected(guess.confidence, guess.note);
  const text = decodeSample(sample, encoding, bom, options.truncated === true);

  const dialectText = text.slice(0, 64 * 1024);
  const delimiterGuess = overrides.delimiter === undefined ? chooseCsvDelimiter(dialectText, overrides.quote ?? '"') : null;
  const delimiter = overrides.delimiter ?? delimiterGuess?.delimiter ?? ',';
  const quoteGuess = chooseCsvQuote(dialectText, delimiter);
  const quote = overrides.quote ?? quoteGuess.quote;
  const escape = overrides.escape ?? (overrides.quote !== undefined ? overrides.quote : quoteGuess.escape);

  const records = parseCsvText(text, { delimiter, quote, escape }, SAMPLE_RECORDS + 10);
  const decimalComma = delimiter !== ',';
  const header = chooseHeader(records, overrides.headerRow, decimalComma);
  const headerCells = header.headerRow === null ? [] : records[header.headerRow];
  const data = records.slice(header.headerRow === null ? 0 : header.headerRow + 1);
  const dataWidth = modalWidth(data.map((record) => record.length)).width;
  const width = header.headerRow === null ? dataWidth : headerCells.length;
  const names = nameCsvColumns(headerCells, width);
  const typed = data.filter((record) => record.length === width);

  const columnChoices: CsvChoice[] = [];
  const columns: CsvColumn[] = names.map((name, i) => {
    // Records of another width are broken lines (they become error rows): their shifted values say nothing of a column's type.
    const values = typed.slice(0, SAMPLE_VALUES * 200).map((record) => record[i] ?? '');
    const inferred = inferColumnType(values, decimalComma);
    const own = overrides.columns?.[i];
    columnChoices.push(own === undefined ? detected(inferred.confidence, inferred.note) : overridden(`as chosen (detected: ${inferred.type}, ${inferred.note})`));
    const column: CsvColumn = {
      name,
      type: inferred.type,
      ...(inferred.format === undefined ? {} : { format: inferred.format }),
      nullable: values.some((value) => value.trim() === '') || data.length === 0,
      sampleValues: [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))].slice(0, SAMPLE_VALUES),
    };
    return own === undefined ? column : { ...column, ...own };
  });
  if (header.headerRow !== null && dataWidth !== width && data.length > 0) {
    header.note += `; the header has ${width} cells but most records have ${dataWidth} fields`;
  }

  return {
    encoding,
    bom,
    delimiter,
    quote,
    escape,
    headerRow: header.headerRow,
    columns,
    preview: data.slice(0, PREVIEW_RECORDS),
    leadingRecords: records.slice(0, 10),
    choices: {
      encoding: encodingChoice,
      delimiter: delimiterGuess === null ? overridden(`${delimiterName(delimiter)}, as chosen`) : detected(delimiterGuess.confidence, delimiterGuess.note),
      quote: overrides.quote !== undefined ? overridden('as chosen') : detected(quoteGuess.quoteConfidence, quoteGuess.quoteNote),
      escape: overrides.escape !== undefined ? overridden('as chosen') : overrides.quote !== undefined ? detected(0.6, 'the chosen quote, doubled') : detected(quoteGuess.escapeConfidence, quoteGuess.escapeNote),
      headerRow: overrides.headerRow !== undefined ? overridden(overrides.headerRow === null ? 'no header, as chosen' : `record ${overrides.headerRow + 1}, as chosen`) : detected(header.confidence, header.note),
      columns: columnChoices,
    },
  };
}

function chooseHeader(records: readonly string[][], chosen: number | null | undefined, decimalComma: boolean): ChosenHeaderRow {
  if (chosen !== undefined) return { headerRow: chosen !== null && chosen >= records.length ? null : chosen, confidence: 1, note: 'as chosen' };
  const candidate = findHeaderCandidate(records);
  if (candidate === null) return { headerRow: null, confidence: 0.3, note: 'no record with a filled cell in the sample' };
  const width = records[candidate].length;
  const below = records.slice(candidate + 1, candidate + 1 + SAMPLE_RECORDS).filter((record) => record.length === width);
  const types: InferredColumnType[] = Array.from({ length: width }, (_, i) => inferColumnType(below.map((record) => record[i] ?? ''), decimalComma));
  return judgeHeaderCandidate(candidate, records[candidate], types);
}

function startsWithBom(sample: Uint8Array, encoding: CsvShape['encoding']): boolean {
  const expected = encoding === 'utf-8' ? [0xef, 0xbb, 0xbf] : encoding === 'utf-16le' ? [0xff, 0xfe] : encoding === 'utf-16be' ? [0xfe, 0xff] : [];
  return expected.length > 0 && expected.every((byte, i) => sample[i] === byte);
}

/** The sample as text; when it is cut from a longer file, up to its last line break only. */
function decodeSample(sample: Buffer, encoding: CsvShape['encoding'], bom: boolean, truncated: boolean): string {
  const body = bom ? sample.subarray(bomLength(encoding)) : sample;
  const text = iconv.decode(body, encoding, { stripBOM: false });
  if (!truncated) return text;
  const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return lastBreak < 0 ? text : text.slice(0, lastBreak + 1);
}
