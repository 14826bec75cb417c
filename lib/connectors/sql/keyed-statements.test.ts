import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mysqlDialect } from '../mysql/dialect';
import { postgresDialect } from '../postgres/dialect';
import { deleteKeysStatements, readNullKeyRows } from './keyed-statements';
import { KEY_LOOKUP_GROUP } from './reads';

test('deletes go out one statement per key group, placeholders in the dialect', () => {
  const keys = Array.from({ length: KEY_LOOKUP_GROUP + 1 }, (_, i) => [i, `k${i}`]);
  const pg = [...deleteKeysStatements(postgresDialect, '"public"."t"', ['a', 'b'], keys)];
  assert.equal(pg.length, 2);
  assert.match(pg[0].text, /^DELETE FROM "public"\."t" WHERE /);
  assert.equal(pg[0].values.length, KEY_LOOKUP_GROUP * 2);
  assert.deepEqual(pg[1].values, [KEY_LOOKUP_GROUP, `k${KEY_LOOKUP_GROUP}`]);
  const [my] = [...deleteKeysStatements(mysqlDialect, '`db`.`t`', ['a'], [[1]])];
  assert.ok(my.text.startsWith('DELETE FROM `db`.`t` WHERE ') && my.text.includes('?') && !my.text.includes('$1'));
  assert.deepEqual([...deleteKeysStatements(postgresDialect, '"public"."t"', ['a'], [])], []);
});

test('NULL-key rows: counted first, read only when there are some, with the key columns', async () => {
  const seen: string[] = [];
  const query = async <R>(text: string): Promise<R[]> => {
    seen.push(text);
    return (text.startsWith('SELECT COUNT') ? [{ n: '2' }] : [{ a: null, name: 'x' }]) as R[];
  };
  const result = await readNullKeyRows(query, postgresDialect, '"public"."t"', ['a', 'b'], ['name'], 1.7);
  assert.deepEqual(result, { count: 2, rows: [{ a: null, name: 'x' }] });
  assert.deepEqual(seen, [
    'SELECT COUNT(*) AS n FROM "public"."t" WHERE "a" IS NULL OR "b" IS NULL',
    'SELECT "name", "a", "b" FROM "public"."t" WHERE "a" IS NULL OR "b" IS NULL LIMIT 1',
  ]);
  const none = await readNullKeyRows(async <R>() => [{ n: '0' }] as R[], mysqlDialect, '`db`.`t`', ['a'], [], 10);
  assert.deepEqual(none, { count: 0, rows: [] });
});
