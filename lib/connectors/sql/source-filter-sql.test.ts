import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceFilter } from '../../schemas/mapping-spec';
import type { ColumnInfo, TypeFamily } from '../connector';
import { mysqlDialect } from '../mysql/dialect';
import { postgresDialect } from '../postgres/dialect';
import { countInScopeStatement, keyBoundStatements, splitPointsStatement } from './reads';
import { applicableFilters, filterConditions } from './source-filter-sql';

const column = (name: string, family: TypeFamily, dataType: string) => ({ name, family, dataType }) as ColumnInfo;
const columns = [
  column('id', 'integer', 'integer'),
  column('name', 'text', 'text'),
  column('code', 'text', 'character(4)'),
  column('amount', 'decimal', 'numeric(12,2)'),
  column('active', 'boolean', 'boolean'),
  column('data', 'json', 'jsonb'),
];
const status: SourceFilter = { column: 'name', op: 'eq', value: 'active' };

test('which filters the databases apply as the copy does', () => {
  const named = (dialect: typeof postgresDialect, filters: SourceFilter[]) => applicableFilters(dialect, columns, filters).map((f) => `${f.column} ${f.op} ${String(f.value ?? '')}`);
  const filters: SourceFilter[] = [
    status,
    { column: 'name', op: 'lt', value: 'Ａ' },
    { column: 'name', op: 'eq', value: 'Ａ' },
    { column: 'name', op: 'like', value: 'a\\' },
    { column: 'name', op: 'like', value: 'a\\\\' },
    { column: 'name', op: 'gt', value: 5 },
    { column: 'code', op: 'eq', value: 'ab' },
    { column: 'id', op: 'gt', value: 2 ** 53 },
    { column: 'id', op: 'gt', value: 2.5 },
    { column: 'id', op: 'eq', value: '5' },
    { column: 'amount', op: 'gte', value: 10 },
    { column: 'active', op: 'eq', value: true },
    { column: 'data', op: 'is_null' },
    { column: 'missing', op: 'is_null' },
  ];
  const both = ['name eq active', 'name eq Ａ', 'name like a\\\\', 'id gt 2.5', 'amount gte 10', 'active eq true'];
  assert.deepEqual(named(postgresDialect, filters), both);
  // MariaDB's CHAR is read without its padding; its BIT(1) arrives as a Buffer, no boolean.
  assert.deepEqual(named(mysqlDialect, filters), ['name eq active', 'name eq Ａ', 'name like a\\\\', 'code eq ab', 'id gt 2.5', 'amount gte 10']);
  const mysqlFlags = [column('flag', 'boolean', 'bit(1)'), column('active', 'boolean', 'tinyint(1)')];
  assert.deepEqual(applicableFilters(mysqlDialect, mysqlFlags, [{ column: 'flag', op: 'eq', value: true }, { column: 'active', op: 'eq', value: true }]).map((f) => f.column), ['active']);
});

test('planning statements carry the filters, their values bound in text order', () => {
  const scope = { columns, filters: [status, { column: 'amount', op: 'gt', value: 2.5 } as SourceFilter] };
  const split = splitPointsStatement(mysqlDialect, '`db`.`t`', ['id'], 200, scope);
  assert.match(split.text, /WHERE `id` IS NOT NULL AND CAST\(CAST\(`name` AS CHAR CHARACTER SET utf8mb4\) AS BINARY\) = .* AND \(CAST\(`amount` .* > CAST\(\? AS DOUBLE\)\)\) s WHERE/);
  assert.deepEqual(split.values, ['active', 2.5, 200]);
  const pg = splitPointsStatement(postgresDialect, '"public"."t"', ['id'], 200, scope);
  assert.match(pg.text, /convert_to\(CAST\("name" AS text\), 'UTF8'\) = convert_to\(\$1, 'UTF8'\) AND .*\$2 AS double precision.* % \$3 = 0/);
  const bounds = keyBoundStatements(postgresDialect, '"public"."t"', ['id'], scope);
  assert.deepEqual([bounds.first.values, bounds.last.values], [['active', 2.5], ['active', 2.5]]);
  assert.equal(countInScopeStatement(postgresDialect, '"public"."t"', ['id']).text, 'SELECT COUNT(*) AS n FROM "public"."t" WHERE "id" IS NOT NULL');
});

test('a filter the database cannot apply never reaches a statement', () => {
  const scope = { columns, filters: [{ column: 'code', op: 'eq', value: 'ab' } as SourceFilter] };
  assert.throws(() => filterConditions(postgresDialect, { add: () => '$1' }, scope), /cannot be applied by the database/);
  assert.throws(() => countInScopeStatement(postgresDialect, '"public"."t"', ['id'], scope), /applicableFilters/);
});
