/**
 * Integration tests of the PostgreSQL and MySQL/MariaDB connectors against the local servers
 * (PostgreSQL 127.0.0.1:5432 user postgres; MariaDB 127.0.0.1:3306 user root). Each run
 * drops and re-creates its own scratch database `ferry_it_connectors` on both servers (and
 * the MariaDB user `ferry_it_user`), and drops them at the end. An unreachable server fails
 * the run; nothing is skipped.
 *
 * Run: node --import tsx --test tests/integration/connectors.test.ts
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ColumnInfo, Connector, KeyRange, KeyTuple, Row } from '../../lib/connectors/connector';
import { planSplitPoints } from '../../lib/engine/plan-split-points';
import { openConnector } from '../../lib/connectors/open-connector';
import type { ResolvedConnection } from '../../lib/schemas/connection-config';

// A zone far from UTC: any Date/time-zone shift in the connectors shows up as a wrong value.
process.env.TZ = 'America/New_York';

const PG_PORT = 5432;
const MY_PORT = 3306;
const DB = 'ferry_it_connectors';
const MY_USER = 'ferry_it_user';

interface Admin {
  exec(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  insert(table: string, columns: string[], rows: unknown[][]): Promise<void>;
  close(): Promise<void>;
}

interface Dialect {
  kind: 'postgres' | 'mysql';
  q(name: string): string;
  connection(overrides?: Partial<ResolvedConnection>): ResolvedConnection;
  schema: string;
  /** Creates the scratch database; returns an admin session inside it. */
  setup(): Promise<Admin>;
  teardown(): Promise<void>;
  ddl: string[];
  oddTable: string;
  oddColumns: [string, string, string, string];
  tlsEnabled(admin: Admin): Promise<boolean>;
}

const unreachable = (what: string, err: unknown) =>
  new Error(`${what} is not reachable for the integration tests (${(err as Error).message}); start it and re-run`);

const postgres: Dialect = {
  kind: 'postgres',
  q: (n) => `"${n.replace(/"/g, '""')}"`,
  schema: 'public',
  connection: (o = {}) => ({
    kind: 'postgres', host: '127.0.0.1', port: PG_PORT, database: DB, username: 'postgres',
    password: null, sslMode: 'disable', ...o,
  }),
  async setup() {
    const root = new pg.Client({ host: '127.0.0.1', port: PG_PORT, user: 'postgres', database: 'postgres' });
    await root.connect().catch((err) => { throw unreachable(`PostgreSQL at 127.0.0.1:${PG_PORT}`, err); });
    await root.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await root.query(`CREATE DATABASE ${DB}`);
    await root.end();
    const c = new pg.Client({ host: '127.0.0.1', port: PG_PORT, user: 'postgres', database: DB });
    await c.connect();
    return {
      exec: async (sql, values) => (await c.query(sql, values)).rows,
      async insert(table, columns, rows) {
        for (let i = 0; i < rows.length; i += 1000) {
          const params: unknown[] = [];
          const tuples = rows.slice(i, i + 1000).map((r) => `(${r.map((v) => (params.push(v), `$${params.length}`)).join(',')})`);
          await c.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${tuples.join(',')}`, params);
        }
      },
      close: () => c.end(),
    };
  },
  async teardown() {
    const root = new pg.Client({ host: '127.0.0.1', port: PG_PORT, user: 'postgres', database: 'postgres' });
    await root.connect();
    await root.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await root.end();
  },
  ddl: [
    `CREATE TYPE deal_stage AS ENUM ('lead', 'won', 'lost')`,
    `CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(120) NOT NULL,
       email text UNIQUE, created_at timestamp NOT NULL DEFAULT now(), legacy_no serial)`,
    `CREATE TABLE deals (tenant int NOT NULL, deal_no int NOT NULL, account_id bigint REFERENCES accounts (id),
       stage deal_stage NOT NULL DEFAULT 'lead', amount numeric(12,2) CONSTRAINT deals_amount_check CHECK (amount >= 0),
       closed boolean, notes jsonb, PRIMARY KEY (tenant, deal_no),
       CONSTRAINT deals_account_stage_key UNIQUE (account_id, stage))`,
    `CREATE UNIQUE INDEX deals_tenant_amount_idx ON deals (tenant, amount)`,
    `CREATE UNIQUE INDEX deals_rev_idx ON deals (deal_no, tenant)`,
    `CREATE TABLE deal_items (tenant int, deal_no int, line int, PRIMARY KEY (tenant, deal_no, line),
       CONSTRAINT deal_items_deal_fk FOREIGN KEY (deal_no, tenant) REFERENCES deals (deal_no, tenant))`,
    `CREATE TABLE nums (id int PRIMARY KEY, v text)`,
    `CREATE TABLE strs (code varchar(40) PRIMARY KEY, v int)`,
    `CREATE TABLE pairs (a int, b varchar(10), v int, PRIMARY KEY (a, b))`,
    `CREATE TABLE nk (id int PRIMARY KEY, k int UNIQUE)`,
    `CREATE TABLE hash_a (id int PRIMARY KEY, name varchar(50), amount numeric(10,2), at timestamp)`,
    `CREATE TABLE hash_b (id int PRIMARY KEY, name varchar(50), amount numeric(10,2), at timestamp)`,
    `CREATE TABLE contacts (id int PRIMARY KEY, email varchar(50) NOT NULL, score numeric(6,2), tags jsonb,
       seen_at timestamp, note text)`,
    `CREATE TABLE "Odd ""Name""" ("Key ID" int PRIMARY KEY, "first name" text, "Mixed""Case" int, "ok?" text)`,
  ],
  oddTable: 'Odd "Name"',
  oddColumns: ['Key ID', 'first name', 'Mixed"Case', 'ok?'],
  tlsEnabled: async (admin) => (await admin.exec('SHOW ssl'))[0].ssl === 'on',
};

const mariadb: Dialect = {
  kind: 'mysql',
  q: (n) => `\`${n.replace(/`/g, '``')}\``,
  schema: DB,
  connection: (o = {}) => ({
    kind: 'mysql', host: '127.0.0.1', port: MY_PORT, database: DB, username: 'root',
    password: null, sslMode: 'disable', ...o,
  }),
  async setup() {
    const c = await mysql
      .createConnection({ host: '127.0.0.1', port: MY_PORT, user: 'root', multipleStatements: true, dateStrings: true })
      .catch((err) => { throw unreachable(`MariaDB at 127.0.0.1:${MY_PORT}`, err); });
    await c.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}; USE ${DB}`);
    for (const host of ['%', '127.0.0.1', 'localhost']) {
      await c.query(`DROP USER IF EXISTS '${MY_USER}'@'${host}'`);
      await c.query(`CREATE USER '${MY_USER}'@'${host}' IDENTIFIED BY 'right-password'`);
      await c.query(`GRANT ALL ON ${DB}.* TO '${MY_USER}'@'${host}'`);
    }
    return {
      exec: async (sql, values) => (await c.query(sql, values))[0] as Record<string, unknown>[],
      async insert(table, columns, rows) {
        for (let i = 0; i < rows.length; i += 1000) {
          const slice = rows.slice(i, i + 1000);
          await c.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${slice.map((r) => `(${r.map(() => '?').join(',')})`).join(',')}`, slice.flat());
        }
      },
      close: () => c.end(),
    };
  },
  async teardown() {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: MY_PORT, user: 'root' });
    await c.query(`DROP DATABASE IF EXISTS ${DB}`);
    for (const host of ['%', '127.0.0.1', 'localhost']) await c.query(`DROP USER IF EXISTS '${MY_USER}'@'${host}'`);
    await c.end();
  },
  ddl: [
    `CREATE TABLE accounts (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(120) NOT NULL, email VARCHAR(190) UNIQUE,
       created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB`,
    `CREATE TABLE deals (tenant INT NOT NULL, deal_no INT NOT NULL, account_id BIGINT, stage ENUM('lead','won','lost') NOT NULL DEFAULT 'lead',
       amount DECIMAL(12,2), closed TINYINT(1), notes JSON, PRIMARY KEY (tenant, deal_no),
       CONSTRAINT deals_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id),
       UNIQUE KEY deals_account_stage_key (account_id, stage), CONSTRAINT deals_amount_check CHECK (amount >= 0)) ENGINE=InnoDB`,
    `CREATE UNIQUE INDEX deals_tenant_amount_idx ON deals (tenant, amount)`,
    `CREATE UNIQUE INDEX deals_rev_idx ON deals (deal_no, tenant)`,
    `CREATE TABLE deal_items (tenant INT, deal_no INT, line INT, PRIMARY KEY (tenant, deal_no, line),
       CONSTRAINT deal_items_deal_fk FOREIGN KEY (deal_no, tenant) REFERENCES deals (deal_no, tenant)) ENGINE=InnoDB`,
    `CREATE TABLE nums (id INT PRIMARY KEY, v TEXT)`,
    `CREATE TABLE strs (code VARCHAR(40) PRIMARY KEY, v INT)`,
    `CREATE TABLE pairs (a INT, b VARCHAR(10), v INT, PRIMARY KEY (a, b))`,
    `CREATE TABLE nk (id INT PRIMARY KEY, k INT UNIQUE)`,
    `CREATE TABLE hash_a (id INT PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2), at DATETIME)`,
    `CREATE TABLE hash_b (id INT PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2), at DATETIME)`,
    `CREATE TABLE contacts (id INT PRIMARY KEY, email VARCHAR(50) NOT NULL, score DECIMAL(6,2), tags JSON,
       seen_at DATETIME(3), note TEXT) ENGINE=InnoDB`,
    'CREATE TABLE `Odd ``Name`` "x"` (`Key ID` INT PRIMARY KEY, `first name` TEXT, `Mixed``Case` INT, `ok?` TEXT)',
  ],
  oddTable: 'Odd `Name` "x"',
  oddColumns: ['Key ID', 'first name', 'Mixed`Case', 'ok?'],
  tlsEnabled: async (admin) => (await admin.exec("SHOW VARIABLES LIKE 'have_ssl'"))[0].Value === 'YES',
};

// ---- data -------------------------------------------------------------------------------

/** Integer keys with gaps and skew: a dense run, a sparse run, a far cluster and an outlier. */
const NUM_IDS = [
  ...Array.from({ length: 1500 }, (_, i) => i + 1),
  ...Array.from({ length: 101 }, (_, i) => 1600 + i * 10),
  ...Array.from({ length: 50 }, (_, i) => 100_000 + i),
  5_000_000,
];
const STR_CODES = [
  ...Array.from({ length: 900 }, (_, i) => `k${String((i * 7919) % 100_000).padStart(5, '0')}`),
  ...Array.from({ length: 40 }, (_, i) => `z${'z'.repeat(i % 5)}${i}`),
  'a', 'a b', "o'neil", 'b-x', 'é-accent', 'quote"d',
];
const PAIRS: [number, string][] = [];
for (let a = 1; a <= 30; a++) for (const b of ['x', 'y', 'zz', 'b1', 'b10', 'b2']) PAIRS.push([a, b]);
for (let i = 0; i < 300; i++) PAIRS.push([7, `s${String(i).padStart(3, '0')}`]); // skew: one a with many b

/** Half-open chunks defined by split points. */
function chunksOf(points: KeyTuple[]): KeyRange[] {
  const bounds = [null, ...points, null];
  return bounds.slice(0, -1).map((lower, i) => ({ lower, upper: bounds[i + 1] }));
}

async function collect<T>(iter: AsyncIterable<T[]>): Promise<T[][]> {
  const batches: T[][] = [];
  for await (const batch of iter) batches.push(batch);
  return batches;
}

const rejectsWith = async (p: Promise<unknown>): Promise<Error & Record<string, unknown>> => {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  assert.fail('expected the promise to reject');
};

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

// ---- suites -----------------------------------------------------------------------------

for (const d of [postgres, mariadb]) {
  describe(`${d.kind} connector`, () => {
    let admin: Admin;
    let connector: Connector;
    const count = async (sql: string) => Number((await admin.exec(sql))[0].n);

    // A setup failure (e.g. server down) fails every test with its message, never skips.
    let setupError: unknown;
    beforeEach(() => {
      if (setupError) throw setupError;
    });

    before(async () => {
      try {
        await setUp();
      } catch (err) {
        setupError = err;
      }
    });

    async function setUp() {
      admin = await d.setup();
      for (const sql of d.ddl) await admin.exec(sql);
      await admin.insert('nums', ['id', 'v'], NUM_IDS.map((id) => [id, `v${id}`]));
      await admin.insert('strs', ['code', 'v'], STR_CODES.map((c, i) => [c, i]));
      await admin.insert('pairs', ['a', 'b', 'v'], PAIRS.map(([a, b], i) => [a, b, i]));
      await admin.insert('nk', ['id', 'k'], Array.from({ length: 100 }, (_, i) => [i, i % 10 === 0 ? null : i * 3]));
      const hashRows = Array.from({ length: 200 }, (_, i) => [i, `name ${i}`, (i * 1.25).toFixed(2), `2024-01-0${(i % 9) + 1} 12:00:00`]);
      await admin.insert('hash_a', ['id', 'name', 'amount', 'at'], hashRows);
      await admin.insert('hash_b', ['id', 'name', 'amount', 'at'], [...hashRows].reverse());
      await admin.exec(d.kind === 'postgres' ? 'ANALYZE' : 'ANALYZE TABLE nums, strs, pairs');
      connector = openConnector(d.connection());
    }

    after(async () => {
      await connector?.close();
      await admin?.close();
      await d.teardown().catch((err) => {
        if (!setupError) throw err; // the server being down was already reported
      });
    });

    describe('test()', () => {
      test('succeeds with server version and latency', async () => {
        const result = await connector.test();
        assert.equal(result.ok, true, JSON.stringify(result));
        if (!result.ok) return;
        assert.match(result.serverVersion, d.kind === 'postgres' ? /^PostgreSQL \d+/ : /^(MariaDB|MySQL) \d+\.\d+/);
        assert.ok(result.latencyMs >= 0 && result.latencyMs < 5000);
      });

      test('unknown database', async () => {
        const result = await openConnector(d.connection({ database: 'ferry_it_no_such_db' })).test();
        assert.deepEqual([result.ok, !result.ok && result.code], [false, 'unknown_database']);
        assert.match(!result.ok ? result.message : '', /ferry_it_no_such_db/);
      });

      test('host unreachable (port 1) answers quickly', async () => {
        const started = performance.now();
        const result = await openConnector(d.connection({ port: 1 })).test(5000);
        assert.ok(performance.now() - started < 5000);
        assert.deepEqual([result.ok, !result.ok && result.code], [false, 'host_unreachable']);
      });

      test('authentication failure', async () => {
        // PostgreSQL trusts local connections, so a role that does not exist is the failure;
        // MariaDB checks the password of a real user.
        const wrong = d.kind === 'postgres'
          ? d.connection({ username: 'ferry_it_no_such_role', password: 'x' })
          : d.connection({ username: MY_USER, password: 'wrong-password' });
        const result = await openConnector(wrong).test();
        assert.deepEqual([result.ok, !result.ok && result.code], [false, 'auth_failed']);
        assert.equal(!result.ok && result.message, `Authentication failed for user ${wrong.username}: wrong user name or password`);
        if (d.kind === 'mysql') {
          const right = await openConnector(d.connection({ username: MY_USER, password: 'right-password' })).test();
          assert.equal(right.ok, true, JSON.stringify(right));
        }
      });

      test('a server that accepts but never answers is a timeout within the deadline', async () => {
        const sockets: net.Socket[] = [];
        const silent = net.createServer((s) => void sockets.push(s));
        await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
        try {
          const port = (silent.address() as net.AddressInfo).port;
          const started = performance.now();
          const result = await openConnector(d.connection({ port })).test(1000);
          const elapsed = performance.now() - started;
          assert.deepEqual([result.ok, !result.ok && result.code], [false, 'timeout']);
          assert.ok(elapsed >= 900 && elapsed < 2000, `answered after ${Math.round(elapsed)} ms`);
          assert.ok(sockets.length >= 1, 'the connector did connect to the silent server');
        } finally {
          sockets.forEach((s) => s.destroy());
          await new Promise((resolve) => silent.close(resolve));
        }
      });

      test('SSL modes against this server', async () => {
        const tls = await d.tlsEnabled(admin);
        const required = await openConnector(d.connection({ sslMode: 'require' })).test();
        const preferred = await openConnector(d.connection({ sslMode: 'prefer' })).test();
        assert.equal(preferred.ok, true, JSON.stringify(preferred)); // prefer falls back without TLS
        if (tls) assert.equal(required.ok, true, JSON.stringify(required));
        else assert.deepEqual([required.ok, !required.ok && required.code], [false, 'tls_unavailable']);
      });
    });

    describe('catalog', () => {
      test('listTables lists base tables sorted, with estimates', async () => {
        const tables = await connector.listTables();
        const names = tables.map((t) => t.name);
        assert.deepEqual(names, [...names].sort());
        for (const t of ['accounts', 'contacts', 'deal_items', 'deals', 'nums', 'pairs', 'strs', d.oddTable]) assert.ok(names.includes(t), t);
        const nums = tables.find((t) => t.name === 'nums');
        assert.ok(nums && nums.estimatedRows > 1000 && nums.estimatedRows < 2500, `nums estimate ${nums?.estimatedRows}`);
        assert.ok(tables.every((t) => Number.isInteger(t.estimatedRows) && t.estimatedRows >= 0));
      });

      test('describeTable: columns, keys, constraints', async () => {
        const deals = await connector.describeTable('deals');
        assert.deepEqual(deals.columns.map((c) => c.name), ['tenant', 'deal_no', 'account_id', 'stage', 'amount', 'closed', 'notes']);
        assert.deepEqual(deals.primaryKey, ['tenant', 'deal_no']);
        const col = (n: string) => deals.columns.find((c) => c.name === n)!;
        assert.deepEqual(col('stage').enumValues, ['lead', 'won', 'lost']);
        assert.equal(col('stage').family, 'enum');
        assert.equal(col('stage').nullable, false);
        assert.match(col('stage').defaultValue ?? '', /lead/);
        assert.deepEqual([col('amount').family, col('amount').numericPrecision, col('amount').numericScale], ['decimal', 12, 2]);
        assert.deepEqual([col('tenant').family, col('closed').family, col('notes').family], ['integer', 'boolean', 'json']);
        assert.equal(col('account_id').nullable, true);
        assert.deepEqual(
          deals.uniqueConstraints.map((u) => [u.name, u.columns]),
          [['deals_account_stage_key', ['account_id', 'stage']], ['deals_rev_idx', ['deal_no', 'tenant']], ['deals_tenant_amount_idx', ['tenant', 'amount']]],
        );
        assert.equal(deals.foreignKeys.length, 1);
        assert.deepEqual([deals.foreignKeys[0].columns, deals.foreignKeys[0].referencedTable, deals.foreignKeys[0].referencedColumns], [['account_id'], 'accounts', ['id']]);
        const check = deals.checkConstraints.find((c) => c.name === 'deals_amount_check');
        assert.match(check?.definition ?? '', /^CHECK \(.*amount.*>=.*0/);

        const items = await connector.describeTable('deal_items');
        assert.deepEqual(items.primaryKey, ['tenant', 'deal_no', 'line']);
        assert.deepEqual(items.foreignKeys.map((f) => [f.name, f.columns, f.referencedTable, f.referencedColumns]), [['deal_items_deal_fk', ['deal_no', 'tenant'], 'deals', ['deal_no', 'tenant']]]);

        const accounts = await connector.describeTable('accounts');
        const acc = (n: string) => accounts.columns.find((c) => c.name === n)!;
        assert.deepEqual([acc('id').autoGenerated, acc('name').autoGenerated], [true, false]);
        assert.deepEqual([acc('name').maxLength, acc('name').family, acc('name').nullable], [120, 'text', false]);
        assert.deepEqual([acc('id').family, acc('created_at').family], ['integer', 'timestamp']);
        if (d.kind === 'postgres') assert.equal(acc('legacy_no').autoGenerated, true); // serial
        assert.deepEqual(accounts.uniqueConstraints.map((u) => u.columns), [['email']]);
      });

      test('describeTable of an unknown table names table and schema', async () => {
        await assert.rejects(connector.describeTable("nope'; --"), { message: `Table "nope'; --" not found in schema "${d.schema}"` });
      });
    });

    describe('planning and reading', () => {
      const assertChunksCover = async (table: string, keys: string[], perChunk: number, total: number) => {
        const points = await connector.splitPoints(table, keys, perChunk);
        assert.equal(points.length, Math.ceil(total / perChunk) - 1);
        const counts: number[] = [];
        for (const range of chunksOf(points)) counts.push((await connector.hashRange(table, keys, [], range)).count);
        assert.equal(counts.reduce((a, b) => a + b, 0), total);
        // Points sit at exact row numbers: every chunk but the last holds exactly perChunk rows.
        assert.ok(counts.slice(0, -1).every((n) => n === perChunk), counts.join(','));
        return points;
      };

      test('splitPoints on an integer key with gaps and skew', async () => {
        const points = await assertChunksCover('nums', ['id'], 200, NUM_IDS.length);
        assert.deepEqual(points.slice(0, 2), [[201], [401]]);
        assert.deepEqual(points.at(-1), [NUM_IDS[1600]]);
      });

      test('keyBounds: first and last key in key order, NULL keys left out, null for no rows', async () => {
        assert.deepEqual(await connector.keyBounds('nums', ['id']), { first: [1], last: [5_000_000] });
        const pairs = PAIRS.map(([a, b]) => [a, b] as [number, string]).sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
        assert.deepEqual(await connector.keyBounds('pairs', ['a', 'b']), { first: pairs[0], last: pairs.at(-1) });
        assert.deepEqual(await connector.keyBounds('nk', ['k']), { first: [3], last: [297] });
        await admin.exec('CREATE TABLE no_rows (id int PRIMARY KEY)');
        try {
          assert.equal(await connector.keyBounds('no_rows', ['id']), null);
        } finally {
          await admin.exec('DROP TABLE no_rows');
        }
      });

      test('planSplitPoints: a sparse integer key gets exact points, a dense one arithmetic points that cover it', async () => {
        const sparse = await planSplitPoints(connector, { name: 'nums', columns: [{ name: 'id', family: 'integer' } as ColumnInfo] }, ['id'], 200);
        assert.equal(sparse.method, 'exact');
        assert.deepEqual(sparse.points, await connector.splitPoints('nums', ['id'], 200));
        // The dense run of nums alone: ids 1–1500, through a key range the planner sees as a table.
        await admin.exec('CREATE TABLE dense_ids AS SELECT id, v FROM nums WHERE id <= 1500');
        try {
          const dense = await planSplitPoints(connector, { name: 'dense_ids', columns: [{ name: 'id', family: 'integer' } as ColumnInfo] }, ['id'], 200);
          assert.deepEqual({ method: dense.method, rows: dense.rows, points: dense.points.map(([id]) => id) }, {
            method: 'dense integer key', rows: 1500, points: [188, 376, 563, 751, 938, 1126, 1313],
          });
          const counts: number[] = [];
          for (const range of chunksOf(dense.points)) counts.push((await connector.hashRange('dense_ids', ['id'], [], range)).count);
          assert.deepEqual(counts, [187, 188, 187, 188, 187, 188, 187, 188]);
        } finally {
          await admin.exec('DROP TABLE dense_ids');
        }
      });

      test('splitPoints on a string key and on a composite key', async () => {
        await assertChunksCover('strs', ['code'], 100, STR_CODES.length);
        const points = await assertChunksCover('pairs', ['a', 'b'], 64, PAIRS.length);
        assert.ok(points.some(([a]) => a === 7) && points.every((p) => p.length === 2));
      });

      test('rows with a NULL key are left out of plans and ranges', async () => {
        await assertChunksCover('nk', ['k'], 25, 90);
        assert.equal((await connector.hashRange('nk', ['k'], [], { lower: null, upper: null })).count, 90);
      });

      test('readRange streams in key order, bounded batches, and resumes after a key', async () => {
        const expected = (await admin.exec('SELECT a, b FROM pairs ORDER BY a, b')).map((r) => [r.a, r.b]);
        const all = await collect(connector.readRange({ table: 'pairs', keyColumns: ['a', 'b'], columns: ['v'], range: { lower: null, upper: null }, batchSize: 50 }));
        assert.ok(all.every((b) => b.length <= 50) && all.length === Math.ceil(expected.length / 50));
        assert.deepEqual(all.flat().map((r) => [r.a, r.b]), expected);
        assert.ok(all.flat().every((r) => typeof r.v === 'number'));

        const range = { lower: expected[100] as KeyTuple, upper: expected[250] as KeyTuple };
        const inRange = (await collect(connector.readRange({ table: 'pairs', keyColumns: ['a', 'b'], columns: [], range, batchSize: 40 }))).flat();
        assert.deepEqual(inRange.map((r) => [r.a, r.b]), expected.slice(100, 250));
        const resumed = (await collect(connector.readRange({ table: 'pairs', keyColumns: ['a', 'b'], columns: [], range, after: expected[180] as KeyTuple, batchSize: 40 }))).flat();
        assert.deepEqual(resumed.map((r) => [r.a, r.b]), expected.slice(181, 250));
      });

      test('readRangeArrays reads one batch interval again: after a key, through a key (included)', async () => {
        const expected = (await admin.exec('SELECT a, b FROM pairs ORDER BY a, b')).map((r) => [r.a, r.b]);
        // Inside the skewed a = 7 group, so the composite comparison decides on b too.
        const from = expected.findIndex(([a]) => a === 7) + 3;
        const request = { table: 'pairs', keyColumns: ['a', 'b'], columns: ['v'], range: { lower: null, upper: null }, batchSize: 7 };
        // Value arrays: the columns, then the key columns not among them.
        const keyOf = (r: unknown[]) => [r[1], r[2]];
        const again = await collect(connector.readRangeArrays({ ...request, after: expected[from] as KeyTuple, through: expected[from + 20] as KeyTuple }));
        assert.deepEqual(again.flat().map(keyOf), expected.slice(from + 1, from + 21));
        assert.ok(again.every((b) => b.length <= 7));
        const single = await collect(connector.readRangeArrays({ ...request, after: expected[from] as KeyTuple, through: expected[from + 1] as KeyTuple }));
        assert.deepEqual(single.flat().map(keyOf), [expected[from + 1]]);
        const none = await collect(connector.readRangeArrays({ ...request, after: expected[from] as KeyTuple, through: expected[from] as KeyTuple }));
        assert.deepEqual(none.flat(), []);
      });

      test('readKeys returns exactly the existing rows, across lookup groups', async () => {
        const wanted = NUM_IDS.slice(0, 1200).map((id) => [id]);
        const rows = await connector.readKeys('nums', ['id'], ['v'], [...wanted, [999_999]]);
        assert.equal(rows.length, 1200);
        assert.deepEqual(new Set(rows.map((r) => r.v)), new Set(wanted.map(([id]) => `v${id}`)));
        const pairs = await connector.readKeys('pairs', ['a', 'b'], ['v'], [[7, 's005'], [1, 'zz'], [2, 'nope']]);
        assert.deepEqual(pairs.map((r) => `${r.a}/${r.b}`).sort(), ['1/zz', '7/s005']);
        assert.deepEqual(await connector.readKeys('nums', ['id'], ['v'], []), []);
      });

      test('count with and without a range', async () => {
        assert.equal(await connector.count('nums'), NUM_IDS.length);
        assert.equal(await connector.count('nums', { lower: [1600], upper: [100_000] }), 101);
        assert.equal(await connector.count('nums', { lower: [100_000], upper: null }), 51);
      });

      test('hashRange: equal content is equal, a change is not, columns and ranges matter', async () => {
        const all = { lower: null, upper: null };
        const hash = (t: string, cols = ['name', 'amount', 'at'], range: KeyRange = all) => connector.hashRange(t, ['id'], cols, range);
        const a = await hash('hash_a');
        assert.deepEqual(a, await hash('hash_b')); // inserted in opposite orders
        assert.equal(a.count, 200);
        assert.match(a.hash, /^\d+$/);
        await admin.exec("UPDATE hash_b SET amount = amount + 0.01 WHERE id = 77");
        assert.notEqual((await hash('hash_b')).hash, a.hash);
        assert.deepEqual(await hash('hash_b', undefined, { lower: [100], upper: [200] }), await hash('hash_a', undefined, { lower: [100], upper: [200] }));
        assert.deepEqual(await hash('hash_b', ['name']), await hash('hash_a', ['name']));
        await admin.exec("UPDATE hash_b SET amount = amount - 0.01 WHERE id = 77");
        assert.deepEqual(await hash('hash_b'), a);
        // NULL and the empty string must hash differently.
        await admin.exec("UPDATE hash_a SET name = '' WHERE id = 5");
        await admin.exec('UPDATE hash_b SET name = NULL WHERE id = 5');
        assert.notEqual((await hash('hash_a')).hash, (await hash('hash_b')).hash);
      });
    });

    describe('writeBatch', () => {
      const cols = ['id', 'email', 'score', 'tags', 'seen_at', 'note'];
      const read = async (ids: number[]) =>
        new Map((await connector.readKeys('contacts', ['id'], cols, ids.map((id) => [id]))).map((r) => [Number(r.id), r]));

      test('upsert twice: no duplicates, values updated, times unshifted', async () => {
        const first = [
          [1, 'a@x.io', '1.50', { vip: true }, '2024-05-01 10:00:00', 'plain'],
          [2, 'b@x.io', null, [1, 2], null, 'it\'s "quoted", with\nnewline \\ backslash'],
          [3, 'c@x.io', '3', null, new Date('2024-05-02T03:04:05.678Z'), ''],
        ];
        assert.deepEqual(await connector.writeBatch({ table: 'contacts', keyColumns: ['id'], columns: cols, rows: first, mode: 'upsert' }), { written: 3 });
        const second = [
          [1, 'a2@x.io', '2.25', { vip: false }, '2024-05-01 11:00:00', null],
          [4, 'd@x.io', '4.00', null, null, 'new'],
        ];
        await connector.writeBatch({ table: 'contacts', keyColumns: ['id'], columns: cols, rows: second, mode: 'upsert' });
        assert.equal(await count('SELECT COUNT(*) AS n FROM contacts'), 4);
        const rows = await read([1, 2, 3, 4]);
        assert.deepEqual([rows.get(1)?.email, rows.get(1)?.score, json(rows.get(1)?.tags), rows.get(1)?.note], ['a2@x.io', '2.25', { vip: false }, null]);
        assert.match(String(rows.get(1)?.seen_at), /^2024-05-01 11:00:00(\.0+)?$/);
        assert.deepEqual([json(rows.get(2)?.tags), rows.get(2)?.note], [[1, 2], first[1][5]]);
        assert.deepEqual([rows.get(3)?.score, rows.get(3)?.note, rows.get(3)?.seen_at], ['3.00', '', '2024-05-02 03:04:05.678']);
      });

      test('upsert with a repeated key in one batch: the last row wins', async () => {
        const rows = [[20, 'first@x.io', null, null, null, null], [20, 'last@x.io', null, null, null, null]];
        await connector.writeBatch({ table: 'contacts', keyColumns: ['id'], columns: cols, rows, mode: 'upsert' });
        assert.equal((await read([20])).get(20)?.email, 'last@x.io');
      });

      test('insert of a duplicate key throws and writes nothing', async () => {
        const before = await count('SELECT COUNT(*) AS n FROM contacts');
        const rows = [[10, 'new@x.io', null, null, null, null], [1, 'dup@x.io', null, null, null, null]];
        const err = await rejectsWith(connector.writeBatch({ table: 'contacts', keyColumns: ['id'], columns: cols, rows, mode: 'insert' }));
        assert.equal(err.code, d.kind === 'postgres' ? '23505' : 'ER_DUP_ENTRY');
        assert.equal(err.constraint, d.kind === 'postgres' ? 'contacts_pkey' : 'PRIMARY');
        assert.match(err.message, /duplicate/i);
        assert.equal(await count('SELECT COUNT(*) AS n FROM contacts'), before);
      });

      test('a failing row late in a multi-statement batch rolls back the whole batch', async () => {
        const rows: unknown[][] = Array.from({ length: 12_000 }, (_, i) => [1000 + i, `bulk${i}@x.io`, null, null, null, 'n']);
        rows.push([1, 'dup@x.io', null, null, null, null]);
        await assert.rejects(connector.writeBatch({ table: 'contacts', keyColumns: ['id'], columns: cols, rows, mode: 'insert' }));
        assert.equal(await count('SELECT COUNT(*) AS n FROM contacts WHERE id >= 1000'), 0);
      });

      test('update changes only existing keys and only the given columns', async () => {
        await connector.writeBatch({ table: 'contacts', keyColumns: ['id'], columns: ['id', 'score'], rows: [[2, '9.99'], [99, '1.00']], mode: 'update' });
        const rows = await read([2, 99]);
        assert.deepEqual([rows.get(2)?.score, rows.get(2)?.email, rows.has(99)], ['9.99', 'b@x.io', false]);
      });

      test('a NOT NULL violation names the column and writes nothing', async () => {
        const rows = [[30, 'ok@x.io', null, null, null, null], [31, null, null, null, null, null]];
        const err = await rejectsWith(connector.writeBatch({ table: 'contacts', keyColumns: ['id'], columns: cols, rows, mode: 'upsert' }));
        assert.equal(err.column, 'email');
        assert.equal(typeof err.code, 'string');
        assert.equal((await read([30])).size, 0);
        // The same through the large-batch path (COPY + INSERT … SELECT on PostgreSQL).
        const big: unknown[][] = Array.from({ length: 1500 }, (_, i) => [40_000 + i, i === 1499 ? null : `b${i}@x.io`, null, null, null, null]);
        const bigErr = await rejectsWith(connector.writeBatch({ table: 'contacts', keyColumns: ['id'], columns: cols, rows: big, mode: 'upsert' }));
        assert.equal(bigErr.column, 'email');
        assert.equal(await count('SELECT COUNT(*) AS n FROM contacts WHERE id >= 40000'), 0);
      });

      test('large upserts (fast path) round-trip awkward values exactly', async () => {
        const make = (suffix: string) =>
          Array.from({ length: 2500 }, (_, i) => [
            5000 + i, `u${i}${suffix}@x.io`, (i % 100).toFixed(2), i % 3 === 0 ? null : { i, s: `"${suffix}",\n\\` },
            i % 2 === 0 ? null : '2023-12-31 23:59:59', i % 5 === 0 ? null : i % 5 === 1 ? '' : `line1\r\nline2, "q" ${suffix} \\N`,
          ]);
        for (const suffix of ['', '-v2']) {
          const rows = make(suffix);
          await connector.writeBatch({ table: 'contacts', keyColumns: ['id'], columns: cols, rows, mode: 'upsert' });
          const got = (await collect(connector.readRange({ table: 'contacts', keyColumns: ['id'], columns: cols, range: { lower: [5000], upper: [7500] }, batchSize: 1000 }))).flat();
          assert.equal(got.length, 2500);
          got.forEach((r, i) => {
            const want = rows[i];
            assert.deepEqual([Number(r.id), r.email, r.score, json(r.tags), r.seen_at?.toString().slice(0, 19) ?? null, r.note], want, `row ${i}`);
          });
        }
      });

      test('quoting: a table and columns with spaces, quotes, mixed case and ?', async () => {
        const [key, first, mixed, ok] = d.oddColumns;
        const detail = await connector.describeTable(d.oddTable);
        assert.deepEqual(detail.columns.map((c) => c.name), d.oddColumns);
        assert.deepEqual(detail.primaryKey, [key]);
        const rows = [[1, "Ann 'A'", 10, '?'], [2, 'Bob `b`', 20, 'why?'], [3, 'Cy "c"', 30, null]];
        await connector.writeBatch({ table: d.oddTable, keyColumns: [key], columns: d.oddColumns, rows, mode: 'upsert' });
        await connector.writeBatch({ table: d.oddTable, keyColumns: [key], columns: [key, mixed], rows: [[2, 21]], mode: 'update' });
        const read = (await collect(connector.readRange({ table: d.oddTable, keyColumns: [key], columns: [first, mixed, ok], range: { lower: null, upper: null }, batchSize: 2 }))).flat();
        assert.deepEqual(read.map((r) => [r[key], r[first], r[mixed], r[ok]]), [[1, "Ann 'A'", 10, '?'], [2, 'Bob `b`', 21, 'why?'], [3, 'Cy "c"', 30, null]]);
        assert.deepEqual(await connector.splitPoints(d.oddTable, [key], 1), [[2], [3]]);
        assert.equal((await connector.readKeys(d.oddTable, [key], [first], [[3]]))[0][first], 'Cy "c"');
        assert.equal((await connector.hashRange(d.oddTable, [key], [first, mixed, ok], { lower: [2], upper: null })).count, 2);
        assert.equal(await connector.count(d.oddTable, { lower: null, upper: [3] }), 2);
      });
    });
  });
}
