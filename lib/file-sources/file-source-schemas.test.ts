import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confirmShapeSchema, csvShapeOverridesSchema, sourceTableNameSchema, uploadChunkQuerySchema } from '../schemas/file-source';

const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => result.error?.issues.map((i) => i.path.join('.')) ?? [];

test('table names are plain identifiers of at most 63 characters', () => {
  for (const ok of ['customers', '_x', 'Orders_2024', 'a'.repeat(63)]) assert.equal(sourceTableNameSchema.safeParse(ok).success, true, ok);
  for (const bad of ['', '2024_orders', 'with space', 'semi;colon', 'ümlaut', 'a'.repeat(64), 'dash-ed']) assert.equal(sourceTableNameSchema.safeParse(bad).success, false, bad);
});

test('offsets are whole numbers of bytes', () => {
  assert.deepEqual(uploadChunkQuerySchema.parse({ offset: '16777216' }), { offset: 16777216 });
  for (const bad of ['-1', '1.5', '', 'abc', '1e9', '9'.repeat(16)]) assert.equal(uploadChunkQuerySchema.safeParse({ offset: bad }).success, false, bad);
});

test('overrides: line breaks and a quote inside the delimiter are refused at their field', () => {
  assert.deepEqual(pathsOf(csvShapeOverridesSchema.safeParse({ delimiter: ';\n' })), ['delimiter']);
  assert.deepEqual(pathsOf(csvShapeOverridesSchema.safeParse({ delimiter: ';', quote: ';' })), ['quote']);
  assert.deepEqual(pathsOf(csvShapeOverridesSchema.safeParse({ columns: [null, { name: 'x', sampleValues: [] }] })), ['columns.1']);
  assert.equal(csvShapeOverridesSchema.safeParse({ delimiter: '|', columns: [null, { type: 'date', format: 'DD.MM.YYYY' }] }).success, true);
});

test('a confirmed shape needs a column', () => {
  const shape = { encoding: 'utf-8', bom: false, delimiter: ',', quote: '"', escape: '"', headerRow: 0, columns: [] };
  assert.deepEqual(pathsOf(confirmShapeSchema.safeParse({ shape })), ['shape.columns']);
});
