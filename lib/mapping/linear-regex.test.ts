import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RE2JS } from 're2js';
import { mappingSpecSchema } from '../schemas/mapping-spec';
import { compileLinearRegex, estimateProgramSize, linearRegexProblem, OutputTooLargeError } from './linear-regex';
import { MAX_SPEC_REGEX_SIZE, regexIssues } from './regex-issues';
import { translateJsRegex } from './translate-js-regex';

/** JavaScript's own answer, for patterns whose meaning the translation must keep. */
const jsReplace = (pattern: string, flags: string, replacement: string, text: string) => text.replace(new RegExp(pattern, flags), replacement);
const linearReplace = (pattern: string, flags: string, replacement: string, text: string) => compileLinearRegex(pattern, flags, replacement).replace(text, 1_000_000);

describe('linear-time regex replace', () => {
  const sameAsJavaScript: Array<[pattern: string, flags: string, replacement: string, text: string]> = [
    ['a', 'g', 'x', 'banana'],
    ['a', '', 'x', 'banana'],
    ['x*', 'g', '-', 'abc'],
    ['a*', 'g', '-', 'aab'],
    ['(\\d+)-(\\d+)', 'g', '$2-$1', '12-34 56-78'],
    ['(?<y>\\d{4})-(?<m>\\d\\d)', '', '$<m>/$<y> $<nope>|', '2024-05'],
    ['b', 'g', "[$`|$&|$']", 'abc'],
    ['(a)', 'g', '$10$01$0$$$2', 'a'],
    ['\\s+', 'g', ' ', 'a\u00a0\u00a0b\tc\u3000d\ufeffe'],
    ['\\S+', 'g', 'X', 'ab cd\u00a0ef'],
    ['[\\s,]+', 'g', '|', 'a, b ,\u2003c'],
    ['[^\\s]', 'g', '.', 'a b\u00a0c'],
    ['.', 'g', 'X', 'a\nb\rc\u2028d'],
    ['.', 'gs', 'X', 'a\nb'],
    ['^a', 'g', 'X', 'aaa'],
    ['^a', 'gm', 'X', 'aa\naa'],
    ['a$', 'gm', 'X', 'aa\naa'],
    ['\\bb', 'g', 'X', 'ab b'],
    ['A', 'gi', 'x', 'aAa'],
    ['a', 'y', 'x', 'baa'],
    ['a', 'gy', 'x', 'aab a'],
    ['\\u0041\\x42\\cJ', 'g', '!', 'AB\nAB'],
    ['[^]', 'g', 'x', 'ab'],
    ['[]', 'g', 'x', 'ab'],
    ['\\uD83D\\uDE00', 'g', 'x', 'a😀'],
    ['[\\u{1F600}-\\u{1F64F}]', 'gu', 'x', 'a😀b'],
    ['\\p{Script=Greek}+', 'gu', 'G', 'abc αβγ'],
    ['[\\b]', 'g', 'B', 'a\bb'],
    ['[[:a]', 'g', 'x', '[:a'],
    ['\\/', 'g', '|', 'a/b'],
    ['\\d{3,}?', 'g', '<$&>', '12345678'],
    ['(a)|(b)', 'g', '[$1$2]', 'ab'],
    ['[.-]', 'g', '', '1.2-3'],
    ['\\$\\.', 'g', 'S', 'a$.b'],
  ];
  for (const [pattern, flags, replacement, text] of sameAsJavaScript) {
    test(`/${pattern}/${flags} → ${JSON.stringify(replacement)} on ${JSON.stringify(text)} as JavaScript does`, () => {
      assert.equal(linearReplace(pattern, flags, replacement, text), jsReplace(pattern, flags, replacement, text));
    });
  }

  test('a pattern that backtracks exponentially in JavaScript answers at once', () => {
    const started = performance.now();
    assert.equal(linearReplace('^(a|a)*$', '', 'X', `${'a'.repeat(5000)}!`), `${'a'.repeat(5000)}!`);
    assert.equal(linearReplace('^(a|a)*$', '', 'X', 'a'.repeat(5000)), 'X');
    assert.equal(linearReplace('(x+x+)+y', 'g', '', 'x'.repeat(5000)), 'x'.repeat(5000));
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
  });

  test('text is read as code points: an empty match never splits a surrogate pair', () => {
    assert.equal(linearReplace('(?:)', 'g', '-', 'a😀b'), '-a-😀-b-');
  });

  test('refuses to build a result longer than the limit, before building it', () => {
    const regex = compileLinearRegex('.', 'g', '$&'.repeat(1000));
    assert.throws(
      () => regex.replace('a'.repeat(100), 10_000),
      (error: unknown) => error instanceof OutputTooLargeError && error.limit === 10_000 && error.length > 10_000,
    );
    assert.equal(regex.replace('a', 10_000).length, 1000);
  });
});

describe('linearRegexProblem', () => {
  test('accepts what RE2 can run', () => {
    for (const pattern of ['^\\d{3}-\\d{4}$', '(?<year>\\d{4})', '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}', '^(a|a)*$']) {
      assert.equal(linearRegexProblem(pattern, 'g'), null, pattern);
    }
  });

  test('names the construct it refuses', () => {
    assert.match(linearRegexProblem('(a)\\1', '') ?? '', /backreference/);
    assert.match(linearRegexProblem('(?<x>a)\\k<x>', '') ?? '', /backreference/);
    assert.match(linearRegexProblem('a(?=b)', '') ?? '', /lookahead/);
    assert.match(linearRegexProblem('a(?!b)', '') ?? '', /negative lookahead/);
    assert.match(linearRegexProblem('(?<=a)b', '') ?? '', /lookbehind/);
    assert.match(linearRegexProblem('(?<!a)b', '') ?? '', /negative lookbehind/);
    assert.match(linearRegexProblem('[\\01]', '') ?? '', /octal/);
    assert.match(linearRegexProblem('a{1001}', '') ?? '', /repeat count/);
    assert.match(linearRegexProblem('[a-z]{1,1000}', '') ?? '', /too complex/);
  });
});

describe('checking patterns costs little, whatever a spec holds', () => {
  test('the size estimate is never below the program RE2 compiles', () => {
    const patterns = ['a', '[a-z]{1,499}', '\\p{L}{1,490}', 'a{990}', '(?:foo|bar|[0-9]+|\\s+){1,100}', '^(\\d{3})[-. ]?(\\d{4})$', '((a|b){3,5}c){2,}', '(?i:ab)+?c*?', '\\S+', '[^]', 'a{5,}', '(?:(?:a{10}){10}){9}', '(?<y>\\d{4})', 'x{0,7}y{3}z{2,4}?'];
    for (const pattern of patterns) {
      const translated = translateJsRegex(pattern, 'u');
      assert.ok(translated.ok, pattern);
      const real = RE2JS.compile(translated.source).programSize();
      assert.ok(estimateProgramSize(translated.source) >= real, `${pattern}: estimate ${estimateProgramSize(translated.source)} < ${real}`);
    }
  });

  test('a pattern far too large is refused without being compiled', () => {
    const started = performance.now();
    assert.match(linearRegexProblem('a{1000}'.repeat(70).slice(0, 500), '') ?? '', /too complex/);
    assert.ok(performance.now() - started < 20, `took ${performance.now() - started} ms`);
  });

  test("a spec's patterns have a budget together; past it the first one over is named", () => {
    const spec = mappingSpecSchema.parse({
      source: { table: 's', key: ['id'] },
      target: { table: 't', key: ['id'] },
      fields: Array.from({ length: 50 }, (_, f) => ({
        target: `c${f}`,
        sources: ['id'],
        transforms: Array.from({ length: 50 }, (_, t) => ({ op: 'regex_replace', pattern: `[a-z]{1,400}${t}`, replacement: '' })),
      })),
    });
    const started = performance.now();
    const issues = regexIssues(spec);
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
    assert.equal(issues.length, 1);
    assert.match(issues[0].path, /^fields\.0\.transforms\.\d+\.pattern$/);
    assert.match(issues[0].message, new RegExp(`at most ${MAX_SPEC_REGEX_SIZE}`));
  });
});
