import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readCsvRecords, type CsvRawRecord } from './read-csv-records';

const shape = { encoding: 'utf-8', delimiter: ',', quote: '"', escape: '"' } as const;

async function readAll(bytes: Buffer, chunkSize: number, maxFieldBytes?: number): Promise<CsvRawRecord[]> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const all: CsvRawRecord[] = [];
  for await (const batch of readCsvRecords(chunks(), shape, { byte: 0, line: 1 }, maxFieldBytes)) all.push(...batch);
  return all;
}

describe('readCsvRecords', () => {
  test('each record ends where the next starts, whatever the chunk size', async () => {
    const text = 'a,b\r\n"x\r\ny",2\r\n\r\nc,d\n"e\nf",3\rlast,1';
    for (const size of [1, 2, 3, 7, 1000]) {
      const records = await readAll(Buffer.from(text), size);
      assert.deepEqual(
        records.map((record) => [record.line, record.endByte, record.fields]),
        [
          [1, 5, ['a', 'b']],
          [2, 15, ['x\r\ny', '2']],
          [5, 21, ['c', 'd']],
          [6, 29, ['e\nf', '3']],
          [8, 35, ['last', '1']],
        ],
        `chunks of ${size}`,
      );
    }
  });

  test('a quote open past the field limit stops the parse with one error record that runs to the end', async () => {
    const text = `a,b\n1,2\n3,"never closed ${'x'.repeat(500)}\n5,6\n7,8\n`;
    const records = await readAll(Buffer.from(text), 64, 100);
    assert.deepEqual(
      records.map((record) => [record.line, record.unclosedQuote, record.endByte]),
      [
        [1, false, 4],
        [2, false, 8],
        [3, true, Buffer.byteLength(text)],
      ],
    );
  });

  test('invalid UTF-8 is told from a real U+FFFD field by field, however the input is cut', async () => {
    const bytes = Buffer.concat([
      Buffer.from('a,b,c\n1,ok,\ufffd\n2,"bad '),
      Buffer.from([0xc3, 0x28]), // a lead byte without its continuation
      Buffer.from('",\ufffd\n3,"x\ny",'),
      Buffer.from([0xff]),
      Buffer.from('\n'),
    ]);
    for (const size of [1, 2, 5, 1000]) {
      const records = await readAll(bytes, size);
      assert.deepEqual(
        records.map((record) => [record.line, record.invalidFields]),
        [
          [1, []],
          [2, []],
          [3, [1]],
          [4, [2]],
        ],
        `chunks of ${size}`,
      );
      assert.equal(records[2].fields[2], '\ufffd');
      assert.equal(records[3].fields[1], 'x\ny');
    }
  });
});
