import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvColumnFamily, makeCsvValueReader } from './csv-column-values';

test('fields become the values a database connector would give; what a type cannot read stays as written', () => {
  const integer = makeCsvValueReader({ type: 'integer' });
  assert.deepEqual([integer(' 42 '), integer(''), integer('12345678901234567890'), integer('4x')], [42, null, '12345678901234567890', '4x']);
  const comma = makeCsvValueReader({ type: 'decimal', format: ',' });
  assert.deepEqual([comma('12,50'), comma(' ')], ['12.50', null]);
  const yes = makeCsvValueReader({ type: 'boolean' });
  assert.deepEqual([yes('Yes'), yes('n'), yes('0'), yes('maybe')], [true, false, false, 'maybe']);
  const date = makeCsvValueReader({ type: 'date', format: 'DD/MM/YYYY' });
  assert.deepEqual([date('3/4/2024'), date('31/12/1999'), date('2024-04-03')], ['2024-04-03', '1999-12-31', '2024-04-03']);
  const wall = makeCsvValueReader({ type: 'datetime', format: 'DD.MM.YYYY HH:mm' });
  assert.equal(wall('03.04.2024 07:05'), '2024-04-03 07:05:00.000');
  const instant = makeCsvValueReader({ type: 'datetime', format: 'YYYY-MM-DDTHH:mm:ssZ' });
  assert.equal(instant('2024-04-03T07:05:00+02:00'), '2024-04-03T05:05:00.000Z');
  assert.equal(makeCsvValueReader({ type: 'text' })(''), null, 'CSV cannot tell empty from NULL: empty is NULL');
  assert.equal(makeCsvValueReader({ type: 'email' })(' a@b.c '), ' a@b.c ', 'text keeps its spaces: trimming is a transform the analyst chooses');
});

test('column families follow the confirmed types; a datetime with an offset is an instant', () => {
  assert.equal(csvColumnFamily({ type: 'datetime', format: 'YYYY-MM-DD HH:mm' }), 'timestamp');
  assert.equal(csvColumnFamily({ type: 'datetime', format: 'YYYY-MM-DDTHH:mm:ssZ' }), 'timestamptz');
  assert.equal(csvColumnFamily({ type: 'phone' }), 'text');
});
