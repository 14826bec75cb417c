import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TransformOf } from '../../schemas/mapping-spec';
import { compileTransform } from './index';
import { regexOutputLimit, regexReplace } from './regex-replace';
import { throwsCode } from './test-support';
import { valueMap } from './value-map';

describe('regex_replace', () => {
  const params = (pattern: string, flags: string, replacement: string) => ({ pattern, flags, replacement });

  test('replaces all matches with g, the first without', () => {
    assert.equal(regexReplace('+1 (212) 555-0134', params('\\D', 'g', '')), '12125550134');
    assert.equal(regexReplace('a-b-c', params('-', '', '_')), 'a_b-c');
  });

  test('supports groups and works on numbers', () => {
    assert.equal(regexReplace('Ada Lovelace', params('^(\\w+) (\\w+)$', '', '$2, $1')), 'Lovelace, Ada');
    assert.equal(regexReplace(12345, params('^(\\d{2})', '', '$1-')), '12-345');
    assert.equal(regexReplace(null, params('x', 'g', 'y')), null);
  });

  test('sticky regexes do not leak state between values', () => {
    const transform = compileTransform({ op: 'regex_replace', pattern: 'a', flags: 'y', replacement: 'X' });
    assert.equal(transform('aa'), 'Xa');
    assert.equal(transform('aa'), 'Xa');
  });

  test('an invalid pattern fails at compile time with regex_invalid', () => {
    throwsCode(() => compileTransform({ op: 'regex_replace', pattern: '(unclosed', flags: '', replacement: '' }), 'regex_invalid');
  });
});

describe('value_map', () => {
  const base: Omit<TransformOf<'value_map'>, 'otherwise'> = {
    op: 'value_map',
    map: { A: 'active', I: 'inactive', '1': 'one', X: null },
    caseInsensitive: false,
    trim: false,
  };
  const withOtherwise = (otherwise: TransformOf<'value_map'>['otherwise'], extra: Partial<TransformOf<'value_map'>> = {}) => ({
    ...base,
    otherwise,
    ...extra,
  });

  test('maps exact keys, numbers by their text, and null stays null', () => {
    const params = withOtherwise({ mode: 'error' });
    assert.equal(valueMap('A', params), 'active');
    assert.equal(valueMap(1, params), 'one');
    assert.equal(valueMap('X', params), null);
    assert.equal(valueMap(null, params), null);
  });

  test('case-insensitive and trimmed lookups', () => {
    assert.equal(valueMap(' a ', withOtherwise({ mode: 'error' }, { caseInsensitive: true, trim: true })), 'active');
    throwsCode(() => valueMap('a', withOtherwise({ mode: 'error' })), 'unmapped_value');
  });

  test('otherwise: error names the value; default and keep', () => {
    throwsCode(() => valueMap('Z', withOtherwise({ mode: 'error' })), 'unmapped_value', '"Z"');
    assert.equal(valueMap('Z', withOtherwise({ mode: 'default', value: 'unknown' })), 'unknown');
    assert.equal(valueMap('Z', withOtherwise({ mode: 'keep' })), 'Z');
  });
});

describe('regex_replace bounds', () => {
  test('a catastrophic pattern for JavaScript runs in linear time', () => {
    const started = performance.now();
    assert.equal(regexReplace(`${'a'.repeat(30)}!`, { pattern: '^(a|a)*$', flags: '', replacement: 'X' }), `${'a'.repeat(30)}!`);
    assert.ok(performance.now() - started < 1000);
  });

  test('a replacement that multiplies the value fails the value with output_too_large', () => {
    const transform = compileTransform({ op: 'regex_replace', pattern: '.', flags: 'g', replacement: '$&'.repeat(100) });
    throwsCode(() => transform('a'.repeat(200)), 'output_too_large');
    assert.equal((transform('ab') as string).length, 200);
  });

  test('the limit: 8× the value, at least 4 KiB more, at most 64 KiB more', () => {
    assert.equal(regexOutputLimit(0), 4096);
    assert.equal(regexOutputLimit(1000), 8000);
    assert.equal(regexOutputLimit(100_000), 100_000 + 65_536);
  });

  test('a saved pattern the engine cannot run fails each value with regex_unsupported, not the compile', () => {
    const transform = compileTransform({ op: 'regex_replace', pattern: '(a)\\1', flags: 'g', replacement: '' });
    throwsCode(() => transform('aa'), 'regex_unsupported');
  });
});
