import mysql from 'mysql2/promise';
import { MARIADB } from './bench-env';
import { withPg } from './verify-data';
import { VERIFY_BENCH } from './verify-env';
import type { VerifySource } from './verify-metadata';

const CUSTOMER_COLUMNS = 'cust_id, first_nm, last_nm, email_addr, status, balance, vip, birth_date, created_at, updated_at, notes';

/**
 * The lower bound a verification is measured against: one in-database hash scan of each
 * side, one after the other — `SELECT count(*), sum(hashtext(t::text)::bigint)` in
 * PostgreSQL, its equivalent `SUM(CRC32(CONCAT_WS(…)))` in MariaDB. The best of `runs`
 * counts (the first run also warms the cache the verification will find).
 */
export async function scanSeconds(source: VerifySource, runs: number): Promise<{ seconds: number; rows: number[] }> {
  let best = Number.POSITIVE_INFINITY;
  let rows: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const sourceRows = source === 'postgres' ? await scanPg(VERIFY_BENCH.source, 'customers') : await scanMaria();
    const targetRows = await scanPg(VERIFY_BENCH.target, 'contacts');
    best = Math.min(best, (performance.now() - started) / 1000);
    rows = [sourceRows, targetRows];
  }
  return { seconds: best, rows };
}

async function scanPg(database: string, table: string): Promise<number> {
  return withPg(database, async (client) => {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n, sum(hashtext(t::text)::bigint) AS h FROM ${table} t`);
    return Number(rows[0].n);
  });
}

async function scanMaria(): Promise<number> {
  const conn = await mysql.createConnection({ ...MARIADB, database: VERIFY_BENCH.sourceMaria });
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n, SUM(CRC32(CONCAT_WS('|', ${CUSTOMER_COLUMNS}))) AS h FROM customers`);
    return Number(rows[0].n);
  } finally {
    await conn.end();
  }
}
