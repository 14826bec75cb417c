import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testColumn } from '../mapping/test-columns';
import { compileComparer, compileComparers, effectiveNormalization, timestampMicros } from './normalize';

const same = (comparer: ReturnType<typeof compileComparer>, a: unknown, b: unknown) => comparer.equal(comparer.normalize(a), comparer.normalize(b));

test('NULL equals NULL; NULL and empty text differ unless emptyAsNull', () => {
  const plain = compileComparer(testColumn('note'), { exclude: false });
  assert.equal(same(plain, null, null), true);
  assert.equal(same(plain, null, ''), false);
  const empty = compileComparer(testColumn('note'), { exclude: false, emptyAsNull: true });
  assert.equal(same(empty, null, ''), true);
  assert.equal(same(empty, null, ' '), false);
  const trimmed = compileComparer(testColumn('note'), { exclude: false, emptyAsNull: true, trim: true });
  assert.equal(same(trimmed, null, ' '), true);
});

test('text is exact unless trim or caseInsensitive is asked for', () => {
  const plain = compileComparer(testColumn('name'), { exclude: false });
  assert.equal(same(plain, 'Ann', 'Ann '), false);
  assert.equal(same(plain, 'Ann', 'ann'), false);
  assert.equal(same(compileComparer(testColumn('name'), { exclude: false, trim: true }), 'Ann', ' Ann '), true);
  assert.equal(same(compileComparer(testColumn('name'), { exclude: false, caseInsensitive: true }), 'Ann', 'aNN'), true);
});

test('integers and decimals compare by value, decimals at their scale', () => {
  const id = compileComparer(testColumn('id', 'integer'), { exclude: false });
  assert.equal(same(id, 42, '42'), true);
  assert.equal(same(id, 42n, '42'), true);
  assert.equal(same(id, 42, 43), false);
  const amount = compileComparer(testColumn('amount', 'decimal', { numericScale: 2 }), effectiveNormalization(testColumn('amount', 'decimal', { numericScale: 2 }), undefined));
  assert.equal(same(amount, 1.005, '1.01'), true);
  assert.equal(same(amount, '10', '10.00'), true);
  assert.equal(same(amount, '10.01', '10.00'), false);
});

test('a numeric tolerance accepts small differences and no more', () => {
  const price = compileComparer(testColumn('price', 'float'), { exclude: false, tolerance: 0.01 });
  assert.equal(same(price, 1.0, 1.005), true);
  assert.equal(same(price, 1.0, 1.02), false);
  const exact = compileComparer(testColumn('price', 'float', { dataType: 'double precision' }), { exclude: false });
  assert.equal(same(exact, 0.1 + 0.2, 0.3), false);
  assert.equal(same(exact, '0.5', 0.5), true);
});

test('timestamps compare in UTC at the chosen precision', () => {
  assert.equal(timestampMicros('2024-03-01 10:00:00.123456', 'us'), timestampMicros('2024-03-01T10:00:00.123456Z', 'us'));
  assert.equal(timestampMicros('2024-03-01 12:00:00+02', 'us'), timestampMicros('2024-03-01T10:00:00.000Z', 'us'));
  assert.equal(timestampMicros('2024-03-01 10:00:00.999', 's'), timestampMicros('2024-03-01 10:00:00', 's'));
  assert.notEqual(timestampMicros('2024-03-01 10:00:00.999', 'ms'), timestampMicros('2024-03-01 10:00:00', 'ms'));
  assert.equal(timestampMicros('1969-12-31 23:59:59.5', 's'), timestampMicros('1969-12-31 23:59:59', 's'));

  const mysqlDatetime = testColumn('at', 'timestamp', { dataType: 'datetime' });
  assert.equal(effectiveNormalization(mysqlDatetime, undefined).timestampPrecision, 's');
  const pgTimestamp = testColumn('at', 'timestamptz', { dataType: 'timestamp with time zone' });
  const at = compileComparer(pgTimestamp, effectiveNormalization(pgTimestamp, undefined));
  assert.equal(same(at, '2024-03-01T10:00:00.000001Z', '2024-03-01 10:00:00+00'), false);
  assert.equal(same(at, '2024-03-01T10:00:00.000Z', '2024-03-01 11:00:00+01'), true);
});

test('uuids ignore letter case, booleans their spelling, json its key order', () => {
  assert.equal(same(compileComparer(testColumn('u', 'uuid'), { exclude: false }), 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), true);
  assert.equal(same(compileComparer(testColumn('b', 'boolean'), { exclude: false }), 1, true), true);
  assert.equal(same(compileComparer(testColumn('j', 'json'), { exclude: false }), '{"b":1,"a":2}', { a: 2, b: 1 }), true);
});

test('excluded columns are not compared', () => {
  const comparers = compileComparers([testColumn('id', 'integer'), testColumn('updated_at', 'timestamp')], ['id', 'updated_at'], {
    columns: { updated_at: { exclude: true } },
  });
  assert.deepEqual(comparers.map((c) => c.column), ['id']);
});
