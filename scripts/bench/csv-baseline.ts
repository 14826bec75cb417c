import { invalidCustomersSql } from './invalid-customers-sql';
import pg from 'pg';
import { PG_URL, log } from './bench-env';
import { timeCopyFloor, type CopyFloor } from './copy-floor';
import { runPsql } from './psql';
import type { BaselineResult } from './baseline-copy';

/**
 * The raw baseline of the CSV benchmark: psql's `\copy` of the same file into a table of
 * the same shape as the legacy customers it was exported from (natural types, primary key
 * on cust_id), nothing else: no transforms, no validation, no checkpoints, one stream.
 */
const CREATE_BASELINE = `
DROP TABLE IF EXISTS csv_customers_baseline;
CREATE TABLE csv_customers_baseline (
  cust_id integer PRIMARY KEY,
  first_nm varchar(60),
  last_nm varchar(60),
  email_addr varchar(255),
  phone varchar(40),
  status char(1),
  created_dt varchar(30),
  company varchar(120),
  country char(2),
  notes text,
  last_modified timestamp
)`;

async function withClient<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL(database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Times `\copy csv_customers_baseline FROM '<file>' WITH (FORMAT csv, HEADER true, DELIMITER ',')` into an empty table. */
export async function baselineCsvCopy(database: string, file: string): Promise<BaselineResult> {
  await withClient(database, async (client) => {
    await client.query(CREATE_BASELINE);
    await client.query('CHECKPOINT');
  });
  const quoted = file.replace(/'/g, "''");
  const started = performance.now();
  const out = await runPsql(database, `\\copy csv_customers_baseline FROM '${quoted}' WITH (FORMAT csv, HEADER true, DELIMITER ',')`);
  const seconds = (performance.now() - started) / 1000;
  const rows = Number(out.match(/COPY (\d+)/)?.[1] ?? NaN);
  if (!Number.isFinite(rows)) throw new Error(`psql's \\copy answered "${out.trim()}", not COPY <rows>`);
  log(`baseline psql \\copy: ${rows} rows in ${seconds.toFixed(2)} s (${Math.round(rows / seconds)} rows/s)`);
  return { rows, seconds, rowsPerSecond: rows / seconds };
}

/**
 * Customers the mapping must refuse, by the generator's own rules (scripts/demo-data/
 * load-demo-data.ts, rules 1–5), counted in the baseline's copy of the file: what the CSV
 * holds, not what MariaDB held (an empty field and NULL are one in CSV; the rules treat
 * them alike).
 */
export async function expectedInvalidCsvRows(database: string): Promise<number> {
  return withClient(database, async (client) => {
    const { rows } = await client.query<{ invalid: string }>(invalidCustomersSql('csv_customers_baseline'));
    return Number(rows[0].invalid);
  });
}

/**
 * What contacts costs by itself (copy-floor.ts): the rows the migration landed, loaded in
 * one stream into an empty table LIKE contacts, its identity generating the ids as in the run.
 */
export function targetCopyFloor(database: string, folder: string): Promise<CopyFloor> {
  return timeCopyFloor(database, ['contacts'], folder, 'generated');
}
