import { open, stat } from 'node:fs/promises';
import type { CsvSourceFile, ResolvedConnection } from '../../schemas/connection-config';
import type { ColumnInfo, Connector, ConnectorFactory, KeyRange, KeyTuple, KeyValue, ReadRangeRequest, Row, TableDetail } from '../connector';
import { markUnreadable } from '../unreadable-row';
import { withKeyColumns } from '../with-key-columns';
import { csvColumnFamily, makeCsvValueReader, type CsvValueReader } from './csv-column-values';
import { openBounds, partsWithin, place, rangeBounds, type Bounds } from './csv-key-bounds';
import { compareCsvKeys, fingerprintOf, LINE_COLUMN, loadCsvKeyIndex, type CsvKeyIndex, type KeyedCsvPart } from './csv-key-index';
import type { CsvColumn } from './csv-shape';
import { readCsvPart, type CsvPartRow } from './read-csv-part';

/**
 * A file source: each confirmed CSV file is a table (connection.files), read through the
 * same interface as a database. Its key is `_line` (the line a record starts on, always
 * there) or one column the export is sorted by (csv-key-index.ts). Reads by key range go
 * through a byte-offset index cut at record boundaries, so chunks of one file are read by
 * many workers at once, each parsing only its own bytes. A record that cannot be read as a
 * row is yielded in its place, marked (unreadable-row.ts): the engine makes it an error row
 * with its line. There is nothing to hash in place, so verification compares rows
 * (choose-mode.ts), and nothing is ever written: a file is only a source.
 */
export const createCsvConnector: ConnectorFactory = (connection: ResolvedConnection): Connector => {
  const files = new Map((connection.files ?? []).map((file) => [file.table, file]));
  const indexes = new Map<string, Promise<CsvKeyIndex>>();

  const fileOf = (table: string): CsvSourceFile => {
    const file = files.get(table);
    if (!file) throw Object.assign(new Error(`Table "${table}" is not a confirmed file of this file source`), { code: 'table_not_found' });
    return file;
  };
  const keyOf = (file: CsvSourceFile, keyColumns: string[]): string => {
    const [key] = keyColumns;
    if (keyColumns.length !== 1 || (key !== LINE_COLUMN && !file.shape.columns.some((c) => c.name === key))) {
      throw new Error(`A CSV file is read by one key column: ${LINE_COLUMN} (the line number) or one column of the file`);
    }
    return key;
  };
  const indexOf = (file: CsvSourceFile, key: string): Promise<CsvKeyIndex> => {
    const id = `${file.id}/${key}`;
    let index = indexes.get(id);
    if (!index) {
      index = loadCsvKeyIndex(file, key);
      indexes.set(id, index);
      // A failed build is not remembered: the next call tries again (and says why again).
      index.catch(() => indexes.delete(id));
    }
    return index;
  };
  const prepared = async (table: string, keyColumns: string[]) => {
    const file = fileOf(table);
    const key = keyOf(file, keyColumns);
    return { file, key, index: await indexOf(file, key) };
  };

  const readArrays = (request: ReadRangeRequest): AsyncIterable<unknown[][]> => ({
    async *[Symbol.asyncIterator]() {
      const { file, key, index } = await prepared(request.table, request.keyColumns);
      const columns = withKeyColumns(request.keyColumns, request.columns);
      const bounds = rangeBounds(request.range, request.after ?? null, request.through ?? null);
      let batch: unknown[][] = [];
      for await (const rows of rowsOf(file, key, columns, index.parts, bounds)) {
        for (const row of rows) {
          batch.push(row);
          if (batch.length >= request.batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) yield batch;
    },
  });

  return {
    kind: 'csv',

    async test() {
      const started = performance.now();
      for (const file of files.values()) {
        const info = await stat(file.path).catch(() => null);
        if (!info) return { ok: false, code: 'unknown', message: `The file of table "${file.table}" is gone from the server` };
        if (file.fingerprint && fingerprintOf(info.size, info.mtimeMs) !== file.fingerprint) {
          return { ok: false, code: 'unknown', message: `The file of table "${file.table}" changed after its shape was confirmed` };
        }
      }
      return { ok: true, serverVersion: `CSV files (${files.size})`, latencyMs: Math.round(performance.now() - started) };
    },

    async listTables() {
      return Promise.all([...files.values()].map(async (file) => ({ name: file.table, estimatedRows: await estimateRecords(file) })));
    },

    async describeTable(table): Promise<TableDetail> {
      const file = fileOf(table);
      return {
        name: table,
        schema: '',
        estimatedRows: await estimateRecords(file),
        columns: [lineColumn, ...file.shape.columns.map(columnInfo)],
        primaryKey: [LINE_COLUMN],
        uniqueConstraints: [],
        foreignKeys: [],
        checkConstraints: [],
      };
    },

    async splitPoints(table, keyColumns, rowsPerChunk) {
      return splitKeys(await prepared(table, keyColumns), { lower: null, upper: null }, rowsPerChunk);
    },

    async splitRange(table, keyColumns, range, rowsPerPart) {
      return splitKeys(await prepared(table, keyColumns), range, rowsPerPart);
    },

    async keyBounds(table, keyColumns) {
      const { index } = await prepared(table, keyColumns);
      if (index.parts.length === 0) return null;
      return { first: [index.parts[0].firstKey], last: [index.parts[index.parts.length - 1].lastKey] };
    },

    // The copy applies every filter to the rows in memory.
    async applicableFilters() {
      return [];
    },

    async countInScope(table, keyColumns) {
      return (await prepared(table, keyColumns)).index.records;
    },

    readRangeArrays: readArrays,

    async distinctColumns(table, keyColumns) {
      const { index } = await prepared(table, keyColumns);
      return index.ascendingColumns.map((column) => [column]);
    },

    readRange(request) {
      const columns = withKeyColumns(request.keyColumns, request.columns);
      return {
        async *[Symbol.asyncIterator]() {
          for await (const batch of readArrays(request)) yield batch.map((values) => toRow(columns, values));
        },
      };
    },

    async readKeys(table, keyColumns, columns, keys) {
      if (keys.length === 0) return [];
      const { file, key, index } = await prepared(table, keyColumns);
      const wanted = new Map(keys.map((k) => [keyText(normalKey(key, k[0])), k]));
      const sorted = [...wanted.values()].map((k) => normalKey(key, k[0])).sort(compareCsvKeys);
      const parts = index.parts.filter((part) => sorted.some((k) => compareCsvKeys(k, part.firstKey) >= 0 && compareCsvKeys(k, part.lastKey) <= 0));
      const selected = withKeyColumns(keyColumns, columns);
      const keyAt = selected.indexOf(key);
      const out: Row[] = [];
      for (const part of parts) {
        for await (const rows of rowsOf(file, key, selected, [part], openBounds)) {
          for (const values of rows) if (wanted.has(keyText(values[keyAt] as KeyValue))) out.push(toRow(selected, values));
        }
      }
      return out;
    },

    async count(table, range) {
      const file = fileOf(table);
      if (!range || (range.lower === null && range.upper === null)) {
        return (await indexOf(file, LINE_COLUMN)).records;
      }
      // Nothing asks a source for a range's count (verification counts the target's).
      throw new Error('A CSV file counts whole files only');
    },

    async hashRange() {
      throw new Error('A CSV file cannot hash rows in place; verification compares its rows');
    },
    async hashRangeCanonical() {
      throw new Error('A CSV file cannot hash rows in place; verification compares its rows');
    },

    async readNullKeys() {
      // `_line` is never empty, and a column key is refused when one is (csv-key-index.ts).
      return { count: 0, rows: [] };
    },

    async writeBatch() {
      throw new Error(readOnly);
    },
    async deleteKeys() {
      throw new Error(readOnly);
    },
    async truncate() {
      throw new Error(readOnly);
    },
    async close() {
      indexes.clear();
    },
  };
};

const readOnly = 'A file source is read-only: a CSV file can be a mapping\'s source, never its target';

const lineColumn: ColumnInfo = {
  name: LINE_COLUMN,
  dataType: 'line number',
  family: 'integer',
  nullable: false,
  defaultValue: null,
  autoGenerated: false,
  maxLength: null,
  numericPrecision: null,
  numericScale: null,
  enumValues: null,
  position: true,
};

function columnInfo(column: CsvColumn): ColumnInfo {
  return {
    name: column.name,
    dataType: column.format ? `${column.type} (${column.format})` : column.type,
    family: csvColumnFamily(column),
    nullable: column.nullable,
    defaultValue: null,
    autoGenerated: false,
    maxLength: null,
    numericPrecision: null,
    numericScale: null,
    enumValues: null,
  };
}

/**
 * The rows (values in `columns` order) of the given parts whose key is within the bounds, in batches.
 * A record that cannot be read as a row comes in its place, marked, with what could be read.
 */
async function* rowsOf(file: CsvSourceFile, key: string, columns: string[], parts: KeyedCsvPart[], bounds: Bounds): AsyncGenerator<unknown[][]> {
  const shape = file.shape;
  const fieldAt = columns.map((name) => (name === LINE_COLUMN ? -1 : shape.columns.findIndex((c) => c.name === name)));
  const missing = columns.find((name, i) => fieldAt[i] === -1 && name !== LINE_COLUMN);
  if (missing !== undefined) throw new Error(`Table "${file.table}" has no column "${missing}"`);
  const readers: (CsvValueReader | null)[] = fieldAt.map((at) => (at < 0 ? null : makeCsvValueReader(shape.columns[at])));
  const keyField = key === LINE_COLUMN ? -1 : shape.columns.findIndex((c) => c.name === key);
  const keyReader = keyField < 0 ? null : makeCsvValueReader(shape.columns[keyField]);
  const fieldReaders = shape.columns.map(makeCsvValueReader);
  const keyOfRow = (row: CsvPartRow): KeyValue => (keyReader ? (keyReader(row.record?.[keyField] ?? '') as KeyValue) : row.line);

  const valuesOf = (row: CsvPartRow): unknown[] => {
    const record = row.record;
    const values = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const reader = readers[i];
      if (reader === null) values[i] = row.line;
      else {
        const field = record?.[fieldAt[i]];
        values[i] = field === undefined ? null : reader(field);
      }
    }
    if (row.error) markUnreadable(values, { code: row.error.code, message: row.error.message, fields: recordFields(shape.columns, fieldReaders, row) });
    return values;
  };

  for (const part of partsWithin(parts, bounds)) {
    for await (const batch of readCsvPart(file.path, shape, part)) {
      const out: unknown[][] = [];
      for (const row of batch) {
        const where = place(keyOfRow(row), bounds);
        if (where === 'before') continue;
        if (where === 'past') {
          if (out.length > 0) yield out;
          return;
        }
        out.push(valuesOf(row));
      }
      if (out.length > 0) yield out;
    }
  }
}

/**
 * A broken record by column name, each value read as its column reads (so an analyst's
 * correction is in the form every other error row shows), fields past the last column as
 * written (field_N): what the error row shows and the analyst edits.
 */
function recordFields(columns: readonly CsvColumn[], readers: readonly CsvValueReader[], row: CsvPartRow): Row {
  const fields: Row = { [LINE_COLUMN]: row.line };
  const record = row.record ?? [];
  columns.forEach((column, i) => {
    fields[column.name] = record[i] === undefined ? null : readers[i](record[i]);
  });
  for (let i = columns.length; i < record.length; i++) fields[`field_${i + 1}`] = record[i];
  return fields;
}

function toRow(columns: string[], values: unknown[]): Row {
  const row: Row = {};
  for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i];
  const unreadable = (values as unknown as Record<string, unknown>)['#unreadable'];
  if (unreadable) row['#unreadable'] = unreadable;
  return row;
}

/** Keys every `rows`-th record within the range: whole parts where they are large enough, else by reading the keys. */
async function splitKeys(source: { file: CsvSourceFile; key: string; index: CsvKeyIndex }, range: KeyRange, rows: number): Promise<KeyTuple[]> {
  const { file, key, index } = source;
  const bounds = rangeBounds(range, null, null);
  const parts = partsWithin(index.parts, bounds);
  const points: KeyTuple[] = [];
  const whole = range.lower === null && range.upper === null && rows >= (parts[0]?.records ?? 0);
  if (whole) {
    let count = 0;
    for (let i = 0; i < parts.length; i++) {
      if (i > 0 && count >= rows) {
        points.push([parts[i].firstKey]);
        count = 0;
      }
      count += parts[i].records;
    }
    return points;
  }
  let count = 0;
  for await (const batch of rowsOf(file, key, [key], parts, bounds)) {
    for (const values of batch) {
      if (count > 0 && count % rows === 0) points.push([values[0] as KeyValue]);
      count += 1;
    }
  }
  return points;
}

/** Keys as the file reads them: `_line` and integer keys come back from storage as numbers or digit strings alike. */
function normalKey(key: string, value: KeyValue): KeyValue {
  if (key === LINE_COLUMN && typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return value;
}

const keyText = (value: KeyValue) => (typeof value === 'string' && /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? String(Number(value)) : String(value));

/** Records in a file, from its index when built, else from the size and the first 64 KiB. */
async function estimateRecords(file: CsvSourceFile): Promise<number> {
  try {
    const handle = await open(file.path, 'r');
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.min(size, 64 * 1024));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      let lines = 0;
      for (let i = 0; i < bytesRead; i++) if (buffer[i] === 10) lines++;
      if (lines === 0) return size > 0 ? 1 : 0;
      return Math.max(0, Math.round((size / bytesRead) * lines) - (file.shape.headerRow === null ? 0 : file.shape.headerRow + 1));
    } finally {
      await handle.close();
    }
  } catch {
    return 0;
  }
}
