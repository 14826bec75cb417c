import { pipeline } from 'node:stream/promises';
import mysqlCore from 'mysql2';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { MARIADB, PG_URL, log } from './bench-env';
import { RowsToCopyText } from './copy-text';
import { PLAN_BENCH } from './plan-env';

/**
 * The raw baseline of a plan: each legacy table copied into a table of its target's shape
 * with nothing but a mysql2 stream piped into COPY (no transforms, no checks, no id maps),
 * one table after the other, in one process. Columns are text or the key's type and
 * nullable (the raw data satisfies them); each baseline table has the indexes that matter
 * for its target: its key and the index on the column that refers to the parent.
 */
const TABLES = [
  {
    name: 'contacts_baseline',
    ddl: `id bigint PRIMARY KEY, email text, full_name text, first_name text, last_name text, status text, company text, country text, created_at text;
          CREATE INDEX ON contacts_baseline (email); CREATE INDEX ON contacts_baseline (created_at)`,
    columns: 'id, email, full_name, first_name, last_name, status, company, country, created_at',
    select: `SELECT cust_id, email_addr, CONCAT(first_nm, ' ', last_nm), first_nm, last_nm, status, company, country, created_dt FROM customers`,
  },
  {
    name: 'deals_baseline',
    ddl: 'legacy_id text PRIMARY KEY, contact_id bigint, amount text, currency text, stage text, created_at text; CREATE INDEX ON deals_baseline (contact_id)',
    columns: 'legacy_id, contact_id, amount, currency, stage, created_at',
    select: 'SELECT order_no, cust_id, total_amt, currency, status, order_date FROM orders',
  },
  {
    name: 'payments_baseline',
    ddl: 'id bigint PRIMARY KEY, deal_id text, amount text, method text, paid_at text; CREATE INDEX ON payments_baseline (deal_id)',
    columns: 'id, deal_id, amount, method, paid_at',
    select: 'SELECT id, order_no, amount, method, paid_at FROM payments',
  },
  {
    name: 'cases_baseline',
    ddl: 'id bigint PRIMARY KEY, contact_id bigint, subject text, body text, priority text, state text, opened_at text; CREATE INDEX ON cases_baseline (contact_id)',
    columns: 'id, contact_id, subject, body, priority, state, opened_at',
    select: 'SELECT ticket_id, cust_id, subject, body, priority, state, opened FROM tickets',
  },
] as const;

export interface PlanBaseline {
  rows: number;
  seconds: number;
  perTable: { table: string; rows: number; seconds: number }[];
}

export async function planBaseline(): Promise<PlanBaseline> {
  const target = new pg.Client({ connectionString: PG_URL(PLAN_BENCH.target) });
  await target.connect();
  const perTable: PlanBaseline['perTable'] = [];
  try {
    for (const table of TABLES) {
      await target.query(`DROP TABLE IF EXISTS ${table.name}; CREATE TABLE ${table.name} (${table.ddl.split(';')[0]}); ${table.ddl.split(';').slice(1).join(';')}`);
      const maria = mysqlCore.createConnection({ ...MARIADB, database: PLAN_BENCH.legacyMaria, dateStrings: true, charset: 'utf8mb4' });
      try {
        const started = performance.now();
        const rows = maria.query({ sql: table.select, rowsAsArray: true }).stream({ highWaterMark: 2000 });
        const into = target.query(copyFrom(`COPY ${table.name} (${table.columns}) FROM STDIN`));
        await pipeline(rows, new RowsToCopyText(), into);
        const seconds = (performance.now() - started) / 1000;
        perTable.push({ table: table.name, rows: Number(into.rowCount), seconds });
        log(`baseline ${table.name}: ${into.rowCount} rows in ${seconds.toFixed(2)} s`);
      } finally {
        maria.destroy();
      }
    }
    // Leave nothing behind that the plan's target would have to share the disk cache with.
    for (const table of TABLES) await target.query(`DROP TABLE ${table.name}`);
  } finally {
    await target.end();
  }
  return { rows: perTable.reduce((s, t) => s + t.rows, 0), seconds: perTable.reduce((s, t) => s + t.seconds, 0), perTable };
}
