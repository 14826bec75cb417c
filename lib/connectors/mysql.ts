import type { Connector, ConnectorFactory, KeyRange, Row } from './connector';
import { DEFAULT_TEST_TIMEOUT_MS } from './connection-test';
import { wrapMysqlError } from './database-error';
import { describeMysqlTable, listMysqlTables, type MysqlQuery } from './mysql-catalog';
import { MysqlPool, testMysqlConnection } from './mysql-connection';
import { writeMysqlBatch } from './mysql-write';
import { keyInList, qualifiedTable, quoteIdent, SqlParams, withKeyColumns } from './sql-identifiers';
import { runCanonicalHash, runSplitRange, withCollations } from './sql-hash-statements';
import {
  KEY_LOOKUP_GROUP,
  countStatement,
  hashRangeStatement,
  keysetBatches,
  readKeysStatements,
  readRangeStatement,
  splitPointsStatement,
  toKeyValue,
} from './sql-reads';

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
  const table = (name: string) => qualifiedTable('mysql', database, name);
  const query: MysqlQuery = (sql, values) => pool.query(sql, values);

  // Primary keys per table for ranged counts, looked up once per connector instance.
  const primaryKeys = new Map<string, Promise<string[]>>();
  const primaryKeyOf = (name: string): Promise<string[]> => {
    let keys = primaryKeys.get(name);
    if (!keys) {
      keys = describeMysqlTable(query, database, name, () => pool.isMariaDb).then((d) => d.primaryKey);
      keys.catch(() => primaryKeys.delete(name));
      primaryKeys.set(name, keys);
    }
    return keys;
  };

  const countInRange = async (name: string, range?: KeyRange): Promise<number> => {
    // The interface gives a range without key columns: ranges are over the primary key.
    let keys: string[] | null = null;
    if (range) {
      keys = await primaryKeyOf(name);
      if (keys.length === 0) throw new Error(`Counting a key range needs a primary key on "${name}"; use hashRange`);
    }
    const s = countStatement('mysql', table(name), keys, range);
    const [row] = await query<{ n: string }>(s.text, s.values);
    return Number(row.n);
  };

  const connector: Connector = {
    kind: 'mysql',

    test: (timeoutMs = DEFAULT_TEST_TIMEOUT_MS) => testMysqlConnection(connection, timeoutMs),

    listTables: () => listMysqlTables(query, database),

    describeTable: async (name) => withCollations(query, 'mysql', database, await describeMysqlTable(query, database, name, () => pool.isMariaDb)),

    async splitPoints(name, keyColumns, rowsPerChunk) {
      const s = splitPointsStatement('mysql', table(name), keyColumns, rowsPerChunk);
      const rows = await pool.query<unknown[]>(s.text, s.values, true);
      return rows.map((row) => row.map(toKeyValue));
    },

    readRange(req) {
      return keysetBatches(
        (after) => {
          const s = readRangeStatement('mysql', table(req.table), req.keyColumns, req.columns, req.range, after, req.batchSize);
          return query<Row>(s.text, s.values);
        },
        req.keyColumns,
        req.batchSize,
        req.after ?? null,
      );
    },

    async readKeys(name, keyColumns, columns, keys) {
      const rows: Row[] = [];
      for (const s of readKeysStatements('mysql', table(name), keyColumns, columns, keys)) {
        rows.push(...(await query<Row>(s.text, s.values)));
      }
      return rows;
    },

    count: countInRange,

    async hashRange(name, keyColumns, columns, range) {
      const s = hashRangeStatement('mysql', table(name), keyColumns, columns, range);
      const [row] = await query<{ n: string; h: string }>(s.text, s.values);
      return { count: Number(row.n), hash: String(row.h) };
    },

    hashRangeCanonical: (req) => runCanonicalHash(query, 'mysql', table(req.table), req),

    splitRange: (name, keyColumns, range, rowsPerPart) => runSplitRange(query, 'mysql', table(name), keyColumns, range, rowsPerPart),

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

    async readNullKeys(name, keyColumns, columns, limit) {
      const anyNull = keyColumns.map((c) => `${quoteIdent('mysql', c)} IS NULL`).join(' OR ');
      const select = withKeyColumns(keyColumns, columns).map((c) => quoteIdent('mysql', c)).join(', ');
      const [counted] = await query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table(name)} WHERE ${anyNull}`);
      const count = Number(counted.n);
      const rows = count > 0 ? await query<Row>(`SELECT ${select} FROM ${table(name)} WHERE ${anyNull} LIMIT ${Math.max(0, Math.floor(limit))}`) : [];
      return { count, rows };
    },

    async deleteKeys(name, keyColumns, keys) {
      let deleted = 0;
      for (let i = 0; i < keys.length; i += KEY_LOOKUP_GROUP) {
        const params = new SqlParams('mysql');
        const where = keyInList('mysql', params, keyColumns, keys.slice(i, i + KEY_LOOKUP_GROUP));
        const result = await pool.withConnection(async (conn) => (await conn.query({ sql: `DELETE FROM ${table(name)} WHERE ${where}`, values: params.values }))[0]).catch((err: unknown) => {
          throw wrapMysqlError(err);
        });
        deleted += (result as { affectedRows?: number }).affectedRows ?? 0;
      }
      return deleted;
    },

    close: () => pool.close(),
  };
  return connector;
};
