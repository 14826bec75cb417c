import type mysql from 'mysql2/promise';
import { DEFAULT_TEST_TIMEOUT_MS } from '../connection-test';
import type { SourceFilter } from '../../schemas/mapping-spec';
import type { ConstraintColumns, Connector, ConnectorFactory, KeyRange, TableDetail } from '../connector';
import { runCanonicalHash, runSplitRange, withCollations } from '../sql/hash-statements';
import { qualifiedTable } from '../sql/identifiers';
import { deleteKeysStatements, readKeyBounds, readKeyRows, readNullKeyRows, readRangeArrayRows, readRangeRows, runHashRange } from '../sql/keyed-statements';
import { familyOfColumn, sqlCursorReader } from '../sql/cursor-read';
import { countInScopeStatement, countStatement, splitPointsStatement, toKeyValue } from '../sql/reads';
import { applicableFilters, type FilterScope } from '../sql/source-filter-sql';
import { describeMysqlTable, listMysqlTables, type MysqlQuery } from './catalog';
import { MysqlPool, testMysqlConnection } from './connection';
import { readMysqlConstraintColumns } from './constraint-columns';
import { readMysqlOrderedIndexes } from './ordered-indexes';
import { mysqlDialect } from './dialect';
import { wrapMysqlError } from './wrap-error';
import { inMysqlRehearsal, writeMysqlBatch, writeMysqlBatchInSavepoint } from './write';

/**
 * MySQL 8 / MariaDB 10.11 connector (mysql2). The database is the schema.
 *
 * Values are returned as mysql2 gives them with these pool options: BIGINT and DECIMAL as
 * strings, DATE/DATETIME/TIMESTAMP as text, TINYINT(1) as 0/1, BLOBs as Buffers, MySQL 8
 * JSON parsed (MariaDB JSON is text).
 */
export const createMysqlConnector: ConnectorFactory = (connection) => {
  const database = connection.database;
  const pool = new MysqlPool(connection);
  const table = (name: string) => qualifiedTable(mysqlDialect, database, name);
  const query: MysqlQuery = (sql, values) => pool.query(sql, values);
  const queryArrays = (text: string, values: unknown[]) => pool.query<unknown[]>(text, values, true);

  // Tables as described once per connector instance: primary keys for ranged counts, column types for filters.
  const details = new Map<string, Promise<TableDetail>>();
  const detailOf = (name: string): Promise<TableDetail> => {
    let detail = details.get(name);
    if (!detail) {
      detail = describeMysqlTable(query, database, name, () => pool.isMariaDb);
      detail.catch(() => details.delete(name));
      details.set(name, detail);
    }
    return detail;
  };
  const constraints = new Map<string, Promise<ConstraintColumns>>();
  const constraintColumnsOf = (name: string): Promise<ConstraintColumns> => {
    let columns = constraints.get(name);
    if (!columns) {
      columns = detailOf(name).then((detail) => readMysqlConstraintColumns(query, database, name, detail.columns.map((c) => c.name), pool.isMariaDb));
      columns.catch(() => constraints.delete(name));
      constraints.set(name, columns);
    }
    return columns;
  };
  const primaryKeyOf = async (name: string): Promise<string[]> => (await detailOf(name)).primaryKey;
  const filterScope = async (name: string, filters: readonly SourceFilter[] = []): Promise<FilterScope | undefined> =>
    filters.length > 0 ? { columns: (await detailOf(name)).columns, filters } : undefined;

  const countInRange = async (name: string, range?: KeyRange): Promise<number> => {
    // The interface gives a range without key columns: ranges are over the primary key.
    let keys: string[] | null = null;
    if (range) {
      keys = await primaryKeyOf(name);
      if (keys.length === 0) throw new Error(`Counting a key range needs a primary key on "${name}"; use hashRange`);
    }
    const s = countStatement(mysqlDialect, table(name), keys, range);
    const [row] = await query<{ n: string }>(s.text, s.values);
    return Number(row.n);
  };

  const connector: Connector = {
    kind: 'mysql',

    test: (timeoutMs = DEFAULT_TEST_TIMEOUT_MS) => testMysqlConnection(connection, timeoutMs),

    listTables: () => listMysqlTables(query, database),

    describeTable: async (name) => withCollations(query, mysqlDialect, database, await describeMysqlTable(query, database, name, () => pool.isMariaDb)),

    async splitPoints(name, keyColumns, rowsPerChunk, filters) {
      const s = splitPointsStatement(mysqlDialect, table(name), keyColumns, rowsPerChunk, await filterScope(name, filters));
      const rows = await queryArrays(s.text, s.values);
      return rows.map((row) => row.map(toKeyValue));
    },

    keyBounds: async (name, keyColumns, filters) => readKeyBounds(queryArrays, mysqlDialect, table(name), keyColumns, await filterScope(name, filters)),

    applicableFilters: async (name, filters) => (filters.length > 0 ? applicableFilters(mysqlDialect, (await detailOf(name)).columns, filters) : []),

    async countInScope(name, keyColumns, filters) {
      const s = countInScopeStatement(mysqlDialect, table(name), keyColumns, await filterScope(name, filters));
      const [row] = await query<{ n: string }>(s.text, s.values);
      return Number(row.n);
    },

    async *readRange(req) {
      yield* readRangeRows(query, mysqlDialect, table(req.table), req);
    },

    async *readRangeArrays(req) {
      yield* readRangeArrayRows(queryArrays, mysqlDialect, table(req.table), req);
    },

    readKeys: async (name, keyColumns, columns, keys) => readKeyRows(query, mysqlDialect, table(name), keyColumns, columns, keys),

    count: countInRange,

    hashRange: async (name, keyColumns, columns, range) => runHashRange(query, mysqlDialect, table(name), keyColumns, columns, range),

    hashRangeCanonical: (req) => runCanonicalHash(query, mysqlDialect, table(req.table), req),

    splitRange: (name, keyColumns, range, rowsPerPart) => runSplitRange(query, mysqlDialect, table(name), keyColumns, range, rowsPerPart),

    async writeBatch(req) {
      if (req.rows.length === 0) return { written: 0 };
      await pool.withConnection((conn) => writeMysqlBatch(conn, table(req.table), req)).catch((err: unknown) => {
        throw wrapMysqlError(err);
      });
      return { written: req.rows.length };
    },

    async truncate(name) {
      await query(`TRUNCATE TABLE ${table(name)}`);
    },

    orderedIndexes: (name) => readMysqlOrderedIndexes(query, database, name),

    cursorReader: (spec) =>
      sqlCursorReader(
        {
          queryArrays,
          dialect: mysqlDialect,
          table: table(spec.table),
          cursorFamily: async () => familyOfColumn((await detailOf(spec.table)).columns, spec.table, spec.cursorColumn),
          zone: connection.timestampZone ?? 'UTC',
        },
        spec,
      ),

    readNullKeys: async (name, keyColumns, columns, limit) => readNullKeyRows(query, mysqlDialect, table(name), keyColumns, columns, limit),

    async deleteKeys(name, keyColumns, keys) {
      let deleted = 0;
      for (const s of deleteKeysStatements(mysqlDialect, table(name), keyColumns, keys)) {
        const result = await pool.withConnection(async (conn) => (await conn.query({ sql: s.text, values: s.values }))[0]).catch((err: unknown) => {
          throw wrapMysqlError(err);
        });
        deleted += (result as { affectedRows?: number }).affectedRows ?? 0;
      }
      return deleted;
    },

    async rehearseWrites(limits, check) {
      return pool
        .withConnection((conn) => {
          let open = true;
          const onSession = async <R>(sql: string, values: unknown[] = []): Promise<R[]> => {
            if (!open) throw new Error('The write rehearsal is over');
            const [rows] = await conn.query<mysql.RowDataPacket[]>({ sql, values }).catch((err: unknown) => {
              throw wrapMysqlError(err);
            });
            return rows as unknown as R[];
          };
          return inMysqlRehearsal(conn, limits, pool.isMariaDb, async () => {
            try {
              return await check({
                readKeys: (name, keyColumns, columns, keys) => readKeyRows(onSession, mysqlDialect, table(name), keyColumns, columns, keys),
                async writeBatch(req) {
                  if (!open) throw new Error('The write rehearsal is over');
                  if (req.rows.length === 0) return { written: 0 };
                  await writeMysqlBatchInSavepoint(conn, table(req.table), req);
                  return { written: req.rows.length };
                },
                constraintColumns: constraintColumnsOf,
              });
            } finally {
              open = false;
            }
          });
        })
        .catch((err: unknown) => {
          throw wrapMysqlError(err);
        });
    },

    constraintColumns: constraintColumnsOf,

    close: () => pool.close(),
  };
  return connector;
};
