import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testColumn as col } from '@/lib/mapping/test-columns';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { draftFromSpec } from './draft-from-spec';
import { draftToSpecInput } from './draft-to-spec';

const tables = {
  source: { name: 'customers', schema: 'crm', estimatedRows: 0, columns: [col('cust_id', 'integer'), col('phone'), col('country'), col('created_dt')], primaryKey: ['cust_id'], uniqueConstraints: [], foreignKeys: [], checkConstraints: [] },
  target: { name: 'contacts', schema: 'public', estimatedRows: 0, columns: [col('id', 'integer'), col('phone'), col('created_at', 'timestamptz')], primaryKey: ['id'], uniqueConstraints: [], foreignKeys: [], checkConstraints: [] },
};

describe('editor draft ⇄ spec', () => {
  test('keeps each transform’s on-failure choice and the phone country column', () => {
    const spec = mappingSpecSchema.parse({
      source: { table: 'customers', key: ['cust_id'] },
      target: { table: 'contacts', key: ['id'] },
      fields: [
        { target: 'id', sources: ['cust_id'] },
        { target: 'phone', sources: ['phone'], transforms: [{ op: 'phone_e164', countryColumn: 'country', onFailure: 'null' }] },
        { target: 'created_at', sources: ['created_dt'], transforms: [{ op: 'parse_date', format: 'YYYY-MM-DD', timeZone: 'UTC', output: 'timestamptz', onFailure: 'keep' }, { op: 'email' }] },
      ],
    });
    const input = draftToSpecInput(draftFromSpec(spec), tables);
    assert.deepEqual(mappingSpecSchema.parse(input), spec);
    const fields = input.fields as { transforms: Record<string, unknown>[] }[];
    assert.deepEqual(fields[1].transforms[0], { op: 'phone_e164', countryColumn: 'country', onFailure: 'null' });
    // Reject is the default and is not written out.
    assert.equal('onFailure' in fields[2].transforms[1], false);
  });

  test('keeps a reference field (saving in the editor must not turn it into a plain copy)', () => {
    const spec = mappingSpecSchema.parse({
      source: { table: 'customers', key: ['cust_id'] },
      target: { table: 'contacts', key: ['id'] },
      fields: [
        { target: 'id', sources: ['cust_id'] },
        { target: 'phone', sources: ['phone'], reference: { by: 'target_column', mapping: '6f1c1f9e-8a39-4a53-9d43-2f8f3c1a7b10', column: 'legacy_id' } },
      ],
    });
    assert.deepEqual(mappingSpecSchema.parse(draftToSpecInput(draftFromSpec(spec), tables)), spec);
  });

  test('a phone transform needs a default country or a country column', () => {
    const result = mappingSpecSchema.safeParse({
      source: { table: 'customers', key: ['cust_id'] },
      target: { table: 'contacts', key: ['id'] },
      fields: [{ target: 'phone', sources: ['phone'], transforms: [{ op: 'phone_e164' }] }],
    });
    assert.equal(result.success, false);
    assert.match(result.error?.issues[0].message ?? '', /or name a source column holding the country/);
  });
});
