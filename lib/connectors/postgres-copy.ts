import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quotePgIdent } from './sql-identifiers';

/**
 * Fast upsert path: COPY the batch into a session temp table, then one
 * INSERT … SELECT … ON CONFLICT. Runs inside the caller's transaction.
 */

export interface CopyUpsertBatch {
  /** Quoted target "schema"."table". */
  table: string;
  columns: string[];
  keyColumns: string[];
  /** Values already normalized (normalizePgValue). */
  rows: unknown[][];
  /** Column types without modifiers, in `columns` order. */
  castTypes: string[];
  /** Identifies target + column list; one staging table per distinct key. */
  stageKey: string;
  /** The ON CONFLICT clause of the final INSERT. */
  conflict: string;
}

/** Element text of a PostgreSQL array literal: {"a","b\"c",NULL}. */
function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    const text = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

const quoteCsv = (text: string) => (text.includes('"') ? `"${text.replace(/"/g, '""')}"` : `"${text}"`);

/**
 * One CSV field. NULL is the unquoted empty field, every other value is quoted, so an
 * empty string stays distinct from NULL. bytea uses the hex input format.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return quoteCsv(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (value instanceof Date) return quoteCsv(value.toISOString());
  if (Array.isArray(value)) return quoteCsv(arrayLiteral(value));
  return quoteCsv(JSON.stringify(value));
}

const PIECE_BYTES = 256 * 1024;
const COMMA = 0x2c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * The rows as CSV bytes (see csvField), in pieces of about 256 KB, written straight into
 * buffers: ASCII text (nearly all CRM text) is copied byte by byte with quotes doubled;
 * anything else goes through csvField and UTF-8 encoding. Building the same CSV as
 * strings first left a quoted copy of every field and a flattened 256 KB string per piece
 * for the collector, about a third more of a worker's time in the encoder.
 */
export function encodeCsv(rows: unknown[][]): Buffer[] {
  const pieces: Buffer[] = [];
  let buf = Buffer.allocUnsafe(PIECE_BYTES);
  let pos = 0;
  /** Room for `bytes` more in the current piece: else it is closed and a new one begun. */
  const reserve = (bytes: number) => {
    if (pos + bytes <= buf.length) return;
    if (pos > 0) pieces.push(buf.subarray(0, pos));
    buf = Buffer.allocUnsafe(Math.max(PIECE_BYTES, bytes));
    pos = 0;
  };
  for (const row of rows) {
    for (let f = 0; f < row.length; f++) {
      const value = row[f];
      // A UTF-16 unit takes at most 3 bytes in UTF-8, a doubled quote 2: 3 per unit, two quotes and a comma.
      if (typeof value === 'string') {
        reserve(3 * value.length + 3);
        if (f > 0) buf[pos++] = COMMA;
        pos = writeQuoted(buf, pos, value);
      } else if (value !== null && value !== undefined) {
        const text = csvField(value);
        reserve(3 * text.length + 1);
        if (f > 0) buf[pos++] = COMMA;
        pos += buf.write(text, pos);
      } else {
        reserve(1);
        if (f > 0) buf[pos++] = COMMA;
      }
    }
    reserve(1);
    buf[pos++] = NEWLINE;
  }
  if (pos > 0) pieces.push(buf.subarray(0, pos));
  return pieces;
}

/** `"text"` with inner quotes doubled, at `pos`; returns the position after it. */
function writeQuoted(buf: Buffer, pos: number, text: string): number {
  const start = pos;
  buf[pos++] = QUOTE;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return start + buf.write(quoteCsv(text), start);
    if (code === QUOTE) buf[pos++] = QUOTE;
    buf[pos++] = code;
  }
  buf[pos++] = QUOTE;
  return pos;
}

/** Streams rows as CSV into a COPY … FROM STDIN statement on this client. */
export async function copyRowsIn(client: pg.PoolClient, copyStatement: string, rows: unknown[][]): Promise<void> {
  await copyTextIn(client, copyStatement, encodeCsv(rows));
}

/** CSV text (or its bytes) into a COPY … FROM STDIN statement on this client. */
export async function copyTextIn(client: pg.PoolClient, copyStatement: string, pieces: Iterable<string | Buffer>): Promise<void> {
  await pipeline(Readable.from(pieces), client.query(copyFrom(copyStatement)));
}

export async function copyUpsert(client: pg.PoolClient, b: CopyUpsertBatch): Promise<void> {
  // Temp tables live per session, so a pooled client reuses its staging table; the name
  // is derived from target and column list so a different shape never reuses a stale one.
  // Column types carry no length modifiers: over-long values fail in the final INSERT,
  // exactly like the VALUES path. ON COMMIT DELETE ROWS truncates it when the batch's
  // transaction commits (and a rollback discards its rows anyway).
  const stage = quotePgIdent(`ferry_stage_${createHash('sha1').update(b.stageKey).digest('hex').slice(0, 20)}`);
  const cols = b.columns.map(quotePgIdent).join(', ');
  const definitions = b.columns.map((c, i) => `${quotePgIdent(c)} ${b.castTypes[i]}`).join(', ');
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (${definitions}) ON COMMIT DELETE ROWS`);
  await copyRowsIn(client, `COPY ${stage} (${cols}) FROM STDIN WITH (FORMAT csv)`, b.rows);
  await client.query(`INSERT INTO ${b.table} (${cols}) SELECT ${cols} FROM ${stage}${b.conflict}`);
}
