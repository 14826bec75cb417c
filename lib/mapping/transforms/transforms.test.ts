import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Transform, TransformOf } from '../../schemas/mapping-spec';
import { describeValue, TransformError } from '../transform-error';
import { getZone, instantToWallTime, wallTimeToInstant } from '../zoned-time';
import { cast } from './cast';
import { collapseWhitespace } from './collapse-whitespace';
import { concat } from './concat';
import { constant } from './constant';
import { defaultValue } from './default';
import { email } from './email';
import { applyTransform, compileTransform } from './index';
import { lower } from './lower';
import { nullIfEmpty } from './null-if-empty';
import { parseDate } from './parse-date';
import { phoneE164 } from './phone-e164';
import { regexReplace } from './regex-replace';
import { split } from './split';
import { trim } from './trim';
import { upper } from './upper';
import { valueMap } from './value-map';

const throwsCode = (fn: () => unknown, code: string, messagePart?: string) =>
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TransformError, `expected TransformError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (messagePart !== undefined) assert.ok(error.message.includes(messagePart), error.message);
    return true;
  });

describe('text transforms', () => {
  test('trim, lower, upper, collapse_whitespace', () => {
    assert.equal(trim('  Ada \t'), 'Ada');
    assert.equal(lower('ÄDA Lovelace'), 'äda lovelace');
    assert.equal(upper('straße'), 'STRASSE');
    assert.equal(collapseWhitespace('  Ada \n\t  Lovelace  '), 'Ada Lovelace');
  });

  test('non-text values pass through unchanged', () => {
    const when = new Date('2024-01-01T00:00:00Z');
    for (const fn of [trim, lower, upper, collapseWhitespace]) {
      assert.equal(fn(42), 42);
      assert.equal(fn(null), null);
      assert.equal(fn(when), when);
    }
  });

  test('null_if_empty treats whitespace-only as empty, keeps other values', () => {
    assert.equal(nullIfEmpty(''), null);
    assert.equal(nullIfEmpty('   '), null);
    assert.equal(nullIfEmpty(' x '), ' x ');
    assert.equal(nullIfEmpty(0), 0);
  });

  test('default fills null only; constant ignores the input', () => {
    assert.equal(defaultValue(null, { value: 'new' }), 'new');
    assert.equal(defaultValue(undefined, { value: 0 }), 0);
    assert.equal(defaultValue('', { value: 'new' }), '');
    assert.equal(defaultValue('kept', { value: 'new' }), 'kept');
    assert.equal(constant('anything', { value: true }), true);
    assert.equal(constant(null, { value: null }), null);
  });

  test('concat joins parts and skips null and empty ones', () => {
    assert.equal(concat(['Ada', null, '', 'Lovelace'], { separator: ' ' }), 'Ada Lovelace');
    assert.equal(concat(['Main St', 12, undefined], { separator: ', ' }), 'Main St, 12');
    assert.equal(concat([null, ''], { separator: ' ' }), null);
    assert.equal(concat('single', { separator: ' ' }), 'single');
  });

  test('split picks a part by index, negative from the end, null past the ends', () => {
    assert.equal(split('a,b,c', { separator: ',', index: 0 }), 'a');
    assert.equal(split('a,b,c', { separator: ',', index: -1 }), 'c');
    assert.equal(split('a,b,c', { separator: ',', index: 3 }), null);
    assert.equal(split('a,b,c', { separator: ',', index: -4 }), null);
    assert.equal(split('a.b', { separator: '.', index: 1 }), 'b'); // literal, not a regex
    assert.equal(split(null, { separator: ',', index: 0 }), null);
  });
});

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

describe('cast', () => {
  test('integer accepts whole numbers in several spellings', () => {
    assert.equal(cast('42', { to: 'integer' }), 42);
    assert.equal(cast(' 42 ', { to: 'integer' }), 42);
    assert.equal(cast(42, { to: 'integer' }), 42);
    assert.equal(cast('42.0', { to: 'integer' }), 42);
    assert.equal(cast('-7', { to: 'integer' }), -7);
    assert.equal(cast('1e3', { to: 'integer' }), 1000);
    assert.equal(cast(true, { to: 'integer' }), 1);
    assert.equal(cast('', { to: 'integer' }), null);
    assert.equal(cast(null, { to: 'integer' }), null);
  });

  test('integer keeps values beyond 2^53 exact as text', () => {
    assert.equal(cast('9007199254740993', { to: 'integer' }), '9007199254740993');
    assert.equal(cast(9007199254740993n, { to: 'integer' }), '9007199254740993');
  });

  test('integer rejects fractions and words', () => {
    throwsCode(() => cast('4.2', { to: 'integer' }), 'invalid_number', '"4.2"');
    throwsCode(() => cast(4.2, { to: 'integer' }), 'invalid_number');
    throwsCode(() => cast('abc', { to: 'integer' }), 'invalid_number', '"abc"');
    throwsCode(() => cast('1,000', { to: 'integer' }), 'invalid_number');
    throwsCode(() => cast(Number.NaN, { to: 'integer' }), 'invalid_number');
  });

  test('decimal rounds half-up on the digits, without float artifacts', () => {
    assert.equal(cast('12.345', { to: 'decimal', scale: 2 }), '12.35');
    assert.equal(cast('-12.345', { to: 'decimal', scale: 2 }), '-12.35');
    assert.equal(cast('12.344', { to: 'decimal', scale: 2 }), '12.34');
    assert.equal(cast(1.005, { to: 'decimal', scale: 2 }), '1.01');
    assert.equal(cast(0.1 + 0.2, { to: 'decimal', scale: 2 }), '0.30');
    assert.equal(cast('99.995', { to: 'decimal', scale: 2 }), '100.00');
    assert.equal(cast('12', { to: 'decimal', scale: 2 }), '12.00');
    assert.equal(cast('-0.001', { to: 'decimal', scale: 2 }), '0.00');
    assert.equal(cast('0012.50', { to: 'decimal' }), '12.50');
    assert.equal(cast('1.5e3', { to: 'decimal' }), '1500');
    assert.equal(cast('7', { to: 'decimal', scale: 0 }), '7');
  });

  test('decimal rejects non-numbers', () => {
    throwsCode(() => cast('12,50', { to: 'decimal', scale: 2 }), 'invalid_number');
    throwsCode(() => cast('abc', { to: 'decimal' }), 'invalid_number');
    throwsCode(() => cast(Number.POSITIVE_INFINITY, { to: 'decimal' }), 'invalid_number');
  });

  test('boolean accepts common yes/no spellings case-insensitively', () => {
    for (const yes of [true, 1, '1', 'true', 'TRUE', 'yes', 'Y', 't']) assert.equal(cast(yes, { to: 'boolean' }), true, String(yes));
    for (const no of [false, 0, '0', 'false', 'No', 'n', 'F']) assert.equal(cast(no, { to: 'boolean' }), false, String(no));
    assert.equal(cast(' ', { to: 'boolean' }), null);
    throwsCode(() => cast('maybe', { to: 'boolean' }), 'invalid_boolean', '"maybe"');
    throwsCode(() => cast(2, { to: 'boolean' }), 'invalid_boolean');
  });

  test('text', () => {
    assert.equal(cast(42, { to: 'text' }), '42');
    assert.equal(cast(false, { to: 'text' }), 'false');
    assert.equal(cast(new Date('2024-01-02T03:04:05Z'), { to: 'text' }), '2024-01-02T03:04:05.000Z');
    assert.equal(cast({ a: 1 }, { to: 'text' }), '{"a":1}');
    assert.equal(cast(null, { to: 'text' }), null);
  });
});

describe('email', () => {
  test('trims and lowercases valid addresses', () => {
    assert.equal(email('  John.Doe@Example.COM '), 'john.doe@example.com');
    assert.equal(email('a+tag@mail.example.co.uk'), 'a+tag@mail.example.co.uk');
    assert.equal(email(''), null);
    assert.equal(email(null), null);
  });

  test('rejects implausible addresses', () => {
    for (const bad of ['john@', '@example.com', 'john@example', 'john doe@example.com', 'john@example.com.', 'john@@example.com', 'john@example..com', 'john..doe@example.com', '.john@example.com']) {
      throwsCode(() => email(bad), 'invalid_email', JSON.stringify(bad.trim().length > 0 ? bad : ''));
    }
  });
});

describe('phone_e164', () => {
  test('normalizes national and international formats', () => {
    assert.equal(phoneE164('+1 (212) 555-0134', { defaultCountry: 'US' }), '+12125550134');
    assert.equal(phoneE164('(212) 555-0134', { defaultCountry: 'US' }), '+12125550134');
    assert.equal(phoneE164(2125550134, { defaultCountry: 'US' }), '+12125550134');
    assert.equal(phoneE164('030 12345678', { defaultCountry: 'DE' }), '+493012345678');
    assert.equal(phoneE164('0049 30 12345678', { defaultCountry: 'DE' }), '+493012345678');
    assert.equal(phoneE164('+44 20 7946 0958', { defaultCountry: 'US' }), '+442079460958');
    assert.equal(phoneE164('', { defaultCountry: 'US' }), null);
    assert.equal(phoneE164(null, { defaultCountry: 'US' }), null);
  });

  test('rejects invalid numbers', () => {
    // 555 is not a real US area code; libphonenumber knows.
    throwsCode(() => phoneE164('+1 (555) 123-4567', { defaultCountry: 'US' }), 'invalid_phone', '"+1 (555) 123-4567"');
    throwsCode(() => phoneE164('12345', { defaultCountry: 'US' }), 'invalid_phone');
    throwsCode(() => phoneE164('call me', { defaultCountry: 'US' }), 'invalid_phone');
  });
});

describe('parse_date', () => {
  const berlin = (format: string, output: 'date' | 'timestamp' | 'timestamptz') => ({ format, timeZone: 'Europe/Berlin', output });

  test('reads wall-clock time in the zone, correct on both sides of a DST change', () => {
    const params = berlin('DD/MM/YYYY HH:mm', 'timestamptz');
    assert.equal(parseDate('31/03/2024 01:30', params), '2024-03-31T00:30:00.000Z'); // CET, +01:00
    assert.equal(parseDate('31/03/2024 03:30', params), '2024-03-31T01:30:00.000Z'); // CEST, +02:00
    assert.equal(parseDate('15/07/2024 12:00', params), '2024-07-15T10:00:00.000Z');
    assert.equal(parseDate('27/10/2024 03:30', params), '2024-10-27T02:30:00.000Z');
  });

  test('skipped and repeated wall times follow the "compatible" rule', () => {
    const params = berlin('DD/MM/YYYY HH:mm', 'timestamptz');
    // 02:30 does not exist on 31 March (02:00 → 03:00): read with the earlier offset → 03:30 CEST.
    assert.equal(parseDate('31/03/2024 02:30', params), '2024-03-31T01:30:00.000Z');
    // 02:30 happens twice on 27 October: the earlier instant wins.
    assert.equal(parseDate('27/10/2024 02:30', params), '2024-10-27T00:30:00.000Z');
    const newYork = { format: 'MM-DD-YYYY HH:mm', timeZone: 'America/New_York', output: 'timestamptz' as const };
    assert.equal(parseDate('03-10-2024 01:59', newYork), '2024-03-10T06:59:00.000Z');
    assert.equal(parseDate('03-10-2024 03:00', newYork), '2024-03-10T07:00:00.000Z');
  });

  test('DD/MM/YYYY and MM-DD-YYYY HH:mm read the same digits differently', () => {
    assert.equal(parseDate('03/04/2024', { format: 'DD/MM/YYYY', timeZone: 'UTC', output: 'date' }), '2024-04-03');
    assert.equal(parseDate('03-04-2024 14:05', { format: 'MM-DD-YYYY HH:mm', timeZone: 'UTC', output: 'timestamp' }), '2024-03-04 14:05:00');
    assert.equal(parseDate('3/4/2024', { format: 'DD/MM/YYYY', timeZone: 'UTC', output: 'date' }), '2024-04-03');
    throwsCode(() => parseDate('03/04/2024', { format: 'MM-DD-YYYY HH:mm', timeZone: 'UTC', output: 'date' }), 'unparseable_date');
  });

  test('rejects dates that do not exist instead of rolling them over', () => {
    const params = { format: 'DD/MM/YYYY', timeZone: 'UTC', output: 'date' as const };
    throwsCode(() => parseDate('31/02/2024', params), 'unparseable_date', '"31/02/2024"');
    throwsCode(() => parseDate('29/02/2023', params), 'unparseable_date');
    assert.equal(parseDate('29/02/2024', params), '2024-02-29');
    throwsCode(() => parseDate('12/13/2024', params), 'unparseable_date');
    throwsCode(() => parseDate('01/01/2024 24:00', { ...params, format: 'DD/MM/YYYY HH:mm' }), 'unparseable_date');
    throwsCode(() => parseDate('not a date', params), 'unparseable_date', 'DD/MM/YYYY');
  });

  test('tries a list of formats in order', () => {
    const params = { formats: ['YYYY-MM-DD', 'DD.MM.YYYY', 'YYYYMMDD'], timeZone: 'UTC', output: 'date' as const };
    assert.equal(parseDate('2024-05-06', params), '2024-05-06');
    assert.equal(parseDate('06.05.2024', params), '2024-05-06');
    assert.equal(parseDate('20240506', params), '2024-05-06');
    assert.equal(parseDate(20240506, params), '2024-05-06');
    throwsCode(() => parseDate('05/06/2024', params), 'unparseable_date', 'YYYY-MM-DD or DD.MM.YYYY or YYYYMMDD');
  });

  test('naive outputs keep written fields; offsets and Date inputs are converted to the zone', () => {
    assert.equal(parseDate('31/03/2024 02:30', berlin('DD/MM/YYYY HH:mm', 'timestamp')), '2024-03-31 02:30:00');
    const instant = new Date('2024-06-30T22:30:00Z');
    assert.equal(parseDate(instant, berlin('YYYY-MM-DD', 'date')), '2024-07-01');
    assert.equal(parseDate(instant, berlin('YYYY-MM-DD', 'timestamp')), '2024-07-01 00:30:00');
    assert.equal(parseDate(instant, berlin('YYYY-MM-DD', 'timestamptz')), '2024-06-30T22:30:00.000Z');
    const withOffset = berlin('YYYY-MM-DDTHH:mm:ssZ', 'timestamp');
    assert.equal(parseDate('2024-01-15T10:00:00+05:00', withOffset), '2024-01-15 06:00:00');
    assert.equal(parseDate('2024-01-15T10:00:00Z', { ...withOffset, output: 'timestamptz' }), '2024-01-15T10:00:00.000Z');
  });

  test('fractions of a second, blanks and bad inputs', () => {
    const params = { format: 'YYYY-MM-DD HH:mm:ss.SSS', timeZone: 'UTC', output: 'timestamptz' as const };
    assert.equal(parseDate('2024-01-01 10:00:00.5', params), '2024-01-01T10:00:00.500Z');
    assert.equal(parseDate('  ', params), null);
    assert.equal(parseDate(null, params), null);
    throwsCode(() => parseDate(new Date(Number.NaN), params), 'unparseable_date');
    throwsCode(() => parseDate({ year: 2024 }, params), 'unparseable_date');
  });

  test('wall time ⇄ instant round-trips for every quarter hour of two years', () => {
    for (const name of ['Europe/Berlin', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Asia/Kolkata']) {
      const zone = getZone(name);
      for (let instant = Date.UTC(2023, 0, 1); instant < Date.UTC(2025, 0, 1); instant += 15 * 60_000) {
        const wall = instantToWallTime(zone, instant);
        const back = wallTimeToInstant(zone, wall);
        // Repeated wall times map to the earlier instant; it must show the same wall time.
        assert.ok(back <= instant && instantToWallTime(zone, back) === wall, `${name} ${new Date(instant).toISOString()}`);
      }
    }
  });

  test('an unknown zone or bad format fails at compile time', () => {
    throwsCode(() => compileTransform({ op: 'parse_date', format: 'YYYY-MM-DD', timeZone: 'Mars/Olympus', output: 'date' }), 'invalid_input');
    throwsCode(() => compileTransform({ op: 'parse_date', format: 'MM/DD', timeZone: 'UTC', output: 'date' }), 'invalid_input');
  });
});

describe('dispatch and messages', () => {
  test('applyTransform handles every op', () => {
    const cases: [Transform, unknown, unknown][] = [
      [{ op: 'trim' }, ' a ', 'a'],
      [{ op: 'lower' }, 'A', 'a'],
      [{ op: 'upper' }, 'a', 'A'],
      [{ op: 'collapse_whitespace' }, 'a  b', 'a b'],
      [{ op: 'null_if_empty' }, '', null],
      [{ op: 'default', value: 'x' }, null, 'x'],
      [{ op: 'constant', value: 5 }, 'ignored', 5],
      [{ op: 'cast', to: 'integer' }, '7', 7],
      [{ op: 'parse_date', format: 'DD/MM/YYYY', timeZone: 'UTC', output: 'date' }, '01/02/2024', '2024-02-01'],
      [{ op: 'phone_e164', defaultCountry: 'US' }, '212-555-0134', '+12125550134'],
      [{ op: 'email' }, 'A@B.CO', 'a@b.co'],
      [{ op: 'concat', separator: '-' }, ['a', 'b'], 'a-b'],
      [{ op: 'split', separator: ' ', index: 1 }, 'a b', 'b'],
      [{ op: 'regex_replace', pattern: 'a', flags: 'g', replacement: 'o' }, 'banana', 'bonono'],
      [{ op: 'value_map', map: { a: 1 }, caseInsensitive: false, trim: false, otherwise: { mode: 'keep' } }, 'a', 1],
    ];
    for (const [transform, input, expected] of cases) assert.deepEqual(applyTransform(input, transform), expected, transform.op);
  });

  test('messages name the value, cut to 80 characters', () => {
    const long = `${'x'.repeat(200)}@`;
    assert.ok(describeValue(long).length <= 80);
    assert.ok(describeValue(long).endsWith('…'));
    assert.equal(describeValue('a '), '"a "');
    assert.equal(describeValue(null), 'null');
    throwsCode(() => email(long), 'invalid_email', '"xxxx');
  });
});
