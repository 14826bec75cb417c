import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { PG_URL, log } from './bench-env';
import { runPsql } from './psql';

export interface CopyFloor {
  rows: number;
  seconds: number;
  /** Per table, in load order: rows copied and seconds. */
  tables: { table: string; rows: number; seconds: number }[];
}

/**
 * What target tables cost by themselves: the rows a run landed in them, written out with
 * psql's `\copy … TO` and timed back in with `\copy … FROM`, one table after the other in
 * the order given (parents first), into empty tables made LIKE each INCLUDING ALL
 * (identity, defaults, indexes, unique constraints, CHECKs), with the foreign keys between
 * the given tables pointing at their copies. A loader with no cost of its own (no reading,
 * mapping, id maps or error rows) could not write these tables faster in one stream each:
 * a baseline's seconds over these are the highest ratio it could reach.
 *
 * `ids: 'generated'` leaves identity and generated columns out, so the copy generates them as
 * a run into a table with an identity does; `'copied'` keeps them (children refer to them).
 */
export async function timeCopyFloor(database: string, tables: readonly string[], folder: string, ids: 'generated' | 'copied'): Promise<CopyFloor> {
  const client = new pg.Client({ connectionString: PG_URL(database) });
  await client.connect();
  const floor = (table: string) => `${table}_copy_floor`;
  const fileOf = (table: string) => path.join(folder, `${table}-floor.copy`).replace(/'/g, "''");
  const columnsOf = new Map<string, string>();
  try {
    await mkdir(folder, { recursive: true });
    for (const table of [...tables].reverse()) await client.query(`DROP TABLE IF EXISTS ${floor(table)}`);
    for (const table of tables) {
      await client.query(`CREATE TABLE ${floor(table)} (LIKE ${table} INCLUDING ALL)`);
      const { rows: keys } = await client.query<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass`,
        [table],
      );
      for (const { def } of keys) {
        const parent = def.match(/REFERENCES (\w+)\(/)?.[1];
        if (parent && tables.includes(parent)) await client.query(`ALTER TABLE ${floor(table)} ADD ${def.replace(`REFERENCES ${parent}(`, `REFERENCES ${floor(parent)}(`)}`);
      }
      const { rows: columns } = await client.query<{ name: string }>(
        `SELECT quote_ident(column_name) AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND ($2 OR (is_identity = 'NO' AND is_generated = 'NEVER'))
          ORDER BY ordinal_position`,
        [table, ids === 'copied'],
      );
      columnsOf.set(table, columns.map((c) => c.name).join(', '));
      await runPsql(database, `\\copy (SELECT ${columnsOf.get(table)} FROM ${table}) TO '${fileOf(table)}'`);
    }
    await client.query('CHECKPOINT');
    const each: CopyFloor['tables'] = [];
    const started = performance.now();
    for (const table of tables) {
      const tableStarted = performance.now();
      const out = await runPsql(database, `\\copy ${floor(table)} (${columnsOf.get(table)}) FROM '${fileOf(table)}'`);
      each.push({ table, rows: Number(out.match(/COPY (\d+)/)?.[1] ?? NaN), seconds: (performance.now() - tableStarted) / 1000 });
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = each.reduce((sum, t) => sum + t.rows, 0);
    const detail = each.map((t) => `${t.table} ${t.rows} rows ${t.seconds.toFixed(2)} s`).join(', ');
    log(`target floor: psql \\copy of the ${rows} landed rows into tables LIKE ${tables.join(', ')}, one after the other: ${seconds.toFixed(2)} s (${detail})`);
    return { rows, seconds, tables: each };
  } finally {
    for (const table of [...tables].reverse()) await client.query(`DROP TABLE IF EXISTS ${floor(table)}`).catch(() => undefined);
    await client.end();
    await Promise.all(tables.map((table) => rm(path.join(folder, `${table}-floor.copy`), { force: true })));
  }
}
