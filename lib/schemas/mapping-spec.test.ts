import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mappingSpecIssues, mappingSpecSchema } from './mapping-spec';

const valid = {
  source: { table: 'customers', key: ['cust_id'] },
  target: { table: 'contacts', key: ['id'] },
  fields: [{ target: 'id', sources: ['cust_id'] }],
};

/** Issues as { path: message } for compact assertions. */
const issuesOf = (input: unknown): Record<string, string> => {
  const result = mappingSpecSchema.safeParse(input);
  assert.equal(result.success, false, 'expected the spec to be rejected');
  return result.success ? {} : Object.fromEntries(mappingSpecIssues(result.error).map((issue) => [issue.path, issue.message]));
};

const withTransform = (transform: unknown) => ({ ...valid, fields: [{ target: 'id', sources: ['cust_id'], transforms: [transform] }] });

describe('mappingSpecSchema', () => {
  test('fills defaults', () => {
    const spec = mappingSpecSchema.parse(valid);
    assert.equal(spec.writeMode, 'upsert');
    assert.deepEqual(spec.duplicatePolicy, { mode: 'error' });
    assert.deepEqual(spec.source.filter, []);
    assert.deepEqual(spec.fields[0].transforms, []);
  });

  test('accepts a spec using every transform', () => {
    const spec = {
      ...valid,
      source: { ...valid.source, filter: [{ column: 'deleted', op: 'is_null' }, { column: 'name', op: 'like', value: 'A%' }] },
      duplicatePolicy: { mode: 'last_wins', orderBy: 'last_modified' },
      fields: [
        {
          target: 'a',
          sources: ['x', 'y'],
          transforms: [
            { op: 'trim' }, { op: 'lower' }, { op: 'upper' }, { op: 'collapse_whitespace' }, { op: 'null_if_empty' },
            { op: 'concat', separator: ' ' }, { op: 'default', value: 'n/a' }, { op: 'constant', value: null },
            { op: 'cast', to: 'decimal', scale: 2 }, { op: 'parse_date', formats: ['DD/MM/YYYY', 'YYYY-MM-DD'], timeZone: 'Europe/Berlin', output: 'date' },
            { op: 'phone_e164', defaultCountry: 'de' }, { op: 'email' }, { op: 'split', separator: ',', index: -1 },
            { op: 'regex_replace', pattern: '\\s+', flags: 'g', replacement: ' ' },
            { op: 'value_map', map: { A: 'active', B: 1, C: true, D: null }, otherwise: { mode: 'default', value: 'other' } },
          ],
        },
      ],
    };
    const parsed = mappingSpecSchema.parse(spec);
    const phone = parsed.fields[0].transforms[10];
    assert.deepEqual(phone, { op: 'phone_e164', defaultCountry: 'DE' });
  });

  test('requires non-empty keys, at least one field, and an orderBy for last_wins', () => {
    assert.deepEqual(
      issuesOf({ source: { table: 'customers', key: [] }, target: { table: 'contacts', key: ['id', 'id'] }, duplicatePolicy: { mode: 'last_wins' }, fields: [] }),
      {
        'source.key': 'at least one key column is required',
        'target.key.1': 'column "id" is listed twice',
        'duplicatePolicy.orderBy': 'is required',
        fields: 'map at least one field',
      },
    );
    assert.deepEqual(issuesOf({}), { source: 'is required', target: 'is required', fields: 'map at least one field' });
  });

  test('target columns must be unique, reported even when other fields have errors', () => {
    const issues = issuesOf({
      ...valid,
      fields: [
        { target: 'email', sources: ['a'] },
        { target: 'email', sources: ['b'], transforms: [{ op: 'bogus' }] },
        { target: ' ', sources: [''] },
      ],
    });
    assert.equal(issues['fields.1.target'], 'column "email" is already mapped by field 1');
    assert.match(issues['fields.1.transforms.0.op'], /^op must be one of trim, lower/);
    assert.equal(issues['fields.2.target'], 'is required');
    assert.equal(issues['fields.2.sources.0'], 'is required');
  });

  test('regex patterns are validated, never executed as code', () => {
    assert.match(issuesOf(withTransform({ op: 'regex_replace', pattern: '(unclosed' }))['fields.0.transforms.0.pattern'], /^is not a valid regular expression/);
    assert.equal(issuesOf(withTransform({ op: 'regex_replace', pattern: 'a', flags: 'gx' }))['fields.0.transforms.0.flags'], 'may only contain the flags g, i, m, s, u, y');
    assert.equal(issuesOf(withTransform({ op: 'regex_replace', pattern: 'a', flags: 'gg' }))['fields.0.transforms.0.flags'], 'repeats a flag');
    assert.equal(issuesOf(withTransform({ op: 'regex_replace', pattern: 'a'.repeat(501) }))['fields.0.transforms.0.pattern'], 'must be at most 500 characters');
  });

  test('parse_date formats and zones', () => {
    assert.deepEqual(issuesOf(withTransform({ op: 'parse_date', format: 'DD/MM', timeZone: 'Mars/Base', output: 'date' })), {
      'fields.0.transforms.0.format': 'must contain YYYY (tokens: YYYY MM DD HH mm ss SSS Z)',
      'fields.0.transforms.0.timeZone': 'unknown time zone "Mars/Base"; use an IANA name such as UTC or Europe/Berlin',
    });
    assert.deepEqual(issuesOf(withTransform({ op: 'parse_date', timeZone: 'UTC', output: 'datetime' })), {
      'fields.0.transforms.0.output': 'must be one of date, timestamp, timestamptz',
    });
    assert.deepEqual(issuesOf(withTransform({ op: 'parse_date', timeZone: 'UTC', output: 'date' })), {
      'fields.0.transforms.0.format': 'is required (e.g. DD/MM/YYYY), or give a list in formats',
    });
    assert.equal(
      issuesOf(withTransform({ op: 'parse_date', formats: ['YYYY-MM-DD', 'YYYY-MM-DD DD'], timeZone: 'UTC', output: 'date' }))['fields.0.transforms.0.formats.1'],
      'uses DD more than once',
    );
    assert.equal(issuesOf(withTransform({ op: 'parse_date', format: 'YYYY-MM-DD', output: 'date' }))['fields.0.transforms.0.timeZone'], 'is required');
  });

  test('transform parameter checks', () => {
    assert.equal(issuesOf(withTransform({ op: 'cast', to: 'integer', scale: 2 }))['fields.0.transforms.0.scale'], 'only applies when casting to decimal');
    assert.equal(issuesOf(withTransform({ op: 'cast', to: 'money' }))['fields.0.transforms.0.to'], 'must be one of integer, decimal, boolean, text');
    assert.equal(
      issuesOf(withTransform({ op: 'phone_e164', defaultCountry: 'XX' }))['fields.0.transforms.0.defaultCountry'],
      '"XX" is not a supported two-letter country code (e.g. US, DE, GB)',
    );
    // Without an index a split keeps every part (a list for an array column).
    assert.deepEqual(issuesOf(withTransform({ op: 'split', separator: '', index: 1.5 })), {
      'fields.0.transforms.0.separator': 'is required',
      'fields.0.transforms.0.index': 'must be a whole number',
    });
    assert.equal(
      issuesOf(withTransform({ op: 'value_map', map: { A: 'x', a: 'y' }, caseInsensitive: true }))['fields.0.transforms.0.map.a'],
      'conflicts with "A" when case is ignored',
    );
    assert.equal(
      issuesOf(withTransform({ op: 'value_map', map: {}, otherwise: { mode: 'default' } }))['fields.0.transforms.0.otherwise.value'],
      'must be text, a number, true/false or null',
    );
    assert.equal(
      issuesOf({ ...valid, fields: [{ target: 'a', sources: ['x', 'y'], transforms: [{ op: 'concat' }, { op: 'concat' }] }] })['fields.0.transforms.1'],
      'a field can have only one concat',
    );
  });

  test('source filters need a value exactly when the operator compares', () => {
    const issues = issuesOf({
      ...valid,
      source: {
        ...valid.source,
        filter: [{ column: 'a', op: 'eq' }, { column: 'b', op: 'is_null', value: 1 }, { column: 'c', op: 'like', value: 5 }, { column: 'd', op: 'between', value: 1 }],
      },
    });
    assert.deepEqual(issues, {
      'source.filter.0.value': 'is required for eq',
      'source.filter.1.value': 'must be empty for is_null',
      'source.filter.2.value': 'must be a text pattern for like (% and _ are wildcards)',
      'source.filter.3.op': 'must be one of eq, neq, lt, lte, gt, gte, is_null, not_null, like',
    });
  });
});
