import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileDateFormat } from '../date-format';
import { getZone, instantToWallTime, wallTimeToInstant } from '../zoned-time';
import { compileTransform } from './index';
import { parseDate } from './parse-date';
import { throwsCode } from './test-support';

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

test('a format with a run of spaces cannot backtrack on a long run of blanks', () => {
  const parse = compileDateFormat(`DD${' '.repeat(30)}MM${' '.repeat(30)}YYYY`);
  assert.deepEqual(parse('1    2 2024')?.year, 2024);
  const started = performance.now();
  assert.equal(parse(`1${' '.repeat(50_000)}x`), null);
  assert.equal(parse(`1 2${' '.repeat(50_000)}x`), null);
  assert.ok(performance.now() - started < 500, `took ${performance.now() - started} ms`);
});
