import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MappingSpec } from '../schemas/mapping-spec';
import { duplicatesPossible } from './claim-target-keys';

const spec = (fields: Partial<MappingSpec['fields'][number]>[], targetKey = ['legacy_id'], sourceKey = ['_line']) =>
  ({
    source: { table: 'customers.csv', key: sourceKey },
    target: { table: 'contacts', key: targetKey },
    fields: fields.map((f) => ({ transforms: [], ...f })),
  }) as unknown as MappingSpec;

describe('duplicatesPossible', () => {
  test('a target key copied unchanged from the source key cannot repeat', () => {
    assert.equal(duplicatesPossible(spec([{ target: 'legacy_id', sources: ['_line'] }])), false);
  });

  test('one copied from another column can, unless the source vouches that column is distinct', () => {
    const byId = spec([{ target: 'legacy_id', sources: ['cust_id'] }]);
    assert.equal(duplicatesPossible(byId), true);
    assert.equal(duplicatesPossible(byId, [['cust_id']]), false);
    assert.equal(duplicatesPossible(byId, [['other']]), true);
  });

  test('a transform, several sources or a reference can make two rows one key', () => {
    assert.equal(duplicatesPossible(spec([{ target: 'legacy_id', sources: ['cust_id'], transforms: [{ op: 'trim' }] as never }]), [['cust_id']]), true);
    assert.equal(duplicatesPossible(spec([{ target: 'legacy_id', sources: ['cust_id', 'x'] }]), [['cust_id']]), true);
    assert.equal(duplicatesPossible(spec([{ target: 'legacy_id', sources: ['cust_id'], reference: { mappingId: 'm', by: 'id_map' } as never }]), [['cust_id']]), true);
  });

  test('a composite target key is distinct when it holds a distinct set', () => {
    const pair = spec(
      [
        { target: 'legacy_id', sources: ['cust_id'] },
        { target: 'region', sources: ['country'] },
      ],
      ['legacy_id', 'region'],
    );
    assert.equal(duplicatesPossible(pair, [['cust_id']]), false);
    assert.equal(duplicatesPossible(pair, [['cust_id', 'email']]), true);
  });
});
