import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CsvSourceFile } from '../../schemas/connection-config';
import type { KeyValue } from '../connector';
import { buildCsvIndex, type CsvPart } from './build-csv-index';
import { makeCsvValueReader } from './csv-column-values';
import { readCsvPart } from './read-csv-part';

/** The virtual key column: the 1-based line a record starts on (what an editor shows). */
export const LINE_COLUMN = '_line';

/** Records per index part: small enough that reading one part for a replay of one key is quick. */
export const RECORDS_PER_INDEX_PART = 10_000;

export interface KeyedCsvPart extends CsvPart {
  /** The key of the part's first and last record (for `_line`: their lines). */
  firstKey: KeyValue;
  lastKey: KeyValue;
}

/** A file's byte-offset index, with each part's key bounds in the chosen key. */
export interface CsvKeyIndex {
  fingerprint: string;
  keyColumn: string;
  records: number;
  bytes: number;
  parts: KeyedCsvPart[];
  /** Integer columns filled and strictly ascending over the file's readable records (ascending-columns.ts). */
  ascendingColumns: string[];
}

/** A key column the file's records are not in order of: the file must be read by line number. Never retried. */
export class CsvKeyOrderError extends Error {
  readonly code = 'csv_key_order';
}

/** A file that is gone or changed on disk after its shape was confirmed. Never retried. */
export class CsvFileChangedError extends Error {
  readonly code = 'csv_file_changed';
}

export const fingerprintOf = (size: number, mtimeMs: number) => `${size}:${Math.round(mtimeMs)}`;

/** Orders key values of one column: numbers (and digit strings past 2^53) by value, texts by code unit. */
export function compareCsvKeys(a: KeyValue, b: KeyValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (isInteger(a) && isInteger(b)) {
    const x = BigInt(a as string | number);
    const y = BigInt(b as string | number);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const isInteger = (v: KeyValue) => typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v));

/**
 * The file's index for reading by `keyColumn`, built once (one streaming pass; a column key
 * adds a second that checks its order) and kept beside the other indexes, named by the
 * file, its fingerprint, the shape and the key: a new version or a changed shape never
 * reads an old index. A file whose size or modification time differs from what was
 * confirmed is refused: its lines may have moved under the mapping's error rows.
 *
 * A column key must be filled on every record, unique, and ascending in file order (an
 * export sorted by id): ranges of it are then runs of records. Otherwise the line number
 * is the key; the error says so.
 */
export async function loadCsvKeyIndex(file: CsvSourceFile, keyColumn: string): Promise<CsvKeyIndex> {
  const { fingerprint, cachePath } = await locateCsvKeyIndex(file, keyColumn);
  const cached = await readFile(cachePath, 'utf8').then((text) => JSON.parse(text) as CsvKeyIndex, () => null);
  // An index written before ascending columns were followed names none: claims stay on.
  if (cached && cached.fingerprint === fingerprint) return { ...cached, ascendingColumns: cached.ascendingColumns ?? [] };
  // One build per index in this process: a planner, a count and the worker's early indexing
  // (index-confirmed-files.ts) asking at once share it.
  const pending = building.get(cachePath);
  if (pending) return pending;
  const work = buildCsvKeyIndex(file, keyColumn, fingerprint, cachePath).finally(() => building.delete(cachePath));
  building.set(cachePath, work);
  return work;
}

const building = new Map<string, Promise<CsvKeyIndex>>();

/**
 * Where the index of the file as it is now, read by `keyColumn`, is kept. Refuses a file
 * that is gone or whose size or modification time differs from what was confirmed.
 */
async function locateCsvKeyIndex(file: CsvSourceFile, keyColumn: string): Promise<{ fingerprint: string; cachePath: string }> {
  const info = await stat(file.path).catch((error: NodeJS.ErrnoException) => {
    throw new CsvFileChangedError(`The file of table "${file.table}" is gone from the server (${error.code ?? error.message}); upload it again as a new version`);
  });
  const fingerprint = fingerprintOf(info.size, info.mtimeMs);
  if (file.fingerprint && file.fingerprint !== fingerprint) {
    throw new CsvFileChangedError(`The file of table "${file.table}" changed on the server after its shape was confirmed (size or time differs); upload or register it again as a new version`);
  }
  const shapeHash = createHash('sha256').update(JSON.stringify(file.shape)).digest('hex').slice(0, 16);
  const cachePath = path.join(file.indexFolder, `${file.id}.${fingerprint.replace(':', '-')}.${shapeHash}.${Buffer.from(keyColumn).toString('hex')}.json`);
  return { fingerprint, cachePath };
}

/** Whether the index of the file read by `keyColumn` is kept already (a gone or changed file throws, as loadCsvKeyIndex does). */
export async function hasCsvKeyIndex(file: CsvSourceFile, keyColumn: string): Promise<boolean> {
  const { cachePath } = await locateCsvKeyIndex(file, keyColumn);
  return access(cachePath).then(() => true, () => false);
}

async function buildCsvKeyIndex(file: CsvSourceFile, keyColumn: string, fingerprint: string, cachePath: string): Promise<CsvKeyIndex> {
  const index = await buildCsvIndex(file.path, file.shape, { rowsPerPart: RECORDS_PER_INDEX_PART });
  const parts: KeyedCsvPart[] =
    keyColumn === LINE_COLUMN
      ? index.parts.map((part) => ({ ...part, firstKey: part.firstLine, lastKey: part.lastLine }))
      : await columnKeyedParts(file, index.parts, keyColumn);
  const built: CsvKeyIndex = { fingerprint, keyColumn, records: index.records, bytes: index.bytes, parts, ascendingColumns: index.ascendingColumns };
  await mkdir(file.indexFolder, { recursive: true });
  // Written aside and renamed: a worker reading it meanwhile sees the old state or the whole file.
  const temporary = `${cachePath}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(built));
  await rename(temporary, cachePath);
  return built;
}

async function columnKeyedParts(file: CsvSourceFile, parts: CsvPart[], keyColumn: string): Promise<KeyedCsvPart[]> {
  const at = file.shape.columns.findIndex((c) => c.name === keyColumn);
  if (at < 0) throw new CsvKeyOrderError(`Table "${file.table}" has no column "${keyColumn}"`);
  const read = makeCsvValueReader(file.shape.columns[at]);
  const advice = `choose ${LINE_COLUMN} (the line number) as the source key`;
  const keyed: KeyedCsvPart[] = [];
  let previous: { key: KeyValue; line: number } | null = null;
  for (const part of parts) {
    let first: KeyValue = null;
    for await (const rows of readCsvPart(file.path, file.shape, part)) {
      for (const row of rows) {
        const value = row.record?.[at];
        const key = value === undefined ? null : (read(value) as KeyValue);
        if (key === null || key === '') {
          throw new CsvKeyOrderError(`Column "${keyColumn}" is empty on line ${row.line}, so it cannot be the key: ${advice}`);
        }
        if (previous && compareCsvKeys(previous.key, key) >= 0) {
          const why = compareCsvKeys(previous.key, key) === 0 ? `repeats ${JSON.stringify(key)} from line ${previous.line}` : `holds ${JSON.stringify(key)} after ${JSON.stringify(previous.key)} on line ${previous.line}`;
          throw new CsvKeyOrderError(`Column "${keyColumn}" is not unique and ascending in the file (line ${row.line} ${why}), so ranges of it are not runs of lines: ${advice}`);
        }
        if (first === null) first = key;
        previous = { key, line: row.line };
      }
    }
    keyed.push({ ...part, firstKey: first, lastKey: previous?.key ?? null });
  }
  return keyed;
}
