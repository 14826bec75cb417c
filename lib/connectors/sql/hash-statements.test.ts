import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanonicalColumn } from '../canonical-column';
import type { CanonicalHashRequest } from '../connector';
import { mysqlDialect } from '../mysql/dialect';
import { postgresDialect } from '../postgres/dialect';
import { canonicalExpression, rangeHashAggregate } from './canonical-sql';
import { canonicalHashStatement, splitRangeStatement } from './hash-statements';

const id: CanonicalColumn = { name: 'id', family: 'integer', form: { kind: 'integer' } };
const name: CanonicalColumn = { name: 'na"me', family: 'text', form: { kind: 'text', emptyAsNull: true, trim: true } };

test('hash statements bind the range bounds and quote every name', () => {
  const request: CanonicalHashRequest = { table: 't', keyColumns: ['a', 'b'], columns: [id, name], encoding: 'portable', range: { lower: [1, 'x'], upper: [2, 'y'] } };
  const pg = canonicalHashStatement(postgresDialect, '"public"."t"', request);
  assert.match(pg.text, /^SELECT COUNT\(\*\) AS n, .* FROM "public"\."t" WHERE "a" IS NOT NULL AND "b" IS NOT NULL AND \("a", "b"\) >= \(\$1, \$2\) AND \("a", "b"\) < \(\$3, \$4\)$/);
  assert.deepEqual(pg.values, [1, 'x', 2, 'y']);
  assert.match(pg.text, /"na""me"/);
  const my = canonicalHashStatement(mysqlDialect, '`db`.`t`', request);
  assert.match(my.text, /`na"me`/);
  assert.ok(my.values.length >= 4 && !my.text.includes('$1'));
});

test('split statement: row numbers within the range, every n-th key after the first row', () => {
  const s = splitRangeStatement(postgresDialect, '"public"."t"', ['k'], { lower: [10], upper: null }, 250);
  assert.match(s.text, /row_number\(\) OVER \(ORDER BY "k"\)/);
  assert.match(s.text, /WHERE "k" IS NOT NULL AND "k" >= \$1\) s WHERE \("ferry_row_number__" - 1\) % \$2 = 0 AND "ferry_row_number__" > 1/);
  assert.deepEqual(s.values, [10, 250]);
  assert.throws(() => splitRangeStatement(mysqlDialect, '`t`', ['k'], { lower: null, upper: null }, 0), /positive integer/);
});

test('normalization order in text: empty → NULL before trimming, never NULLIF on MariaDB', () => {
  assert.equal(canonicalExpression(postgresDialect, name), `btrim(NULLIF("na""me"::text, ''), ' ')`);
  const my = canonicalExpression(mysqlDialect, name);
  assert.ok(my.startsWith('TRIM(BOTH') && my.includes('CHAR_LENGTH') && !my.includes('NULLIF'), my);
});

test('forms only one side can compute are refused, not approximated', () => {
  const native: CanonicalColumn = { name: 'doc', family: 'json', form: { kind: 'native' } };
  assert.throws(() => canonicalExpression(mysqlDialect, native), /only comparable between two PostgreSQL databases/);
  assert.throws(() => canonicalExpression(postgresDialect, native), /only comparable between two PostgreSQL databases/);
  assert.throws(() => canonicalExpression(mysqlDialect, { ...name, form: { kind: 'text', lower: true } }), /case-insensitive/);
  assert.throws(() => rangeHashAggregate(mysqlDialect, 'postgres', [id]), /PostgreSQL on both sides/);
  assert.match(rangeHashAggregate(postgresDialect, 'postgres', [id, { ...native }]), /hashint8extended\("id"::int8, 1\).*# COALESCE\(hashtextextended\("doc"::text COLLATE "C", 2\), 2\)/);
});
