import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayLiteral, csvField, encodeCsv } from './copy';

/** What encodeCsv must produce: csvField per value, commas, a newline per row, UTF-8. */
const reference = (rows: unknown[][]) => Buffer.from(rows.map((row) => row.map(csvField).join(',') + '\n').join(''));

test('encodeCsv writes exactly the CSV of csvField, for ASCII, quotes, non-ASCII, NULL vs empty and other types', () => {
  const rows: unknown[][] = [
    ['plain', '', null, undefined, 'say "hi"', '"', '""'],
    ['ünïcødé', 'mixed "ü"', '😀 emoji', 'lone \ud800 surrogate', 'tab\tand\nnewline\r', 'back\\slash,comma'],
    [42, -1.5, 12345678901234567890n, true, false, new Date('2024-03-31T00:30:00.000Z')],
    [Buffer.from([0, 1, 255]), [1, 'a"b', null], { nested: 'é"' }],
    [],
  ];
  assert.deepEqual(Buffer.concat(encodeCsv(rows)), reference(rows));
  assert.equal(Buffer.concat(encodeCsv([[null, '']])).toString(), ',""\n');
});

test('encodeCsv splits into pieces of about 256 KB at any byte, and fits a value larger than a piece', () => {
  const rows = Array.from({ length: 20_000 }, (_, i) => [i, `name ${i} "q"`, i % 7 === 0 ? `ü${i}` : `x${i}@example.org`, null]);
  const huge = 'é'.repeat(300_000);
  rows.splice(10_000, 0, [1, huge, 'after', null]);
  const pieces = encodeCsv(rows);
  assert.ok(pieces.length > 2);
  assert.ok(pieces.some((p) => p.length > 256 * 1024), 'the row with the huge value has a piece of its own size');
  assert.ok(pieces.every((p) => p.length > 0));
  assert.deepEqual(Buffer.concat(pieces), reference(rows));
});

test('arrays: every element quoted as its type reads it, bytea in hex, NULL bare, lists nested', () => {
  assert.equal(arrayLiteral(['red', 'a b', '', 'NULL', 'x"y\\z', null]), String.raw`{"red","a b","","NULL","x\"y\\z",NULL}`);
  assert.equal(arrayLiteral([Buffer.from([0, 255]), new Uint8Array([1]), null]), String.raw`{"\\x00ff","\\x01",NULL}`);
  assert.equal(arrayLiteral([[1, 2], [3, null]]), '{{"1","2"},{"3",NULL}}');
  assert.equal(arrayLiteral([{ k: 'v' }, true, 12345678901234567890n, new Date('2024-01-01T00:00:00.123Z')]), String.raw`{"{\"k\":\"v\"}","true","12345678901234567890","2024-01-01T00:00:00.123Z"}`);
  assert.equal(arrayLiteral([]), '{}');
  // In a CSV field the literal is quoted once more.
  assert.equal(csvField([Buffer.from([0xde, 0xad])]), String.raw`"{""\\xdead""}"`);
});
