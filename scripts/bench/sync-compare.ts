import readline from 'node:readline';
import mysqlCore from 'mysql2';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { MARIADB, PG_URL } from './bench-env';
import { expectedRowSql } from './sync-data';
import { SYNC_BENCH } from './sync-env';

/**
 * The exact comparison of source and target after the run, by key, on row texts each
 * database computes itself (sync-data.ts: what the mapping must write for a live source row,
 * and what the target holds): no Ferry code is involved in judging Ferry.
 * - missing: a live source key absent from the target;
 * - different: a key on both sides whose target row is not the mapped source row (a lost update);
 * - extra: a target key with no live source row (a delete not applied, a row that should not exist);
 * - duplicateKeys: target rows beyond the first of their key (impossible with the primary key; checked anyway).
 * lost = missing + different, duplicated = extra + duplicateKeys.
 */
export interface Comparison {
  sourceRows: number;
  targetRows: number;
  missing: number;
  different: number;
  extra: number;
  duplicateKeys: number;
  lost: number;
  duplicated: number;
  /** A few keys of each kind, for the log. */
  examples: { missing: number[]; different: number[]; extra: number[] };
  seconds: number;
}

type KeyedRow = [number, string];

async function* pgRows(database: string, sql: string): AsyncGenerator<KeyedRow> {
  const client = new pg.Client({ connectionString: PG_URL(database) });
  await client.connect();
  try {
    const lines = readline.createInterface({ input: client.query(copyTo(`COPY (${sql}) TO STDOUT`)), crlfDelay: Infinity });
    for await (const line of lines) {
      const tab = line.indexOf('\t');
      yield [Number(line.slice(0, tab)), line.slice(tab + 1)];
    }
  } finally {
    await client.end();
  }
}

async function* mariaRows(database: string, sql: string): AsyncGenerator<KeyedRow> {
  const db = mysqlCore.createConnection({ ...MARIADB, database });
  try {
    for await (const row of db.query({ sql, rowsAsArray: true }).stream({ highWaterMark: 5000 })) {
      const [id, hash] = row as [number | string, string];
      yield [Number(id), hash];
    }
  } finally {
    db.destroy();
  }
}

/** Merges both sides in key order. */
export async function compareSourceAndTarget(source: 'postgres' | 'mariadb'): Promise<Comparison> {
  const started = performance.now();
  const src = source === 'postgres' ? pgRows(SYNC_BENCH.sourcePg, expectedRowSql.postgres) : mariaRows(SYNC_BENCH.sourceMaria, expectedRowSql.mariadb);
  const tgt = pgRows(SYNC_BENCH.target, expectedRowSql.target);
  const out: Comparison = { sourceRows: 0, targetRows: 0, missing: 0, different: 0, extra: 0, duplicateKeys: 0, lost: 0, duplicated: 0, examples: { missing: [], different: [], extra: [] }, seconds: 0 };
  const note = (kind: 'missing' | 'different' | 'extra', id: number) => {
    out[kind] += 1;
    if (out.examples[kind].length < 5) out.examples[kind].push(id);
  };
  let s = await src.next();
  let t = await tgt.next();
  if (!s.done) out.sourceRows += 1;
  if (!t.done) out.targetRows += 1;
  const nextS = async () => {
    s = await src.next();
    if (!s.done) out.sourceRows += 1;
  };
  let lastTarget: number | null = null;
  const nextT = async () => {
    lastTarget = t.done ? lastTarget : t.value[0];
    t = await tgt.next();
    if (!t.done) out.targetRows += 1;
  };
  while (!s.done || !t.done) {
    if (!t.done && t.value[0] === lastTarget) {
      out.duplicateKeys += 1;
      await nextT();
    } else if (s.done) {
      note('extra', (t.value as KeyedRow)[0]);
      await nextT();
    } else if (t.done) {
      note('missing', s.value[0]);
      await nextS();
    } else if (s.value[0] < t.value[0]) {
      note('missing', s.value[0]);
      await nextS();
    } else if (s.value[0] > t.value[0]) {
      note('extra', t.value[0]);
      await nextT();
    } else {
      if (s.value[1] !== t.value[1]) note('different', s.value[0]);
      await nextS();
      await nextT();
    }
  }
  out.lost = out.missing + out.different;
  out.duplicated = out.extra + out.duplicateKeys;
  out.seconds = (performance.now() - started) / 1000;
  return out;
}
