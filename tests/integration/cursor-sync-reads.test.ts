/**
 * Incremental reading by cursor (lib/sync/cursor/, Connector.cursorReader) against the local
 * PostgreSQL and MariaDB: equal timestamps across batch boundaries, a row updated during a
 * run, a late commit inside the lag window (with lag 0 as the negative control), a cursor
 * moving backwards, NULL cursors, composite keys, the index range both servers use, a
 * timestamp without zone in a non-UTC zone, and an integer cursor. Each system gets its own
 * throwaway database, dropped at the end.
 *
 * Run: node --import tsx --test tests/integration/cursor-sync-reads.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { MARIADB, PG_URL } from './support/test-env';
import { freshMariaDatabase, freshPgDatabase } from './support/fixtures';
import type { Connector, CursorPosition, CursorReadSpec, KeyTuple } from '@/lib/connectors/connector';
import { openConnector } from '@/lib/connectors/open-connector';
import { withKeyColumns } from '@/lib/connectors/with-key-columns';
import { readCursorChanges, type CursorReadOptions } from '@/lib/sync/cursor/read-cursor-changes';
import { DEFAULT_CURSOR_LAG_MS, type CursorFinding, type CursorRunPlan } from '@/lib/sync/cursor/plan-cursor-run';

// Any shift by the process zone in the connectors would show up as a wrong bound.
process.env.TZ = 'America/New_York';

const DB = 'ferry_it_cursor_sync';
const WALL_ZONE = 'Asia/Kolkata'; // UTC+05:30, no daylight saving

/** A session of its own (transactions), values by placeholder, timestamps as text. */
interface Session {
  exec(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

interface System {
  kind: 'postgres' | 'mysql';
  /** Placeholder of the i-th value (from 1). */
  p(i: number): string;
  /** Column type of an instant and of a wall time, nullable. */
  instant: string;
  wallTime: string;
  /** The clock now plus `p` seconds, as the source's own writers would stamp a row. */
  clockPlus(p: string): string;
  /** Wall time of WALL_ZONE now plus `p` seconds. */
  wallClockPlus(p: string): string;
  /** UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' of a column. */
  utcText(column: string): string;
  setup(): Promise<void>;
  session(): Promise<Session>;
  teardown(): Promise<void>;
  explainJson(sql: string, values: unknown[]): Promise<string>;
}

const postgres: System = {
  kind: 'postgres',
  p: (i) => `$${i}`,
  instant: 'timestamptz(6)',
  wallTime: 'timestamp(6)',
  clockPlus: (p) => `now() + (${p})::int * interval '1 second'`,
  wallClockPlus: (p) => `(statement_timestamp() AT TIME ZONE '${WALL_ZONE}') + (${p})::int * interval '1 second'`,
  utcText: (c) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`,
  async setup() {
    await (await freshPgDatabase(DB)).end();
  },
  async session() {
    const client = new pg.Client({ connectionString: PG_URL(DB) });
    await client.connect();
    await client.query("SET TimeZone = 'UTC'");
    return { exec: async (sql, values) => (await client.query(sql, values)).rows, close: () => client.end() };
  },
  async teardown() {
    const admin = new pg.Client({ connectionString: PG_URL('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    await admin.end();
  },
  async explainJson(sql, values) {
    const s = await this.session();
    try {
      return JSON.stringify((await s.exec(`EXPLAIN (FORMAT JSON) ${sql}`, values))[0]);
    } finally {
      await s.close();
    }
  },
};

const mariadb: System = {
  kind: 'mysql',
  p: () => '?',
  instant: 'TIMESTAMP(6) NULL DEFAULT NULL',
  wallTime: 'DATETIME(6) NULL',
  clockPlus: (p) => `NOW(6) + INTERVAL ${p} SECOND`,
  // No time zone tables on this server: Kolkata's fixed offset spelled out.
  wallClockPlus: (p) => `UTC_TIMESTAMP(6) + INTERVAL 330 MINUTE + INTERVAL ${p} SECOND`,
  utcText: (c) => `DATE_FORMAT(${c}, '%Y-%m-%d %H:%i:%s.%f')`,
  async setup() {
    await (await freshMariaDatabase(DB)).end();
  },
  async session() {
    const connection = await mysql.createConnection({ ...MARIADB, database: DB, dateStrings: true });
    await connection.query("SET time_zone = '+00:00'");
    return {
      exec: async (sql, values) => {
        const [rows] = await connection.query(sql, values);
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      },
      close: () => connection.end(),
    };
  },
  async teardown() {
    const connection = await mysql.createConnection(MARIADB);
    await connection.query(`DROP DATABASE IF EXISTS \`${DB}\``);
    await connection.end();
  },
  async explainJson(sql, values) {
    const s = await this.session();
    try {
      return String(Object.values((await s.exec(`EXPLAIN FORMAT=JSON ${sql}`, values))[0])[0]);
    } finally {
      await s.close();
    }
  },
};

interface RunResult {
  plan: CursorRunPlan;
  findings: CursorFinding[];
  keys: KeyTuple[];
  batchSizes: number[];
  /** The checkpoint stored after the last batch taken (the one given when none came). */
  checkpoint: CursorPosition | null;
}

/** One run, storing the checkpoint after each batch as a sync would; `stopAfter` batches at most. */
async function run(
  connector: Connector,
  spec: CursorReadSpec,
  checkpoint: CursorPosition | null,
  options: CursorReadOptions,
  stopAfter = Infinity,
  onBatch?: (index: number) => Promise<void>,
): Promise<RunResult> {
  const keyAt = spec.keyColumns.map((k) => withKeyColumns(spec.keyColumns, spec.columns).indexOf(k));
  const result: RunResult = { plan: null as never, findings: [], keys: [], batchSizes: [], checkpoint };
  for await (const event of readCursorChanges(connector, spec, checkpoint, options)) {
    if (event.type === 'planned') {
      result.plan = event.plan;
      result.findings = event.findings;
      continue;
    }
    result.keys.push(...event.rows.map((row) => keyAt.map((i) => row[i] as KeyTuple[number])));
    result.batchSizes.push(event.rows.length);
    result.checkpoint = event.checkpoint;
    await onBatch?.(result.batchSizes.length);
    if (result.batchSizes.length >= stopAfter) break;
  }
  return result;
}

const ids = (keys: KeyTuple[]) => keys.map((k) => Number(k[0]));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const system of [postgres, mariadb]) {
  describe(`cursor reads on ${system.kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let admin: Session;
    let connector: Connector;
    let wallConnector: Connector;
    const p = system.p;

    /** A table (id int key unless said) with a cursor column and an index on (cursor, key…). */
    async function table(name: string, columns: string, key: string[], cursor = 'updated_at') {
      await admin.exec(`CREATE TABLE ${name} (${columns}, PRIMARY KEY (${key.join(', ')}))`);
      await admin.exec(`CREATE INDEX ${name}_cursor ON ${name} (${[cursor, ...key].join(', ')})`);
    }
    /** Rows of (id, updated_at) with the given timestamp texts (null: no cursor). */
    async function insertStamped(name: string, rows: [number, string | null][]) {
      const values = rows.flat();
      await admin.exec(`INSERT INTO ${name} (id, updated_at) VALUES ${rows.map((_, i) => `(${p(2 * i + 1)}, ${p(2 * i + 2)})`).join(', ')}`, values);
    }
    const spec = (name: string, keyColumns = ['id'], columns: string[] = [], cursorColumn = 'updated_at'): CursorReadSpec => ({ table: name, cursorColumn, keyColumns, columns });
    /** Waits until the source's own clock has passed `utcText` plus `ms`. */
    async function waitForSourceClock(name: string, utcText: string, ms: number) {
      const target = Date.parse(`${utcText.replace(' ', 'T')}Z`) + ms;
      for (;;) {
        const now = Date.parse((await connector.cursorReader!(spec(name)).probe()).now);
        if (now >= target) return;
        await sleep(Math.min(250, target - now + 5));
      }
    }

    before(async () => {
      await system.setup();
      admin = await system.session();
      const base = { kind: system.kind, host: '127.0.0.1', database: DB, password: null, sslMode: 'disable' as const };
      const connection =
        system.kind === 'postgres' ? { ...base, port: 5432, username: 'postgres', schema: 'public' } : { ...base, port: 3306, username: 'root' };
      connector = openConnector(connection);
      wallConnector = openConnector({ ...connection, timestampZone: WALL_ZONE });
    });

    after(async () => {
      await connector?.close();
      await wallConnector?.close();
      await admin?.close();
      await system.teardown();
    });

    test('25 rows with one timestamp across batches of 10: each read exactly once, across batches and runs', async () => {
      await table('equal_ts', `id int NOT NULL, updated_at ${system.instant}`, ['id']);
      await insertStamped('equal_ts', [
        ...range(1, 25).map((id): [number, string] => [id, '2026-01-01 00:00:00']),
        ...range(26, 30).map((id): [number, string] => [id, `2026-01-01 00:00:0${id - 25}`]),
      ]);
      const options = { batchSize: 10, lagMs: 0 };
      // One run: batches end inside the group of equal timestamps and continue after (cursor, id).
      const whole = await run(connector, spec('equal_ts'), null, options);
      assert.deepEqual(whole.batchSizes, [10, 10, 10]);
      assert.deepEqual(ids(whole.keys), range(1, 30));
      // Two runs: the first stops after one batch (its checkpoint stored), the next resumes.
      const first = await run(connector, spec('equal_ts'), null, options, 1);
      assert.deepEqual(first.checkpoint, { cursor: '2026-01-01 00:00:00.000000', key: [10] });
      const second = await run(connector, spec('equal_ts'), first.checkpoint, options);
      assert.deepEqual([...ids(first.keys), ...ids(second.keys)], range(1, 30));
      // A third run finds nothing new.
      const third = await run(connector, spec('equal_ts'), second.checkpoint, options);
      assert.deepEqual(third.keys, []);
      assert.deepEqual(third.checkpoint, second.checkpoint);
    });

    test('a row updated during a run, after its batch was read, is caught by the next run', async () => {
      await table('during_run', `id int NOT NULL, updated_at ${system.instant}`, ['id']);
      await insertStamped('during_run', range(1, 30).map((id) => [id, `2026-01-01 00:00:${String(id).padStart(2, '0')}`]));
      const changed = await run(connector, spec('during_run'), null, { batchSize: 10, lagMs: 0 }, Infinity, async (batch) => {
        if (batch !== 1) return;
        // Row 1 was read in this batch; row 25 is still ahead of the run.
        await admin.exec(`UPDATE during_run SET updated_at = ${system.clockPlus('0')} WHERE id IN (1, 25)`);
      });
      // Row 25's new stamp lies past this run's bound: the run leaves it for the next.
      assert.deepEqual(ids(changed.keys), [...range(1, 24), ...range(26, 30)]);
      const next = await run(connector, spec('during_run'), changed.checkpoint, { batchSize: 10, lagMs: 0 });
      assert.deepEqual(ids(next.keys), [1, 25]);
    });

    /**
     * T1 stamps a row with the clock at t0 and stays open; T2 stamps t0 + 1 s and commits; a
     * run reads; T1 commits; the next run reads. Returns what the two runs read.
     */
    async function lateCommit(name: string, lagMs?: number) {
      await table(name, `id int NOT NULL, updated_at ${system.instant}`, ['id']);
      const t1 = await system.session();
      const t2 = await system.session();
      try {
        await t1.exec('BEGIN');
        await t1.exec(`INSERT INTO ${name} (id, updated_at) VALUES (1, ${system.clockPlus('0')})`);
        const [{ t0 }] = await t1.exec(`SELECT ${system.utcText('updated_at')} AS t0 FROM ${name} WHERE id = 1`);
        await t2.exec(`INSERT INTO ${name} (id, updated_at) VALUES (2, ${system.kind === 'postgres' ? "$1::timestamptz + interval '1 second'" : '? + INTERVAL 1 SECOND'})`, [t0]);
        // The run happens once T2's stamp is in the past on the source's clock.
        await waitForSourceClock(name, String(t0), 1000);
        const options = { batchSize: 10, lagMs };
        const first = await run(connector, spec(name), null, options);
        await t1.exec('COMMIT');
        if (lagMs !== 0) await waitForSourceClock(name, String(t0), 1000 + DEFAULT_CURSOR_LAG_MS);
        const second = await run(connector, spec(name), first.checkpoint, options);
        return { t0: String(t0), first, second };
      } finally {
        await t1.close();
        await t2.close();
      }
    }

    test('a late commit inside the lag window: lost with lag 0 (negative control), read with the default lag', async () => {
      const unsafe = await lateCommit('late_zero', 0);
      // Lag 0: the first run reads T2's row and moves the checkpoint past t0 …
      assert.deepEqual(ids(unsafe.first.keys), [2]);
      // … so T1's row, committed later with the earlier stamp, is never read: the problem.
      assert.deepEqual(ids(unsafe.second.keys), []);

      const safe = await lateCommit('late_default');
      // The default lag keeps both stamps out of the first run (its bound is before t0) …
      assert.deepEqual(safe.first.keys, []);
      assert.ok(safe.first.plan.upTo! < `${safe.t0}`, `bound ${safe.first.plan.upTo} should be before t0 ${safe.t0}`);
      // … and the next run, once the lag has passed, reads both, in cursor order.
      assert.deepEqual(ids(safe.second.keys), [1, 2]);
    });

    test('a cursor moving backwards (a restored older copy) is reported, not silently skipped', async () => {
      await table('moved_back', `id int NOT NULL, updated_at ${system.instant}`, ['id']);
      await insertStamped('moved_back', range(1, 5).map((id) => [id, `2026-01-02 00:00:0${id}`]));
      const first = await run(connector, spec('moved_back'), null, { batchSize: 10, lagMs: 0 });
      assert.deepEqual(first.findings, []);
      await admin.exec(`UPDATE moved_back SET updated_at = ${system.kind === 'postgres' ? "updated_at - interval '1 day'" : 'updated_at - INTERVAL 1 DAY'}`);
      const next = await run(connector, spec('moved_back'), first.checkpoint, { batchSize: 10, lagMs: 0 });
      assert.deepEqual(next.findings, [{ code: 'cursor_moved_back', checkpoint: '2026-01-02 00:00:05.000000', sourceMax: '2026-01-01 00:00:05.000000' }]);
      assert.deepEqual(next.keys, []);
    });

    test('rows with a NULL cursor are counted and reported, never read', async () => {
      await table('null_cursor', `id int NOT NULL, updated_at ${system.instant}`, ['id']);
      await insertStamped('null_cursor', [[1, '2026-01-01 00:00:01'], [2, null], [3, '2026-01-01 00:00:03'], [4, null], [5, null]]);
      const result = await run(connector, spec('null_cursor'), null, { batchSize: 2, lagMs: 0 });
      assert.deepEqual(ids(result.keys), [1, 3]);
      assert.deepEqual(result.findings, [{ code: 'null_cursor', rows: 3 }]);
    });

    test('composite keys: equal timestamps ordered by (tenant, id), resumed mid-group, other columns read', async () => {
      await table('composite', `tenant varchar(20) NOT NULL, id int NOT NULL, note varchar(50), updated_at ${system.instant}`, ['tenant', 'id']);
      const rows = ['a', 'b', 'c'].flatMap((tenant) => range(1, 10).map((id) => [tenant, id, `${tenant}${id}`, id <= 7 ? '2026-01-01 00:00:00' : `2026-01-01 00:00:0${id}`]));
      await admin.exec(`INSERT INTO composite (tenant, id, note, updated_at) VALUES ${rows.map((_, i) => `(${p(4 * i + 1)}, ${p(4 * i + 2)}, ${p(4 * i + 3)}, ${p(4 * i + 4)})`).join(', ')}`, rows.flat());
      const s = spec('composite', ['tenant', 'id'], ['note']);
      const first = await run(connector, s, null, { batchSize: 7, lagMs: 0 }, 2);
      assert.deepEqual(first.checkpoint, { cursor: '2026-01-01 00:00:00.000000', key: ['b', 7] });
      const rest = await run(connector, s, first.checkpoint, { batchSize: 7, lagMs: 0 });
      const read = [...first.keys, ...rest.keys].map(([tenant, id]) => `${tenant}${id}`);
      const expected = [
        ...['a', 'b', 'c'].flatMap((t) => range(1, 7).map((id) => `${t}${id}`)),
        ...range(8, 10).flatMap((id) => ['a', 'b', 'c'].map((t) => `${t}${id}`)),
      ];
      assert.deepEqual(read, expected);
      // The note column came along, in withKeyColumns order: [note, tenant, id].
      const [batch] = (await connector.cursorReader!(s).readAfter(null, '2026-01-01 00:00:00.000000', 1)).rows;
      assert.deepEqual(batch, ['a1', 'a', 1]);
    });

    test('the read is one index range on (cursor, key…), no sort', async () => {
      await table('wide', `tenant varchar(20) NOT NULL, id int NOT NULL, updated_at ${system.instant}`, ['tenant', 'id']);
      const generate =
        system.kind === 'postgres'
          ? "INSERT INTO wide SELECT 't' || (g % 10), g, timestamptz '2026-01-01' + (g % 500) * interval '1 second' FROM generate_series(1, 20000) g"
          : "INSERT INTO wide SELECT CONCAT('t', seq % 10), seq, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (seq % 500) SECOND FROM seq_1_to_20000";
      await admin.exec(generate);
      await admin.exec(system.kind === 'postgres' ? 'ANALYZE wide' : 'ANALYZE TABLE wide');
      const { cursorReadStatement } = await import('@/lib/connectors/sql/cursor-read');
      const { postgresDialect } = await import('@/lib/connectors/postgres/dialect');
      const { mysqlDialect } = await import('@/lib/connectors/mysql/dialect');
      const statement = cursorReadStatement(
        system.kind === 'postgres' ? postgresDialect : mysqlDialect,
        'wide',
        spec('wide', ['tenant', 'id']),
        { cursor: '2026-01-01 00:03:00.000000', key: ['t3', 5] },
        '2026-01-01 00:05:00.000000',
        1000,
      );
      const plan = await system.explainJson(statement.text, statement.values);
      assert.match(plan, /wide_cursor/, plan);
      assert.doesNotMatch(plan, /"Node Type":"(Sort|Seq Scan)"|filesort/, plan);
      if (system.kind === 'postgres') assert.match(plan, /"Index Cond":"[^"]*ROW\(updated_at, tenant, id\) > ROW/, plan);
      else assert.match(plan, /"access_type":\s*"range"/, plan);
    });

    test('a timestamp without zone is read in the connection zone: bound at its wall time minus the lag', async () => {
      await table('wall', `id int NOT NULL, updated_at ${system.wallTime}`, ['id']);
      // Stamped as the source's writers in Kolkata would: a minute ago, 2 s ago (inside the lag), in an hour.
      for (const [id, seconds] of [[1, -60], [2, -2], [3, 3600]]) {
        await admin.exec(`INSERT INTO wall (id, updated_at) VALUES (${p(1)}, ${system.wallClockPlus(p(2))})`, [id, seconds]);
      }
      const first = await run(wallConnector, spec('wall'), null, { batchSize: 10 });
      assert.equal(first.plan.kind, 'wall_time');
      // The bound is Kolkata's wall time (UTC+05:30) of the source clock minus 5 s. Read as UTC
      // instead, it would lie 5.5 h behind and nothing would be read.
      const probe = await wallConnector.cursorReader!(spec('wall')).probe();
      assert.equal(probe.zone, WALL_ZONE);
      const boundAsUtc = Date.parse(`${first.plan.upTo!.replace(' ', 'T')}Z`);
      const expected = Date.parse(probe.now) + 330 * 60_000 - 5000;
      assert.ok(Math.abs(boundAsUtc - expected) < 5000, `bound ${first.plan.upTo} vs source now ${probe.now}`);
      assert.deepEqual(ids(first.keys), [1]);
      assert.deepEqual(
        first.findings.map((f) => (f.code === 'future_cursor' ? { code: f.code, rows: f.rows } : f)),
        [{ code: 'future_cursor', rows: 1 }],
      );
      // Once the lag has passed row 2's stamp, the next run reads it; row 3 waits for its hour.
      await sleep(3500);
      const second = await run(wallConnector, spec('wall'), first.checkpoint, { batchSize: 10 });
      assert.deepEqual(ids(second.keys), [2]);
    });

    test('an integer cursor is bounded by its largest value at the start; rows added meanwhile wait for the next run', async () => {
      await table('versions', 'id int NOT NULL, version bigint', ['id'], 'version');
      await admin.exec(`INSERT INTO versions (id, version) VALUES (1, 10), (2, 20), (3, 30), (4, 40), (5, 9007199254740993)`);
      const s = spec('versions', ['id'], [], 'version');
      const first = await run(connector, s, null, { batchSize: 2, lagMs: 60_000 }, Infinity, async (batch) => {
        if (batch === 1) await admin.exec('INSERT INTO versions (id, version) VALUES (6, 9007199254740994)');
      });
      assert.equal(first.plan.upTo, '9007199254740993');
      assert.deepEqual(ids(first.keys), [1, 2, 3, 4, 5]);
      assert.deepEqual(first.checkpoint, { cursor: '9007199254740993', key: [5] });
      const second = await run(connector, s, first.checkpoint, { batchSize: 2 });
      assert.deepEqual(ids(second.keys), [6]);
      assert.deepEqual(second.checkpoint?.cursor, '9007199254740994');
    });
  });
}
