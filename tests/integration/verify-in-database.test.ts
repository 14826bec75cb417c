/**
 * In-database hashing for verification, on real PostgreSQL and MariaDB: equal mapped
 * content hashes alike across the two engines for every accepted type family (rows copied
 * through the real mapping code and connectors), any changed value, NULL vs '' and a
 * timestamp precision difference change the hash, and the descent finds exactly the
 * changed keys (composite, integer and binary-collated text keys) with exact matched counts.
 *
 * Last, real verify jobs on a worker process take the fast path and count exactly.
 *
 * Own databases: vfast_pg_src, vfast_pg_tgt (PostgreSQL) and vfast_my (MariaDB), re-created
 * each run and dropped at the end; job metadata in the test metadata database (FERRY_TEST_DB).
 * Run: node --import tsx --test --test-concurrency=1 tests/integration/verify-in-database.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import './support/test-env';
import { MARIADB, PG_URL } from './support/test-env';
import type { Connector, KeyRange } from '../../lib/connectors/connector';
import { openConnector } from '../../lib/connectors/open-connector';
import { compareInDatabase, planInDatabaseHash, type InDatabasePlan } from '../../lib/consistency/in-database';
import { compileMapping, sourceColumnsOf, targetColumnsOf } from '../../lib/mapping/apply-mapping';
import { verifySettingsSchema, type VerifySettings } from '../../lib/schemas/consistency';
import { mappingSpecSchema, type MappingSpec, type MappingSpecInput } from '../../lib/schemas/mapping-spec';
import { disconnectPrisma, prisma } from '../../lib/db/client';
import { closeQueue } from '../../lib/queue/enqueue';
import { closeProducerRedis } from '../../lib/queue/redis';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { countsOf, verifyNow } from './support/verify';

const PG_SRC = 'vfast_pg_src';
const PG_TGT = 'vfast_pg_tgt';
const MY = 'vfast_my';
const ALL: KeyRange = { lower: null, upper: null };

const pgConnector = (database: string) =>
  openConnector({ kind: 'postgres', host: '127.0.0.1', port: 5432, database, username: 'postgres', password: null, sslMode: 'disable', schema: 'public' });
const myConnector = () => openConnector({ kind: 'mysql', host: MARIADB.host, port: MARIADB.port, database: MY, username: MARIADB.user, password: null, sslMode: 'disable' });

let pgSrc: pg.Client;
let pgTgt: pg.Client;
let my: mysql.Connection;
const connectors: Record<'pgSrc' | 'pgTgt' | 'my', Connector> = { pgSrc: pgConnector(PG_SRC), pgTgt: pgConnector(PG_TGT), my: myConnector() };

before(async () => {
  [pgSrc, pgTgt] = await Promise.all([freshPgDatabase(PG_SRC), freshPgDatabase(PG_TGT)]);
  my = await mysql.createConnection({ ...MARIADB, multipleStatements: true, dateStrings: true, charset: 'utf8mb4' });
  await my.query(`DROP DATABASE IF EXISTS ${MY}; CREATE DATABASE ${MY} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; USE ${MY}; SET time_zone = '+00:00'`);
});

let worker: SpawnedWorker | null = null;

after(async () => {
  await worker?.stop();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
  await Promise.all(Object.values(connectors).map((c) => c.close()));
  await Promise.all([pgSrc.end(), pgTgt.end()]);
  await my.query(`DROP DATABASE IF EXISTS ${MY}`);
  await my.end();
  const root = new pg.Client({ connectionString: PG_URL('postgres') });
  await root.connect();
  for (const name of [PG_SRC, PG_TGT]) await root.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await root.end();
});

const spec = (input: MappingSpecInput): MappingSpec => mappingSpecSchema.parse(input);
const settings = (columns: Record<string, Partial<VerifySettings['columns'][string]>> = {}): VerifySettings => verifySettingsSchema.parse({ columns });
const copies = (...names: string[]) => names.map((name) => ({ target: name, sources: [name] }));

async function planFor(source: Connector, target: Connector, s: MappingSpec, v: VerifySettings = settings()): Promise<InDatabasePlan> {
  const [sourceTable, targetTable] = await Promise.all([source.describeTable(s.source.table), target.describeTable(s.target.table)]);
  const eligibility = planInDatabaseHash({ spec: s, sourceKind: source.kind, targetKind: target.kind, source: sourceTable, target: targetTable, settings: v });
  if (!eligibility.ok) assert.fail(`expected the fast path, got: ${eligibility.reason}`);
  return eligibility.plan;
}

/** What a migration does for these rows: read, map through the real mapping code, upsert. */
async function migrate(source: Connector, target: Connector, s: MappingSpec): Promise<void> {
  const targetTable = await target.describeTable(s.target.table);
  const map = compileMapping(s, targetTable.columns);
  const columns = targetColumnsOf(s);
  for await (const rows of source.readRange({ table: s.source.table, keyColumns: s.source.key, columns: sourceColumnsOf(s), range: ALL, batchSize: 1000 })) {
    const mapped = rows.map((row) => {
      const result = map(row);
      if (!result.ok) assert.fail(`mapping failed: ${JSON.stringify(result.errors)}`);
      return columns.map((c) => result.values[c]);
    });
    await target.writeBatch({ table: s.target.table, keyColumns: s.target.key, columns, rows: mapped, mode: 'upsert' });
  }
}

const whole = (source: Connector, target: Connector, plan: InDatabasePlan) => compareInDatabase(source, target, plan, ALL, { leafRows: 1_000_000 });

describe('canonical hashes: MariaDB → PostgreSQL, every accepted type family', () => {
  const typedSpec = spec({
    source: { table: 'typed', key: ['id'] },
    target: { table: 'typed', key: ['id'] },
    fields: [
      ...copies('id', 'big', 'small_to_big', 'amount', 'amount3', 'name', 'body', 'code', 'latin', 'born', 'seen', 'seen_tz', 'stamp', 'flag', 'uid', 'uid2', 'kind', 'sep1', 'sep2'),
      { target: 'whole', sources: ['whole'], transforms: [{ op: 'cast', to: 'decimal' }] },
      { target: 'amount_cast', sources: ['amount_cast'], transforms: [{ op: 'cast', to: 'decimal', scale: 1 }] },
      { target: 'flag_int', sources: ['flag_int'], transforms: [{ op: 'cast', to: 'boolean' }] },
      { target: 'num_text', sources: ['num_text'], transforms: [{ op: 'cast', to: 'text' }] },
    ],
  });
  let plan: InDatabasePlan;

  before(async () => {
    await my.query(`CREATE TABLE typed (id INT PRIMARY KEY, big BIGINT, small_to_big INT, amount DECIMAL(10,2), amount3 DECIMAL(10,3),
      whole INT, amount_cast DECIMAL(10,3), name VARCHAR(60), body TEXT, code CHAR(5), latin VARCHAR(20) CHARACTER SET latin1, born DATE, seen DATETIME(6), seen_tz DATETIME(6),
      stamp TIMESTAMP(6) NULL, flag TINYINT(1), flag_int INT, num_text INT, uid CHAR(36), uid2 UUID, kind ENUM('a','b'),
      sep1 VARCHAR(20), sep2 VARCHAR(20))`);
    await my.query(`INSERT INTO typed VALUES
      (1, 9007199254740993, 42, -12.50, 1.005, 7, 1.049, 'Zoë ☃ 𝄞 | : "q"', 'line1\\nline2 , ; ''x''', 'ab', 'Zoë', '1999-12-31',
       '2024-02-29 23:59:59.123456', '2024-01-01 00:00:00.000001', '2024-06-01 12:00:00.5', 1, 1, -5,
       '6ccd780c-baba-1026-9564-5b8c656024db', '6CCD780C-BABA-1026-9564-5B8C656024DB', 'b', 'x', 'y'),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, -9223372036854775808, 0, 0, -0.0004, -3, -2.25, '', '', '', '', '1000-01-01', '1970-01-01 00:00:00', '2038-01-19 03:14:07.999999',
       '1970-01-02 00:00:00', 0, 0, 0, '00000000-0000-0000-0000-000000000000', NULL, 'a', 'a', 'b|c'),
      (4, 1, 2147483647, 99999999.99, 0.0005, 0, 0.05, '  padded  ', 'tab\\tend ', 'abcde', 'café|x', '2000-02-29', '2024-05-01 10:00:00.1',
       '2024-05-01 10:00:00.999999', '2030-01-01 00:00:00', 0, 1, 12, NULL, NULL, NULL, 'a|b', 'c')`);
    await pgTgt.query(`CREATE TABLE typed (id bigint PRIMARY KEY, big bigint, small_to_big bigint, amount numeric(12,2), amount3 numeric(12,2),
      whole numeric(12,2), amount_cast numeric(12,2), name text, body varchar(500), code varchar(5), latin text, born date, seen timestamp(6),
      seen_tz timestamptz, stamp timestamptz, flag boolean, flag_int boolean, num_text text, uid uuid, uid2 uuid, kind text, sep1 text, sep2 text)`);
    await migrate(connectors.my, connectors.pgTgt, typedSpec);
    plan = await planFor(connectors.my, connectors.pgTgt, typedSpec);
  });

  test('the plan hashes every mapped column, portable encoding', () => {
    const details = plan.details as { encoding: string; source: { name: string }[] };
    assert.equal(details.encoding, 'portable');
    assert.equal(details.source.length, typedSpec.fields.length);
  });

  test('equal content gives equal counts and hashes', async () => {
    assert.deepEqual(await whole(connectors.my, connectors.pgTgt, plan), { matched: 4, suspects: [] });
  });

  const tampers: [string, string][] = [
    ['bigint +1', 'UPDATE typed SET big = big + 1 WHERE id = 1'],
    ['int', 'UPDATE typed SET small_to_big = 43 WHERE id = 1'],
    ['decimal', 'UPDATE typed SET amount = -12.51 WHERE id = 1'],
    ['decimal rounded by the cast', 'UPDATE typed SET amount_cast = 1.05 WHERE id = 1'],
    ['text accent', `UPDATE typed SET name = replace(name, 'ë', 'e') WHERE id = 1`],
    ["'' became NULL", 'UPDATE typed SET name = NULL WHERE id = 3'],
    ["NULL became ''", `UPDATE typed SET body = '' WHERE id = 2`],
    ['trailing blank', `UPDATE typed SET code = 'ab ' WHERE id = 1`],
    ['latin1 text', `UPDATE typed SET latin = 'Zoe' WHERE id = 1`],
    ['date', `UPDATE typed SET born = born + 1 WHERE id = 1`],
    ['the same date BC', `UPDATE typed SET born = '1999-12-31 BC' WHERE id = 1`],
    ['infinity where the source has NULL', `UPDATE typed SET born = 'infinity' WHERE id = 2`],
    ['timestamp infinity where the source has NULL', `UPDATE typed SET seen_tz = '-infinity' WHERE id = 2`],
    ['timestamp +1 µs', `UPDATE typed SET seen = seen + interval '1 microsecond' WHERE id = 1`],
    ['timestamptz +1 µs', `UPDATE typed SET seen_tz = seen_tz + interval '1 microsecond' WHERE id = 3`],
    ['TIMESTAMP → timestamptz +1 h', `UPDATE typed SET stamp = stamp + interval '1 hour' WHERE id = 4`],
    ['boolean', 'UPDATE typed SET flag = NOT flag WHERE id = 1'],
    ['boolean NULL', 'UPDATE typed SET flag = NULL WHERE id = 3'],
    ['uuid', `UPDATE typed SET uid = '6ccd780c-baba-1026-9564-5b8c656024dc' WHERE id = 1`],
    ['enum as text', `UPDATE typed SET kind = 'a' WHERE id = 1`],
    ['a separator moved between two columns', `UPDATE typed SET sep1 = 'a|b', sep2 = 'c' WHERE id = 3`],
    ['int as text', `UPDATE typed SET num_text = '-5.0' WHERE id = 1`],
  ];
  for (const [what, sql] of tampers) {
    test(`a changed value is found: ${what}`, async () => {
      try {
        const changed = await pgTgt.query(sql);
        assert.equal(changed.rowCount, 1);
        assert.deepEqual(await whole(connectors.my, connectors.pgTgt, plan), { matched: 0, suspects: [ALL] });
      } finally {
        await pgTgt.query('TRUNCATE typed');
        await migrate(connectors.my, connectors.pgTgt, typedSpec);
      }
    });
  }

  test('normalization: timestamp precision, trim and empty-as-NULL make the same changes equal', async () => {
    await pgTgt.query(`UPDATE typed SET seen = seen + interval '1 microsecond', seen_tz = seen_tz + interval '1 microsecond',
      name = CASE id WHEN 4 THEN 'padded' WHEN 3 THEN NULL ELSE name END`);
    try {
      const strict = await whole(connectors.my, connectors.pgTgt, plan);
      assert.equal(strict.matched, 0);
      const relaxed = settings({ seen: { timestampPrecision: 'ms' }, seen_tz: { timestampPrecision: 's' }, name: { trim: true, emptyAsNull: true } });
      // .123456 → .123457 and 00:00:00.000001 → .000002 stay within their ms / s; …07.999999 and …00.999999 + 1 µs do not.
      const outcome = await whole(connectors.my, connectors.pgTgt, await planFor(connectors.my, connectors.pgTgt, typedSpec, relaxed));
      assert.deepEqual(outcome, { matched: 0, suspects: [ALL] });
      await pgTgt.query(`UPDATE typed SET seen_tz = seen_tz - interval '1 microsecond' WHERE id IN (3, 4)`);
      assert.deepEqual(await whole(connectors.my, connectors.pgTgt, await planFor(connectors.my, connectors.pgTgt, typedSpec, relaxed)), { matched: 4, suspects: [] });
    } finally {
      await pgTgt.query('TRUNCATE typed');
      await migrate(connectors.my, connectors.pgTgt, typedSpec);
    }
  });
});

describe('canonical hashes: PostgreSQL → PostgreSQL (native encoding)', () => {
  const nativeSpec = spec({
    source: { table: 'typed_pg', key: ['id'] },
    target: { table: 'typed_pg', key: ['id'] },
    fields: [...copies('id', 'amount', 'name', 'code', 'born', 'seen', 'seen_tz', 'flag', 'uid', 'doc', 'ratio'), { target: 'flag_int', sources: ['flag_int'], transforms: [{ op: 'cast', to: 'boolean' }] }],
  });
  let plan: InDatabasePlan;
  before(async () => {
    await pgSrc.query(`CREATE TABLE typed_pg (id int PRIMARY KEY, amount numeric(10,3), name varchar(60), code char(5), born date,
      seen timestamp, seen_tz timestamptz, flag boolean, flag_int smallint, uid text, doc jsonb, ratio float8)`);
    await pgSrc.query(`INSERT INTO typed_pg VALUES
      (1, 1.005, 'Zoë, "q"', 'ab', '1999-12-31', '2024-02-29 23:59:59.123456', '2024-01-01 02:00:00.5+02', true, 1, '6ccd780c-baba-1026-9564-5b8c656024db', '{"b": 1, "a": [1, 2]}', 0.1),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, -0.0004, '', '', '0001-01-01', '1900-01-01 00:00:00', '1969-12-31 23:59:59.999999+00', false, 0, NULL, '[]', 2.5)`);
    await pgTgt.query(`CREATE TABLE typed_pg (id bigint PRIMARY KEY, amount numeric(12,2), name text, code char(5), born date,
      seen timestamptz, seen_tz timestamp(6), flag boolean, flag_int boolean, uid uuid, doc jsonb, ratio float8)`);
    await migrate(connectors.pgSrc, connectors.pgTgt, nativeSpec);
    plan = await planFor(connectors.pgSrc, connectors.pgTgt, nativeSpec);
  });

  test('equal content hashes alike; each changed value is found', async () => {
    assert.equal((plan.details as { encoding: string }).encoding, 'postgres');
    assert.deepEqual(await whole(connectors.pgSrc, connectors.pgTgt, plan), { matched: 3, suspects: [] });
    for (const sql of [
      `UPDATE typed_pg SET amount = 1.00 WHERE id = 1`,
      `UPDATE typed_pg SET name = NULL WHERE id = 3`,
      `UPDATE typed_pg SET code = 'abc' WHERE id = 1`,
      `UPDATE typed_pg SET seen = seen + interval '1 microsecond' WHERE id = 1`,
      `UPDATE typed_pg SET seen_tz = seen_tz - interval '1 microsecond' WHERE id = 3`,
      `UPDATE typed_pg SET flag_int = NOT flag_int WHERE id = 1`,
      `UPDATE typed_pg SET doc = '{"a": [2, 1], "b": 1}' WHERE id = 1`,
      `UPDATE typed_pg SET ratio = 0.1000000001 WHERE id = 1`,
      // Values swapped between rows: the per-row mixing must notice.
      `UPDATE typed_pg t SET amount = o.amount FROM typed_pg o WHERE (t.id, o.id) IN ((1, 3), (3, 1))`,
    ]) {
      await pgTgt.query(sql);
      const outcome = await whole(connectors.pgSrc, connectors.pgTgt, plan);
      assert.equal(outcome.matched, 0, sql);
      await pgTgt.query('TRUNCATE typed_pg');
      await migrate(connectors.pgSrc, connectors.pgTgt, nativeSpec);
    }
  });
});

// ---- the descent ---------------------------------------------------------------------------

type Key = (string | number)[];
const inRange = (key: Key, r: KeyRange, cmp: (a: Key, b: Key) => number) => (!r.lower || cmp(key, r.lower as Key) >= 0) && (!r.upper || cmp(key, r.upper as Key) < 0);
const byNumbers = (a: Key, b: Key) => {
  for (let i = 0; i < a.length; i++) if (Number(a[i]) !== Number(b[i])) return Number(a[i]) - Number(b[i]);
  return 0;
};
const byCodePoints = (a: Key, b: Key) => {
  const [x, y] = [[...String(a[0])].map((c) => c.codePointAt(0) as number), [...String(b[0])].map((c) => c.codePointAt(0) as number)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
};

/**
 * The outcome is right when: suspects are ordered, disjoint and inside the range; every
 * changed key lies in a suspect; each suspect holds at most leafRows source rows (unless one
 * side is empty there); and matched counts exactly the source rows outside the suspects.
 */
async function checkOutcome(
  source: Connector, target: Connector, plan: InDatabasePlan, range: KeyRange, leafRows: number,
  changed: Key[], cmp: (a: Key, b: Key) => number,
): Promise<{ matched: number; suspects: KeyRange[] }> {
  const outcome = await compareInDatabase(source, target, plan, range, { leafRows });
  for (const [i, r] of outcome.suspects.entries()) {
    if (i > 0) assert.ok(outcome.suspects[i - 1].upper !== null && r.lower !== null && cmp(r.lower as Key, outcome.suspects[i - 1].upper as Key) >= 0, 'disjoint and ordered');
    if (range.lower) assert.ok(r.lower !== null && cmp(r.lower as Key, range.lower as Key) >= 0, 'inside the range');
    if (range.upper) assert.ok(r.upper !== null && cmp(r.upper as Key, range.upper as Key) <= 0, 'inside the range');
  }
  for (const key of changed.filter((k) => inRange(k, range, cmp))) {
    assert.equal(outcome.suspects.filter((r) => inRange(key, r, cmp)).length, 1, `changed key ${JSON.stringify(key)} is in one suspect`);
  }
  let suspectRows = 0;
  for (const r of outcome.suspects) {
    const [s, t] = await Promise.all([source.count(plan.sourceTable, r), target.count(plan.targetTable, r)]);
    assert.ok(s <= leafRows || s === 0 || t === 0, `suspect of ${s} source rows`);
    suspectRows += s;
  }
  assert.equal(outcome.matched, (await source.count(plan.sourceTable, range)) - suspectRows, 'matched = source rows outside the suspects');
  return outcome;
}

describe('descent: composite key, PostgreSQL → PostgreSQL', () => {
  const s = spec({ source: { table: 'orders', key: ['tenant', 'id'] }, target: { table: 'orders', key: ['tenant', 'id'] }, fields: copies('tenant', 'id', 'amount', 'note') });
  let plan: InDatabasePlan;
  before(async () => {
    const fill = `INSERT INTO orders SELECT t, i, (t * 1000 + i) * 0.25, CASE WHEN i % 7 = 0 THEN NULL ELSE 'n' || i END
      FROM generate_series(1, 3) t, generate_series(1, 4000) i`;
    for (const client of [pgSrc, pgTgt]) {
      await client.query('CREATE TABLE orders (tenant int, id int, amount numeric(10,2), note text, PRIMARY KEY (tenant, id))');
      await client.query(fill);
    }
    plan = await planFor(connectors.pgSrc, connectors.pgTgt, s);
  });

  test('matching tables: all matched, no suspects', async () => {
    assert.deepEqual(await compareInDatabase(connectors.pgSrc, connectors.pgTgt, plan, ALL, { leafRows: 500 }), { matched: 12_000, suspects: [] });
  });

  test('altered, deleted and extra rows are all inside suspects; matched is exact', async () => {
    await pgTgt.query(`UPDATE orders SET amount = amount + 1 WHERE (tenant, id) IN ((1, 17), (2, 2500), (3, 3999))`);
    await pgTgt.query(`UPDATE orders SET note = '' WHERE (tenant, id) = (2, 7)`);
    await pgTgt.query(`DELETE FROM orders WHERE (tenant, id) IN ((1, 1), (3, 4000))`);
    await pgTgt.query(`INSERT INTO orders VALUES (0, 5, 1, 'before'), (2, 4001, 1, 'gap'), (9, 1, 1, 'after')`);
    const changed: Key[] = [[1, 17], [2, 2500], [3, 3999], [2, 7], [1, 1], [3, 4000], [0, 5], [2, 4001], [9, 1]];
    const outcome = await checkOutcome(connectors.pgSrc, connectors.pgTgt, plan, ALL, 500, changed, byNumbers);
    assert.ok(outcome.suspects.length >= 5 && outcome.matched >= 12_000 - 8 * 500, `${outcome.suspects.length} suspects, ${outcome.matched} matched`);
    // A sub-range: only its own changes count, bounds are composite tuples.
    const part: KeyRange = { lower: [1, 1000], upper: [2, 2600] };
    const inPart = await checkOutcome(connectors.pgSrc, connectors.pgTgt, plan, part, 300, changed, byNumbers);
    assert.equal(inPart.suspects.length, 2, "(2, 7) and (2, 2500)");
  });

  test('shouldStop hands back what was not looked at', async () => {
    let calls = 0;
    const outcome = await compareInDatabase(connectors.pgSrc, connectors.pgTgt, plan, ALL, { leafRows: 500, shouldStop: () => ++calls > 2 });
    assert.ok(outcome.suspects.length > 0);
    assert.equal(outcome.matched + (await Promise.all(outcome.suspects.map((r) => connectors.pgSrc.count('orders', r)))).reduce((a, b) => a + b, 0), 12_000);
  });
});

describe('descent: MariaDB → PostgreSQL', () => {
  test('integer key: every change is inside a suspect, matched is exact', async () => {
    await my.query(`CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2), at DATETIME)`);
    await my.query(`INSERT INTO items SELECT seq, CONCAT('item ', seq), seq * 1.25, '2024-01-01' + INTERVAL seq MINUTE FROM seq_1_to_20000`);
    await pgTgt.query(`CREATE TABLE items (id bigint PRIMARY KEY, name text, price numeric(12,2), at timestamptz)`);
    await pgTgt.query(`INSERT INTO items SELECT i, 'item ' || i, i * 1.25, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute' FROM generate_series(1, 20000) i`);
    const s = spec({ source: { table: 'items', key: ['id'] }, target: { table: 'items', key: ['id'] }, fields: copies('id', 'name', 'price', 'at') });
    const plan = await planFor(connectors.my, connectors.pgTgt, s);
    assert.deepEqual(await compareInDatabase(connectors.my, connectors.pgTgt, plan, ALL, { leafRows: 1000 }), { matched: 20_000, suspects: [] });
    await pgTgt.query(`UPDATE items SET at = at + interval '1 second' WHERE id IN (5, 12345)`);
    await pgTgt.query(`DELETE FROM items WHERE id IN (19999, 20000)`);
    await pgTgt.query(`INSERT INTO items VALUES (0, 'zero', 0, now()), (25000, 'extra', 1, now())`);
    await checkOutcome(connectors.my, connectors.pgTgt, plan, ALL, 1000, [[5], [12345], [19999], [20000], [0], [25000]], byNumbers);
  });

  test('text key with binary collations (utf8mb4_bin, "C"); refused with a case-insensitive collation', async () => {
    await my.query(`CREATE TABLE codes (code VARCHAR(20) COLLATE utf8mb4_bin PRIMARY KEY, v INT)`);
    await my.query(`INSERT INTO codes SELECT CONCAT(ELT(1 + seq % 4, 'a', 'B', 'é', 'Z'), LPAD(seq, 5, '0')), seq FROM seq_1_to_3000`);
    await pgTgt.query(`CREATE TABLE codes (code text COLLATE "C" PRIMARY KEY, v int)`);
    await pgTgt.query(`INSERT INTO codes SELECT (ARRAY['a', 'B', 'é', 'Z'])[1 + i % 4] || lpad(i::text, 5, '0'), i FROM generate_series(1, 3000) i`);
    const s = spec({ source: { table: 'codes', key: ['code'] }, target: { table: 'codes', key: ['code'] }, fields: copies('code', 'v') });
    const plan = await planFor(connectors.my, connectors.pgTgt, s);
    assert.deepEqual(await compareInDatabase(connectors.my, connectors.pgTgt, plan, ALL, { leafRows: 100 }), { matched: 3000, suspects: [] });
    await pgTgt.query(`UPDATE codes SET v = -v WHERE code IN ('B00001', 'é01234', 'a02000')`);
    await pgTgt.query(`INSERT INTO codes VALUES ('C00001', 1), ('b00001', 1)`);
    await checkOutcome(connectors.my, connectors.pgTgt, plan, ALL, 100, [['B00001'], ['é01234'], ['a02000'], ['C00001'], ['b00001']], byCodePoints);

    await my.query(`ALTER TABLE codes MODIFY code VARCHAR(20) COLLATE utf8mb4_general_ci`);
    const [sourceTable, targetTable] = await Promise.all([connectors.my.describeTable('codes'), connectors.pgTgt.describeTable('codes')]);
    const refused = planInDatabaseHash({ spec: s, sourceKind: 'mysql', targetKind: 'postgres', source: sourceTable, target: targetTable, settings: settings() });
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.reason, /text key "code" may sort differently .*utf8mb4_general_ci/);
  });
});

describe('a real verify job takes the fast path', () => {
  const people = (table: string) => spec({ source: { table, key: ['id'] }, target: { table: 'people', key: ['id'] }, fields: copies('id', 'name', 'amount', 'seen') });
  before(async () => {
    worker = spawnWorker({ WORKER_CONCURRENCY: '2' });
    // 5,000 rows on even keys, the same on every side; changes only below key 4,000.
    await pgSrc.query(`CREATE TABLE people (id int PRIMARY KEY, name varchar(40), amount numeric(10,2), seen timestamp)`);
    await pgSrc.query(`INSERT INTO people SELECT 2 * i, 'person ' || i, i * 0.5, timestamp '2024-01-01' + i * interval '1 hour' FROM generate_series(1, 5000) i`);
    await my.query(`CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(40), amount DECIMAL(10,2), seen DATETIME)`);
    await my.query(`INSERT INTO people SELECT 2 * seq, CONCAT('person ', seq), seq * 0.5, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq HOUR FROM seq_1_to_5000`);
    await pgTgt.query(`CREATE TABLE people (id bigint PRIMARY KEY, name text, amount numeric(12,2), seen timestamptz)`);
    await pgTgt.query(`INSERT INTO people SELECT 2 * i, 'person ' || i, i * 0.5, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 hour' FROM generate_series(1, 5000) i`);
    await pgTgt.query(`UPDATE people SET name = name || '!' WHERE id IN (10, 500, 1000, 3998)`);
    await pgTgt.query(`UPDATE people SET seen = seen + interval '1 second' WHERE id IN (20, 2000)`);
    await pgTgt.query(`DELETE FROM people WHERE id IN (30, 1500, 3000)`);
    await pgTgt.query(`INSERT INTO people VALUES (0, 'before', 1, now()), (7, 'gap', 1, now()), (3001, 'gap', 1, now())`);
  });

  for (const [kind, database] of [['postgres', PG_SRC], ['mysql', MY]] as const) {
    test(`${kind} → PostgreSQL: ranges that agree are matched by hashes, the others row by row; counts exact`, async () => {
      const actor = await testAdmin();
      const [source, target] = await Promise.all([testConnection(actor, kind, database), testConnection(actor, 'postgres', PG_TGT)]);
      const mapping = await testMapping(actor, `vfast people (${kind})`, source.id, target.id, people('people'));
      const report = await verifyNow(actor, mapping.id, { settings: { rangeRows: 1000 } });
      assert.deepEqual(countsOf(report), { matched: 4991, different: 6, missing: 3, extra: 3, nullKeys: 0, duplicateKeys: 0 });
      assert.equal(report.method, 'mixed');
      const ranges = await prisma().consistencyRange.aggregate({ where: { reportId: report.id }, _sum: { hashMatched: true, rowsRead: true } });
      // Keys 4,000–10,000 (3,000 rows in three ranges of 1,000) hold no change: never read.
      assert.ok((ranges._sum.hashMatched ?? 0) >= 3000, `hash-matched ${ranges._sum.hashMatched}`);
      assert.ok((ranges._sum.rowsRead ?? 0) <= 2000, `rows read ${ranges._sum.rowsRead}`);
    });
  }
});
