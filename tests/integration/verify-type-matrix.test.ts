/**
 * Verification of every type family the two databases produce, PostgreSQL → PostgreSQL and
 * MariaDB → PostgreSQL: one column per family, copied by a real migration on a worker
 * process, then verified through the in-database hashes and row by row (a mapping whose
 * filter keeps every row, which hashing refuses). A correct copy is matched in both; one
 * changed row per column is found by the hashes and counts as exactly that field's
 * difference; a repair converges (the verification after it matches every row).
 *
 * Also: a MariaDB SET into text[] through the split transform, DATETIME and timestamp
 * read in their connection's zone of timestamps without zone.
 *
 * Own databases: vmatrix_pg_src, vmatrix_pg_tgt (PostgreSQL), vmatrix_my (MariaDB).
 * Run: node --import tsx --test --test-concurrency=1 tests/integration/verify-type-matrix.test.ts
 */
import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import type { Connector, KeyRange } from '@/lib/connectors/connector';
import { openConnector } from '@/lib/connectors/open-connector';
import { compareInDatabase, planInDatabaseHash, type InDatabasePlan } from '@/lib/consistency/in-database';
import { prisma } from '@/lib/db/client';
import { startMigration } from '@/lib/jobs/start-migration';
import { startRepair } from '@/lib/jobs/start-repair';
import { createConnection } from '@/lib/saved-connections/save-connection';
import type { ResolvedConnection } from '@/lib/schemas/connection-config';
import { mappingSpecSchema, type MappingSpecInput } from '@/lib/schemas/mapping-spec';
import { verifySettingsSchema } from '@/lib/schemas/consistency';
import { freshPgDatabase, testAdmin, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { MARIADB } from './support/test-env';
import { allDiffs, closeVerifyTest, countsOf, verificationAfter, verifyNow } from './support/verify';
import { waitForJob } from './support/wait';

const PG_SRC = 'vmatrix_pg_src';
const PG_TGT = 'vmatrix_pg_tgt';
const MY = 'vmatrix_my';
const ALL: KeyRange = { lower: null, upper: null };
/** The source connections' zone of timestamps without zone (and a second one). */
const PG_ZONE = 'America/New_York';
const MY_ZONE = 'Europe/Berlin';

let actor: Actor;
let pgSrc: pg.Client;
let pgTgt: pg.Client;
let my: mysql.Connection;
const workers: SpawnedWorker[] = [];
const connectors: Connector[] = [];

const resolved = (kind: 'postgres' | 'mysql', database: string, timestampZone: string): ResolvedConnection =>
  kind === 'postgres'
    ? { kind, host: '127.0.0.1', port: 5432, database, username: 'postgres', password: null, sslMode: 'disable', schema: 'public', timestampZone }
    : { kind, host: MARIADB.host, port: MARIADB.port, database, username: MARIADB.user, password: null, sslMode: 'disable', timestampZone };

/** A saved connection with its zone of timestamps without zone (in its name: one per zone). */
async function savedConnection(kind: 'postgres' | 'mysql', database: string, timestampZone: string) {
  const name = `it vmatrix ${kind} ${database} ${timestampZone}`;
  const existing = await prisma().connection.findUnique({ where: { name }, select: { id: true, timestampZone: true } });
  if (existing) return existing;
  const r = resolved(kind, database, timestampZone);
  return createConnection(actor, { name, kind, host: r.host, port: r.port, database, username: r.username, sslMode: 'disable', schema: r.schema, timestampZone });
}

const open = (kind: 'postgres' | 'mysql', database: string, zone: string) => {
  const connector = openConnector(resolved(kind, database, zone));
  connectors.push(connector);
  return connector;
};

before(async () => {
  actor = await testAdmin();
  [pgSrc, pgTgt] = await Promise.all([freshPgDatabase(PG_SRC), freshPgDatabase(PG_TGT)]);
  my = await mysql.createConnection({ ...MARIADB, multipleStatements: true, dateStrings: true, charset: 'utf8mb4' });
  await my.query(`DROP DATABASE IF EXISTS ${MY}; CREATE DATABASE ${MY} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; USE ${MY}; SET time_zone = '+00:00'`);
  for (const client of [pgSrc, pgTgt]) await client.query(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`);
  workers.push(spawnWorker());
});

after(async () => {
  await Promise.all(connectors.map((c) => c.close()));
  await my.query(`DROP DATABASE IF EXISTS ${MY}`);
  await my.end();
  await closeVerifyTest(workers, [pgSrc, pgTgt]);
});

// ---- helpers ---------------------------------------------------------------------------------

const copies = (...names: string[]) => names.map((name) => ({ target: name, sources: [name] }));
/** The same mapping compared row by row: a filter that keeps every row, which hashing refuses. */
const rowByRow = (spec: MappingSpecInput): MappingSpecInput => ({ ...spec, source: { ...spec.source, filter: [{ column: 'id', op: 'not_null' }] } });

async function migrate(mappingId: string) {
  const job = await startMigration(actor, { mappingId, options: { chunkRows: 1000, batchRows: 500 } });
  const status = await waitForJob(job.id, undefined, 120_000);
  const errors = await prisma().errorRow.findMany({ where: { jobId: job.id }, select: { field: true, code: true, message: true } });
  assert.equal(status, 'completed', `migration ${status}: ${JSON.stringify(errors)}`);
  // The migration's own verification: let it finish before the target changes under it.
  await verificationAfter(job.id);
}

async function hashPlan(source: Connector, target: Connector, spec: MappingSpecInput): Promise<InDatabasePlan> {
  const s = mappingSpecSchema.parse(spec);
  const [sourceTable, targetTable] = await Promise.all([source.describeTable(s.source.table), target.describeTable(s.target.table)]);
  const eligibility = planInDatabaseHash({ spec: s, sourceKind: source.kind, targetKind: target.kind, source: sourceTable, target: targetTable, settings: verifySettingsSchema.parse({}) });
  if (!eligibility.ok) assert.fail(`expected the hash path, got: ${eligibility.reason}`);
  return eligibility.plan;
}

/** "key:field" of every field difference of a report, sorted. */
async function differentFields(reportId: string): Promise<string[]> {
  const diffs = await allDiffs(reportId, 'different');
  return diffs.flatMap((d) => (d.fields ?? []).map((f) => `${d.key.join('/')}:${f.field}`)).sort();
}

interface Tamper {
  column: string;
  id: number;
  /** The new value, as SQL (the column's old value is `old`). */
  set: string;
}

/**
 * For each column: change one row in the target, check the hashes find it, put it back;
 * then change them all at once and check both verification paths report exactly those
 * fields, and that a repair converges.
 */
async function tamperAndRepair(options: {
  target: Connector;
  source: Connector;
  hashSpec: MappingSpecInput;
  hashMappingId: string;
  rowMappingId: string;
  table: string;
  rows: number;
  tampers: Tamper[];
}) {
  const { table, tampers, rows } = options;
  const plan = await hashPlan(options.source, options.target, options.hashSpec);
  await pgTgt.query(`DROP TABLE IF EXISTS ${table}_copy; CREATE TABLE ${table}_copy AS SELECT * FROM ${table}`);
  const restore = (t: Tamper) => pgTgt.query(`UPDATE ${table} t SET ${t.column} = c.${t.column} FROM ${table}_copy c WHERE t.id = c.id AND t.id = $1`, [t.id]);
  const change = async (t: Tamper) => {
    const value = t.set.replaceAll('old', t.column);
    // As text: json has no equality operator.
    const result = await pgTgt.query(`UPDATE ${table} SET ${t.column} = ${value} WHERE id = $1 AND ${t.column}::text IS DISTINCT FROM (${value})::text`, [t.id]);
    assert.equal(result.rowCount, 1, `${t.column}: the change changes row ${t.id}`);
  };
  assert.deepEqual(await compareInDatabase(options.source, options.target, plan, ALL, { leafRows: 1_000_000 }), { matched: rows, suspects: [] });
  for (const t of tampers) {
    await change(t);
    const outcome = await compareInDatabase(options.source, options.target, plan, ALL, { leafRows: 1_000_000 });
    await restore(t);
    assert.deepEqual(outcome, { matched: 0, suspects: [ALL] }, `the hashes find a changed ${t.column}`);
  }

  for (const t of tampers) await change(t);
  const expected = tampers.map((t) => `${t.id}:${t.column}`).sort();
  const changedRows = new Set(tampers.map((t) => t.id)).size;
  const counts = { matched: rows - changedRows, different: changedRows, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 };
  const byRows = await verifyNow(actor, options.rowMappingId);
  assert.equal(byRows.method, 'key_merge');
  assert.deepEqual({ counts: countsOf(byRows), fields: await differentFields(byRows.id) }, { counts, fields: expected });
  const byHashes = await verifyNow(actor, options.hashMappingId);
  assert.deepEqual({ counts: countsOf(byHashes), fields: await differentFields(byHashes.id) }, { counts, fields: expected });

  const repair = await startRepair(actor, byHashes.id, { deleteExtra: false });
  assert.equal(await waitForJob(repair.id, undefined, 120_000), 'completed');
  const repaired = await verificationAfter(repair.id);
  assert.deepEqual(countsOf(repaired), { matched: rows, different: 0, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 });
  assert.equal(repaired.method, 'hash_ranges', 'after the repair every range agrees by its hash');
  assert.deepEqual(countsOf(await verifyNow(actor, options.rowMappingId)), { ...counts, matched: rows, different: 0 });
}

async function bothPathsMatch(hashMappingId: string, rowMappingId: string, rows: number) {
  const byHashes = await verifyNow(actor, hashMappingId);
  assert.deepEqual(countsOf(byHashes), { matched: rows, different: 0, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 });
  assert.equal(byHashes.method, 'hash_ranges', 'every row matched by the in-database hashes');
  const byRows = await verifyNow(actor, rowMappingId);
  assert.equal(byRows.method, 'key_merge');
  assert.deepEqual({ counts: countsOf(byRows), fields: await differentFields(byRows.id) }, { counts: countsOf(byHashes), fields: [] });
}

// ---- PostgreSQL → PostgreSQL -----------------------------------------------------------------

describe('PostgreSQL → PostgreSQL: every type family', () => {
  const columns = ['id', 'tags', 'tags_text', 'nums', 'doc', 'docb', 'bin', 'mood', 'amount', 'ratio', 'score', 'at', 'took', 'uid', 'flag', 'bits', 'vbits', 'born', 'seen', 'seen_tz', 'wall'];
  const spec: MappingSpecInput = { source: { table: 'kinds', key: ['id'] }, target: { table: 'kinds', key: ['id'] }, fields: copies(...columns) };
  let hashMappingId: string;
  let rowMappingId: string;
  const types = `tags text[], nums integer[], doc json, docb jsonb, bin bytea, mood mood, amount numeric(12,3), ratio real, score double precision,
    at time(3), took interval, uid uuid, flag boolean, bits bit(8), vbits bit varying(16), born date, seen timestamp(6), seen_tz timestamptz`;

  before(async () => {
    // tags_text: text in PostgreSQL's array spelling, copied into text[]; wall: timestamp into timestamptz.
    await pgSrc.query(`CREATE TABLE kinds (id int PRIMARY KEY, ${types}, wall timestamp, tags_text text)`);
    await pgTgt.query(`CREATE TABLE kinds (id bigint PRIMARY KEY, ${types}, wall timestamptz, tags_text text[])`);
    await pgSrc.query(`INSERT INTO kinds VALUES
      (1, '{red,green}', '{1,2,3}', '{"b": 1,  "a": [1, 2]}', '{"z": {"y": 1, "x": null}}', '\\x00ff', 'ok', 1.5, 0.1, 0.1, '10:00:01.5', '1 year 2 mons 3 days 04:05:06.7',
       'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', true, B'00000101', B'101', '2024-02-29', '2024-02-29 23:59:59.123456', '2024-07-01 12:00:00.5+02', '2024-07-01 10:00:00', '{red,green}'),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, '{"a b",NULL,"","x\\"y"}', '{}', '[]', '{}', '\\x', 'sad', -0.001, 0.123456789, -2.5e-5, '00:00:00', '-1 days +02:00:00',
       '00000000-0000-0000-0000-000000000000', false, B'11111111', B'', '0001-01-01', '1970-01-01 00:00:00', '1969-12-31 23:59:59.999999+00', '2024-01-15 10:00:00', '{}'),
      (4, '{{a,b},{c,d}}', '{-7}', '{"a": 1.5, "b": "é\\"|"}', '[1, "two", {"k": false}]', '\\xdeadbeef', 'happy', 99999.999, 16777216, 1e15, '23:59:59.999', '00:00:00',
       '6ccd780c-baba-1026-9564-5b8c656024db', true, B'10000000', B'1010101010101010', '2000-02-29', '2038-01-19 03:14:07.999999', '2024-03-31 01:30:00+00', '2024-03-10 03:30:00', '{"a b",NULL,""}')`);
    const [source, target] = await Promise.all([savedConnection('postgres', PG_SRC, PG_ZONE), savedConnection('postgres', PG_TGT, 'UTC')]);
    hashMappingId = (await testMapping(actor, 'vmatrix pg kinds', source.id, target.id, spec)).id;
    rowMappingId = (await testMapping(actor, 'vmatrix pg kinds (rows)', source.id, target.id, rowByRow(spec))).id;
    await migrate(hashMappingId);
  });

  test('the copy holds the values; wall times without zone are read in the source connection zone', async () => {
    const { rows } = await pgTgt.query(`SELECT id, tags::text, bits::text, took::text, wall::text FROM kinds ORDER BY id`);
    assert.deepEqual(rows[0], { id: '1', tags: '{red,green}', bits: '00000101', took: '1 year 2 mons 3 days 04:05:06.7', wall: '2024-07-01 14:00:00+00' });
    assert.equal(rows[2].wall, '2024-01-15 15:00:00+00');
    assert.equal(rows[3].tags, '{{a,b},{c,d}}');
  });

  test('a correct copy is matched by the hashes and row by row', () => bothPathsMatch(hashMappingId, rowMappingId, 4));

  test('a changed row per column: found by the hashes, exactly those fields differ, a repair converges', () =>
    tamperAndRepair({
      source: open('postgres', PG_SRC, PG_ZONE),
      target: open('postgres', PG_TGT, 'UTC'),
      hashSpec: spec,
      hashMappingId,
      rowMappingId,
      table: 'kinds',
      rows: 4,
      tampers: [
        { column: 'tags', id: 1, set: `'{green,red}'` },
        { column: 'tags_text', id: 4, set: `'{"a b",NULL}'` },
        { column: 'nums', id: 3, set: `'{0}'` },
        { column: 'doc', id: 1, set: `'{"a": [2, 1], "b": 1}'` },
        { column: 'docb', id: 4, set: `'[1, "two", {"k": true}]'` },
        { column: 'bin', id: 3, set: `'\\x00'` },
        { column: 'mood', id: 4, set: `'ok'` },
        { column: 'amount', id: 1, set: `old + 0.001` },
        { column: 'ratio', id: 3, set: `0.12345` },
        { column: 'score', id: 4, set: `old + 1` },
        { column: 'at', id: 1, set: `old + interval '1 millisecond'` },
        { column: 'took', id: 4, set: `'1 day'` },
        { column: 'uid', id: 3, set: `'00000000-0000-0000-0000-000000000001'` },
        { column: 'flag', id: 1, set: `NOT old` },
        { column: 'bits', id: 4, set: `~old` },
        { column: 'vbits', id: 3, set: `B'0'` },
        { column: 'born', id: 1, set: `old + 1` },
        { column: 'seen', id: 4, set: `old - interval '1 microsecond'` },
        { column: 'seen_tz', id: 3, set: `old + interval '1 microsecond'` },
        { column: 'wall', id: 1, set: `old + interval '1 hour'` },
      ],
    }));
});

// ---- MariaDB → PostgreSQL --------------------------------------------------------------------

describe('MariaDB → PostgreSQL: every type family', () => {
  // doc (JSON) has no common text form in both databases: hashing refuses it, rows compare it.
  const hashed = ['id', 'colors_plain', 'colors_text', 'tags', 'bin', 'mood', 'amount', 'ratio', 'score', 'at', 'took', 'uid', 'flag', 'flag_bit', 'bits', 'born', 'seen', 'seen_tz', 'stamp'];
  const hashSpec: MappingSpecInput = {
    source: { table: 'kinds', key: ['id'] },
    target: { table: 'kinds_my', key: ['id'] },
    fields: [...copies(...hashed), { target: 'colors', sources: ['colors'], transforms: [{ op: 'split', separator: ',', dropEmpty: true }] }],
  };
  const withJson: MappingSpecInput = { ...hashSpec, fields: [...hashSpec.fields, ...copies('doc')] };
  let hashMappingId: string;
  let rowMappingId: string;

  before(async () => {
    await my.query(`CREATE TABLE kinds (id INT PRIMARY KEY, colors SET('red','green','blue'), colors_plain SET('red','green','blue'), colors_text SET('red','green','blue'),
      tags VARCHAR(100), doc JSON, bin BLOB, mood ENUM('sad','ok','happy'), amount DECIMAL(12,3), ratio FLOAT, score DOUBLE, at TIME(3), took TIME, uid UUID,
      flag TINYINT(1), flag_bit BIT(1), bits BIT(8), born DATE, seen DATETIME(6), seen_tz DATETIME(6), stamp TIMESTAMP(6) NULL)`);
    await my.query(`INSERT INTO kinds VALUES
      (1, 'red,blue', 'green', 'red,green,blue', '{red,green}', '{"b": 1, "a": [1, 2]}', X'00ff', 'ok', 1.5, 0.1, 0.1, '10:00:01.5', '-10:00:01',
       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 1, b'1', b'00000101', '2024-02-29', '2024-02-29 23:59:59.123456', '2024-07-01 10:00:00.5', '2024-07-01 10:00:00.25'),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, '', '', '', '{}', '[]', X'', 'sad', -0.001, 0.123456789, -2.5e-5, '00:00:00', '838:59:59',
       '00000000-0000-0000-0000-000000000000', 0, b'0', b'11111111', '1000-01-01', '1970-01-01 00:00:00', '2024-01-15 10:00:00', '1970-01-02 00:00:00'),
      (4, 'green,blue', 'red,green', 'blue', '{"a b",NULL,"x\\\\\\"y"}', '{"k": {"z": 1, "y": "é\\\\"|"}}', X'deadbeef', 'happy', 99999.999, 16777217, 1e15, '23:59:59.999', '00:00:00.5',
       '6ccd780c-baba-1026-9564-5b8c656024db', 1, b'1', b'10000000', '2000-02-29', '2038-01-19 03:14:07.999999', '2024-10-27 02:30:00', '2038-01-19 03:14:07')`);
    await pgTgt.query(`CREATE TABLE kinds_my (id bigint PRIMARY KEY, colors text[], colors_plain text[], colors_text text, tags text[], doc jsonb, bin bytea, mood mood,
      amount numeric(12,3), ratio real, score double precision, at time(3), took interval, uid uuid, flag boolean, flag_bit boolean, bits bit(8),
      born date, seen timestamp(6), seen_tz timestamptz, stamp timestamptz)`);
    const [source, target] = await Promise.all([savedConnection('mysql', MY, MY_ZONE), savedConnection('postgres', PG_TGT, 'UTC')]);
    hashMappingId = (await testMapping(actor, 'vmatrix my kinds', source.id, target.id, hashSpec)).id;
    rowMappingId = (await testMapping(actor, 'vmatrix my kinds (rows)', source.id, target.id, rowByRow(withJson))).id;
    // The JSON column is copied (by the row mapping's migration) and compared row by row.
    await migrate(rowMappingId);
  });

  test('a SET fills text[] through split; DATETIME is read in the connection zone; BIT and TIME arrive as PostgreSQL spells them', async () => {
    const { rows } = await pgTgt.query(`SELECT id, colors::text, colors_plain::text, colors_text, bits::text, flag_bit, took::text, seen_tz::text FROM kinds_my ORDER BY id`);
    assert.deepEqual(rows[0], {
      id: '1', colors: '{red,blue}', colors_plain: '{green}', colors_text: 'red,green,blue', bits: '00000101', flag_bit: true, took: '-10:00:01', seen_tz: '2024-07-01 08:00:00.5+00',
    });
    assert.deepEqual([rows[2].colors, rows[2].colors_plain, rows[2].took, rows[2].seen_tz], ['{}', '{}', '838:59:59', '2024-01-15 09:00:00+00']);
    // 02:30 on the night clocks go back happens twice in Berlin: the earlier one is taken.
    assert.equal(rows[3].seen_tz, '2024-10-27 00:30:00+00');
  });

  test('JSON is compared row by row only: hashing says why', async () => {
    const s = mappingSpecSchema.parse(withJson);
    const [source, target] = [open('mysql', MY, MY_ZONE), open('postgres', PG_TGT, 'UTC')];
    const [sourceTable, targetTable] = await Promise.all([source.describeTable('kinds'), target.describeTable('kinds_my')]);
    const refused = planInDatabaseHash({ spec: s, sourceKind: 'mysql', targetKind: 'postgres', source: sourceTable, target: targetTable, settings: verifySettingsSchema.parse({}) });
    assert.match(refused.ok ? '' : refused.reason, /column "doc" \(json → json\): JSON has no common text form/);
  });

  test('a correct copy is matched by the hashes and row by row', async () => {
    // Row 4's wall time names two instants; the copy wrote the earlier, which the hashes accept.
    await bothPathsMatch(hashMappingId, rowMappingId, 4);
  });

  test('a changed row per column: found by the hashes, exactly those fields differ, a repair converges', () =>
    tamperAndRepair({
      source: open('mysql', MY, MY_ZONE),
      target: open('postgres', PG_TGT, 'UTC'),
      hashSpec,
      hashMappingId,
      rowMappingId,
      table: 'kinds_my',
      rows: 4,
      tampers: [
        { column: 'colors', id: 1, set: `'{blue,red}'` },
        { column: 'colors_plain', id: 3, set: `'{""}'` },
        { column: 'colors_text', id: 4, set: `'blue '` },
        // Text in PostgreSQL's array spelling, as a SET's members arrive from other tools: the case.
        { column: 'tags', id: 1, set: `'{green,red}'` },
        { column: 'bin', id: 3, set: `'\\x00'` },
        { column: 'mood', id: 1, set: `'sad'` },
        { column: 'amount', id: 4, set: `old - 0.001` },
        { column: 'ratio', id: 1, set: `0.2` },
        { column: 'score', id: 3, set: `-2.5e-6` },
        { column: 'at', id: 4, set: `old - interval '1 millisecond'` },
        { column: 'took', id: 1, set: `old + interval '1 second'` },
        { column: 'uid', id: 4, set: `'6ccd780c-baba-1026-9564-5b8c656024dc'` },
        { column: 'flag', id: 3, set: `NOT old` },
        { column: 'flag_bit', id: 4, set: `NOT old` },
        { column: 'bits', id: 1, set: `B'00000100'` },
        { column: 'born', id: 3, set: `old + 1` },
        { column: 'seen', id: 1, set: `old + interval '1 microsecond'` },
        // The later of the two instants 02:30 names that night: the same wall time, another instant.
        { column: 'seen_tz', id: 4, set: `old + interval '1 hour'` },
        { column: 'stamp', id: 3, set: `old - interval '1 microsecond'` },
      ],
    }));

  test('JSON in any key order matches row by row; a changed document differs and is repaired', async () => {
    await pgTgt.query(`UPDATE kinds_my SET doc = '{"k": {"y": "é\\"|", "z": 2}}' WHERE id = 4`);
    const report = await verifyNow(actor, rowMappingId);
    assert.deepEqual(await differentFields(report.id), ['4:doc']);
    const repair = await startRepair(actor, report.id, { deleteExtra: false });
    assert.equal(await waitForJob(repair.id, undefined, 120_000), 'completed');
    assert.deepEqual(countsOf(await verificationAfter(repair.id)), { matched: 4, different: 0, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 });
  });
});

// ---- a repair that cannot converge says so ---------------------------------------------------

describe('a row the target changes on every write', () => {
  test('the repair names it, with the field and why, instead of rewriting it forever', async () => {
    await pgSrc.query(`CREATE TABLE people (id int PRIMARY KEY, name text)`);
    await pgSrc.query(`INSERT INTO people SELECT g, 'person ' || g FROM generate_series(1, 5) g`);
    await pgTgt.query(`CREATE TABLE people (id int PRIMARY KEY, name text)`);
    await pgTgt.query(`CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 2 THEN NEW.name := upper(NEW.name); END IF; RETURN NEW; END $$`);
    await pgTgt.query(`CREATE TRIGGER shout BEFORE INSERT OR UPDATE ON people FOR EACH ROW EXECUTE FUNCTION shout()`);
    const [source, target] = await Promise.all([savedConnection('postgres', PG_SRC, PG_ZONE), savedConnection('postgres', PG_TGT, 'UTC')]);
    const mapping = await testMapping(actor, 'vmatrix people', source.id, target.id, { source: { table: 'people', key: ['id'] }, target: { table: 'people', key: ['id'] }, fields: copies('id', 'name') });
    await migrate(mapping.id);
    const before = await verifyNow(actor, mapping.id);
    assert.deepEqual(await differentFields(before.id), ['2:name']);

    const repair = await startRepair(actor, before.id, { deleteExtra: false });
    assert.equal(await waitForJob(repair.id, undefined, 120_000), 'completed_with_errors');
    const errors = await prisma().errorRow.findMany({ where: { jobId: repair.id }, select: { sourceKey: true, stage: true, field: true, code: true, message: true } });
    assert.equal(errors.length, 1);
    assert.deepEqual({ ...errors[0], message: undefined }, { sourceKey: [2], stage: 'write', field: 'name', code: 'not_converged', message: undefined });
    assert.match(errors[0].message, /"name" was written as "person 2" and reads "PERSON 2".*a trigger/);
    const after = await verificationAfter(repair.id);
    assert.deepEqual(countsOf(after), { matched: 4, different: 1, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 });
  });
});
