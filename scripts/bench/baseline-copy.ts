import { pipeline } from 'node:stream/promises';
import mysqlCore from 'mysql2';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { BENCH, MARIADB, PG_URL, log } from './bench-env';
import { RowsToCopyText } from './copy-text';

/**
 * The raw baseline: the same source rows copied into an indexed table of the contacts
 * shape with nothing but COPY (no transforms, no validation, no checkpoints), in one
 * process and one stream. contacts_baseline has the columns of contacts with constraints
 * the untransformed data can satisfy (text, nullable), and as many indexes: primary key on
 * id, a plain index on email, an index on created_at.
 */
const TARGET_COLUMNS = 'id, email, full_name, first_name, last_name, phone, status, company, country, created_at';

const CREATE_BASELINE = `
CREATE TABLE IF NOT EXISTS contacts_baseline (
  id BIGINT PRIMARY KEY,
  email TEXT,
  full_name TEXT,
  first_name TEXT,
  last_name TEXT,
  phone TEXT,
  status TEXT,
  company TEXT,
  country TEXT,
  created_at TEXT,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS contacts_baseline_email_idx ON contacts_baseline (email);
CREATE INDEX IF NOT EXISTS contacts_baseline_created_at_idx ON contacts_baseline (created_at)`;

export interface BaselineResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

async function targetClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: PG_URL(BENCH.target) });
  await client.connect();
  await client.query(CREATE_BASELINE);
  await client.query('TRUNCATE contacts_baseline');
  return client;
}

function result(rows: number, started: number): BaselineResult {
  const seconds = (performance.now() - started) / 1000;
  return { rows, seconds, rowsPerSecond: rows / seconds };
}

/** COPY (SELECT …) TO STDOUT piped into COPY contacts_baseline FROM STDIN. */
export async function baselineFromPostgres(): Promise<BaselineResult> {
  const target = await targetClient();
  const source = new pg.Client({ connectionString: PG_URL(BENCH.legacyPg) });
  await source.connect();
  try {
    const started = performance.now();
    const out = source.query(
      copyTo(`COPY (SELECT cust_id, email_addr, first_nm || ' ' || last_nm, first_nm, last_nm, phone, status, company, country, created_dt FROM customers) TO STDOUT`),
    );
    const into = target.query(copyFrom(`COPY contacts_baseline (${TARGET_COLUMNS}) FROM STDIN`));
    await pipeline(out, into);
    const r = result(Number(into.rowCount), started);
    log(`baseline postgres: ${r.rows} rows in ${r.seconds.toFixed(2)} s (${Math.round(r.rowsPerSecond)} rows/s)`);
    return r;
  } finally {
    await source.end();
    await target.end();
  }
}

/** mysql2 query stream → COPY text → COPY contacts_baseline FROM STDIN. */
export async function baselineFromMariaDb(): Promise<BaselineResult> {
  const target = await targetClient();
  const maria = mysqlCore.createConnection({ ...MARIADB, database: BENCH.legacyMaria, dateStrings: true, charset: 'utf8mb4' });
  try {
    const started = performance.now();
    const rows = maria
      .query({
        sql: `SELECT cust_id, email_addr, CONCAT(first_nm, ' ', last_nm), first_nm, last_nm, phone, status, company, country, created_dt FROM customers`,
        rowsAsArray: true,
      })
      .stream({ highWaterMark: 2000 });
    const text = new RowsToCopyText();
    const into = target.query(copyFrom(`COPY contacts_baseline (${TARGET_COLUMNS}) FROM STDIN`));
    await pipeline(rows, text, into);
    const r = result(Number(into.rowCount), started);
    log(`baseline mariadb: ${r.rows} rows in ${r.seconds.toFixed(2)} s (${Math.round(r.rowsPerSecond)} rows/s)`);
    return r;
  } finally {
    maria.destroy();
    await target.end();
  }
}
