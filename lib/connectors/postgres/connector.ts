import type pg from 'pg';
import { DEFAULT_TEST_TIMEOUT_MS } from '../connection-test';
import type { ConstraintColumns, Connector, ConnectorFactory, KeyRange } from '../connector';
import { runCanonicalHash, runSplitRange, withCollations } from '../sql/hash-statements';
import { qualifiedTable } from '../sql/identifiers';
import { deleteKeysStatements, readKeyBounds, readKeyRows, readNullKeyRows, readRangeArrayRows, readRangeRows, runHashRange } from '../sql/keyed-statements';
import { familyOfColumn, sqlCursorReader } from '../sql/cursor-read';
import { countInScopeStatement, countStatement, splitPointsStatement, toKeyValue } from '../sql/reads';
import { applicableFilters, type FilterScope } from '../sql/source-filter-sql';
import type { SourceFilter } from '../../schemas/mapping-spec';
import { type PgQuery, type PgTableShape, describePgTable, listPgTables } from './catalog';
import { PostgresPool, testPostgresConnection } from './connection';
import { readPgConstraintColumns } from './constraint-columns';
import { readPgOrderedIndexes } from './ordered-indexes';
import { postgresDialect } from './dialect';
import { wrapPgError } from './wrap-error';
import { rehearsePgWrites } from './rehearse-writes';
import { encodePgInsert, writePgBatch, writePgEncoded, type PgWriteTarget } from './write';

/**
 * PostgreSQL connector (node-postgres). Tables live in `connection.schema ?? 'public'`.
 *
 * Values are returned as pg parses them, with two deliberate properties: int8 and numeric
 * arrive as strings (pg's default: no precision loss), and date/timestamp/timestamptz
 * arrive as the server's text rather than JS Dates (see connection.ts).
 */
export const createPostgresConnector: ConnectorFactory = (connection) => {
  const schema = connection.schema ?? 'public';
  const pool = new PostgresPool(connection);
  const table = (name: string) => qualifiedTable(postgresDialect, schema, name);

  const query: PgQuery = async <R>(text: string, values: unknown[] = []): Promise<R[]> => {
    try {
      return await pool.withClient(async (client) => (await client.query(text, values)).rows as R[]);
    } catch (err) {
      throw wrapPgError(err);
    }
  };
  const queryArrays = async (text: string, values: unknown[]): Promise<unknown[][]> => {
    try {
      return await pool.withClient(async (client) => (await client.query({ text, values, rowMode: 'array' })).rows);
    } catch (err) {
      throw wrapPgError(err);
    }
  };

  // Column types per table for writes, looked up once per connector instance.
  const shapes = new Map<string, Promise<PgTableShape>>();
  const shapeOf = (name: string): Promise<PgTableShape> => {
    let shape = shapes.get(name);
    if (!shape) {
      shape = describePgTable(query, schema, name);
      shape.catch(() => shapes.delete(name));
      shapes.set(name, shape);
    }
    return shape;
  };

  const constraints = new Map<string, Promise<ConstraintColumns>>();
  const constraintColumnsOf = (name: string): Promise<ConstraintColumns> => {
    let columns = constraints.get(name);
    if (!columns) {
      columns = readPgConstraintColumns(query, schema, name);
      columns.catch(() => constraints.delete(name));
      constraints.set(name, columns);
    }
    return columns;
  };

  const writeTarget = async (name: string): Promise<PgWriteTarget> => ({ table: table(name), schema, tableName: name, shape: await shapeOf(name) });

  /** A batch write in its own transaction: all or nothing. */
  const inTransaction = async (name: string, write: (client: pg.PoolClient, target: PgWriteTarget) => Promise<void>): Promise<void> => {
    const target = await writeTarget(name);
    try {
      await pool.withClient(async (client, discard) => {
        await client.query('BEGIN');
        try {
          await write(client, target);
          await client.query('COMMIT');
        } catch (err) {
          // A client that cannot roll back is in an unknown state: destroy, don't reuse.
          await client.query('ROLLBACK').catch(discard);
          throw err;
        }
      });
    } catch (err) {
      throw wrapPgError(err);
    }
  };

  const countInRange = async (name: string, range?: KeyRange): Promise<number> => {
    // The interface gives a range without key columns: ranges are over the primary key.
    let keys: string[] | null = null;
    if (range) {
      keys = (await shapeOf(name)).detail.primaryKey;
      if (keys.length === 0) throw new Error(`Counting a key range needs a primary key on "${name}"; use hashRange`);
    }
    const s = countStatement(postgresDialect, table(name), keys, range);
    const rows = await query<{ n: string }>(s.text, s.values);
    return Number(rows[0].n);
  };

  const filterScope = async (name: string, filters: readonly SourceFilter[] = []): Promise<FilterScope | undefined> =>
    filters.length > 0 ? { columns: (await shapeOf(name)).detail.columns, filters } : undefined;

  const connector: Connector = {
    kind: 'postgres',

    test: (timeoutMs = DEFAULT_TEST_TIMEOUT_MS) => testPostgresConnection(connection, timeoutMs),

    listTables: () => listPgTables(query, schema),

    async describeTable(name) {
      const shape = await describePgTable(query, schema, name);
      shapes.set(name, Promise.resolve(shape));
      return withCollations(query, postgresDialect, schema, shape.detail);
    },

    async splitPoints(name, keyColumns, rowsPerChunk, filters) {
      const s = splitPointsStatement(postgresDialect, table(name), keyColumns, rowsPerChunk, await filterScope(name, filters));
      return (await queryArrays(s.text, s.values)).map((row) => row.map(toKeyValue));
    },

    keyBounds: async (name, keyColumns, filters) => readKeyBounds(queryArrays, postgresDialect, table(name), keyColumns, await filterScope(name, filters)),

    applicableFilters: async (name, filters) => (filters.length > 0 ? applicableFilters(postgresDialect, (await shapeOf(name)).detail.columns, filters) : []),

    async countInScope(name, keyColumns, filters) {
      const s = countInScopeStatement(postgresDialect, table(name), keyColumns, await filterScope(name, filters));
      return Number((await query<{ n: string }>(s.text, s.values))[0].n);
    },

    async *readRange(req) {
      yield* readRangeRows(query, postgresDialect, table(req.table), req);
    },

    async *readRangeArrays(req) {
      yield* readRangeArrayRows(queryArrays, postgresDialect, table(req.table), req);
    },

    readKeys: async (name, keyColumns, columns, keys) => readKeyRows(query, postgresDialect, table(name), keyColumns, columns, keys),

    count: countInRange,

    hashRange: async (name, keyColumns, columns, range) => runHashRange(query, postgresDialect, table(name), keyColumns, columns, range),

    hashRangeCanonical: (req) => runCanonicalHash(query, postgresDialect, table(req.table), req),

    splitRange: (name, keyColumns, range, rowsPerPart) => runSplitRange(query, postgresDialect, table(name), keyColumns, range, rowsPerPart),

    async truncate(name) {
      await query(`TRUNCATE TABLE ${table(name)}`);
    },

    orderedIndexes: (name) => readPgOrderedIndexes(query, schema, name),

    cursorReader: (spec) =>
      sqlCursorReader(
        {
          queryArrays,
          dialect: postgresDialect,
          table: table(spec.table),
          cursorFamily: async () => familyOfColumn((await shapeOf(spec.table)).detail.columns, spec.table, spec.cursorColumn),
          zone: connection.timestampZone ?? 'UTC',
        },
        spec,
      ),

    readNullKeys: async (name, keyColumns, columns, limit) => readNullKeyRows(query, postgresDialect, table(name), keyColumns, columns, limit),

    async deleteKeys(name, keyColumns, keys) {
      let deleted = 0;
      for (const s of deleteKeysStatements(postgresDialect, table(name), keyColumns, keys)) {
        deleted += await pool.withClient(async (client) => (await client.query(s.text, s.values)).rowCount ?? 0).catch((err: unknown) => {
          throw wrapPgError(err);
        });
      }
      return deleted;
    },

    async writeBatch(req) {
      if (req.rows.length === 0) return { written: 0 };
      await inTransaction(req.table, (client, target) => writePgBatch(client, target, req));
      return { written: req.rows.length };
    },

    async encodeInsert(req) {
      return encodePgInsert(await writeTarget(req.table), req);
    },

    async writeEncoded(batch) {
      if (batch.rowCount === 0) return { written: 0 };
      await inTransaction(batch.table, (client, target) => writePgEncoded(client, target, batch));
      return { written: batch.rowCount };
    },

    rehearseWrites: (limits, check) => rehearsePgWrites(pool, { table, writeTarget, constraintColumns: constraintColumnsOf }, limits, check),

    constraintColumns: constraintColumnsOf,

    close: () => pool.close(),
  };
  return connector;
};
