import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inferColumnType, valueFitsType } from './infer-column-type';

const typeOf = (values: string[], decimalComma = false) => {
  const { type, format } = inferColumnType(values, decimalComma);
  return format === undefined ? type : `${type} ${format}`;
};

describe('inferColumnType', () => {
  test('numbers', () => {
    assert.equal(typeOf(['1', '-20', '+3', '0']), 'integer');
    assert.equal(typeOf(['1.5', '2', '-0.25', '1e3']), 'decimal .');
    assert.equal(typeOf(['1,5', '2', '-0,25'], true), 'decimal ,');
    assert.equal(typeOf(['1,5', '2'], false), 'text');
    assert.equal(typeOf(['12345678901234567890']), 'decimal .');
  });

  test('a leading zero makes a code, not a number', () => {
    assert.equal(typeOf(['01234', '12345']), 'text');
  });

  test('booleans', () => {
    assert.equal(typeOf(['yes', 'No', 'Y', 'n']), 'boolean');
    assert.equal(typeOf(['TRUE', 'false']), 'boolean');
    assert.equal(typeOf(['0', '1']), 'integer');
  });

  test('dates in several formats', () => {
    assert.equal(typeOf(['2024-01-31', '1999-12-01']), 'date YYYY-MM-DD');
    assert.equal(typeOf(['31/01/2024', '1/2/1999']), 'date DD/MM/YYYY');
    assert.equal(typeOf(['01/31/2024', '12/25/1999']), 'date MM/DD/YYYY');
    assert.equal(typeOf(['31.01.2024', '01.02.1999']), 'date DD.MM.YYYY');
    assert.equal(typeOf(['2024/01/31']), 'date YYYY/MM/DD');
    assert.equal(typeOf(['31-01-2024']), 'date DD-MM-YYYY');
  });

  test('a day/month order both formats read is flagged as ambiguous', () => {
    const result = inferColumnType(['01/02/2024', '03/04/2024'], false);
    assert.equal(result.format, 'DD/MM/YYYY');
    assert.equal(result.confidence, 0.5);
    assert.match(result.note, /MM\/DD\/YYYY.*day\/month/);
  });

  test('an impossible date is not a date', () => {
    assert.equal(typeOf(['2024-02-30']), 'text');
  });

  test('datetimes', () => {
    assert.equal(typeOf(['2024-01-31T10:00:00Z', '2024-02-01T23:59:59+02:00']), 'datetime YYYY-MM-DDTHH:mm:ssZ');
    assert.equal(typeOf(['2024-01-31 10:00:00', '2024-02-01 23:59:59']), 'datetime YYYY-MM-DD HH:mm:ss');
    assert.equal(typeOf(['2024-01-31 10:00:00.123']), 'datetime YYYY-MM-DD HH:mm:ss.SSS');
    assert.equal(typeOf(['31.01.2024 10:00', '1.2.2024 9:05']), 'datetime DD.MM.YYYY HH:mm');
  });

  test('emails and phones', () => {
    assert.equal(typeOf(['ann@example.com', 'bo.b@mail.example.org']), 'email');
    assert.equal(typeOf(['+49 30 1234567', '+44 20 7946 0958', '+1 (212) 555-0134']), 'phone');
    assert.equal(typeOf(['030 1234567', '(030) 12-34-56']), 'phone');
    assert.equal(typeOf(['ann@example.com', 'not an email']), 'text');
  });

  test('empty values are ignored; a column with none is text, barely sure', () => {
    assert.equal(typeOf(['1', '', '  ', '2']), 'integer');
    const empty = inferColumnType(['', ''], false);
    assert.equal(empty.type, 'text');
    assert.ok(empty.confidence < 0.2);
  });

  test('one odd value makes the column text and the note says so', () => {
    const result = inferColumnType(['1', '2', 'three'], false);
    assert.equal(result.type, 'text');
    assert.match(result.note, /1 of 3 values are not/);
  });

  test('more values, more confidence', () => {
    assert.ok(inferColumnType(['1'], false).confidence < inferColumnType(Array.from({ length: 40 }, (_, i) => String(i)), false).confidence);
  });
});

describe('valueFitsType', () => {
  test('header words do not fit typed columns; values do', () => {
    assert.equal(valueFitsType('id', 'integer', undefined), false);
    assert.equal(valueFitsType('7', 'integer', undefined), true);
    assert.equal(valueFitsType('born', 'date', 'DD.MM.YYYY'), false);
    assert.equal(valueFitsType('03.04.1990', 'date', 'DD.MM.YYYY'), true);
    assert.equal(valueFitsType('2,5', 'decimal', ','), true);
    assert.equal(valueFitsType('amount', 'text', undefined), true);
  });
});
