import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CsvColumn } from '../connectors/csv/csv-shape';
import { mergeColumnOverrides, shapeAsOverrides } from './merge-column-overrides';

const detected: CsvColumn[] = [
  { name: 'id', type: 'integer', nullable: false, sampleValues: ['1'] },
  { name: 'born', type: 'date', format: 'DD.MM.YYYY', nullable: true, sampleValues: ['01.02.2000'] },
  { name: 'amount', type: 'decimal', format: ',', nullable: true, sampleValues: ['1,5'] },
];

test('only the columns with choices are set; the others stay holes for detection', () => {
  const merged = mergeColumnOverrides(detected, [null, { name: 'birthday' }]);
  assert.equal(merged.length, 2);
  assert.equal(0 in merged, false);
  assert.deepEqual(merged[1], { name: 'birthday', type: 'date', format: 'DD.MM.YYYY', nullable: true, sampleValues: ['01.02.2000'] });
});

test('a new type drops the detected format unless one is given', () => {
  const merged = mergeColumnOverrides(detected, [undefined, { type: 'text' }, { type: 'decimal', format: '.' }]);
  assert.equal('format' in merged[1], false);
  assert.equal(merged[1].type, 'text');
  assert.equal(merged[2].format, '.');
});

test('choices past the detected columns are ignored', () => {
  assert.equal(mergeColumnOverrides(detected, [null, null, null, { name: 'extra' }]).length, 0);
});

test('a confirmed shape becomes choices without its sample values', () => {
  const overrides = shapeAsOverrides({ encoding: 'iso-8859-1', bom: false, delimiter: ';', quote: '"', escape: '"', headerRow: 0, columns: detected });
  assert.equal(overrides.delimiter, ';');
  assert.deepEqual(overrides.columns?.[1], { name: 'born', type: 'date', nullable: true, format: 'DD.MM.YYYY' });
  assert.equal(overrides.columns?.[0] && 'sampleValues' in overrides.columns[0], false);
});
