import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import type { CsvEncoding } from './csv-shape';
import { readWholeCsv, testShape, textColumns, writeTestCsv } from './csv-test-files';

const records = (rows: { record: string[] | null }[]) => rows.map((row) => row.record);
const lines = (rows: { line: number }[]) => rows.map((row) => row.line);

describe('readCsvPart: RFC 4180', () => {
  const shape = testShape({ columns: textColumns('id', 'text') });

  test('quoted delimiters, doubled quotes and quoted line breaks are one field; lines are where records start', async () => {
    const path = writeTestCsv('id,text\n1,"a,b"\n2,"say ""hi"""\n3,"line one\nline two\r\nline three"\n4,end\n');
    const { rows, index } = await readWholeCsv(path, shape);
    assert.deepEqual(records(rows), [
      ['1', 'a,b'],
      ['2', 'say "hi"'],
      ['3', 'line one\nline two\r\nline three'],
      ['4', 'end'],
    ]);
    assert.deepEqual(lines(rows), [2, 3, 4, 7]);
    assert.deepEqual(index.header, ['id', 'text']);
    assert.equal(rows.filter((row) => row.error).length, 0);
  });

  for (const [name, lineBreak] of [
    ['CRLF', '\r\n'],
    ['LF', '\n'],
    ['CR', '\r'],
  ]) {
    for (const trailing of [true, false]) {
      test(`${name} line breaks, ${trailing ? 'with' : 'without'} a final line break`, async () => {
        const body = ['id,text', '1,a', '2,"b', 'c"', '3,'].join(lineBreak) + (trailing ? lineBreak : '');
        const { rows, index } = await readWholeCsv(writeTestCsv(body), shape);
        assert.deepEqual(records(rows), [
          ['1', 'a'],
          ['2', `b${lineBreak}c`],
          ['3', ''],
        ]);
        assert.deepEqual(lines(rows), [2, 3, 5]);
        assert.equal(index.records, 3);
        assert.equal(index.bytes, Buffer.byteLength(body));
      });
    }
  }

  test('an empty field and an empty quoted field both read as empty; a quoted empty line is a record, a blank line is not', async () => {
    const path = writeTestCsv('a,b,c\n,"",x\n\n"",,\n\n\n"","",""\n');
    const { rows } = await readWholeCsv(path, testShape({ columns: textColumns('a', 'b', 'c') }));
    assert.deepEqual(records(rows), [
      ['', '', 'x'],
      ['', '', ''],
      ['', '', ''],
    ]);
    assert.deepEqual(lines(rows), [2, 4, 7]);

    const single = await readWholeCsv(writeTestCsv('only\n""\n\nx\n'), testShape({ columns: textColumns('only') }));
    assert.deepEqual(records(single.rows), [[''], ['x']]);
    assert.deepEqual(lines(single.rows), [2, 4]);
  });

  test('a backslash escape, when the shape says so', async () => {
    const path = writeTestCsv('id,text\n1,"say \\"hi\\""\n');
    const { rows } = await readWholeCsv(path, testShape({ escape: '\\', columns: textColumns('id', 'text') }));
    assert.deepEqual(records(rows), [['1', 'say "hi"']]);
  });

  test('semicolon, tab and pipe delimiters', async () => {
    for (const delimiter of [';', '\t', '|']) {
      const path = writeTestCsv(`a${delimiter}b\n"x${delimiter}y"${delimiter}2,5\n`);
      const { rows } = await readWholeCsv(path, testShape({ delimiter, columns: textColumns('a', 'b') }));
      assert.deepEqual(records(rows), [[`x${delimiter}y`, '2,5']], JSON.stringify(delimiter));
    }
  });

  test('title lines and the header row are not data', async () => {
    const path = writeTestCsv('Contacts\nexported 2024-05-01\n\nid,name\n1,Ann\n2,Bo\n');
    const { rows, index } = await readWholeCsv(path, testShape({ headerRow: 2, columns: textColumns('id', 'name') }));
    assert.deepEqual(index.header, ['id', 'name']);
    assert.deepEqual(records(rows), [
      ['1', 'Ann'],
      ['2', 'Bo'],
    ]);
    assert.deepEqual(lines(rows), [5, 6]);
  });

  test('no header row: every record is data', async () => {
    const { rows, index } = await readWholeCsv(writeTestCsv('1,Ann\n2,Bo\n'), testShape({ headerRow: null, columns: textColumns('a', 'b') }));
    assert.deepEqual(index.header, []);
    assert.deepEqual(records(rows), [
      ['1', 'Ann'],
      ['2', 'Bo'],
    ]);
  });
});

describe('readCsvPart: encodings', () => {
  const text = 'name,city,note\nZoë,München,"€ 5, “smart” – ok"\nFrançois,Zürich,naïve\n';
  const expected = [
    ['Zoë', 'München', '€ 5, “smart” – ok'],
    ['François', 'Zürich', 'naïve'],
  ];
  const cases: { encoding: CsvEncoding; bom: boolean; text?: string; expected?: string[][] }[] = [
    { encoding: 'utf-8', bom: false },
    { encoding: 'utf-8', bom: true },
    { encoding: 'utf-16le', bom: true },
    { encoding: 'utf-16be', bom: true },
    { encoding: 'utf-16le', bom: false },
    { encoding: 'windows-1252', bom: false },
    { encoding: 'iso-8859-1', bom: false, text: 'name,city,note\nZoë,München,"5, ok"\nFrançois,Zürich,naïve\n', expected: [['Zoë', 'München', '5, ok'], expected[1]] },
  ];
  for (const { encoding, bom, text: own, expected: ownExpected } of cases) {
    test(`${encoding}${bom ? ' with a byte order mark' : ''}`, async () => {
      const body = iconv.encode(own ?? text, encoding, { addBOM: bom });
      const path = writeTestCsv(body);
      const shape = testShape({ encoding, bom, columns: textColumns('name', 'city', 'note') });
      const { rows, index } = await readWholeCsv(path, shape, 1);
      assert.deepEqual(index.header, ['name', 'city', 'note']);
      assert.deepEqual(records(rows), ownExpected ?? expected);
      assert.deepEqual(lines(rows), [2, 3]);
      assert.equal(index.parts.length, 2);
      assert.equal(index.parts[1].endByte, body.length);
    });
  }
});

describe('readCsvPart: malformed files give error rows with their lines, never a crash', () => {
  const shape = testShape({ columns: textColumns('a', 'b', 'c') });

  test('too few and too many fields', async () => {
    const path = writeTestCsv('a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n');
    const { rows } = await readWholeCsv(path, shape);
    assert.deepEqual(
      rows.map((row) => [row.line, row.error?.code ?? null]),
      [
        [2, null],
        [3, 'too_few_fields'],
        [4, 'too_many_fields'],
        [5, null],
      ],
    );
    assert.deepEqual(rows[1].record, ['4', '5']);
    assert.match(rows[1].error?.message ?? '', /line 3: 2 fields, expected 3/);
    assert.match(rows[2].error?.message ?? '', /line 4: 4 fields, expected 3/);
  });

  test('a quote never closed is one error row at the line it opens on', async () => {
    const path = writeTestCsv('a,b,c\n1,2,3\n4,"never closed,6\n7,8,9\n10,11,12\n');
    const { rows, index } = await readWholeCsv(path, shape);
    assert.deepEqual(records(rows), [['1', '2', '3'], null]);
    assert.equal(rows[1].line, 3);
    assert.equal(rows[1].error?.code, 'unclosed_quote');
    assert.match(rows[1].error?.message ?? '', /line 3: a quoted field opens here and is never closed/);
    assert.equal(index.records, 2);
  });

  test('invalid UTF-8 bytes spoil only their own line', async () => {
    const body = Buffer.concat([Buffer.from('a,b,c\n1,ok,é\n2,'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(',x\n3,"\u{1F600}",y\n')]);
    const { rows } = await readWholeCsv(writeTestCsv(body), shape);
    assert.deepEqual(
      rows.map((row) => [row.line, row.error?.code ?? null]),
      [
        [2, null],
        [3, 'invalid_encoding'],
        [4, null],
      ],
    );
    assert.match(rows[1].error?.message ?? '', /line 3: b holds bytes that are not valid/);
    assert.equal(rows[1].record?.[0], '2');
    assert.ok(rows[1].record?.[1].includes('\ufffd'));
    assert.deepEqual(rows[2].record, ['3', '\u{1F600}', 'y']);
  });

  test('a real U+FFFD in valid UTF-8 is not an error', async () => {
    const { rows } = await readWholeCsv(writeTestCsv('a,b,c\n1,\ufffd,x\n'), shape);
    assert.equal(rows[0].error, undefined);
  });

  test('a byte Windows-1252 leaves undefined is an encoding error on its line', async () => {
    const body = Buffer.concat([Buffer.from('a,b,c\n1,2,3\n4,'), Buffer.from([0x81]), Buffer.from(',6\n')]);
    const { rows } = await readWholeCsv(writeTestCsv(body), testShape({ encoding: 'windows-1252', columns: textColumns('a', 'b', 'c') }));
    assert.deepEqual(
      rows.map((row) => [row.line, row.error?.code ?? null]),
      [
        [2, null],
        [3, 'invalid_encoding'],
      ],
    );
  });
});

describe('readCsvPart: any split gives the records of the file, in every encoding', () => {
  const alphabets: Record<'unicode' | 'latin', string[]> = {
    unicode: ['a', 'b', ' ', ',', ';', '"', '\n', '\r', '\r\n', 'é', '€', '\u{1F600}', '\u4e00', '\u7c7b'],
    latin: ['a', 'b', ' ', ',', ';', '"', '\n', '\r', '\r\n', 'é', '€', '“'],
  };
  const encodings: { encoding: CsvEncoding; alphabet: keyof typeof alphabets }[] = [
    { encoding: 'utf-8', alphabet: 'unicode' },
    { encoding: 'utf-16le', alphabet: 'unicode' },
    { encoding: 'utf-16be', alphabet: 'unicode' },
    { encoding: 'windows-1252', alphabet: 'latin' },
  ];
  for (const { encoding, alphabet } of encodings) {
    test(encoding, async () => {
      const field = fc.array(fc.constantFrom(...alphabets[alphabet]), { maxLength: 6 }).map((pieces) => pieces.join(''));
      const file = fc.record({
        width: fc.integer({ min: 2, max: 4 }),
        rows: fc.array(fc.array(field, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 25 }),
        lineBreak: fc.constantFrom('\n', '\r\n', '\r'),
        rowsPerPart: fc.integer({ min: 1, max: 7 }),
        bom: fc.boolean(),
        finalBreak: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(file, async ({ width, rows, lineBreak, rowsPerPart, bom, finalBreak }) => {
          const data = rows.map((row) => row.slice(0, width));
          const header = data[0].map((_, i) => `c${i}`);
          const texts = [header, ...data].map((row) => stringify([row], { record_delimiter: lineBreak, quoted_match: /[\r\n]/ }));
          let body = texts.join('');
          if (!finalBreak) body = body.slice(0, -lineBreak.length);
          const expectedLines: number[] = [];
          let line = 1;
          for (const text of texts) {
            expectedLines.push(line);
            line += text.split(/\r\n|\n|\r/).length - 1;
          }
          const path = writeTestCsv(iconv.encode(body, encoding, { addBOM: bom }));
          const shape = testShape({ encoding, bom, columns: textColumns(...header) });
          const { rows: read, index } = await readWholeCsv(path, shape, rowsPerPart);
          assert.deepEqual(records(read), data);
          assert.deepEqual(lines(read), expectedLines.slice(1));
          assert.deepEqual(index.header, header);
          assert.equal(index.records, data.length);
          assert.equal(index.parts.length, Math.ceil(data.length / rowsPerPart));
          index.parts.forEach((part, i) => {
            assert.equal(part.firstRecord, i * rowsPerPart);
            if (i > 0) assert.equal(part.startByte, index.parts[i - 1].endByte);
          });
        }),
        { numRuns: 60 },
      );
    });
  }
});
