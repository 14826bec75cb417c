import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TableDetail } from '../connectors/connector';
import { mappingSpecSchema, type MappingSpecInput } from '../schemas/mapping-spec';
import { compileMapping } from './apply-mapping';
import { checkMapping } from './check-mapping';
import { compileFamilyCheck } from './column-checks';
import { inferFieldOutput } from './infer-field-output';
import { testColumn } from './test-columns';
import { familyCompatibility } from './type-compat';
import { getZone, wallTextToInstantText } from './zoned-time';

const table = (name: string, columns: TableDetail['columns']): TableDetail => ({
  name, schema: 'public', estimatedRows: 0, columns, primaryKey: ['id'], uniqueConstraints: [], foreignKeys: [], checkConstraints: [],
});

describe('wall times without zone, read in a zone', () => {
  const berlin = getZone('Europe/Berlin');
  test('summer and winter offsets; the fraction is kept', () => {
    assert.equal(wallTextToInstantText(berlin, '2024-07-01 10:00:00.123456'), '2024-07-01T08:00:00.123456Z');
    assert.equal(wallTextToInstantText(berlin, '2024-01-15 10:00:00'), '2024-01-15T09:00:00Z');
    assert.equal(wallTextToInstantText(berlin, '2024-01-01 00:30'), '2023-12-31T23:30:00Z');
  });
  test('a wall time named twice (clocks go back) is the earlier instant; one skipped is read with the offset before', () => {
    assert.equal(wallTextToInstantText(berlin, '2024-10-27 02:30:00'), '2024-10-27T00:30:00Z');
    assert.equal(wallTextToInstantText(berlin, '2024-03-31 02:30:00'), '2024-03-31T01:30:00Z');
  });
  test('texts that are not plain wall times are left to the caller', () => {
    for (const text of ['2024-07-01 10:00:00+02', '2024-07-01', 'infinity', '0044-03-15 10:00:00 BC']) assert.equal(wallTextToInstantText(berlin, text), null, text);
  });
});

describe('a plain copy writes what the source means', () => {
  const source = table('legacy', [
    testColumn('id', 'integer'),
    testColumn('seen', 'timestamp', { dataType: 'datetime(6)', timeZone: 'Europe/Berlin' }),
    testColumn('seen_utc', 'timestamp', { dataType: 'datetime', timeZone: 'UTC' }),
    testColumn('wall', 'timestamp', { dataType: 'datetime', timeZone: 'Europe/Berlin' }),
    testColumn('flags', 'binary', { dataType: 'bit(5)' }),
    testColumn('active', 'boolean', { dataType: 'bit(1)' }),
    testColumn('colors', 'set', { dataType: "set('red','green','blue')", enumValues: ['red', 'green', 'blue'] }),
  ]);
  const target = table('modern', [
    testColumn('id', 'integer', { dataType: 'bigint', nullable: false }),
    testColumn('seen', 'timestamptz', { dataType: 'timestamp with time zone' }),
    testColumn('seen_utc', 'timestamptz', { dataType: 'timestamp with time zone' }),
    testColumn('wall', 'timestamp', { dataType: 'timestamp without time zone' }),
    testColumn('flags', 'bit', { dataType: 'bit(5)' }),
    testColumn('active', 'boolean', { dataType: 'boolean' }),
    testColumn('colors', 'array', { dataType: 'text[]' }),
  ]);
  const names = target.columns.map((c) => c.name);
  const spec = (fields: MappingSpecInput['fields'] = names.map((n) => ({ target: n, sources: [n] }))) =>
    mappingSpecSchema.parse({ source: { table: 'legacy', key: ['id'] }, target: { table: 'modern', key: ['id'] }, fields });
  const row = { id: 1, seen: '2024-07-01 10:00:00.5', seen_utc: '2024-07-01 10:00:00', wall: '2024-07-01 10:00:00', flags: Buffer.from([0b10101]), active: Buffer.from([1]), colors: 'red,blue' };

  test('with the source columns: zone, BIT and SET become what the target takes', () => {
    const result = compileMapping(spec(), target.columns, { sourceTable: source.columns })(row);
    assert.deepEqual(result, {
      ok: true,
      values: { id: 1, seen: '2024-07-01T08:00:00.5Z', seen_utc: '2024-07-01 10:00:00', wall: '2024-07-01 10:00:00', flags: '10101', active: true, colors: ['red', 'blue'] },
    });
    const empty = compileMapping(spec(), target.columns, { sourceTable: source.columns })({ ...row, colors: '', active: Buffer.from([0]) });
    assert.deepEqual(empty.ok && [empty.values.colors, empty.values.active], [[], false]);
  });

  test('a transform that changes the value leaves it to the transform; without source columns nothing changes', () => {
    const cast = compileMapping(spec([{ target: 'id', sources: ['id'] }, { target: 'colors', sources: ['colors'], transforms: [{ op: 'split', separator: ',', index: 0 }] }]), undefined, { sourceTable: source.columns })(row);
    assert.deepEqual(cast.ok && cast.values.colors, 'red');
    const plain = compileMapping(spec(), target.columns)(row);
    assert.equal(plain.ok, false, 'the BIT bytes and the SET text do not fit as they are');
  });

  test('checks: a list fits an array column element by element; text needs a split', () => {
    const check = compileFamilyCheck(testColumn('n', 'array', { dataType: 'integer[]' }));
    assert.equal(check([1, '2', null, [3]]), null);
    assert.match(check([1, 'x'])?.message ?? '', /an element: "x" is not a whole number/);
    assert.equal(check('{1,2}'), null);
    assert.match(check('1,2')?.message ?? '', /add a split/);
    const bits = compileFamilyCheck(testColumn('b', 'bit', { dataType: 'bit(5)' }));
    assert.equal(bits('10101'), null);
    assert.match(bits('101')?.message ?? '', /has 3 bits/);
  });

  test('the mapping checks: a split list fills an array; the zone warning names the connection setting', () => {
    const sources = new Map(source.columns.map((c) => [c.name, c]));
    const list = spec([{ target: 'id', sources: ['id'] }, { target: 'colors', sources: ['colors'], transforms: [{ op: 'split', separator: ',', dropEmpty: true }] }]);
    assert.equal(inferFieldOutput(list.fields[1], sources).family, 'array');
    assert.equal(familyCompatibility('array', 'array'), 'exact');
    assert.equal(familyCompatibility('set', 'array'), 'safe');
    assert.equal(familyCompatibility('text', 'array'), 'needs_conversion');
    const issues = checkMapping(spec(), source, target);
    assert.deepEqual(issues.filter((i) => i.path !== 'fields.1' && i.path !== 'fields.2').map((i) => i.code), []);
    assert.match(issues.find((i) => i.path === 'fields.1')?.message ?? '', /wall times are read in Europe\/Berlin, the source connection's time zone/);
    assert.match(issues.find((i) => i.path === 'fields.2')?.message ?? '', /read in UTC/);
  });
});
