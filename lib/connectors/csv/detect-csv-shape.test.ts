import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { detectCsvShape } from './detect-csv-shape';
import { nameCsvColumns } from './name-csv-columns';

const shapeOf = (text: string, ...rest: Parameters<typeof detectCsvShape> extends [unknown, ...infer R] ? R : never) => detectCsvShape(Buffer.from(text), ...rest);
const typesOf = (report: ReturnType<typeof detectCsvShape>) => report.columns.map((column) => (column.format ? `${column.type} ${column.format}` : column.type));

const contacts = [
  'id,name,email,born,score,active,updated',
  '1,Ann Lee,ann@example.com,1990-04-03,1.5,yes,2024-01-31T10:00:00Z',
  '2,"Lee, Bo",bo@example.org,1985-12-13,,no,2024-02-01T23:59:59Z',
  '3,"Say ""hi""",cy@example.net,2001-01-01,3,yes,2024-02-02T00:00:00Z',
  '4,"Two',
  'lines",di@example.com,1970-06-30,4.25,no,2024-03-01T12:30:00Z',
].join('\r\n');

describe('detectCsvShape', () => {
  test('a plain comma file: dialect, header, names, types, nullability, preview', () => {
    const report = shapeOf(contacts);
    assert.equal(report.encoding, 'utf-8');
    assert.equal(report.bom, false);
    assert.equal(report.delimiter, ',');
    assert.equal(report.quote, '"');
    assert.equal(report.escape, '"');
    assert.equal(report.headerRow, 0);
    assert.deepEqual(
      report.columns.map((column) => column.name),
      ['id', 'name', 'email', 'born', 'score', 'active', 'updated'],
    );
    assert.deepEqual(typesOf(report), ['integer', 'text', 'email', 'date YYYY-MM-DD', 'decimal .', 'boolean', 'datetime YYYY-MM-DDTHH:mm:ssZ']);
    assert.deepEqual(
      report.columns.map((column) => column.nullable),
      [false, false, false, false, true, false, false],
    );
    assert.deepEqual(report.columns[1].sampleValues, ['Ann Lee', 'Lee, Bo', 'Say "hi"', 'Two\r\nlines']);
    assert.equal(report.preview.length, 4);
    assert.deepEqual(report.preview[3].slice(0, 2), ['4', 'Two\r\nlines']);
    assert.match(report.choices.escape.note, /doubled/);
    assert.equal(report.choices.columns.length, 7);
    assert.ok(report.choices.delimiter.confidence > 0.9);
  });

  test('semicolon files with decimal commas, tab and pipe files', () => {
    const semicolon = shapeOf('name;amount;note\nAnn;1,5;a, b\nBo;2,25;c\nCy;3;d\n');
    assert.equal(semicolon.delimiter, ';');
    assert.deepEqual(typesOf(semicolon), ['text', 'decimal ,', 'text']);
    assert.deepEqual(semicolon.preview[0], ['Ann', '1,5', 'a, b']);

    const tab = shapeOf('name\tcity, country\nAnn\tParis, FR\nBo\tRome, IT\n');
    assert.equal(tab.delimiter, '\t');
    assert.deepEqual(tab.columns[1].name, 'city, country');

    const pipe = shapeOf('a|b|c\n1|x;y|2,5\n2|z|3\n');
    assert.equal(pipe.delimiter, '|');
    assert.deepEqual(pipe.preview, [
      ['1', 'x;y', '2,5'],
      ['2', 'z', '3'],
    ]);
  });

  test('a header on row 3, after title lines', () => {
    const report = shapeOf('Contacts export\nGenerated 2024-05-01 by CRM\nid;name;born\n1;Ann;03.04.1990\n2;Bo;13.12.1985\n');
    assert.equal(report.delimiter, ';');
    assert.equal(report.headerRow, 2);
    assert.deepEqual(
      report.columns.map((column) => column.name),
      ['id', 'name', 'born'],
    );
    assert.deepEqual(typesOf(report), ['integer', 'text', 'date DD.MM.YYYY']);
    assert.deepEqual(report.preview, [
      ['1', 'Ann', '03.04.1990'],
      ['2', 'Bo', '13.12.1985'],
    ]);
    assert.equal(report.leadingRecords.length, 5);
    assert.match(report.choices.headerRow.note, /record 3 \(after 2 title lines\)/);
  });

  test('a file without a header: the first row fits the column types', () => {
    const report = shapeOf('1,Ann,2024-01-01\n2,Bo,2024-02-01\n3,Cy,2024-03-01\n');
    assert.equal(report.headerRow, null);
    assert.deepEqual(
      report.columns.map((column) => column.name),
      ['column_1', 'column_2', 'column_3'],
    );
    assert.equal(report.preview.length, 3);
    assert.match(report.choices.headerRow.note, /no header/);
  });

  test('header names: trimmed, blanks named by position, duplicates suffixed', () => {
    const report = shapeOf(' id ,,Name,name,\n1,2,3,4,5\n');
    assert.deepEqual(
      report.columns.map((column) => column.name),
      ['id', 'column_2', 'Name', 'name_2', 'column_5'],
    );
    assert.deepEqual(nameCsvColumns(['a', 'a', 'a_2'], 4), ['a', 'a_2', 'a_2_2', 'column_4']);
  });

  test('single quotes and backslash escapes', () => {
    const single = shapeOf("id,name\n1,'Lee, Ann'\n2,'Bo'\n");
    assert.equal(single.quote, "'");
    assert.deepEqual(single.preview[0], ['1', 'Lee, Ann']);

    const backslash = shapeOf('id,quote\n1,"she said \\"no\\" twice"\n2,"plain"\n');
    assert.equal(backslash.escape, '\\');
    assert.deepEqual(backslash.preview[0], ['1', 'she said "no" twice']);
  });

  describe('encodings', () => {
    const text = 'name;city;note\nZoë;München;5 € – “ok”\nFrançois;Zürich;naïve\nJürgen;Köln;Grüße\n';
    for (const [encoding, bom] of [
      ['utf-8', false],
      ['utf-8', true],
      ['utf-16le', true],
      ['utf-16be', true],
      ['windows-1252', false],
    ] as const) {
      test(`${encoding}${bom ? ' with a byte order mark' : ''}`, () => {
        const report = detectCsvShape(iconv.encode(text, encoding, { addBOM: bom }));
        assert.equal(report.encoding, encoding);
        assert.equal(report.bom, bom);
        assert.equal(report.delimiter, ';');
        assert.deepEqual(report.columns[0].name, 'name');
        assert.deepEqual(report.preview[0], ['Zoë', 'München', '5 € – “ok”']);
      });
    }

    test('iso-8859-1', () => {
      const report = detectCsvShape(iconv.encode('name;city\nZoë;München\nFrançois;Zürich\nJürgen;Köln\n', 'latin1'));
      assert.equal(report.encoding, 'iso-8859-1');
      assert.deepEqual(report.preview[0], ['Zoë', 'München']);
    });
  });

  test('a truncated sample leaves out its cut last line', () => {
    const text = 'id,name\n1,Ann\n2,Bo\n3,C';
    assert.equal(shapeOf(text, {}, { truncated: true }).preview.length, 2);
    assert.equal(shapeOf(text).preview.length, 3);
  });

  test('the preview holds the first 20 records after the header', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},x`);
    const report = shapeOf(`id,v\n${rows.join('\n')}\n`);
    assert.equal(report.preview.length, 20);
    assert.deepEqual(report.preview[0], ['0', 'x']);
    assert.deepEqual(report.columns[0].sampleValues, ['0', '1', '2', '3', '4']);
  });

  test('an empty or binary sample gives a report, not an exception', () => {
    const empty = detectCsvShape(Buffer.alloc(0));
    assert.deepEqual([empty.headerRow, empty.columns, empty.preview], [null, [], []]);
    const binary = detectCsvShape(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    assert.ok(binary.choices.encoding.confidence < 0.9);
  });

  describe('overrides win over detection', () => {
    test('the delimiter, and everything detected after it follows', () => {
      const report = shapeOf('a;b,c\n1;2,3\n4;5,6\n', { delimiter: ',' });
      assert.equal(report.delimiter, ',');
      assert.deepEqual(
        report.columns.map((column) => column.name),
        ['a;b', 'c'],
      );
      assert.equal(report.choices.delimiter.overridden, true);
      assert.equal(report.choices.delimiter.confidence, 1);
    });

    test('the header row, including none', () => {
      const none = shapeOf('id,name\n1,Ann\n', { headerRow: null });
      assert.equal(none.headerRow, null);
      assert.deepEqual(none.preview, [
        ['id', 'name'],
        ['1', 'Ann'],
      ]);
      assert.equal(none.choices.headerRow.overridden, true);
      const second = shapeOf('x,y\nid,name\n1,Ann\n', { headerRow: 1 });
      assert.deepEqual(
        second.columns.map((column) => column.name),
        ['id', 'name'],
      );
    });

    test('the encoding', () => {
      const bytes = iconv.encode('name\nZoë\n', 'latin1');
      const report = detectCsvShape(bytes, { encoding: 'windows-1252' });
      assert.equal(report.encoding, 'windows-1252');
      assert.equal(report.choices.encoding.overridden, true);
      assert.deepEqual(report.preview, [['Zoë']]);
      const asUtf8 = detectCsvShape(Buffer.from('\ufeffname\nZoë\n'), { encoding: 'utf-8' });
      assert.equal(asUtf8.bom, true);
      assert.deepEqual(asUtf8.columns[0].name, 'name');
    });

    test("a column: the analyst's fields replace the detected ones, the others stay detected", () => {
      const report = shapeOf('id,code\n1,007\n2,042\n', { columns: [{ name: 'customer_id', type: 'text', nullable: false, sampleValues: [] }] });
      assert.deepEqual(report.columns[0].name, 'customer_id');
      assert.deepEqual(report.columns[0].type, 'text');
      assert.deepEqual(report.columns[1].name, 'code');
      assert.deepEqual(report.choices.columns.map((choice) => choice.overridden), [true, false]);
      assert.match(report.choices.columns[0].note, /detected: integer/);
    });
  });
});
