import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { csvRows } from './csv-rows';
import { neutraliseFormula } from './neutralise-formula';

describe('neutraliseFormula', () => {
  test('a cell that could start a formula gets a leading quote', () => {
    for (const text of ['=HYPERLINK("http://evil.example","x")', '+1', '-2+3', '@SUM(1)', '\tx', '\rx', '=', '-', '+', '@', '-A1', '--5', '+5', '+4930123456', '-5-5', '-1,5']) {
      assert.equal(neutraliseFormula(text), `'${text}`, JSON.stringify(text));
    }
  });

  test('leading whitespace does not hide a formula (importers may trim it)', () => {
    for (const text of [' =1+1', '  @SUM(1)', '\n=1', '\u00a0+1', '\ufeff=1', ' -5']) assert.equal(neutraliseFormula(text), `'${text}`, JSON.stringify(text));
  });

  test('full-width formula signs count (Excel reads them as ASCII in East Asian locales)', () => {
    for (const text of ['＝1+1', '＋1', '－1', '＠SUM(1)']) assert.equal(neutraliseFormula(text), `'${text}`);
  });

  test('a cell that is entirely a negative number stays a number', () => {
    for (const text of ['-5', '-0', '-0.25', '-.5', '-1.5e3', '-2E-7', '-123456789012345678901234567890']) assert.equal(neutraliseFormula(text), text);
  });

  test('ordinary text, numbers and JSON are unchanged', () => {
    for (const text of ['', 'a=b', 'x+1', 'mail@example.com', '5', '0.5', '{"a":"=1"}', '["=1"]', "'quoted", 'Ω']) assert.equal(neutraliseFormula(text), text);
  });
});

describe('csvRows', () => {
  test('every cell, headers included, reads back without a formula start', () => {
    const text = csvRows([
      ['=cmd|"/c calc"!A1', 'name'],
      ['=HYPERLINK("http://x","y")', '+1'],
      ['-2+3', '@SUM(1)'],
      [-5, null],
      [{ a: 1 }, '\t=1'],
    ]);
    const cells = (parse(text) as string[][]).flat();
    assert.deepEqual(cells, [`'=cmd|"/c calc"!A1`, 'name', `'=HYPERLINK("http://x","y")`, "'+1", "'-2+3", "'@SUM(1)", '-5', '', '{"a":1}', "'\t=1"]);
  });
});
