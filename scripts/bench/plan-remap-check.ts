import { pipeline } from 'node:stream/promises';
import mysqlCore from 'mysql2';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RowsToCopyText } from './copy-text';

/** Per reference of the demo plan: target rows checked, and those whose parent is not the legacy row's parent. */
export interface RemapCheck {
  checked: { deals: number; payments: number; cases: number };
  mismatches: { deals: number; payments: number; cases: number };
  total: number;
}

/** The legacy parent of each child row, as the legacy CRM holds it (temp table ← MariaDB query). */
const LEGACY_PAIRS = [
  { table: 'legacy_order_customer', columns: 'order_no text PRIMARY KEY, cust_id bigint', select: 'SELECT order_no, cust_id FROM orders' },
  { table: 'legacy_payment_order', columns: 'id bigint PRIMARY KEY, order_no text', select: 'SELECT id, order_no FROM payments' },
  { table: 'legacy_ticket_customer', columns: 'ticket_id bigint PRIMARY KEY, cust_id bigint', select: 'SELECT ticket_id, cust_id FROM tickets' },
] as const;

/**
 * Whether every reference of the demo plan points at the right record: each deal's contact
 * is the contact made from its order's customer, each payment's deal the deal of its order,
 * each case's contact the contact of its ticket's customer — joined back through the legacy
 * ids the new CRM keeps. The legacy pairs are streamed from MariaDB into temporary tables of
 * the target session, so the comparison is one join per reference even at millions of rows.
 * A target row counts as a mismatch when its parent is missing, when its legacy row is
 * missing, or when the parents differ.
 */
export async function checkPlanRemap(target: pg.Client, legacy: mysqlCore.ConnectionOptions & { database: string }): Promise<RemapCheck> {
  for (const pairs of LEGACY_PAIRS) {
    await target.query(`DROP TABLE IF EXISTS pg_temp.${pairs.table}`);
    await target.query(`CREATE TEMP TABLE ${pairs.table} (${pairs.columns})`);
    const maria = mysqlCore.createConnection({ ...legacy, dateStrings: true, charset: 'utf8mb4' });
    try {
      const rows = maria.query({ sql: pairs.select, rowsAsArray: true }).stream({ highWaterMark: 2000 });
      await pipeline(rows, new RowsToCopyText(), target.query(copyFrom(`COPY ${pairs.table} FROM STDIN`)));
    } finally {
      maria.destroy();
    }
    await target.query(`ANALYZE ${pairs.table}`);
  }
  const { rows } = await target.query<{ deals: number; bad_deals: number; payments: number; bad_payments: number; cases: number; bad_cases: number }>(`
    SELECT
      (SELECT count(*) FROM deals)::int AS deals,
      (SELECT count(*) FROM deals d LEFT JOIN contacts c ON c.id = d.contact_id LEFT JOIN legacy_order_customer l ON l.order_no = d.legacy_id
        WHERE c.id IS NULL OR l.order_no IS NULL OR l.cust_id IS DISTINCT FROM c.legacy_id)::int AS bad_deals,
      (SELECT count(*) FROM payments)::int AS payments,
      (SELECT count(*) FROM payments p LEFT JOIN deals d ON d.id = p.deal_id LEFT JOIN legacy_payment_order l ON l.id = p.id
        WHERE d.id IS NULL OR l.id IS NULL OR l.order_no IS DISTINCT FROM d.legacy_id)::int AS bad_payments,
      (SELECT count(*) FROM cases)::int AS cases,
      (SELECT count(*) FROM cases k LEFT JOIN contacts c ON c.id = k.contact_id LEFT JOIN legacy_ticket_customer l ON l.ticket_id = k.id
        WHERE c.id IS NULL OR l.ticket_id IS NULL OR l.cust_id IS DISTINCT FROM c.legacy_id)::int AS bad_cases`);
  for (const pairs of LEGACY_PAIRS) await target.query(`DROP TABLE pg_temp.${pairs.table}`);
  const r = rows[0];
  const mismatches = { deals: r.bad_deals, payments: r.bad_payments, cases: r.bad_cases };
  return { checked: { deals: r.deals, payments: r.payments, cases: r.cases }, mismatches, total: mismatches.deals + mismatches.payments + mismatches.cases };
}
