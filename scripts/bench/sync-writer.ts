import mysql from 'mysql2/promise';
import pg from 'pg';
import { MARIADB, PG_URL } from './bench-env';
import { MARKER_ID } from './sync-data';
import { SYNC_BENCH } from './sync-env';

export type WriterSource = 'postgres' | 'mariadb';

export interface WriterOptions {
  source: WriterSource;
  /** Hard deletes (change capture sees them) or soft ones: deleted_at set (what a polling cursor sees). */
  deletes: 'hard' | 'soft';
  /** Rows 1..rows exist when the writer starts. */
  rows: number;
  /** Parallel connections: single-statement transactions need several to reach the rate. */
  connections: number;
  seed?: number;
}

/** What a writer run committed: changes that changed a row, by kind, and how long it took. */
export interface WriterRun {
  updates: number;
  inserts: number;
  deletes: number;
  /** Statements that found their row gone (an update racing a delete on another connection). */
  noops: number;
  transactions: number;
  seconds: number;
  changes: number;
  ratePerSecond: number;
}

type Statement = 'update' | 'insert' | 'delete' | 'marker';

interface Connection {
  run(statement: Statement, params: unknown[]): Promise<number>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  end(): Promise<void>;
}

const T = SYNC_BENCH.table;
const COLUMNS = 'name, email, status, balance, notes';

const PG_SQL: Record<Statement, string> = {
  update: `UPDATE ${T} SET name = $2, email = $3, status = $4, balance = $5, notes = $6, updated_at = localtimestamp(3) WHERE id = $1`,
  insert: `INSERT INTO ${T} (id, ${COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, localtimestamp(3))`,
  delete: `DELETE FROM ${T} WHERE id = $1`,
  marker: `UPDATE ${T} SET name = $2, updated_at = localtimestamp(3) WHERE id = $1`,
};
const PG_SOFT_DELETE = `UPDATE ${T} SET deleted_at = localtimestamp(3), updated_at = localtimestamp(3) WHERE id = $1 AND deleted_at IS NULL`;

const MARIA_SQL: Record<Statement, string> = {
  update: `UPDATE ${T} SET name = ?, email = ?, status = ?, balance = ?, notes = ?, updated_at = NOW(3) WHERE id = ?`,
  insert: `INSERT INTO ${T} (id, ${COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))`,
  delete: `DELETE FROM ${T} WHERE id = ?`,
  marker: `UPDATE ${T} SET name = ?, updated_at = NOW(3) WHERE id = ?`,
};
const MARIA_SOFT_DELETE = `UPDATE ${T} SET deleted_at = NOW(3), updated_at = NOW(3) WHERE id = ? AND deleted_at IS NULL`;

async function pgConnection(deletes: 'hard' | 'soft'): Promise<Connection> {
  const client = new pg.Client({ connectionString: PG_URL(SYNC_BENCH.sourcePg) });
  await client.connect();
  const sql = { ...PG_SQL, ...(deletes === 'soft' ? { delete: PG_SOFT_DELETE } : {}) };
  return {
    // Named statements: parsed and planned once per connection.
    run: async (statement, params) => (await client.query({ name: `bench-${statement}`, text: sql[statement], values: params })).rowCount ?? 0,
    begin: async () => void (await client.query('BEGIN')),
    commit: async () => void (await client.query('COMMIT')),
    end: () => client.end(),
  };
}

async function mariaConnection(deletes: 'hard' | 'soft'): Promise<Connection> {
  const db = await mysql.createConnection({ ...MARIADB, database: SYNC_BENCH.sourceMaria });
  const sql = { ...MARIA_SQL, ...(deletes === 'soft' ? { delete: MARIA_SOFT_DELETE } : {}) };
  // MariaDB takes the key last in UPDATE … WHERE id = ? and first in INSERT.
  const order = (statement: Statement, params: unknown[]) => (statement === 'update' || statement === 'marker' ? [...params.slice(1), params[0]] : params);
  return {
    run: async (statement, params) => {
      const [result] = await db.execute<mysql.ResultSetHeader>(sql[statement], order(statement, params) as (string | number | null)[]);
      return result.affectedRows;
    },
    begin: async () => void (await db.query('BEGIN')),
    commit: async () => void (await db.query('COMMIT')),
    end: () => db.end(),
  };
}

/** mulberry32: the same seed gives the same sequence of changes. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Changes the source like a busy CRM: 60 % updates (every mapped column and updated_at),
 * 30 % inserts (new keys above the largest), 10 % deletes, each a single-statement
 * transaction at a steady rate (`paced`) or in transactions of many changes as fast as the
 * database takes them (`burst`). Updates and deletes pick a random live row; the writer
 * never touches the marker row except through `marker()`.
 */
export class ChangeWriter {
  /**
   * Keys by connection: connection i inserts, updates and deletes only keys ≡ i (mod the
   * number of connections), so transactions of many changes never wait on each other in a
   * cycle (a deadlock the database would resolve by failing one).
   */
  private readonly live: number[][];
  private readonly nextId: number[];
  private readonly rand: () => number;

  private constructor(private readonly connections: Connection[], rows: number, seed: number) {
    const n = connections.length;
    this.live = Array.from({ length: n }, () => []);
    for (let id = 1; id <= rows; id++) if (id !== MARKER_ID) this.live[id % n].push(id);
    this.nextId = Array.from({ length: n }, (_, i) => rows + 1 + ((i - ((rows + 1) % n) + n) % n));
    this.rand = random(seed);
  }

  static async open(options: WriterOptions): Promise<ChangeWriter> {
    const connect = options.source === 'postgres' ? pgConnection : mariaConnection;
    const connections = await Promise.all(Array.from({ length: options.connections }, () => connect(options.deletes)));
    return new ChangeWriter(connections, options.rows, options.seed ?? 18);
  }

  /** `rate` single-statement changes per second for `seconds`; `progress` is called every 10 s. */
  async paced(rate: number, seconds: number, progress?: (run: WriterRun) => void): Promise<WriterRun> {
    const run = emptyRun();
    const start = performance.now();
    const end = start + seconds * 1000;
    let issued = 0;
    let finished = start;
    const timer = progress ? setInterval(() => progress(summary(run, (performance.now() - start) / 1000)), 10_000) : null;
    const loop = async (connection: Connection, slot: number) => {
      for (;;) {
        const now = performance.now();
        if (now >= end) return;
        const due = Math.floor(((now - start) / 1000) * rate);
        if (issued >= due) {
          await sleep(start + ((issued + 1) * 1000) / rate - now);
          continue;
        }
        issued += 1;
        await this.change(connection, slot, run);
        run.transactions += 1;
        finished = performance.now();
      }
    };
    try {
      await Promise.all(this.connections.map((c, slot) => loop(c, slot)));
    } finally {
      if (timer) clearInterval(timer);
    }
    return summary(run, (finished - start) / 1000);
  }

  /** `total` changes in transactions of `perTransaction`, on all connections at once. */
  async burst(total: number, perTransaction: number): Promise<WriterRun> {
    const run = emptyRun();
    const start = performance.now();
    let issued = 0;
    const loop = async (connection: Connection, slot: number) => {
      while (issued < total) {
        const n = Math.min(perTransaction, total - issued);
        issued += n;
        await connection.begin();
        for (let i = 0; i < n; i++) await this.change(connection, slot, run);
        await connection.commit();
        run.transactions += 1;
      }
    };
    await Promise.all(this.connections.map((c, slot) => loop(c, slot)));
    return summary(run, (performance.now() - start) / 1000);
  }

  /** Sets the marker row's name (the target shows it trimmed) after everything written so far. */
  async marker(name: string): Promise<void> {
    const changed = await this.connections[0].run('marker', [MARKER_ID, name]);
    if (changed !== 1) throw new Error(`the marker row ${MARKER_ID} is missing from the source`);
  }

  async close(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.end().catch(() => undefined)));
  }

  private async change(connection: Connection, slot: number, run: WriterRun): Promise<void> {
    const live = this.live[slot];
    const r = this.rand();
    if (r < 0.6 && live.length > 0) {
      const id = live[Math.floor(this.rand() * live.length)];
      const changed = await connection.run('update', [id, ...this.values(id)]);
      if (changed === 1) run.updates += 1;
      else run.noops += 1;
    } else if (r < 0.9 || live.length === 0) {
      const id = this.nextId[slot];
      this.nextId[slot] += this.connections.length;
      live.push(id);
      await connection.run('insert', [id, ...this.values(id)]);
      run.inserts += 1;
    } else {
      // Swap-remove: the key leaves the pool before its delete runs, so no later change picks it.
      const at = Math.floor(this.rand() * live.length);
      const id = live[at];
      live[at] = live[live.length - 1];
      live.pop();
      const changed = await connection.run('delete', [id]);
      if (changed === 1) run.deletes += 1;
      else run.noops += 1;
    }
  }

  /** name, email, status, balance, notes: with the padding, case and NULLs the mapping cleans up. */
  private values(id: number): unknown[] {
    const r = this.rand;
    const v = Math.floor(r() * 1e6).toString(36);
    const name = r() < 0.05 ? ` Name ${id} ${v} ` : `Name ${id} ${v}`;
    const e = r();
    const email = e < 0.02 ? null : e < 0.15 ? `User${id}.${v}@Example.COM` : `user${id}.${v}@example.com`;
    const status = 'AIP'[Math.floor(r() * 3)];
    const balance = (Math.floor(r() * 1e7) / 100).toFixed(2);
    const notes = r() < 0.25 ? null : `note ${v}`;
    return [name, email, status, balance, notes];
  }
}

const emptyRun = (): WriterRun => ({ updates: 0, inserts: 0, deletes: 0, noops: 0, transactions: 0, seconds: 0, changes: 0, ratePerSecond: 0 });

function summary(run: WriterRun, seconds: number): WriterRun {
  const changes = run.updates + run.inserts + run.deletes;
  return { ...run, seconds, changes, ratePerSecond: seconds > 0 ? changes / seconds : 0 };
}
