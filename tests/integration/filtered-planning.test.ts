import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import type { Connector, Row } from '@/lib/connectors/connector';
import { openConnector } from '@/lib/connectors/open-connector';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { startMigration } from '@/lib/jobs/start-migration';
import { compileSourceFilter } from '@/lib/mapping/source-filter';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import type { SourceFilter } from '@/lib/schemas/mapping-spec';
import { freshMariaDatabase, freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { MARIADB } from './support/test-env';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { waitForJob } from './support/wait';

/**
 * A mapping with a source filter is planned over the rows the filter keeps, where the
 * database can apply the filter with the meaning the copy gives it: chunks of about
 * chunkRows kept rows, and an estimate that is an exact count (rowsEstimateExact). Where
 * it cannot, the estimate says so.
 */

const PG_SOURCE = 'ferry_it_fplan_src';
const PG_TARGET = 'ferry_it_fplan_tgt';
const MARIA_SOURCE = 'ferry_it_fplan_maria';

const ROWS = 10_000;
const CHUNK_ROWS = 200;

let actor: Actor;
let pgSource: pg.Client;
let pgTarget: pg.Client;
let maria: mysql.Connection;
const workers: SpawnedWorker[] = [];
const connectors: Connector[] = [];

/**
 * One row in ten is 'active'. Near misses that a database comparison with its usual
 * collation would also keep, and the copy does not: other case, a trailing space.
 */
const statusSql = `CASE WHEN id % 10 = 0 THEN 'active' WHEN id % 10 = 5 THEN 'ACTIVE' WHEN id % 10 = 7 THEN 'active ' ELSE 'inactive' END`;
const ACTIVE = ROWS / 10;

before(async () => {
  actor = await testAdmin();
  pgSource = await freshPgDatabase(PG_SOURCE);
  await pgSource.query(`CREATE TABLE accounts (id int PRIMARY KEY, status text, zip text)`);
  await pgSource.query(`INSERT INTO accounts SELECT id, ${statusSql}, lpad(((id * 7919) % 100000)::text, 5, '0') FROM generate_series(1, ${ROWS}) id`);
  pgTarget = await freshPgDatabase(PG_TARGET);
  await pgTarget.query(`CREATE TABLE accounts (id int PRIMARY KEY, status text, zip text)`);

  maria = await freshMariaDatabase(MARIA_SOURCE);
  // The server's default collation: case-insensitive, trailing spaces ignored by =.
  await maria.query(`CREATE TABLE accounts (id int PRIMARY KEY, status varchar(20), zip varchar(5))`);
  await maria.query(`INSERT INTO accounts SELECT id, ${statusSql}, LPAD(MOD(id * 7919, 100000), 5, '0') FROM (SELECT seq AS id FROM seq_1_to_${ROWS}) n`);

  workers.push(spawnWorker(), spawnWorker());
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all(connectors.map((c) => c.close()));
  await pgSource?.end();
  await pgTarget?.end();
  await maria?.end();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

const fields = [
  { target: 'id', sources: ['id'] },
  { target: 'status', sources: ['status'] },
  { target: 'zip', sources: ['zip'] },
];

/** Runs a filtered migration into an emptied target table; its plan, estimate and totals. */
async function migrate(kind: 'postgres' | 'mysql', name: string, filter: SourceFilter[]) {
  await pgTarget.query('TRUNCATE accounts');
  const src = await testConnection(actor, kind, kind === 'postgres' ? PG_SOURCE : MARIA_SOURCE);
  const tgt = await testConnection(actor, 'postgres', PG_TARGET);
  const mapping = await testMapping(actor, name, src.id, tgt.id, {
    source: { table: 'accounts', key: ['id'], filter },
    target: { table: 'accounts', key: ['id'] },
    fields,
  });
  const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: CHUNK_ROWS, batchRows: 100 } });
  assert.equal(await waitForJob(job.id, undefined, 120_000), 'completed');
  const row = await prisma().job.findUniqueOrThrow({ where: { id: job.id }, select: { rowsEstimated: true, rowsEstimateExact: true } });
  const planned = await prisma().jobEvent.findFirstOrThrow({ where: { jobId: job.id, type: 'planned' }, select: { data: true } });
  const chunks = await prisma().chunk.findMany({ where: { jobId: job.id }, select: { rowsRead: true }, orderBy: { seq: 'asc' } });
  const landed = (await pgTarget.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts')).rows[0].n;
  return { ...row, method: (planned.data as { method?: string }).method, chunks: chunks.map((c) => c.rowsRead), totals: await jobTotals(job.id), landed };
}

for (const kind of ['postgres', 'mysql'] as const) {
  const label = kind === 'postgres' ? 'PostgreSQL' : 'MariaDB';

  describe(`planning a filtered migration from ${label}`, () => {
    test('a filter the database applies exactly: chunks of chunkRows kept rows, an exact estimate', async () => {
      const run = await migrate(kind, `it fplan ${kind} active`, [{ column: 'status', op: 'eq', value: 'active' }]);
      assert.equal(run.landed, ACTIVE);
      assert.equal(run.totals.read, ACTIVE);
      assert.equal(run.rowsEstimated, ACTIVE, 'the estimate is the number of rows the copy keeps');
      assert.equal(run.rowsEstimateExact, true);
      assert.equal(run.chunks.length, ACTIVE / CHUNK_ROWS, `chunks: ${run.chunks.join(',')}`);
      assert.ok(run.chunks.every((n) => n === CHUNK_ROWS), `every chunk holds chunkRows kept rows: ${run.chunks.join(',')}`);
    });

    test('a filter on a key range: the kept keys are dense, so they are split by arithmetic', async () => {
      const run = await migrate(kind, `it fplan ${kind} tail`, [{ column: 'id', op: 'gt', value: ROWS - 1000 }]);
      assert.equal(run.landed, 1000);
      assert.deepEqual({ estimated: run.rowsEstimated, exact: run.rowsEstimateExact, method: run.method }, { estimated: 1000, exact: true, method: 'dense integer key' });
      assert.deepEqual(run.chunks, [200, 200, 200, 200, 200]);
    });

    test('a filter the database cannot apply as the copy does: planned over more rows, and the estimate says so', async () => {
      // A number compared with a text column: the copy compares the text as a number.
      const zip: SourceFilter = { column: 'zip', op: 'lt', value: 50_000 };
      const run = await migrate(kind, `it fplan ${kind} zip`, [{ column: 'status', op: 'eq', value: 'active' }, zip]);
      const kept = (await pgTarget.query<{ n: number }>(`SELECT count(*)::int AS n FROM accounts WHERE zip::int < 50000`)).rows[0].n;
      assert.ok(kept > 0 && kept < ACTIVE, `some active rows are kept: ${kept}`);
      assert.equal(run.landed, kept);
      // The status filter still shapes the plan; the zip filter is left to the copy.
      assert.deepEqual({ estimated: run.rowsEstimated, exact: run.rowsEstimateExact }, { estimated: ACTIVE, exact: false });
      assert.equal(run.chunks.length, ACTIVE / CHUNK_ROWS);

      const alone = await migrate(kind, `it fplan ${kind} zip only`, [zip]);
      assert.deepEqual({ estimated: alone.rowsEstimated, exact: alone.rowsEstimateExact }, { estimated: ROWS, exact: false });
    });

    test('without a filter the estimate is an exact count', async () => {
      const run = await migrate(kind, `it fplan ${kind} all`, []);
      assert.deepEqual({ estimated: run.rowsEstimated, exact: run.rowsEstimateExact, read: run.totals.read }, { estimated: ROWS, exact: true, read: ROWS });
    });
  });
}

/**
 * The connectors' own promise: a filter they say they apply selects in the database exactly
 * the rows the copy keeps in memory, over awkward values (case, padding, accents, characters
 * outside the BMP, NaN, float rounding, big integers, NULL, JSON null).
 */
describe('filters applied in the database keep exactly the rows the copy keeps', () => {
  const pgTable = `CREATE TABLE samples (
    id int PRIMARY KEY, t text, c char(4), n numeric(30, 20), f4 real, f8 double precision, i8 bigint,
    b boolean, d date, ts timestamp(3), tz timestamptz, j jsonb, u uuid)`;
  const mariaTable = `CREATE TABLE samples (
    id int PRIMARY KEY, t varchar(20) CHARACTER SET utf8mb4, l varchar(20) CHARACTER SET latin1, c char(4) CHARACTER SET utf8mb4, n decimal(30, 20), f4 float, f8 double,
    i8 bigint, b tinyint(1), d date, ts datetime(3), tz timestamp(3) NULL, j longtext CHECK (json_valid(j)), e enum('x', 'y'))`;
  const texts = ['abc', 'ABC', 'abc ', 'ábc', 'Abc', 'a_c', 'a%c', 'a\\c', 'x\ny', '', 'Ａ', '😀', 'zz', 'b', null];
  const numbers = ['0.1', '0.10000000000000000001', '-5', '12345.5', '2.5', null, '0'];
  const floats = [1.1, 0.3, 1 / 3, -0, 1e-7, 3.4e38, null];
  const bigs = ['9007199254740993', '9007199254740992', '5', '-3', '2', null];
  const bools = [true, false, null, 2];
  const dates = ['2024-01-01', '2023-12-31', '2024-06-01', null];
  const stamps = ['2024-01-01 00:00:00', '2024-01-01 10:00:00.5', '2023-12-31 23:59:59.999', null];
  const JSONS = [null, '{"a": 1}', 'null', '[1]'];

  /** Row i takes the i-th value of each list, cycling: every value meets many others. */
  function sampleRows(count: number, extra: (i: number) => unknown[]) {
    const pick = <T>(list: T[], i: number, step: number) => list[(i * step) % list.length];
    return Array.from({ length: count }, (_, i) => [
      i + 1, pick(texts, i, 1), pick(['ab', 'ab  ', 'x', null], i, 3), pick(numbers, i, 5), pick(floats, i, 2), pick(floats, i, 3),
      pick(bigs, i, 1), pick(bools, i, 1), pick(dates, i, 1), pick(stamps, i, 5), pick(stamps, i, 3), ...extra(i),
    ]);
  }

  const filters: { filter: SourceFilter; applied: { postgres: boolean; mysql: boolean } }[] = [
    ...['eq', 'neq', 'lt', 'lte', 'gt', 'gte'].flatMap((op) =>
      ['abc', 'ABC', 'ábc', 'b', ''].map((value) => ({ filter: { column: 't', op, value } as SourceFilter, applied: { postgres: true, mysql: true } })),
    ),
    { filter: { column: 't', op: 'eq', value: '😀' }, applied: { postgres: true, mysql: true } },
    // Code unit order (the copy's) and code point order (the databases') differ past U+D7FF.
    { filter: { column: 't', op: 'lt', value: '😀' }, applied: { postgres: false, mysql: false } },
    { filter: { column: 't', op: 'gt', value: 'Ａ' }, applied: { postgres: false, mysql: false } },
    ...['a%', 'A%', 'a_c', 'a\\%c', 'a\\\\c', '%', '_', 'x_y', '%c '].map((value) => ({ filter: { column: 't', op: 'like', value } as SourceFilter, applied: { postgres: true, mysql: true } })),
    { filter: { column: 't', op: 'like', value: 'a\\' }, applied: { postgres: false, mysql: false } },
    { filter: { column: 't', op: 'is_null' }, applied: { postgres: true, mysql: true } },
    { filter: { column: 't', op: 'not_null' }, applied: { postgres: true, mysql: true } },
    { filter: { column: 't', op: 'gt', value: 5 }, applied: { postgres: false, mysql: false } },
    // PostgreSQL's char(n) reaches the copy padded, but compares without the padding.
    { filter: { column: 'c', op: 'eq', value: 'ab' }, applied: { postgres: false, mysql: true } },
    { filter: { column: 'c', op: 'is_null' }, applied: { postgres: true, mysql: true } },
    ...['eq', 'neq', 'lt', 'gte'].flatMap((op) => [0.1, 2.5, -5, 0].map((value) => ({ filter: { column: 'n', op, value } as SourceFilter, applied: { postgres: true, mysql: true } }))),
    ...['eq', 'gt', 'lte'].flatMap((op) => [1.1, 0.3, 1 / 3, 0, 3.4e38].flatMap((value) => ['f4', 'f8'].map((column) => ({ filter: { column, op, value } as SourceFilter, applied: { postgres: true, mysql: true } })))),
    ...['eq', 'gt', 'lte'].flatMap((op) => [5, 2.5, -3].map((value) => ({ filter: { column: 'i8', op, value } as SourceFilter, applied: { postgres: true, mysql: true } }))),
    { filter: { column: 'i8', op: 'eq', value: 9007199254740992 }, applied: { postgres: false, mysql: false } },
    { filter: { column: 'i8', op: 'eq', value: '5' }, applied: { postgres: false, mysql: false } },
    ...['eq', 'neq', 'lt', 'gt'].flatMap((op) => [true, false].map((value) => ({ filter: { column: 'b', op, value } as SourceFilter, applied: { postgres: true, mysql: true } }))),
    ...['eq', 'lt', 'gte'].flatMap((op) => ['2024-01-01', '2024', '2024-01-01 00:00:00'].flatMap((value) => ['d', 'ts', 'tz'].map((column) => ({ filter: { column, op, value } as SourceFilter, applied: { postgres: true, mysql: true } })))),
    // (A pattern with '-' is left out: the copy's own LIKE cannot compile one yet.)
    { filter: { column: 'ts', op: 'like', value: '%10:00%' }, applied: { postgres: true, mysql: true } },
  ];
  const pgOnly: typeof filters = [
    { filter: { column: 'j', op: 'is_null' }, applied: { postgres: false, mysql: false } },
    { filter: { column: 'u', op: 'eq', value: '00000000-0000-0000-0000-000000000002' }, applied: { postgres: true, mysql: false } },
    { filter: { column: 'u', op: 'gte', value: '00000000-0000-0000-0000-000000000002' }, applied: { postgres: true, mysql: false } },
  ];
  const mariaOnly: typeof filters = [
    // latin1 text is compared as the characters the copy reads, not as latin1 bytes.
    ...['eq', 'lt', 'gt'].flatMap((op) => ['ábc', 'abc', 'b'].map((value) => ({ filter: { column: 'l', op, value } as SourceFilter, applied: { postgres: false, mysql: true } }))),
    { filter: { column: 'l', op: 'like', value: '_bc' }, applied: { postgres: false, mysql: true } },
    { filter: { column: 'e', op: 'eq', value: 'x' }, applied: { postgres: false, mysql: true } },
    { filter: { column: 'e', op: 'gt', value: 'x' }, applied: { postgres: false, mysql: true } },
  ];

  async function check(connector: Connector, kind: 'postgres' | 'mysql', list: typeof filters) {
    const rows: Row[] = [];
    const columns = (await connector.describeTable('samples')).columns.map((c) => c.name);
    for await (const batch of connector.readRange({ table: 'samples', keyColumns: ['id'], columns, range: { lower: null, upper: null }, batchSize: 1000 })) rows.push(...batch);
    const wrong: string[] = [];
    for (const { filter, applied } of list) {
      const what = JSON.stringify(filter);
      const applicable = await connector.applicableFilters('samples', [filter]);
      if ((applicable.length === 1) !== applied[kind]) wrong.push(`${what}: applied ${applicable.length === 1}, expected ${applied[kind]}`);
      if (applicable.length === 0) continue;
      const inMemory = rows.filter(compileSourceFilter([filter])).length;
      const inDatabase = await connector.countInScope('samples', ['id'], [filter]);
      if (inMemory !== inDatabase) wrong.push(`${what}: the copy keeps ${inMemory} rows, the database counts ${inDatabase}`);
    }
    assert.deepEqual(wrong, []);
    // Several filters together: all must match.
    const both: SourceFilter[] = [{ column: 't', op: 'like', value: 'a%' }, { column: 'n', op: 'gte', value: 0 }];
    assert.equal(await connector.countInScope('samples', ['id'], both), rows.filter(compileSourceFilter(both)).length);
  }

  test('PostgreSQL', async () => {
    await pgSource.query('DROP TABLE IF EXISTS samples');
    await pgSource.query(pgTable);
    // JSON null reaches the copy as null, though the column is not NULL.
    const rows = sampleRows(200, (i) => [JSONS[i % 4], `00000000-0000-0000-0000-00000000000${i % 4}`]);
    for (const row of rows) {
      // NaN only where PostgreSQL has it: numeric and float columns.
      if (row[0] === 7) row.splice(3, 3, 'NaN', 'NaN', 'NaN');
      const [id, t, c, n, f4, f8, i8, b, d, ts, tz, j, u] = row;
      await pgSource.query('INSERT INTO samples VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13)', [
        id, t, c, n, f4, f8, i8, b === 2 ? null : b, d, ts, tz, j, u,
      ]);
    }
    const connector = openConnector({ kind: 'postgres', host: '127.0.0.1', port: 5432, database: PG_SOURCE, username: 'postgres', password: null, sslMode: 'disable', schema: 'public' });
    connectors.push(connector);
    await check(connector, 'postgres', [...filters, ...pgOnly]);
  });

  test('MariaDB', async () => {
    await maria.query('DROP TABLE IF EXISTS samples');
    await maria.query(mariaTable);
    const rows = sampleRows(200, (i) => [texts[(i * 7) % texts.length]?.replace(/[^\u0000-\u00ff]/gu, '?') ?? null, ['x', 'y', null][i % 3]]);
    for (const row of rows) {
      const [id, t, l, c, n, f4, f8, i8, b, d, ts, tz, e] = [row[0], row[1], row[11], ...row.slice(2, 11), row[12]];
      await maria.query('INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        id, t, l, c, n, f4, f8, i8, b, d, ts, tz, JSONS[Number(id) % 4], e,
      ]);
    }
    const connector = openConnector({ kind: 'mysql', host: MARIADB.host, port: MARIADB.port, database: MARIA_SOURCE, username: MARIADB.user, password: null, sslMode: 'disable' });
    connectors.push(connector);
    await check(connector, 'mysql', [...filters, ...mariaOnly]);
  });
});
