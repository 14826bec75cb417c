import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testColumn } from './test-columns';
import { mappingSpecSchema, type MappingSpecInput } from '../schemas/mapping-spec';
import { applyMapping, compileListMapping, compileMapping, MappingErrors, sourceColumnsOf, targetColumnsOf } from './apply-mapping';

const col = testColumn;

const spec = (input: Partial<MappingSpecInput> & Pick<MappingSpecInput, 'fields'>) =>
  mappingSpecSchema.parse({
    source: { table: 'customers', key: ['cust_id'] },
    target: { table: 'contacts', key: ['id'] },
    ...input,
  });

const contactsSpec = spec({
  fields: [
    { target: 'id', sources: ['cust_id'] },
    { target: 'email', sources: ['email_addr'], transforms: [{ op: 'email' }] },
    { target: 'full_name', sources: ['first_nm', 'last_nm'], transforms: [{ op: 'trim' }, { op: 'concat', separator: ' ' }, { op: 'upper' }] },
    { target: 'phone', sources: ['mobile', 'phone'], transforms: [{ op: 'phone_e164', defaultCountry: 'US' }] },
    {
      target: 'status',
      sources: ['status'],
      transforms: [{ op: 'value_map', map: { A: 'active', I: 'inactive' }, caseInsensitive: true, trim: true }],
    },
    { target: 'created_at', sources: ['created_dt'], transforms: [{ op: 'parse_date', format: 'DD/MM/YYYY HH:mm', timeZone: 'Europe/Berlin', output: 'timestamptz' }] },
    { target: 'source_system', transforms: [{ op: 'constant', value: 'legacy' }] },
  ],
});

const goodRow = {
  cust_id: 7,
  email_addr: ' Ada@Example.com ',
  first_nm: ' Ada ',
  last_nm: 'Lovelace',
  mobile: null,
  phone: '(212) 555-0134',
  status: ' a',
  created_dt: '31/03/2024 03:30',
};

describe('applyMapping', () => {
  test('runs every field chain on a row', () => {
    const result = applyMapping(contactsSpec, goodRow);
    assert.deepEqual(result, {
      ok: true,
      values: {
        id: 7,
        email: 'ada@example.com',
        full_name: 'ADA LOVELACE',
        phone: '+12125550134',
        status: 'active',
        created_at: '2024-03-31T01:30:00.000Z',
        source_system: 'legacy',
      },
    });
  });

  test('transforms before concat apply to each source; several sources without concat coalesce', () => {
    const result = applyMapping(contactsSpec, { ...goodRow, first_nm: '   ', mobile: '212 555 0199' });
    assert.ok(result.ok);
    assert.equal(result.values.full_name, 'LOVELACE');
    assert.equal(result.values.phone, '+12125550199');
  });

  test('collects every failing field of the row', () => {
    const result = applyMapping(contactsSpec, { ...goodRow, email_addr: 'ada@', status: 'X', created_dt: '31/02/2024 10:00' });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((error) => [error.stage, error.field, error.code]),
      [
        ['transform', 'email', 'invalid_email'],
        ['transform', 'status', 'unmapped_value'],
        ['transform', 'created_at', 'unparseable_date'],
      ],
    );
    assert.match(result.errors[1].message, /"X"/);
  });

  test('a column missing from the row is reported, a null one is not', () => {
    const { mobile: _mobile, ...withoutMobile } = goodRow;
    const result = applyMapping(contactsSpec, withoutMobile);
    assert.ok(!result.ok);
    assert.deepEqual(result.errors.map((error) => [error.field, error.code]), [['phone', 'missing_source_column']]);
  });

  test('with target columns, values are validated like the real run', () => {
    const columns = [
      col('id', 'integer', { dataType: 'integer', nullable: false }),
      col('email', 'text', { maxLength: 20 }),
      col('full_name', 'text'),
      col('phone', 'text'),
      col('status', 'enum', { enumValues: ['active', 'lead'] }),
      col('created_at', 'timestamptz'),
      col('source_system', 'text'),
      col('owner', 'text', { nullable: false }),
    ];
    const result = applyMapping(contactsSpec, { ...goodRow, cust_id: null, email_addr: 'a.very.long.name@example.com', status: 'I' }, columns);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((error) => [error.stage, error.field, error.code]),
      [
        ['validate', 'owner', 'required_unmapped'],
        ['validate', 'id', 'not_null'],
        ['validate', 'email', 'too_long'],
        ['validate', 'status', 'invalid_enum'],
      ],
    );
  });

  test('a mapped field the target does not have is a validation error', () => {
    const result = applyMapping(contactsSpec, goodRow, [col('id', 'integer')]);
    assert.ok(!result.ok);
    assert.ok(result.errors.some((error) => error.field === 'email' && error.code === 'unknown_column'));
  });

  test('update mode does not require unmapped NOT NULL columns', () => {
    const updateSpec = spec({ writeMode: 'update', fields: [{ target: 'id', sources: ['cust_id'] }] });
    const columns = [col('id', 'integer'), col('owner', 'text', { nullable: false })];
    assert.deepEqual(applyMapping(updateSpec, { cust_id: 1 }, columns), { ok: true, values: { id: 1 } });
    assert.equal(applyMapping({ ...updateSpec, writeMode: 'upsert' }, { cust_id: 1 }, columns).ok, false);
  });

  test('compileMapping gives the same results and is reusable across rows', () => {
    const compiled = compileMapping(contactsSpec);
    assert.deepEqual(compiled(goodRow), applyMapping(contactsSpec, goodRow));
    assert.deepEqual(compiled({ ...goodRow, cust_id: 8 }), applyMapping(contactsSpec, { ...goodRow, cust_id: 8 }));
  });

  test('source and target column lists for readers and writers', () => {
    const withPolicy = spec({
      source: { table: 'customers', key: ['cust_id'], filter: [{ column: 'deleted', op: 'is_null' }] },
      duplicatePolicy: { mode: 'last_wins', orderBy: 'last_modified' },
      fields: contactsSpec.fields,
    });
    assert.deepEqual(sourceColumnsOf(withPolicy), [
      'cust_id', 'deleted', 'last_modified', 'email_addr', 'first_nm', 'last_nm', 'mobile', 'phone', 'status', 'created_dt',
    ]);
    assert.deepEqual(targetColumnsOf(withPolicy), ['id', 'email', 'full_name', 'phone', 'status', 'created_at', 'source_system']);
  });
});

/** Maps one row through both compilations (preview's by-name rows and the copy's value arrays), which must agree. */
function bothWays(s: ReturnType<typeof spec>, row: Record<string, unknown>, columns = targetColumnsOf(s).map((name) => col(name))) {
  const byName = compileMapping(s, columns)(row);
  const order = sourceColumnsOf(s);
  const listed = compileListMapping(s, order, columns)(order.map((c) => row[c]));
  const byList = listed instanceof MappingErrors ? { ok: false, errors: listed.errors } : { ok: true, values: Object.fromEntries(targetColumnsOf(s).map((t, i) => [t, listed[i]])) };
  assert.deepEqual(byList, byName, 'the copy path maps the row as the preview does');
  return byName;
}

describe('the "if null" fallback to further sources', () => {
  const cleaned = [{ op: 'trim' }, { op: 'null_if_empty' }] as const;

  test('applies to the cleaned value, where the editor shows it: a blank first source falls back', () => {
    const s = spec({ fields: [{ target: 'last_name', sources: ['last_nm', 'company'], transforms: [...cleaned] }] });
    assert.deepEqual(bothWays(s, { cust_id: 1, last_nm: '   ', company: ' Acme ' }), { ok: true, values: { last_name: 'Acme' } });
    assert.deepEqual(bothWays(s, { cust_id: 1, last_nm: ' Lovelace', company: 'Acme' }), { ok: true, values: { last_name: 'Lovelace' } });
    assert.deepEqual(bothWays(s, { cust_id: 1, last_nm: null, company: '' }), { ok: true, values: { last_name: null } });
  });

  test('a default in the chain applies once every source is null, not to the first source alone', () => {
    const s = spec({ fields: [{ target: 'last_name', sources: ['last_nm', 'company'], transforms: [...cleaned, { op: 'default', value: 'unknown' }, { op: 'upper' }] }] });
    assert.deepEqual(bothWays(s, { cust_id: 1, last_nm: '', company: 'Acme' }), { ok: true, values: { last_name: 'ACME' } });
    assert.deepEqual(bothWays(s, { cust_id: 1, last_nm: '', company: null }), { ok: true, values: { last_name: 'UNKNOWN' } });
  });
});

describe('on failure: reject the row, set null or keep the original', () => {
  const phoneSpec = (onFailure?: 'reject' | 'null' | 'keep') =>
    spec({ fields: [{ target: 'phone', sources: ['phone'], transforms: [{ op: 'trim' }, { op: 'phone_e164', defaultCountry: 'US', ...(onFailure ? { onFailure } : {}) }] }] });

  test('reject (the default) fails the row with the transform error', () => {
    for (const s of [phoneSpec(), phoneSpec('reject')]) {
      const result = bothWays(s, { cust_id: 1, phone: ' call me ' });
      assert.ok(!result.ok);
      assert.deepEqual(result.errors.map((e) => [e.stage, e.field, e.code]), [['transform', 'phone', 'invalid_phone']]);
    }
  });

  test('null writes null; keep passes on the value the transform was given', () => {
    assert.deepEqual(bothWays(phoneSpec('null'), { cust_id: 1, phone: ' call me ' }), { ok: true, values: { phone: null } });
    assert.deepEqual(bothWays(phoneSpec('keep'), { cust_id: 1, phone: ' call me ' }), { ok: true, values: { phone: 'call me' } });
    assert.deepEqual(bothWays(phoneSpec('null'), { cust_id: 1, phone: '(212) 555-0134' }), { ok: true, values: { phone: '+12125550134' } });
  });

  test('a value set null by a failure falls back to the next source', () => {
    const s = spec({ fields: [{ target: 'phone', sources: ['mobile', 'phone'], transforms: [{ op: 'phone_e164', defaultCountry: 'US', onFailure: 'null' }] }] });
    assert.deepEqual(bothWays(s, { cust_id: 1, mobile: 'n/a', phone: '212 555 0134' }), { ok: true, values: { phone: '+12125550134' } });
  });

  test('the target checks still apply to a kept value', () => {
    const s = spec({ fields: [{ target: 'n', sources: ['n'], transforms: [{ op: 'cast', to: 'integer', onFailure: 'keep' }] }] });
    const result = bothWays(s, { cust_id: 1, n: 'twelve' }, [col('n', 'integer')]);
    assert.ok(!result.ok);
    assert.equal(result.errors[0].stage, 'validate');
  });
});

describe('phone numbers with the country of the row', () => {
  const s = spec({
    fields: [{ target: 'phone', sources: ['phone'], transforms: [{ op: 'phone_e164', countryColumn: 'country', defaultCountry: 'US' }] }],
  });

  test('a national number is read in the country named by the row', () => {
    assert.deepEqual(bothWays(s, { cust_id: 1, phone: '030 12345678', country: 'DE' }), { ok: true, values: { phone: '+493012345678' } });
    assert.deepEqual(bothWays(s, { cust_id: 2, phone: '020 7946 0958', country: ' gb' }), { ok: true, values: { phone: '+442079460958' } });
    assert.deepEqual(bothWays(s, { cust_id: 3, phone: '(212) 555-0134', country: null }), { ok: true, values: { phone: '+12125550134' } });
    assert.deepEqual(bothWays(s, { cust_id: 4, phone: '+44 20 7946 0958', country: 'DE' }), { ok: true, values: { phone: '+442079460958' } });
  });

  test('the country column is read by the copy', () => {
    assert.deepEqual(sourceColumnsOf(s), ['cust_id', 'phone', 'country']);
  });
});
