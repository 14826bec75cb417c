import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isInsideFolder } from './is-inside-folder';

test('a file below the folder is inside, at any depth', () => {
  assert.equal(isInsideFolder('/data/exports/a.csv', '/data/exports'), true);
  assert.equal(isInsideFolder('/data/exports/2024/q1/a.csv', '/data/exports'), true);
  assert.equal(isInsideFolder('/data/exports/..hidden.csv', '/data/exports'), true);
});

test('the folder itself, its parent and a sibling sharing its prefix are not', () => {
  assert.equal(isInsideFolder('/data/exports', '/data/exports'), false);
  assert.equal(isInsideFolder('/data/a.csv', '/data/exports'), false);
  assert.equal(isInsideFolder('/data/exports-old/a.csv', '/data/exports'), false);
  assert.equal(isInsideFolder('/etc/passwd', '/data/exports'), false);
});
