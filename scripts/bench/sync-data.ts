import mysql from 'mysql2/promise';
import pg from 'pg';
import { MARIADB, PG_URL, log } from './bench-env';
import { ensurePgDatabase } from './pg-legacy-copy';
import { SYNC_BENCH } from './sync-env';

/**
 * Data of the sync benchmark: accounts (id 1..N) in the source, generated in SQL with the
 * same values on PostgreSQL and MariaDB (padded names, mixed-case and NULL emails, NULL
 * notes), `updated_at` a millisecond timestamp the writer sets on every change (the polling
 * mode's cursor) and `deleted_at` its soft deletion. Row 1 is the marker the benchmark
 * updates to see when the target has caught up; the writer never picks it.
 */

export const MARKER_ID = 1;

const T = SYNC_BENCH.table;

const PG_TABLE = `CREATE TABLE ${T} (
  id bigint NOT NULL,
  name varchar(100) NOT NULL,
  email varchar(200),
  status char(1) NOT NULL,
  balance numeric(12,2),
  notes text,
  updated_at timestamp(3) NOT NULL,
  deleted_at timestamp(3)
)`;

const pgRows = (n: number) => `INSERT INTO ${T}
SELECT i,
  CASE WHEN i % 20 = 0 THEN ' Name ' || i || ' ' ELSE 'Name ' || i END,
  CASE WHEN i % 50 = 0 THEN NULL WHEN i % 7 = 0 THEN 'User' || i || '@Example.COM' ELSE 'user' || i || '@example.com' END,
  substr('AIP', 1 + i % 3, 1),
  ((i::bigint * 7919) % 10000000) / 100.0,
  CASE WHEN i % 4 = 0 THEN NULL ELSE 'note ' || md5(i::text) END,
  TIMESTAMP '2025-01-01' + i * interval '10 milliseconds',
  NULL
FROM generate_series(1, ${n}) i`;

const MARIA_TABLE = `CREATE TABLE ${T} (
  id BIGINT NOT NULL PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(200),
  status CHAR(1) NOT NULL,
  balance DECIMAL(12,2),
  notes TEXT,
  updated_at DATETIME(3) NOT NULL,
  deleted_at DATETIME(3) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

const mariaRows = (n: number) => `INSERT INTO ${T}
SELECT seq,
  IF(seq % 20 = 0, CONCAT(' Name ', seq, ' '), CONCAT('Name ', seq)),
  CASE WHEN seq % 50 = 0 THEN NULL WHEN seq % 7 = 0 THEN CONCAT('User', seq, '@Example.COM') ELSE CONCAT('user', seq, '@example.com') END,
  SUBSTR('AIP', 1 + seq % 3, 1),
  ((seq * 7919) % 10000000) / 100,
  IF(seq % 4 = 0, NULL, CONCAT('note ', MD5(seq))),
  TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (seq * 10000) MICROSECOND,
  NULL
FROM seq_1_to_${n}`;

const since = (t: number) => ((performance.now() - t) / 1000).toFixed(1);

/** A fresh PostgreSQL source of N rows (every mode changes its source, so each gets a new one). */
export async function buildPgSource(n: number): Promise<void> {
  const t = performance.now();
  await ensurePgDatabase(SYNC_BENCH.sourcePg);
  const client = new pg.Client({ connectionString: PG_URL(SYNC_BENCH.sourcePg) });
  await client.connect();
  try {
    // Slots of an earlier, interrupted run would keep WAL and block the table's drop.
    for (const { slot_name } of (await client.query<{ slot_name: string }>(`SELECT slot_name FROM pg_replication_slots WHERE database = $1`, [SYNC_BENCH.sourcePg])).rows) {
      await client.query('SELECT pg_drop_replication_slot($1)', [slot_name]).catch(() => undefined);
    }
    await client.query(`DROP TABLE IF EXISTS ${T}`);
    await client.query(PG_TABLE);
    await client.query(pgRows(n));
    await client.query(`ALTER TABLE ${T} ADD PRIMARY KEY (id)`);
    await client.query(`CREATE INDEX ${T}_updated_at ON ${T} (updated_at, id)`);
    await client.query(`VACUUM (ANALYZE) ${T}`);
  } finally {
    await client.end();
  }
  log(`PostgreSQL ${SYNC_BENCH.sourcePg}.${T}: ${n} rows in ${since(t)} s`);
}

/** A fresh MariaDB source of N rows, kept out of the binlog (no sync reads the load). */
export async function buildMariaSource(n: number): Promise<void> {
  const t = performance.now();
  const db = await mysql.createConnection({ ...MARIADB });
  try {
    await db.query(`CREATE DATABASE IF NOT EXISTS \`${SYNC_BENCH.sourceMaria}\` CHARACTER SET utf8mb4`);
    await db.query(`USE \`${SYNC_BENCH.sourceMaria}\``);
    await db.query('SET SESSION sql_log_bin = 0');
    await db.query(`DROP TABLE IF EXISTS ${T}`);
    await db.query(MARIA_TABLE);
    await db.query(mariaRows(n));
    await db.query(`CREATE INDEX ${T}_updated_at ON ${T} (updated_at, id)`);
    await db.query(`ANALYZE TABLE ${T}`);
  } finally {
    await db.end();
  }
  log(`MariaDB ${SYNC_BENCH.sourceMaria}.${T}: ${n} rows in ${since(t)} s`);
}

/** An empty target table: the sync's initial load fills it. */
export async function resetTarget(): Promise<void> {
  await ensurePgDatabase(SYNC_BENCH.target);
  const client = new pg.Client({ connectionString: PG_URL(SYNC_BENCH.target) });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${T}`);
    await client.query(`CREATE TABLE ${T} (
      id bigint PRIMARY KEY,
      name text NOT NULL,
      email text,
      status text NOT NULL,
      balance numeric(12,2),
      notes text,
      updated_at timestamp(3) NOT NULL,
      deleted_at timestamp(3)
    )`);
  } finally {
    await client.end();
  }
}

/**
 * accounts → accounts: names trimmed, emails trimmed and lowered, status letters mapped to
 * words, the rest copied; rows marked deleted are not part of the target.
 */
export const syncBenchSpec = {
  source: { table: T, key: ['id'], filter: [{ column: 'deleted_at', op: 'is_null' }] },
  target: { table: T, key: ['id'] },
  writeMode: 'upsert',
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'name', sources: ['name'], transforms: [{ op: 'trim' }] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'trim' }, { op: 'lower' }] },
    { target: 'status', sources: ['status'], transforms: [{ op: 'value_map', map: { A: 'active', I: 'inactive', P: 'prospect' } }] },
    { target: 'balance', sources: ['balance'] },
    { target: 'notes', sources: ['notes'] },
    { target: 'updated_at', sources: ['updated_at'] },
    { target: 'deleted_at', sources: ['deleted_at'] },
  ],
};

/**
 * The comparison's row texts, computed by each database independently of Ferry's mapping
 * code: what the mapping must have written for a live source row, and what the target holds.
 */
const NULL = `'(null)'`;
export const expectedRowSql = {
  postgres: `SELECT id, md5(concat_ws('|', trim(name), coalesce(lower(trim(email)), ${NULL}),
      CASE status WHEN 'A' THEN 'active' WHEN 'I' THEN 'inactive' WHEN 'P' THEN 'prospect' END,
      coalesce(balance::text, ${NULL}), coalesce(notes, ${NULL}), to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.MS'), ${NULL})) AS h
    FROM ${T} WHERE deleted_at IS NULL ORDER BY id`,
  mariadb: `SELECT id, MD5(CONCAT_WS('|', TRIM(name), COALESCE(LOWER(TRIM(email)), ${NULL}),
      CASE status WHEN 'A' THEN 'active' WHEN 'I' THEN 'inactive' WHEN 'P' THEN 'prospect' END,
      COALESCE(CAST(balance AS CHAR), ${NULL}), COALESCE(notes, ${NULL}), LEFT(DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f'), 23), ${NULL})) AS h
    FROM ${T} WHERE deleted_at IS NULL ORDER BY id`,
  target: `SELECT id, md5(concat_ws('|', name, coalesce(email, ${NULL}), status, coalesce(balance::text, ${NULL}), coalesce(notes, ${NULL}),
      to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.MS'), coalesce(to_char(deleted_at, 'YYYY-MM-DD HH24:MI:SS.MS'), ${NULL}))) AS h
    FROM ${T} ORDER BY id`,
};
