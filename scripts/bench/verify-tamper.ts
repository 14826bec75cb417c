import { withPg } from './verify-data';
import { VERIFY_BENCH } from './verify-env';

export interface Tampered {
  altered: number;
  deleted: number;
  inserted: number;
}

/**
 * The second pass's changes to the target, spread over the whole key range: 1 % of rows
 * altered (last_name and balance), 1 % deleted, and 1 % as many extra rows on odd keys
 * between the source's even ones. Returns the exact numbers of rows changed.
 */
export async function tamperTarget(): Promise<Tampered> {
  return withPg(VERIFY_BENCH.target, async (client) => {
    const altered = await client.query(`UPDATE contacts SET last_name = last_name || ' (changed)', balance = balance + 0.01 WHERE (id / 2) % 100 = 1`);
    const deleted = await client.query('DELETE FROM contacts WHERE (id / 2) % 100 = 2');
    const inserted = await client.query(`INSERT INTO contacts (id, first_name, last_name, email, status, vip, created_at)
      SELECT id + 1, 'Extra', 'Row', 'extra' || id || '@example.com', 'A', false, now() FROM contacts WHERE (id / 2) % 100 = 3`);
    await client.query('VACUUM (ANALYZE) contacts');
    return { altered: altered.rowCount ?? 0, deleted: deleted.rowCount ?? 0, inserted: inserted.rowCount ?? 0 };
  });
}
