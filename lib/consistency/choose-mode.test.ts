import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TableDetail } from '../connectors/connector';
import { testColumn } from '../mapping/test-columns';
import { mappingSpecSchema } from '../schemas/mapping-spec';
import { chooseVerifyMode } from './choose-mode';

const table = (name: string, columns: ReturnType<typeof testColumn>[]): TableDetail => ({
  name, schema: 'public', estimatedRows: 0, columns, primaryKey: [columns[0].name], uniqueConstraints: [], foreignKeys: [], checkConstraints: [],
});
const spec = (fields: unknown[], targetKey = ['id']) =>
  mappingSpecSchema.parse({ source: { table: 's', key: ['id'] }, target: { table: 't', key: targetKey }, fields });

test('a copied integer key is aligned across engines; a text key only between PostgreSQL databases', () => {
  const ints = [table('s', [testColumn('id', 'integer')]), table('t', [testColumn('id', 'integer')])] as const;
  assert.equal(chooseVerifyMode(spec([{ target: 'id', sources: ['id'] }]), 'mysql', 'postgres', ...ints).mode, 'aligned');
  const texts = [table('s', [testColumn('id')]), table('t', [testColumn('id')])] as const;
  assert.equal(chooseVerifyMode(spec([{ target: 'id', sources: ['id'] }]), 'mysql', 'postgres', ...texts).mode, 'general');
  assert.equal(chooseVerifyMode(spec([{ target: 'id', sources: ['id'] }]), 'postgres', 'postgres', ...texts).mode, 'aligned');
});

test('a transformed or derived key uses the general mode', () => {
  const tables = [table('s', [testColumn('id'), testColumn('email')]), table('t', [testColumn('id'), testColumn('email')])] as const;
  assert.equal(chooseVerifyMode(spec([{ target: 'id', sources: ['id'], transforms: [{ op: 'trim' }] }]), 'postgres', 'postgres', ...tables).mode, 'general');
  assert.equal(chooseVerifyMode(spec([{ target: 'email', sources: ['email'] }], ['email']), 'postgres', 'postgres', ...tables).mode, 'general');
});

test('PostgreSQL text keys are aligned only under the same collation', () => {
  const keyed = (collation: string) => table('x', [{ ...testColumn('id'), collation }]);
  const copy = spec([{ target: 'id', sources: ['id'] }]);
  assert.equal(chooseVerifyMode(copy, 'postgres', 'postgres', keyed('en_US.UTF-8'), keyed('en_US.UTF-8')).mode, 'aligned');
  const differing = chooseVerifyMode(copy, 'postgres', 'postgres', keyed('en_US.UTF-8'), keyed('C'));
  assert.equal(differing.mode, 'general');
  assert.match(differing.reason, /collation en_US.UTF-8 in the source and C in the target/);
});
