import { pipeline } from 'node:stream/promises';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { MARIADB, PG_URL, log } from './bench-env';
import { ensurePgDatabase } from './pg-legacy-copy';
import { VERIFY_BENCH } from './verify-env';

/**
 * Data of the verification benchmark. customers (the source, in PostgreSQL and optionally
 * MariaDB) is generated in SQL with the same values on both engines: even keys 2, 4, … 2N
 * (so extra target rows can sit between them), NULLs, empty strings, quotes, decimals,
 * dates, timestamps with microseconds. contacts (the target, PostgreSQL) holds what a
 * migration of plain copies and one cast writes: a raw COPY of the source.
 */

/** Bumped when the generated data changes, so stale tables are rebuilt. */
const GENERATOR = 'ferry verify bench v1';

const PG_CUSTOMERS = `CREATE TABLE customers (
  cust_id integer NOT NULL,
  first_nm varchar(60),
  last_nm varchar(60),
  email_addr varchar(255),
  status char(1),
  balance numeric(12,2),
  vip smallint,
  birth_date date,
  created_at timestamp(6),
  updated_at timestamptz,
  notes text
)`;

const pgRows = (n: number) => `INSERT INTO customers
SELECT 2 * i,
  CASE WHEN i % 17 = 0 THEN NULL ELSE 'First' || (i % 997) END,
  'Last' || (i % 7919) || CASE WHEN i % 13 = 0 THEN ' Jr.' ELSE '' END,
  'user' || i || '@example.com',
  substr('AIP', 1 + i % 3, 1),
  ((i::bigint * 7919) % 10000000) / 100.0,
  i % 2,
  DATE '1950-01-01' + i % 20000,
  TIMESTAMP '2015-01-01' + i * 97 * interval '1 second' + (i % 1000000) * interval '1 microsecond',
  TIMESTAMPTZ '2020-01-01 00:00:00+00' + i * 13 * interval '1 second',
  CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN '' ELSE 'note, "quoted" ' || md5(i::text) END
FROM generate_series(1, ${n}) i`;

const MARIA_CUSTOMERS = `CREATE TABLE customers (
  cust_id INT NOT NULL PRIMARY KEY,
  first_nm VARCHAR(60),
  last_nm VARCHAR(60),
  email_addr VARCHAR(255),
  status CHAR(1),
  balance DECIMAL(12,2),
  vip TINYINT(1),
  birth_date DATE,
  created_at DATETIME(6),
  updated_at TIMESTAMP(6) NULL,
  notes TEXT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

const mariaRows = (from: number, to: number) => `INSERT INTO customers
SELECT 2 * seq,
  CASE WHEN seq % 17 = 0 THEN NULL ELSE CONCAT('First', seq % 997) END,
  CONCAT('Last', seq % 7919, CASE WHEN seq % 13 = 0 THEN ' Jr.' ELSE '' END),
  CONCAT('user', seq, '@example.com'),
  SUBSTR('AIP', 1 + seq % 3, 1),
  ((seq * 7919) % 10000000) / 100.0,
  seq % 2,
  DATE '1950-01-01' + INTERVAL (seq % 20000) DAY,
  TIMESTAMP '2015-01-01 00:00:00' + INTERVAL (seq * 97) SECOND + INTERVAL (seq % 1000000) MICROSECOND,
  TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (seq * 13) SECOND,
  CASE WHEN seq % 5 = 0 THEN NULL WHEN seq % 5 = 1 THEN '' ELSE CONCAT('note, "quoted" ', MD5(seq)) END
FROM seq_${from}_to_${to}`;

export const CONTACTS = `CREATE TABLE contacts (
  id bigint NOT NULL,
  first_name text,
  last_name varchar(80),
  email text,
  status varchar(1),
  balance numeric(14,2),
  vip boolean,
  birth_date date,
  created_at timestamptz,
  updated_at timestamptz,
  notes text
)`;

const SOURCE_COLUMNS = ['cust_id', 'first_nm', 'last_nm', 'email_addr', 'status', 'balance', 'vip', 'birth_date', 'created_at', 'updated_at', 'notes'];
const TARGET_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'status', 'balance', 'vip', 'birth_date', 'created_at', 'updated_at', 'notes'];
export const FIELD_PAIRS = TARGET_COLUMNS.map((target, i) => ({ target, source: SOURCE_COLUMNS[i] }));

async function withPg<T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL(database) });
  await client.connect();
  try {
    // The target's timestamp text is read as UTC, as the connectors' sessions do.
    await client.query("SET TimeZone = 'UTC'");
    return await use(client);
  } finally {
    await client.end();
  }
}

/** PostgreSQL customers with `customers` rows; kept when it already holds exactly that. */
export async function ensurePgSource(customers: number): Promise<void> {
  await ensurePgDatabase(VERIFY_BENCH.source);
  await withPg(VERIFY_BENCH.source, async (client) => {
    const marker = `${GENERATOR}: ${customers} rows`;
    const found = await client.query<{ c: string | null }>(`SELECT obj_description(to_regclass('public.customers'), 'pg_class') AS c`);
    if (found.rows[0]?.c === marker) {
      log(`${VERIFY_BENCH.source}.customers already holds ${customers} generated rows`);
      return;
    }
    const t = performance.now();
    await client.query('DROP TABLE IF EXISTS customers');
    await client.query(PG_CUSTOMERS);
    await client.query(pgRows(customers));
    await client.query('ALTER TABLE customers ADD PRIMARY KEY (cust_id)');
    await client.query('VACUUM (ANALYZE) customers');
    await client.query(`COMMENT ON TABLE customers IS '${marker}'`);
    log(`${VERIFY_BENCH.source}.customers: ${customers} rows generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  });
}

/** The same customers in MariaDB (for the MariaDB → PostgreSQL line). */
export async function ensureMariaSource(customers: number): Promise<void> {
  const conn = await mysql.createConnection({ ...MARIADB, multipleStatements: true, charset: 'utf8mb4' });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${VERIFY_BENCH.sourceMaria} CHARACTER SET utf8mb4; USE ${VERIFY_BENCH.sourceMaria}; SET time_zone = '+00:00'`);
    const marker = `${GENERATOR}: ${customers} rows`;
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [VERIFY_BENCH.sourceMaria, 'customers'],
    );
    if (rows[0]?.c === marker) {
      log(`MariaDB ${VERIFY_BENCH.sourceMaria}.customers already holds ${customers} generated rows`);
      return;
    }
    const t = performance.now();
    await conn.query(`DROP TABLE IF EXISTS customers; ${MARIA_CUSTOMERS}`);
    for (let from = 1; from <= customers; from += 100_000) await conn.query(mariaRows(from, Math.min(customers, from + 99_999)));
    await conn.query(`ALTER TABLE customers COMMENT = '${marker}'; ANALYZE TABLE customers`);
    log(`MariaDB ${VERIFY_BENCH.sourceMaria}.customers: ${customers} rows generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    await conn.end();
  }
}

/** contacts re-created from the PostgreSQL source with COPY: what the migration would have written. */
export async function copyTarget(): Promise<number> {
  await ensurePgDatabase(VERIFY_BENCH.target);
  const t = performance.now();
  const copied = await withPg(VERIFY_BENCH.target, async (target) => {
    await target.query('DROP TABLE IF EXISTS contacts');
    await target.query(CONTACTS);
    await withPg(VERIFY_BENCH.source, async (source) => {
      const out = source.query(copyTo(`COPY (SELECT ${SOURCE_COLUMNS.join(', ')} FROM customers) TO STDOUT`));
      await pipeline(out, target.query(copyFrom(`COPY contacts (${TARGET_COLUMNS.join(', ')}) FROM STDIN`)));
    });
    // Key after the load (one sort), then statistics and the visibility map, as a finished
    // migration's table would be after autovacuum.
    await target.query('ALTER TABLE contacts ADD PRIMARY KEY (id)');
    await target.query('VACUUM (ANALYZE) contacts');
    return Number((await target.query<{ n: string }>('SELECT count(*) AS n FROM contacts')).rows[0].n);
  });
  log(`${VERIFY_BENCH.target}.contacts: ${copied} rows copied in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return copied;
}

export { withPg };
