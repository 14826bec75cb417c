import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableNameFromFile } from './table-name-from-file';

test('a file name becomes a lower-case identifier without its extension', () => {
  assert.equal(tableNameFromFile('Customers export.csv'), 'customers_export');
  assert.equal(tableNameFromFile('ORDERS-2024 (final).CSV'), 'orders_2024_final');
  assert.equal(tableNameFromFile('données clients.tsv'), 'donnees_clients');
  assert.equal(tableNameFromFile('report.v2.txt'), 'report_v2');
});

test('a name that would start with a digit or be empty still is a usable identifier', () => {
  assert.equal(tableNameFromFile('2024 sales.csv'), 't_2024_sales');
  assert.equal(tableNameFromFile('---.csv'), 'file');
  assert.equal(tableNameFromFile(`${'x'.repeat(80)}.csv`).length, 63);
});
