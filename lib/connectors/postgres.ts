import type { Connector, ConnectorFactory, KeyRange, Row } from './connector';
import { DEFAULT_TEST_TIMEOUT_MS } from './connection-test';
import { wrapPgError } from './database-error';
import { type PgQuery, type PgTableShape, describePgTable, listPgTables } from './postgres-catalog';
import { PostgresPool, testPostgresConnection } from './postgres-connection';
import { writePgBatch } from './postgres-write';
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
 * PostgreSQL connector (node-postgres). Tables live in `connection.schema ?? 'public'`.
 *
 * Values are returned as pg parses them, with two deliberate properties: int8 and numeric
 * arrive as strings (pg's default: no precision loss), and date/timestamp/timestamptz
 * arrive as the server's text rather than JS Dates (see postgres-connection.ts).
 */
export const createPostgresConnector: ConnectorFactory = (connection) => {
  const schema = connection.schema ?? 'public';
  const pool = new PostgresPool(connection);
  const table = (name: string) => qualifiedTable('postgres', schema, name);

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

  const countInRange = async (name: string, range?: KeyRange): Promise<number> => {
    // The interface gives a range without key columns: ranges are over the primary key.
    let keys: string[] | null = null;
    if (range) {
      keys = (await shapeOf(name)).detail.primaryKey;
      if (keys.length === 0) throw new Error(`Counting a key range needs a primary key on "${name}"; use hashRange`);
    }
    const s = countStatement('postgres', table(name), keys, range);
    const rows = await query<{ n: string }>(s.text, s.values);
    return Number(rows[0].n);
  };

  const connector: Connector = {
    kind: 'postgres',

    test: (timeoutMs = DEFAULT_TEST_TIMEOUT_MS) => testPostgresConnection(connection, timeoutMs),

    listTables: () => listPgTables(query, schema),

    async describeTable(name) {
      const shape = await describePgTable(query, schema, name);
      shapes.set(name, Promise.resolve(shape));
      return withCollations(query, 'postgres', schema, shape.detail);
    },

    async splitPoints(name, keyColumns, rowsPerChunk) {
      const s = splitPointsStatement('postgres', table(name), keyColumns, rowsPerChunk);
      return (await queryArrays(s.text, s.values)).map((row) => row.map(toKeyValue));
    },

    readRange(req) {
      return keysetBatches(
        (after) => {
          const s = readRangeStatement('postgres', table(req.table), req.keyColumns, req.columns, req.range, after, req.batchSize);
          return query<Row>(s.text, s.values);
        },
        req.keyColumns,
        req.batchSize,
        req.after ?? null,
      );
    },

    async readKeys(name, keyColumns, columns, keys) {
      const rows: Row[] = [];
      for (const s of readKeysStatements('postgres', table(name), keyColumns, columns, keys)) {
        rows.push(...(await query<Row>(s.text, s.values)));
      }
      return rows;
    },

    count: countInRange,

    async hashRange(name, keyColumns, columns, range) {
      const s = hashRangeStatement('postgres', table(name), keyColumns, columns, range);
      const [row] = await query<{ n: string; h: string }>(s.text, s.values);
      return { count: Number(row.n), hash: row.h };
    },

    hashRangeCanonical: (req) => runCanonicalHash(query, 'postgres', table(req.table), req),

    splitRange: (name, keyColumns, range, rowsPerPart) => runSplitRange(query, 'postgres', table(name), keyColumns, range, rowsPerPart),

    async truncate(name) {
      await query(`TRUNCATE TABLE ${table(name)}`);
    },

    async readNullKeys(name, keyColumns, columns, limit) {
      const anyNull = keyColumns.map((c) => `${quoteIdent('postgres', c)} IS NULL`).join(' OR ');
      const select = withKeyColumns(keyColumns, columns).map((c) => quoteIdent('postgres', c)).join(', ');
      const [counted] = await query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table(name)} WHERE ${anyNull}`);
      const count = Number(counted.n);
      const rows = count > 0 ? await query<Row>(`SELECT ${select} FROM ${table(name)} WHERE ${anyNull} LIMIT ${Math.max(0, Math.floor(limit))}`) : [];
      return { count, rows };
    },

    async deleteKeys(name, keyColumns, keys) {
      let deleted = 0;
      for (let i = 0; i < keys.length; i += KEY_LOOKUP_GROUP) {
        const params = new SqlParams('postgres');
        const where = keyInList('postgres', params, keyColumns, keys.slice(i, i + KEY_LOOKUP_GROUP));
        const text = `DELETE FROM ${table(name)} WHERE ${where}`;
        deleted += await pool.withClient(async (client) => (await client.query(text, params.values)).rowCount ?? 0).catch((err: unknown) => {
          throw wrapPgError(err);
        });
      }
      return deleted;
    },

    async writeBatch(req) {
      if (req.rows.length === 0) return { written: 0 };
      const shape = await shapeOf(req.table);
      const target = { table: table(req.table), schema, tableName: req.table, shape };
      try {
        await pool.withClient(async (client, discard) => {
          await client.query('BEGIN');
          try {
            await writePgBatch(client, target, req);
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
      return { written: req.rows.length };
    },

    close: () => pool.close(),
  };
  return connector;
};
