import { z } from 'zod';

/**
 * Encodings a CSV source can be read in. All but UTF-16 keep ASCII bytes as ASCII (a
 * delimiter, quote or line break byte is always that character), so their files are
 * parsed byte by byte and byte offsets are file offsets; UTF-16 is transcoded to UTF-8 as
 * it is read (read-csv-records.ts maps the offsets back).
 */
export const CSV_ENCODINGS = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'iso-8859-1',
  'windows-1252',
  'iso-8859-2',
  'iso-8859-15',
  'windows-1250',
  'windows-1251',
  'koi8-r',
] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

export const CSV_COLUMN_TYPES = ['integer', 'decimal', 'date', 'datetime', 'boolean', 'email', 'phone', 'text'] as const;
export type CsvColumnType = (typeof CSV_COLUMN_TYPES)[number];

const singleCharacter = z.string().length(1, 'must be one character');

export const csvColumnSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters'),
  type: z.enum(CSV_COLUMN_TYPES),
  /**
   * For date and datetime: a pattern in lib/mapping/date-format.ts's tokens ('DD/MM/YYYY').
   * For decimal: the decimal separator, '.' or ','.
   */
  format: z.string().max(64).optional(),
  nullable: z.boolean(),
  sampleValues: z.array(z.string()).max(20),
});
export type CsvColumn = z.infer<typeof csvColumnSchema>;

export const csvShapeSchema = z.object({
  encoding: z.enum(CSV_ENCODINGS),
  /** A byte order mark opens the file (it is skipped, never read as data). */
  bom: z.boolean(),
  delimiter: z.string().min(1).max(4),
  quote: singleCharacter,
  /** The character that escapes a quote inside a quoted field: the quote itself (RFC 4180) or '\\'. */
  escape: singleCharacter,
  /** 0-based index of the header among the file's first 10 non-blank records; null: no header. */
  headerRow: z.number().int().min(0).max(9).nullable(),
  columns: z.array(csvColumnSchema),
});
export type CsvShape = z.infer<typeof csvShapeSchema>;

/** How sure detection is of one choice, why, and whether the analyst set it instead. */
export interface CsvChoice {
  /** 0 (a guess) … 1 (certain, e.g. a byte order mark). */
  confidence: number;
  note: string;
  overridden: boolean;
}

export interface CsvShapeReport extends CsvShape {
  /** The first 20 records after the header, as decoded with this shape. */
  preview: string[][];
  /** The records the header was chosen among (the first 10), for the override UI. */
  leadingRecords: string[][];
  choices: {
    encoding: CsvChoice;
    delimiter: CsvChoice;
    quote: CsvChoice;
    escape: CsvChoice;
    headerRow: CsvChoice;
    columns: CsvChoice[];
  };
}
