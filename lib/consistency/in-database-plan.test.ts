import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnInfo, TableDetail } from '../connectors/connector';
import { testColumn } from '../mapping/test-columns';
import type { ConnectorKind } from '../schemas/connection-config';
import { verifySettingsSchema } from '../schemas/consistency';
import { mappingSpecSchema, type MappingSpecInput } from '../schemas/mapping-spec';
import { type HashPlanDetails, planHashColumns } from './in-database-plan';

const table = (name: string, columns: ColumnInfo[], primaryKey = ['id']): TableDetail => ({
  name, schema: 'public', estimatedRows: 0, columns, primaryKey, uniqueConstraints: [], foreignKeys: [], checkConstraints: [],
});

const sourceTable = table('customers', [
  testColumn('id', 'integer'),
  testColumn('name', 'text', { dataType: 'varchar(60)' }),
  testColumn('code', 'text', { dataType: 'varchar(10)', collation: 'utf8mb4_general_ci' }),
  testColumn('amount', 'decimal', { dataType: 'decimal(10,3)', numericPrecision: 10, numericScale: 3 }),
  testColumn('ratio', 'float', { dataType: 'double' }),
  testColumn('seen', 'timestamp', { dataType: 'datetime(6)' }),
  testColumn('doc', 'json'),
]);
const targetTable = table('contacts', [
  testColumn('id', 'integer', { dataType: 'bigint' }),
  testColumn('name', 'text', { dataType: 'text', collation: 'C' }),
  testColumn('code', 'text', { dataType: 'character(10)', maxLength: 10, collation: 'C' }),
  testColumn('amount', 'decimal', { dataType: 'numeric(12,2)', numericPrecision: 12, numericScale: 2 }),
  testColumn('ratio', 'float', { dataType: 'double precision' }),
  testColumn('seen', 'timestamptz', { dataType: 'timestamp with time zone' }),
  testColumn('doc', 'json', { dataType: 'jsonb' }),
]);

const base: MappingSpecInput = {
  source: { table: 'customers', key: ['id'] },
  target: { table: 'contacts', key: ['id'] },
  fields: [{ target: 'id', sources: ['id'] }, { target: 'name', sources: ['name'] }, { target: 'amount', sources: ['amount'] }, { target: 'seen', sources: ['seen'] }],
};

function plan(spec: Partial<MappingSpecInput>, columns: Record<string, object> = {}, kinds: [ConnectorKind, ConnectorKind] = ['mysql', 'postgres'], tables = [sourceTable, targetTable]) {
  return planHashColumns({
    spec: mappingSpecSchema.parse({ ...base, ...spec }),
    sourceKind: kinds[0],
    targetKind: kinds[1],
    source: tables[0],
    target: tables[1],
    settings: verifySettingsSchema.parse({ columns }),
  });
}
const refusal = (result: ReturnType<typeof plan>) => (result.ok ? assert.fail('expected a refusal') : result.reason);
const details = (result: ReturnType<typeof plan>): HashPlanDetails => (result.ok ? result.details : assert.fail(result.reason));

test('plain copies: keys first, forms from the target type and the settings', () => {
  const d = details(plan({}, { seen: { timestampPrecision: 'ms' }, name: { trim: true } }));
  assert.equal(d.encoding, 'portable');
  assert.deepEqual(d.source.map((c) => [c.name, c.form]), [
    ['id', { kind: 'integer' }],
    ['name', { kind: 'text', emptyAsNull: false, trim: true, lower: false }],
    ['amount', { kind: 'decimal', scale: 2 }],
    ['seen', { kind: 'timestamp', precision: 'ms' }],
  ]);
  assert.deepEqual(d.target.map((c) => c.family), ['integer', 'text', 'decimal', 'timestamptz']);
  assert.equal(details(plan({}, {}, ['postgres', 'postgres'])).encoding, 'postgres');
});

test('a cast to decimal rounds first; excluded columns and unmapped target columns are not hashed', () => {
  const d = details(plan({ fields: [...base.fields, { target: 'ratio', sources: ['ratio'] }].map((f) => (f.target === 'amount' ? { ...f, transforms: [{ op: 'cast', to: 'decimal', scale: 1 }] } : f)) }, { ratio: { exclude: true } }));
  assert.deepEqual(d.target.find((c) => c.name === 'amount')?.form, { kind: 'decimal', scale: 2, roundFirst: 1 });
  assert.deepEqual(d.target.map((c) => c.name), ['id', 'name', 'amount', 'seen']);
});

test('PostgreSQL char(n) is hashed padded; default timestamp precision follows the target column', () => {
  const d = details(plan({ fields: [...base.fields, { target: 'code', sources: ['name'] }] }));
  assert.equal(d.target.find((c) => c.name === 'code')?.padTo, 10);
  assert.deepEqual(d.target.find((c) => c.name === 'seen')?.form, { kind: 'timestamp', precision: 'us' });
  const mariaTarget = table('contacts', targetTable.columns.map((c) => (c.name === 'seen' ? { ...c, family: 'timestamp' as const, dataType: 'datetime' } : c)));
  assert.deepEqual(details(plan({}, {}, ['mysql', 'mysql'], [sourceTable, mariaTarget])).target.find((c) => c.name === 'seen')?.form, { kind: 'timestamp', precision: 's' });
});

test('refusals say why, in words for the job page', () => {
  assert.match(refusal(plan({ source: { table: 'customers', key: ['id'], filter: [{ column: 'name', op: 'not_null' }] } })), /filters source rows/);
  assert.match(refusal(plan({ fields: [...base.fields.slice(1), { target: 'id', sources: ['id'], transforms: [{ op: 'cast', to: 'integer' }] }] })), /target key "id" is not a plain copy/);
  assert.match(refusal(plan({ fields: [...base.fields, { target: 'code', sources: ['name'], transforms: [{ op: 'trim' }] }] })), /column "code" is transformed \(trim\)/);
  assert.match(refusal(plan({ fields: [...base.fields, { target: 'code', sources: ['name', 'code'] }] })), /several source columns/);
  assert.match(refusal(plan({}, { amount: { tolerance: 0.01 } })), /numeric tolerance/);
  assert.match(refusal(plan({ fields: [...base.fields.filter((f) => f.target !== 'amount'), { target: 'amount', sources: ['ratio'] }] })), /floating-point/);
  assert.match(refusal(plan({ fields: [...base.fields.filter((f) => f.target !== 'amount'), { target: 'amount', sources: ['amount'], transforms: [{ op: 'cast', to: 'decimal', onFailure: 'keep' }] }] })), /cannot repeat/);
  assert.match(refusal(plan({}, { name: { caseInsensitive: true } })), /without regard to case/);
  assert.match(refusal(plan({ fields: [...base.fields.slice(0, 3), { target: 'seen', sources: ['name'] }] })), /column "seen" \(text → timestamptz\)/);
  const unscaled = table('contacts', targetTable.columns.map((c) => (c.name === 'amount' ? { ...c, dataType: 'numeric', numericPrecision: null, numericScale: null } : c)));
  assert.match(refusal(plan({}, {}, ['mysql', 'postgres'], [sourceTable, unscaled])), /no fixed scale/);
  assert.equal(plan({}, { amount: { decimalScale: 2 } }, ['mysql', 'postgres'], [sourceTable, unscaled]).ok, true);
});

test('keys: integers anywhere; text only with binary or identical collations; other families within one engine', () => {
  const textKey = { source: { table: 'customers', key: ['code'] }, target: { table: 'contacts', key: ['code'] }, fields: [{ target: 'code', sources: ['code'] }, { target: 'name', sources: ['name'] }] };
  assert.match(refusal(plan(textKey)), /text key "code" may sort differently .*utf8mb4_general_ci and C/);
  const binary = table('customers', sourceTable.columns.map((c) => (c.name === 'code' ? { ...c, collation: 'utf8mb4_bin' } : c)));
  assert.equal(plan(textKey, {}, ['mysql', 'postgres'], [binary, targetTable]).ok, true);
  const sameLocale = (t: TableDetail) => table(t.name, t.columns.map((c) => (c.name === 'code' ? { ...c, collation: 'en_US.UTF-8' } : c)));
  assert.equal(plan(textKey, {}, ['postgres', 'postgres'], [sameLocale(sourceTable), sameLocale(targetTable)]).ok, true);
  assert.match(refusal(plan(textKey, {}, ['postgres', 'postgres'], [sameLocale(sourceTable), targetTable])), /en_US.UTF-8 and C/);
  const dateKey = { source: { table: 'customers', key: ['seen'] }, target: { table: 'contacts', key: ['seen'] }, fields: [{ target: 'seen', sources: ['seen'] }] };
  assert.match(refusal(plan(dateKey)), /key "seen" \(timestamp → timestamptz\) may sort differently/);
});

test('every family both databases can write alike has a form; JSON only between PostgreSQL databases', () => {
  const source = table('customers', [
    testColumn('id', 'integer'),
    testColumn('ratio', 'float', { dataType: 'double' }),
    testColumn('small', 'float', { dataType: 'float' }),
    testColumn('blob', 'binary', { dataType: 'blob' }),
    testColumn('flags', 'binary', { dataType: 'bit(8)' }),
    testColumn('at', 'time', { dataType: 'time(3)' }),
    testColumn('took', 'time', { dataType: 'time' }),
    testColumn('colors', 'set', { dataType: "set('red','green')", enumValues: ['red', 'green'] }),
    testColumn('colors_text', 'set', { dataType: "set('red','green')", enumValues: ['red', 'green'] }),
    testColumn('mood', 'enum', { dataType: "enum('sad','ok')", enumValues: ['sad', 'ok'] }),
    testColumn('seen', 'timestamp', { dataType: 'datetime(6)', timeZone: 'Europe/Berlin' }),
    testColumn('seen_utc', 'timestamp', { dataType: 'datetime(6)', timeZone: 'UTC' }),
  ]);
  const target = table('contacts', [
    testColumn('id', 'integer', { dataType: 'bigint' }),
    testColumn('ratio', 'float', { dataType: 'double precision' }),
    testColumn('small', 'float', { dataType: 'real' }),
    testColumn('blob', 'binary', { dataType: 'bytea' }),
    testColumn('flags', 'bit', { dataType: 'bit(8)' }),
    testColumn('at', 'time', { dataType: 'time(3) without time zone' }),
    testColumn('took', 'interval', { dataType: 'interval' }),
    testColumn('colors', 'array', { dataType: 'text[]' }),
    testColumn('colors_text', 'text', { dataType: 'text' }),
    testColumn('mood', 'enum', { dataType: 'mood', enumValues: ['sad', 'ok'] }),
    testColumn('seen', 'timestamptz', { dataType: 'timestamp with time zone' }),
    testColumn('seen_utc', 'timestamptz', { dataType: 'timestamp with time zone' }),
  ]);
  const names = target.columns.map((c) => c.name);
  const d = details(plan({ fields: names.map((n) => ({ target: n, sources: [n] })) }, {}, ['mysql', 'postgres'], [source, target]));
  assert.deepEqual(Object.fromEntries(d.target.map((c) => [c.name, c.form])), {
    id: { kind: 'integer' },
    ratio: { kind: 'float' },
    small: { kind: 'float' },
    blob: { kind: 'binary' },
    flags: { kind: 'bit' },
    at: { kind: 'time' },
    took: { kind: 'time' },
    colors: { kind: 'set_array' },
    colors_text: { kind: 'text', emptyAsNull: false, trim: false, lower: false },
    mood: { kind: 'text', emptyAsNull: false, trim: false, lower: false },
    seen: { kind: 'timestamp', precision: 'us', zone: 'Europe/Berlin' },
    seen_utc: { kind: 'timestamp', precision: 'us' },
  });
  assert.equal(d.source.find((c) => c.name === 'flags')?.bits, 8);
  // Text spelled as an array ('{red,green}') is compared with the array's own text.
  const tagged = table('contacts', [...target.columns.filter((c) => c.name !== 'colors'), testColumn('colors', 'array', { dataType: 'text[]' })]);
  const asText = table('customers', [...source.columns.filter((c) => c.name !== 'colors'), testColumn('colors', 'text', { dataType: 'varchar(100)' })]);
  const fromText = details(plan({ fields: [{ target: 'id', sources: ['id'] }, { target: 'colors', sources: ['colors'] }] }, {}, ['mysql', 'postgres'], [asText, tagged]));
  assert.deepEqual(fromText.target[1].form, { kind: 'text', emptyAsNull: false, trim: false, lower: false });
  // The split a SET needs into an array hashes as the plain copy does; other splits are transforms.
  const split = (transform: { op: 'split'; separator: string; dropEmpty?: boolean }) => plan({ fields: [{ target: 'id', sources: ['id'] }, { target: 'colors', sources: ['colors'], transforms: [transform] }] }, {}, ['mysql', 'postgres'], [source, target]);
  assert.deepEqual(details(split({ op: 'split', separator: ',', dropEmpty: true })).target[1].form, { kind: 'set_array' });
  assert.match(refusal(split({ op: 'split', separator: ';' })), /transformed \(split\)/);
  // JSON: PostgreSQL's jsonb text on both sides; MariaDB writes numbers otherwise.
  assert.deepEqual(details(plan({ fields: [...base.fields, { target: 'doc', sources: ['doc'] }] }, {}, ['postgres', 'postgres'])).target.at(-1)?.form, { kind: 'json' });
  assert.match(refusal(plan({ fields: [...base.fields, { target: 'doc', sources: ['doc'] }] })), /JSON has no common text form/);
});
