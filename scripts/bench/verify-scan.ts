import { withPg } from './verify-data';
import { VERIFY_BENCH } from './verify-env';

/**
 * The lower bound a verification is measured against: one in-database hash scan of each
 * side, `SELECT count(*), sum(hashtext(t::text)::bigint)`, run one after the other. The
 * best of `runs` counts (the first run also warms the cache the verification will find).
 */
export async function scanSeconds(runs: number): Promise<{ seconds: number; rows: number[] }> {
  let best = Number.POSITIVE_INFINITY;
  let rows: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const source = await scanOnce(VERIFY_BENCH.source, 'customers');
    const target = await scanOnce(VERIFY_BENCH.target, 'contacts');
    best = Math.min(best, (performance.now() - started) / 1000);
    rows = [source, target];
  }
  return { seconds: best, rows };
}

async function scanOnce(database: string, table: string): Promise<number> {
  return withPg(database, async (client) => {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n, sum(hashtext(t::text)::bigint) AS h FROM ${table} t`);
    return Number(rows[0].n);
  });
}
