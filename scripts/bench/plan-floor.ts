import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PG_URL, log } from './bench-env';
import { PLAN_BENCH } from './plan-env';
import { runPsql } from './psql';

/** The new CRM's tables in the order their foreign keys allow loading them. */
const TABLES = ['contacts', 'deals', 'payments', 'cases'] as const;

/**
 * What the new CRM's tables cost by themselves: the rows the plan landed, written out with
 * psql's `\copy … TO` and timed back in with `\copy … FROM`, one table after the other in
 * dependency order, into empty tables made LIKE each INCLUDING ALL (identity, defaults,
 * indexes, unique constraints, CHECKs) with the same foreign keys between them. A loader
 * with no cost of its own (no reading, mapping, id maps or error rows) could not write
 * these tables faster in one stream each: the baseline's seconds over these are the
 * highest ratio it could reach.
 */
export async function planTargetFloor(): Promise<{ rows: number; seconds: number }> {
  const client = new pg.Client({ connectionString: PG_URL(PLAN_BENCH.target) });
  await client.connect();
  const folder = path.join(os.tmpdir(), `ferry-plan-floor-${process.pid}`);
  const floor = (table: string) => `${table}_copy_floor`;
  try {
    await mkdir(folder, { recursive: true });
    for (const table of [...TABLES].reverse()) await client.query(`DROP TABLE IF EXISTS ${floor(table)}`);
    for (const table of TABLES) {
      await client.query(`CREATE TABLE ${floor(table)} (LIKE ${table} INCLUDING ALL)`);
      const { rows: keys } = await client.query<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass`,
        [table],
      );
      for (const { def } of keys) {
        await client.query(`ALTER TABLE ${floor(table)} ADD ${def.replace(/REFERENCES (\w+)\(/, (_m, parent: string) => `REFERENCES ${floor(parent)}(`)}`);
      }
      await runPsql(PLAN_BENCH.target, `\\copy ${table} TO '${path.join(folder, `${table}.copy`)}'`);
    }
    await client.query('CHECKPOINT');
    let rows = 0;
    const started = performance.now();
    const each: string[] = [];
    for (const table of TABLES) {
      const tableStarted = performance.now();
      const out = await runPsql(PLAN_BENCH.target, `\\copy ${floor(table)} FROM '${path.join(folder, `${table}.copy`)}'`);
      const copied = Number(out.match(/COPY (\d+)/)?.[1] ?? 0);
      rows += copied;
      each.push(`${table} ${copied} rows ${((performance.now() - tableStarted) / 1000).toFixed(2)} s`);
    }
    const seconds = (performance.now() - started) / 1000;
    log(`target floor: psql \\copy of the ${rows} landed rows into tables LIKE the new CRM's, with its foreign keys, one after the other: ${seconds.toFixed(2)} s (${each.join(', ')})`);
    return { rows, seconds };
  } finally {
    for (const table of [...TABLES].reverse()) await client.query(`DROP TABLE IF EXISTS ${floor(table)}`).catch(() => undefined);
    await client.end();
    await rm(folder, { recursive: true, force: true });
  }
}
