import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CsvShape } from '../connectors/csv/csv-shape';
import { AppError } from '../errors';
import { checkConfirmedShape } from './check-confirmed-shape';

const shape = (...names: string[]): CsvShape => ({
  encoding: 'utf-8',
  bom: false,
  delimiter: ',',
  quote: '"',
  escape: '"',
  headerRow: 0,
  columns: names.map((name) => ({ name, type: 'text', nullable: true, sampleValues: [] })),
});

const issuesOf = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error.issues.map((issue) => issue.path);
  }
  return [];
};

test('distinct names pass', () => {
  assert.deepEqual(issuesOf(() => checkConfirmedShape(shape('id', 'name', 'Name'))), []);
});

test('_line and a repeated name are refused at their column', () => {
  assert.deepEqual(issuesOf(() => checkConfirmedShape(shape('id', '_line', 'email', 'id'))), ['body.shape.columns.1.name', 'body.shape.columns.3.name']);
});
