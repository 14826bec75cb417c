import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mysqlDialect } from '../mysql/dialect';
import { postgresDialect } from '../postgres/dialect';
import { canonicalCursorText, cursorKindOf, cursorReadStatement } from './cursor-read';

const spec = { table: 't', cursorColumn: 'updated_at', keyColumns: ['tenant', 'id'], columns: ['name'] };

test('cursor values become canonical text: six fraction digits, UTC offset dropped, integers as decimals', () => {
  assert.equal(canonicalCursorText('2026-03-01 12:00:00', 'wall_time'), '2026-03-01 12:00:00.000000');
  assert.equal(canonicalCursorText('2026-03-01 12:00:00.5+00', 'instant'), '2026-03-01 12:00:00.500000');
  assert.equal(canonicalCursorText('2026-03-01 12:00:00.123456', 'instant'), '2026-03-01 12:00:00.123456');
  assert.equal(canonicalCursorText('9007199254740993', 'integer'), '9007199254740993');
  assert.equal(canonicalCursorText(42, 'integer'), '42');
  assert.throws(() => canonicalCursorText('infinity', 'instant'), /not a plain timestamp/);
  assert.throws(() => canonicalCursorText('2026-03-01 12:00:00+02', 'instant'), /not a plain timestamp/);
  assert.throws(() => canonicalCursorText(1.5, 'integer'), /not a plain integer/);
  assert.equal(cursorKindOf('timestamp', 'c'), 'wall_time');
  assert.throws(() => cursorKindOf('date', 'c'), /a cursor must be a timestamp or an integer/);
});

test('PostgreSQL: one row-value comparison over (cursor, key…), bound first, then the position, then the limit', () => {
  const s = cursorReadStatement(postgresDialect, '"public"."t"', spec, { cursor: '2026-03-01 12:00:00.000000', key: [1, 2] }, '2026-03-01 13:00:00.000000', 10);
  assert.equal(
    s.text,
    'SELECT "name", "tenant", "id", "updated_at" FROM "public"."t" WHERE "tenant" IS NOT NULL AND "id" IS NOT NULL AND "updated_at" <= $1' +
      ' AND ("updated_at", "tenant", "id") > ($2, $3, $4) ORDER BY "updated_at", "tenant", "id" LIMIT $5',
  );
  assert.deepEqual(s.values, ['2026-03-01 13:00:00.000000', '2026-03-01 12:00:00.000000', 1, 2, 10]);
});

test('MariaDB: the expanded comparison its range optimizer uses; a cursor that is also the key is compared once', () => {
  const s = cursorReadStatement(mysqlDialect, '`d`.`t`', spec, { cursor: '5', key: [1, 2] }, '9', 10);
  assert.match(s.text, /`updated_at` <= \? AND `updated_at` >= \? AND \(`updated_at` > \? OR \(`updated_at` = \? AND/);
  assert.equal(s.values.length, s.text.split('?').length - 1);
  const byId = cursorReadStatement(postgresDialect, 't', { table: 't', cursorColumn: 'id', keyColumns: ['id'], columns: [] }, { cursor: '5', key: ['5'] }, '9', 3);
  assert.match(byId.text, /WHERE "id" IS NOT NULL AND "id" <= \$1 AND "id" > \$2 ORDER BY "id" LIMIT \$3$/);
  // Without a checkpoint: from the start, up to the bound.
  assert.doesNotMatch(cursorReadStatement(postgresDialect, 't', spec, null, '9', 3).text, / > /);
});
