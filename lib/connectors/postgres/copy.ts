import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quotePgIdent } from './quote-ident';

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

/** The text of one array element as its type reads it: bytea in hex, dates as instants, JSON as JSON. */
function elementText(value: unknown): string {
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A PostgreSQL array literal: {"a","b\"c",NULL}, nested lists as sub-arrays. Every element
 * is quoted, so NULL is the only unquoted word and "NULL" stays text.
 */
export function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    return `"${elementText(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
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

/** CSV text in ~256 KB pieces so the whole batch is never one giant string. */
function* csvChunks(rows: unknown[][]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    // Appended field by field: no per-row line string to build and drop.
    if (row.length > 0) chunk += csvField(row[0]);
    for (let i = 1; i < row.length; i++) chunk += ',' + csvField(row[i]);
    chunk += '\n';
    if (chunk.length >= 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Streams rows as CSV into a COPY … FROM STDIN statement on this client. */
export async function copyRowsIn(client: pg.PoolClient, copyStatement: string, rows: unknown[][]): Promise<void> {
  await copyTextIn(client, copyStatement, csvChunks(rows));
}

/** The rows' CSV text now, as bytes: afterwards nothing refers to the rows. */
export function encodeCsv(rows: unknown[][]): Buffer[] {
  const pieces: Buffer[] = [];
  for (const text of csvChunks(rows)) pieces.push(Buffer.from(text));
  return pieces;
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
