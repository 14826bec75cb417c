import { parse } from 'csv-parse/sync';

export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
}

/**
 * Records of decoded sample text, parsed as the byte-level reader parses files (any line
 * break ends a record, stray quotes are text, blank lines are skipped) so detection sees
 * what the run will read. A quote left open at the end (a cut sample) drops that record.
 */
export function parseCsvText(text: string, dialect: CsvDialect, limit: number): string[][] {
  return parse(text, {
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    escape: dialect.escape,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    to: limit,
  });
}
