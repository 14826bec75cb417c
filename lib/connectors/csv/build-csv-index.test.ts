import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { buildCsvIndex } from './build-csv-index';
import type { CsvShape } from './csv-shape';
import { readCsvPart } from './read-csv-part';
import { testShape, textColumns, writeTestCsv } from './csv-test-files';

describe('buildCsvIndex', () => {
  test('parts start after the header, follow each other and end at the end of the file', async () => {
    const body = 'Report\nid,name\n1,"A\nB"\n2,C\n3,D\n\n';
    const path = writeTestCsv(body);
    const index = await buildCsvIndex(path, testShape({ headerRow: 1 }), { rowsPerPart: 2 });
    assert.deepEqual(index.header, ['id', 'name']);
    assert.equal(index.records, 3);
    assert.equal(index.bytes, body.length);
    assert.deepEqual(index.parts, [
      { startByte: 'Report\nid,name\n'.length, endByte: 'Report\nid,name\n1,"A\nB"\n2,C\n'.length, firstLine: 3, firstRecord: 0, records: 2, lastLine: 5 },
      { startByte: 'Report\nid,name\n1,"A\nB"\n2,C\n'.length, endByte: body.length, firstLine: 6, firstRecord: 2, records: 1, lastLine: 6 },
    ]);
  });

  test('a stream gives the same index as the path, byte order mark included in the offsets', async () => {
    const body = iconv.encode('id;name\n1;Zoë\n2;"x;y"\n3;z\n', 'utf-16le', { addBOM: true });
    const path = writeTestCsv(body);
    const shape = testShape({ encoding: 'utf-16le', bom: true, delimiter: ';' });
    const fromPath = await buildCsvIndex(path, shape, { rowsPerPart: 2 });
    const fromStream = await buildCsvIndex(createReadStream(path, { highWaterMark: 3 }), shape, { rowsPerPart: 2 });
    assert.deepEqual(fromStream, fromPath);
    assert.equal(fromPath.parts[0].startByte, 2 + 'id;name\n'.length * 2);
    assert.equal(fromPath.bytes, body.length);
  });

  test('a file with only a header has no parts', async () => {
    const index = await buildCsvIndex(writeTestCsv('id,name\n'), testShape(), { rowsPerPart: 10 });
    assert.deepEqual(index, { parts: [], records: 0, bytes: 8, header: ['id', 'name'], ascendingColumns: [] });
  });

  test('integer columns filled and strictly ascending over the readable records are named; any other is not', async () => {
    const columns: CsvShape['columns'] = [
      { name: 'id', type: 'integer', nullable: false, sampleValues: [] },
      { name: 'code', type: 'integer', nullable: false, sampleValues: [] },
      { name: 'gap', type: 'integer', nullable: true, sampleValues: [] },
      { name: 'name', type: 'text', nullable: true, sampleValues: [] },
      { name: 'again', type: 'integer', nullable: false, sampleValues: [] },
    ];
    // id ascends (a broken line between does not count: it becomes an error row); code
    // repeats as a number (05 = 5); gap has an empty field; name is text; again goes down.
    const body = 'id,code,gap,name,again\n1,4,1,a,9\n2,5,,b,8\n3,05,3,c,7\n99,x\n10,6,4,d,10\n';
    const index = await buildCsvIndex(writeTestCsv(body), testShape({ columns }), { rowsPerPart: 2 });
    assert.deepEqual(index.ascendingColumns, ['id']);
    const repeated = await buildCsvIndex(writeTestCsv('id,code,gap,name,again\n1,1,1,a,1\n2,2,2,b,2\n2,3,3,c,3\n'), testShape({ columns }), { rowsPerPart: 2 });
    assert.deepEqual(repeated.ascendingColumns, ['code', 'gap', 'again'], 'a repeated id is not ascending');
  });

  test('rowsPerPart must be a positive integer', async () => {
    await assert.rejects(buildCsvIndex(writeTestCsv('a\n1\n'), testShape(), { rowsPerPart: 0 }), RangeError);
  });

  test('a ~24 MB file: parts read in parallel give exactly the records of one pass, in bounded memory', { timeout: 300_000 }, async (t) => {
    const path = writeTestCsv('');
    await writeLargeCsv(path, 24 * 1024 * 1024);
    const size = statSync(path).size;
    const shape = testShape({ columns: textColumns('id', 'name', 'note', 'amount', 'email') });
    // What the readers hold, not what the collector has yet to free: RSS after a burst of
    // short-lived strings depends on when V8 collects, so live memory is measured after a
    // full collection.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const live = () => {
      collect();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    const liveBefore = live();
    let livePeak = liveBefore;
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sample = () => {
      livePeak = Math.max(livePeak, live());
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    };

    const index = await buildCsvIndex(path, shape, { rowsPerPart: 40_000 });
    sample();
    assert.equal(index.bytes, size);
    assert.ok(index.parts.length >= 8, `${index.parts.length} parts`);
    const read = await Promise.all(
      index.parts.map(async (part) => {
        const hash = createHash('sha256');
        let count = 0;
        let errors = 0;
        for await (const batch of readCsvPart(path, shape, part)) {
          for (const row of batch) {
            if (row.error) errors++;
            hash.update(JSON.stringify(row.record));
            hash.update('\n');
            if (++count % 10_000 === 0) sample();
          }
        }
        return { count, errors, digest: hash.digest('hex') };
      }),
    );
    sample();
    const growthMb = (livePeak - liveBefore) / 1024 / 1024;
    const rssGrowthMb = (rssPeak - rssBefore) / 1024 / 1024;
    t.diagnostic(`${(size / 1024 / 1024).toFixed(0)} MB, ${index.records} records in ${index.parts.length} parts; live memory grew by ${growthMb.toFixed(1)} MB, rss by ${rssGrowthMb.toFixed(1)} MB`);
    // Eight readers at once, each holding an input chunk and the rows it has yet to hand out: far less than the file.
    assert.ok(growthMb < 16, `live memory grew by ${growthMb.toFixed(1)} MB`);

    // One pass with csv-parse's own defaults, hashed in the same segments.
    const reference: { count: number; digest: string }[] = [];
    let segment = createHash('sha256');
    let inSegment = 0;
    let total = 0;
    const parser = createReadStream(path).pipe(parse({ from: 2 }));
    for await (const record of parser as AsyncIterable<string[]>) {
      segment.update(JSON.stringify(record));
      segment.update('\n');
      total++;
      if (++inSegment === index.parts[reference.length].records) {
        reference.push({ count: inSegment, digest: segment.digest('hex') });
        segment = createHash('sha256');
        inSegment = 0;
      }
    }
    assert.equal(index.records, total);
    assert.deepEqual(
      read.map(({ count, digest }) => ({ count, digest })),
      reference,
    );
    assert.equal(
      read.reduce((sum, part) => sum + part.errors, 0),
      0,
    );
  });
});

/** Rows with the awkward parts spread through: quoted delimiters, doubled quotes, line breaks inside fields, multi-byte text. */
async function writeLargeCsv(path: string, bytes: number) {
  const out = createWriteStream(path);
  out.write('id,name,note,amount,email\r\n');
  let written = 0;
  for (let id = 1; written < bytes; id++) {
    const lines: string[] = [];
    for (let n = 0; n < 1000; n++, id++) {
      const note = id % 7 === 0 ? `"multi\nline, ""quoted"" ${id}"` : id % 5 === 0 ? `"a, b; c ${id}"` : `plain note ${id}`;
      lines.push(`${id},Zoë Müller-${id % 97} 東京,${note},${(id * 1.25).toFixed(2)},user${id}@example.com\r\n`);
    }
    const chunk = lines.join('');
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
