import { Transform, type TransformCallback } from 'node:stream';

/**
 * PostgreSQL COPY text format (the default of COPY … FROM STDIN): tab-separated fields,
 * one row per line, NULL as \N, and backslash, tab, newline and carriage return escaped.
 */
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeChar = (c: string) => ESCAPES[c];

export function copyTextField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : String(value);
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, escapeChar) : text;
}

export function copyTextLine(row: readonly unknown[]): string {
  let line = copyTextField(row[0]);
  for (let i = 1; i < row.length; i++) line += '\t' + copyTextField(row[i]);
  return line + '\n';
}

/**
 * Object-mode rows (arrays, e.g. mysql2 with rowsAsArray) in, COPY text out, in pieces of
 * about 64 KB so the COPY stream is not flooded with one tiny write per row.
 */
export class RowsToCopyText extends Transform {
  rows = 0;
  private pending = '';

  constructor() {
    super({ writableObjectMode: true, writableHighWaterMark: 2000 });
  }

  override _transform(row: unknown[], _encoding: BufferEncoding, done: TransformCallback): void {
    this.rows += 1;
    this.pending += copyTextLine(row);
    if (this.pending.length >= 64 * 1024) {
      this.push(this.pending);
      this.pending = '';
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.pending.length > 0) this.push(this.pending);
    this.pending = '';
    done();
  }
}
