import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnInfo } from '../connectors/connector';
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

/** A comparer as verification builds it: the column's type decides the defaults. */
const comparerFor = (family: ColumnInfo['family'], dataType: string, extra: Partial<ColumnInfo> = {}) => {
  const column = testColumn('c', family, { dataType, ...extra });
  return compileComparer(column, effectiveNormalization(column, undefined));
};

test('every type family: a correct copy matches, a changed value differs', () => {
  // [family, target data type, source value after the mapping, target value as read, a changed target value]
  const cases: [ColumnInfo['family'], string, unknown, unknown, unknown, Partial<ColumnInfo>?][] = [
    ['array', 'text[]', '{red,green}', ['red', 'green'], ['red', 'blue']],
    ['array', 'text[]', ['red', 'green'], '{red,green}', '{green,red}'],
    ['array', 'text[]', ['a b', null, '', 'x"y'], '{"a b",NULL,"","x\\"y"}', '{"a b","NULL","","x\\"y"}'],
    ['array', 'text[]', [], '{}', '{""}'],
    ['array', 'integer[]', ['1', '2'], [1, 2], [1, 3]],
    ['array', 'text[]', [['a', 'b'], ['c', 'd']], '{{a,b},{c,d}}', '{{a,b},{d,c}}'],
    ['array', 'timestamp with time zone[]', ['2024-01-01 02:00:00.123456+02'], ['2024-01-01 00:00:00.123456+00'], ['2024-01-01 00:00:00.123457+00']],
    ['array', 'numeric(10,2)[]', [1.005, '2'], ['1.01', '2.00'], ['1.00', '2.00']],
    ['json', 'jsonb', '{"b": 1, "a": [1, 2]}', { a: [1, 2], b: 1 }, { a: [2, 1], b: 1 }],
    ['json', 'json', { z: { y: 1, x: null } }, '{"z":{"x":null,"y":1}}', '{"z":{"x":0,"y":1}}'],
    ['binary', 'bytea', Buffer.from([0, 255]), '\\x00FF', Buffer.from([0, 254])],
    ['enum', 'mood', 'ok', 'ok', 'sad'],
    ['set', "set('red','green','blue')", 'blue,red', 'red,blue', 'red,green', { enumValues: ['red', 'green', 'blue'] }],
    ['decimal', 'numeric', '1.500', '1.5', '1.51'],
    ['decimal', 'numeric(10,2)', 1.005, '1.01', '1.00', { numericScale: 2 }],
    ['float', 'real', 0.123456789, 0.12345679, 0.1234568],
    ['float', 'double precision', 0.1, '0.1', 0.1 + 0.2 - 0.2],
    ['float', 'double', -0, 0, 1e-300],
    ['time', 'time without time zone', '10:00:01.500', '10:00:01.5', '10:00:01.6'],
    ['time', 'time(0) without time zone', '10:00:01.5', '10:00:02', '10:00:01'],
    ['time', 'time with time zone', '10:00:01+02', '10:00:01+02:00', '10:00:01+01'],
    ['interval', 'interval', '1 year 2 mons 3 days 04:05:06.7', 'P1Y2M3DT4H5M6.7S', '1 year 2 mons 3 days 04:05:06.8'],
    ['interval', 'interval', '-10:00:01.500', '-10:00:01.5', '10:00:01.5'],
    ['interval', 'interval', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6, milliseconds: 700 }, '1 year 2 mons 3 days 04:05:06.7', '1 year 2 mons 3 days 04:05:07'],
    ['interval', 'interval', '1 day', '1 day', '24:00:00'],
    ['uuid', 'uuid', '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'],
    ['uuid', 'uuid', 'a0eebc999c0b4ef8bb6d6bb9bd380a11', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a10'],
    ['boolean', 'boolean', 1, true, false],
    ['boolean', 'boolean', Buffer.from([1]), true, false],
    ['boolean', 'tinyint(1)', true, 1, 0],
    ['bit', 'bit(8)', Buffer.from([5]), '00000101', '00000100'],
    ['bit', 'bit varying(8)', '101', '101', '1010'],
    ['date', 'date', '2024-02-29', '2024-02-29', '2024-02-28'],
    ['timestamp', 'timestamp without time zone', '2024-03-01T10:00:00+02:00', '2024-03-01 10:00:00', '2024-03-01 08:00:00'],
    ['timestamp', 'timestamp(0) without time zone', '2024-03-01 10:00:00.5', '2024-03-01 10:00:01', '2024-03-01 10:00:00'],
    // PostgreSQL rounds half away from 2000-01-01: .9995 before it goes down.
    ['timestamp', 'timestamp(3) without time zone', '1999-12-31 23:59:59.9995', '1999-12-31 23:59:59.999', '2000-01-01 00:00:00'],
    ['timestamp', 'datetime', '2024-03-01 10:00:00.9', '2024-03-01 10:00:00', '2024-03-01 10:00:01'],
    ['timestamptz', 'timestamp with time zone', '2024-03-01T08:00:00.000001Z', '2024-03-01 10:00:00.000001+02', '2024-03-01 10:00:00.000002+02'],
    ['text', 'character(5)', 'ab', 'ab   ', 'abc  '],
  ];
  for (const [family, dataType, source, target, changed, extra] of cases) {
    const comparer = comparerFor(family, dataType, extra);
    assert.equal(same(comparer, source, target), true, `${dataType}: ${JSON.stringify(source)} matches ${JSON.stringify(target)}`);
    assert.equal(same(comparer, source, changed), false, `${dataType}: ${JSON.stringify(source)} differs from ${JSON.stringify(changed)}`);
  }
});
