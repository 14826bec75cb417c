import { pipeline } from 'node:stream/promises';
import mysqlCore from 'mysql2';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BENCH, MARIADB, PG_URL, log } from './bench-env';
import { RowsToCopyText } from './copy-text';

/**
 * The legacy customers table in PostgreSQL, so the migration can be measured with a
 * PostgreSQL source too: same columns, equivalent types, primary key on cust_id. Filled by
 * streaming from MariaDB (mysql2 .stream()) into COPY … FROM STDIN; skipped when it
 * already holds the expected number of rows.
 */
const COLUMNS = ['cust_id', 'first_nm', 'last_nm', 'email_addr', 'phone', 'status', 'created_dt', 'company', 'country', 'notes', 'last_modified'];

const CREATE_TABLE = `CREATE TABLE customers (
  cust_id integer NOT NULL,
  first_nm varchar(60),
  last_nm varchar(60),
  email_addr varchar(255),
  phone varchar(40),
  status char(1),
  created_dt varchar(30),
  company varchar(120),
  country char(2),
  notes text,
  last_modified timestamp NOT NULL DEFAULT now()
)`;

export async function ensurePgDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL('postgres') });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

export async function ensureLegacyPgCopy(customers: number): Promise<void> {
  await ensurePgDatabase(BENCH.legacyPg);
  const client = new pg.Client({ connectionString: PG_URL(BENCH.legacyPg) });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('public.customers') IS NOT NULL AS e`);
    if (exists.rows[0].e) {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM customers');
      if (Number(rows[0].n) === customers) {
        log(`${BENCH.legacyPg}.customers already holds ${customers} rows; nothing to do`);
        return;
      }
    }
    const t = performance.now();
    await client.query('DROP TABLE IF EXISTS customers');
    await client.query(CREATE_TABLE);
    const maria = mysqlCore.createConnection({ ...MARIADB, database: BENCH.legacyMaria, dateStrings: true, charset: 'utf8mb4' });
    try {
      const source = maria.query({ sql: `SELECT ${COLUMNS.join(', ')} FROM customers ORDER BY cust_id`, rowsAsArray: true }).stream({ highWaterMark: 2000 });
      const text = new RowsToCopyText();
      await pipeline(source, text, client.query(copyFrom(`COPY customers (${COLUMNS.join(', ')}) FROM STDIN`)));
      log(`copied ${text.rows} customers MariaDB → ${BENCH.legacyPg} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    } finally {
      maria.destroy();
    }
    // Primary key after the load (one sort instead of row-by-row maintenance), then
    // statistics and the visibility map, so the first reads are not skewed by either.
    await client.query('ALTER TABLE customers ADD PRIMARY KEY (cust_id)');
    await client.query('VACUUM (ANALYZE) customers');
    log(`${BENCH.legacyPg}.customers ready (${((performance.now() - t) / 1000).toFixed(1)} s with key and vacuum)`);
  } finally {
    await client.end();
  }
}
