import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { allDiffs, closeVerifyTest, countsOf, freshPgPair, keysOf, pgMapping, verifyNow } from './support/verify';

const SOURCE_DB = 'verify_cat_src';
const TARGET_DB = 'verify_cat_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
const workers: SpawnedWorker[] = [];

const peopleSpec = {
  source: { table: 'people', key: ['id'] },
  target: { table: 'contacts', key: ['id'] },
  fields: ['id', 'name', 'note', 'score', 'seen_at', 'amount', 'updated_at'].map((c) => ({ target: c, sources: [c] })),
};

before(async () => {
  ({ actor, source, target } = await freshPgPair(SOURCE_DB, TARGET_DB));
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, name text, note text, score float8, seen_at timestamp(3), amount numeric(10,3), updated_at timestamptz)`);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, name varchar(20), note text, score float8, seen_at timestamp(0), amount numeric(10,2), updated_at timestamptz)`);
  // 1..5 identical after normalization: ms in the source, whole seconds in the target;
  // amounts at scale 3 vs 2; updated_at differs everywhere but is excluded.
  await source.query(`
    INSERT INTO people
    SELECT g, 'Person ' || g, 'note ' || g, g * 1.5, '2024-05-01 10:00:00.400'::timestamp + g * interval '1 day', g + 0.25, now()
      FROM generate_series(1, 11) g`);
  await target.query(`
    INSERT INTO contacts
    SELECT g, 'Person ' || g, 'note ' || g, g * 1.5, '2024-05-01 10:00:00'::timestamp + g * interval '1 day', g + 0.25, now() - interval '1 year'
      FROM generate_series(1, 9) g`);
  await target.query(`UPDATE contacts SET name = 'Someone Else' WHERE id = 6`);
  await source.query(`UPDATE people SET note = NULL WHERE id = 7`);
  await target.query(`UPDATE contacts SET note = '' WHERE id = 7`);
  await target.query(`UPDATE contacts SET score = score + 0.0004 WHERE id = 8`);
  await target.query(`UPDATE contacts SET score = score + 0.5 WHERE id = 9`);
  // 10 is missing; 11 cannot be mapped (longer than varchar(20)): missing too.
  await source.query(`UPDATE people SET name = repeat('x', 30) WHERE id = 11`);
  await target.query(`INSERT INTO contacts (id, name) VALUES (100, 'extra'), (101, 'extra')`);
  workers.push(spawnWorker());
});

after(() => closeVerifyTest(workers, [source, target]));

describe('verification categories (PostgreSQL → PostgreSQL, integer key)', () => {
  test('every category and the exact score', async () => {
    const mapping = await pgMapping(actor, SOURCE_DB, TARGET_DB, 'verify people → contacts', peopleSpec);
    const report = await verifyNow(actor, mapping.id, {
      settings: { columns: { updated_at: { exclude: true }, score: { exclude: false, tolerance: 0.001 } }, rangeRows: 1000 },
    });

    assert.deepEqual(countsOf(report), { matched: 6, different: 3, missing: 2, extra: 2, nullKeys: 0, duplicateKeys: 0 });
    assert.equal(report.score, 6 / (6 + 2 * 3 + 2 + 2));
    assert.equal(report.status, 'completed');
    // Rows differ, so some were compared row by row (the in-database fast path may clear the rest).
    assert.ok(report.method === 'key_merge' || report.method === 'mixed', String(report.method));
    assert.equal(report.differencesStored, 7);

    const different = await allDiffs(report.id, 'different');
    assert.deepEqual(keysOf(different), ['6', '7', '9']);
    const fieldsByKey = new Map(different.map((d) => [String(d.key[0]), d.fields?.map((f) => f.field)]));
    assert.deepEqual(fieldsByKey.get('6'), ['name']);
    assert.deepEqual(fieldsByKey.get('7'), ['note']);
    assert.deepEqual(fieldsByKey.get('9'), ['score']);
    const nullVsEmpty = different.find((d) => d.key[0] === 7)?.fields?.[0];
    assert.deepEqual([nullVsEmpty?.source, nullVsEmpty?.target], [null, '']);

    assert.deepEqual(keysOf(await allDiffs(report.id, 'missing')), ['10', '11']);
    const extra = await allDiffs(report.id, 'extra');
    assert.deepEqual(keysOf(extra), ['100', '101']);
    assert.equal(extra[0].targetRow?.name, 'extra');
  });

  test('NULL vs empty text matches with emptyAsNull; timestamps compare as the target column stores them', async () => {
    const mapping = await prisma().mapping.findUniqueOrThrow({ where: { name: 'verify people → contacts' }, select: { id: true } });
    const report = await verifyNow(actor, mapping.id, {
      settings: { columns: { updated_at: { exclude: true }, score: { exclude: false, tolerance: 0.001 }, note: { exclude: false, emptyAsNull: true } } },
    });
    assert.deepEqual(countsOf(report), { matched: 7, different: 2, missing: 2, extra: 2, nullKeys: 0, duplicateKeys: 0 });

    // Without the tolerance 8 differs. At µs precision seen_at still matches: the target's
    // timestamp(0) keeps the source's 10:00:00.400 as 10:00:00, as any copy into it would.
    const strict = await verifyNow(actor, mapping.id, {
      settings: { columns: { updated_at: { exclude: true }, seen_at: { exclude: false, timestampPrecision: 'us' } } },
    });
    assert.deepEqual(countsOf(strict), { matched: 5, different: 4, missing: 2, extra: 2, nullKeys: 0, duplicateKeys: 0 });
    const eight = (await allDiffs(strict.id, 'different')).find((d) => d.key[0] === 8);
    assert.deepEqual(eight?.fields?.map((f) => f.field).sort(), ['score']);
    // One second off is a difference at any precision.
    await target.query(`UPDATE contacts SET seen_at = seen_at + interval '1 second' WHERE id = 1`);
    const moved = await verifyNow(actor, mapping.id, {
      settings: { columns: { updated_at: { exclude: true }, seen_at: { exclude: false, timestampPrecision: 'us' } } },
    });
    assert.deepEqual((await allDiffs(moved.id, 'different')).find((d) => d.key[0] === 1)?.fields?.map((f) => f.field), ['seen_at']);
    await target.query(`UPDATE contacts SET seen_at = seen_at - interval '1 second' WHERE id = 1`);
  });
});
