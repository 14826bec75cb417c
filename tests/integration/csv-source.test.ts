import './support/test-env';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { openConnector } from '@/lib/connectors/open-connector';
import { unreadableOf } from '@/lib/connectors/unreadable-row';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { pauseJob, resumeJob } from '@/lib/jobs/control-job';
import { editErrorRow, replayOneErrorRow } from '@/lib/jobs/edit-error-row';
import { startMigration } from '@/lib/jobs/start-migration';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { fileIndexFolder } from '@/lib/files/file-storage';
import { resolveConnection } from '@/lib/saved-connections/resolve-connection';
import { previewSavedVersion } from '@/lib/saved-mappings/preview-mapping';
import { addCsvVersion, testCsvSource } from './support/csv-source';
import { freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { verificationAfter, verifyNow } from './support/verify';
import { startRepair } from '@/lib/jobs/start-repair';
import { expectEventually, waitForJob } from './support/wait';

const TARGET_DB = 'ferry_it_csv_tgt';
const folder = `${process.env.FERRY_FILE_STORAGE}/it-csv`;
const ROWS = 3000;

let actor: Actor;
let target: pg.Client;
const workers: SpawnedWorker[] = [];

/**
 * A legacy export as they come: Windows-1252, ';' between fields, decimal commas, dates
 * as DD/MM/YYYY, CRLF line ends, a title line above the header, a note with a quoted line
 * break and quotes inside, and three broken lines (a field too many, a field too few, an
 * address the target refuses).
 */
function legacyExport(rows: number, start = 1): { bytes: Buffer; badLines: Map<number, string> } {
  const lines = ['Export of customers, 2026-11-30', 'id;name;email;signed_up;balance;note'];
  const badLines = new Map<number, string>();
  for (let id = start; id < start + rows; id++) {
    const line = lines.length + 1 + countBreaks(lines);
    const name = id % 10 === 0 ? `Müller-Lüdenscheid ${id}` : `Customer ${id}`;
    let record = `${id};${name};c${id}@example.com;${String((id % 28) + 1).padStart(2, '0')}/03/2024;${id},50;plain`;
    if (id === start + 6) record = `${id};"Name; with ""quotes""";c${id}@example.com;01/01/2024;1,00;"two\r\nlines"`;
    if (id === start + 99) {
      record = `${id};Too;many;fields;here;01/01/2024;1,00`;
      badLines.set(line, 'too_many_fields');
    }
    if (id === start + 199) {
      record = `${id};Too few`;
      badLines.set(line, 'too_few_fields');
    }
    if (id === start + 299) {
      record = `${id};Bad mail;not-an-email;01/01/2024;1,00;x`;
      badLines.set(line, 'invalid_email');
    }
    lines.push(record);
  }
  return { bytes: iconv.encode(lines.join('\r\n') + '\r\n', 'windows-1252'), badLines };
}

/** Line breaks inside records written so far (the quoted note): line numbers count them. */
function countBreaks(lines: string[]): number {
  return lines.reduce((n, line) => n + (line.match(/\r\n/g)?.length ?? 0), 0);
}

const spec = {
  source: { table: 'customers', key: ['_line'] },
  target: { table: 'contacts', key: ['legacy_id'] },
  fields: [
    { target: 'legacy_id', sources: ['id'] },
    { target: 'full_name', sources: ['name'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
    { target: 'signed_up', sources: ['signed_up'] },
    { target: 'balance', sources: ['balance'] },
    { target: 'note', sources: ['note'] },
  ],
};

/** An export sorted by id: `id,name,email`, ids 1…rows. */
const sortedExport = (rows: number) => 'id,name,email\n' + Array.from({ length: rows }, (_, i) => `${i + 1},Customer ${i + 1},c${i + 1}@example.com`).join('\n') + '\n';

/** sortedExport read by line into contacts, upserted on the id. */
const sortedExportByLine = {
  source: { table: 'customers', key: ['_line'] },
  target: { table: 'contacts', key: ['legacy_id'] },
  fields: [
    { target: 'legacy_id', sources: ['id'] },
    { target: 'full_name', sources: ['name'] },
    { target: 'email', sources: ['email'] },
  ],
};

before(async () => {
  actor = await testAdmin();
  mkdirSync(folder, { recursive: true });
  target = await freshPgDatabase(TARGET_DB);
  await target.query(`CREATE TABLE contacts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, legacy_id bigint UNIQUE NOT NULL, full_name text NOT NULL, email text NOT NULL, signed_up date, balance numeric(12,2), note text)`);
  workers.push(spawnWorker(), spawnWorker());
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await target?.end();
  await closeCachedConnectors();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('a CSV file as a source', () => {
  test('reads like a table: columns and types from the confirmed shape, the line number as key, broken lines marked in place', async () => {
    const { bytes, badLines } = legacyExport(200);
    writeFileSync(`${folder}/small.csv`, bytes);
    const source = await testCsvSource(actor, 'it csv small', [{ table: 'customers', path: `${folder}/small.csv` }]);
    const connector = openConnector(await resolveConnection(source.id));
    try {
      assert.deepEqual((await connector.listTables()).map((t) => t.name), ['customers']);
      const detail = await connector.describeTable('customers');
      assert.deepEqual(detail.primaryKey, ['_line']);
      assert.deepEqual(detail.columns.map((c) => [c.name, c.family]), [
        ['_line', 'integer'], ['id', 'integer'], ['name', 'text'], ['email', 'text'], ['signed_up', 'date'], ['balance', 'decimal'], ['note', 'text'],
      ]);
      const rows = [];
      for await (const batch of connector.readRange({ table: 'customers', keyColumns: ['_line'], columns: ['id', 'name', 'signed_up', 'balance', 'note'], range: { lower: null, upper: null }, batchSize: 64 })) rows.push(...batch);
      assert.equal(rows.length, 200, 'every record, broken ones included');
      assert.deepEqual(rows.map((r) => r._line), [...rows.map((r) => r._line as number)].sort((a, b) => a - b), 'in line order');
      assert.equal(rows[0]._line, 3, 'the first record is on line 3, under the title and the header');
      const quoted = rows.find((r) => r.id === 7)!;
      assert.equal(quoted.name, 'Name; with "quotes"');
      assert.equal(quoted.note, 'two\r\nlines');
      assert.equal(rows.find((r) => r.id === 8)!._line, (quoted._line as number) + 2, 'a quoted line break moves the next record a line down');
      assert.equal(rows.find((r) => r.id === 10)!.name, 'Müller-Lüdenscheid 10', 'Windows-1252 decoded');
      assert.equal(rows.find((r) => r.id === 12)!.signed_up, '2024-03-13');
      assert.equal(rows.find((r) => r.id === 12)!.balance, '12.50');
      const marked = rows.filter((r) => unreadableOf(r));
      assert.deepEqual(marked.map((r) => [r._line, unreadableOf(r)!.code]), [...badLines].filter(([, code]) => code !== 'invalid_email'));
      assert.match(unreadableOf(marked[0])!.message, /line \d+: 7 fields, expected 6/);

      // A key range reads exactly its lines; readKeys finds lines across the index.
      const some = [];
      for await (const batch of connector.readRange({ table: 'customers', keyColumns: ['_line'], columns: ['id'], range: { lower: [50], upper: [60] }, batchSize: 100 })) some.push(...batch);
      assert.deepEqual(some.map((r) => r._line), [50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
      const keyed = await connector.readKeys('customers', ['_line'], ['id'], [[60], ['120'], [9999]]);
      assert.deepEqual(keyed.map((r) => [r._line, r.id]).sort(), [[120, 117], [60, 57]]);
      await assert.rejects(connector.writeBatch({ table: 'customers', keyColumns: ['_line'], columns: ['id'], rows: [[1]], mode: 'insert' }), /read-only/);
    } finally {
      await connector.close();
    }
  });

  test('UTF-16 with a byte order mark, across many index parts: every record once, in order, at its line, and found again by key', async () => {
    const lines = ['id\tname\tnote'];
    for (let id = 1; id <= 25_000; id++) lines.push(id === 12_345 ? `${id}\tŻółw 🐢\t"two\nlines"` : `${id}\tName ${id}\tx`);
    writeFileSync(`${folder}/utf16.csv`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\n') + '\n', 'utf16le')]));
    const source = await testCsvSource(actor, 'it csv utf16', [{ table: 'people', path: `${folder}/utf16.csv` }]);
    const connector = openConnector(await resolveConnection(source.id));
    try {
      const ids: number[] = [];
      let previous = 0;
      for await (const batch of connector.readRangeArrays({ table: 'people', keyColumns: ['_line'], columns: ['id'], range: { lower: null, upper: null }, batchSize: 1000 })) {
        for (const [id, line] of batch as [number, number][]) {
          assert.ok(line > previous);
          previous = line;
          ids.push(id);
        }
      }
      assert.equal(ids.length, 25_000);
      assert.deepEqual(ids.slice(0, 3), [1, 2, 3]);
      assert.equal(new Set(ids).size, 25_000, 'no record twice across the parts');
      const [turtle] = await connector.readKeys('people', ['_line'], ['id', 'name', 'note'], [[12_346]]);
      assert.deepEqual(turtle, { _line: 12_346, id: 12_345, name: 'Żółw 🐢', note: 'two\nlines' });
      const [after] = await connector.readKeys('people', ['_line'], ['id'], [[20_002]]);
      assert.equal(after.id, 20_000, 'the quoted line break moves later records a line down');
    } finally {
      await connector.close();
    }
  });

  test('a 3,000-line export migrates on two workers: broken lines are error rows with their line numbers, the rest lands, verification agrees, an edited line lands on replay', async () => {
    const { bytes, badLines } = legacyExport(ROWS);
    writeFileSync(`${folder}/customers.csv`, bytes);
    const source = await testCsvSource(actor, 'it csv customers', [{ table: 'customers', path: `${folder}/customers.csv` }]);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'it csv customers → contacts', source.id, tgt.id, spec);

    // The preview shows the broken lines as the run will record them.
    const [tooMany] = [...badLines].find(([, code]) => code === 'too_many_fields')!;
    const preview = await previewSavedVersion({ mappingId: mapping.id, version: 1, keys: [[tooMany], [tooMany + 1]], limit: 10 });
    assert.equal(preview.rows.find((r) => r.sourceKey[0] === tooMany)?.errors[0]?.code, 'too_many_fields');
    assert.equal(preview.rows.find((r) => r.sourceKey[0] === tooMany + 1)?.errors.length, 0);

    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 500, batchRows: 200 } });
    assert.equal(await waitForJob(job.id, undefined, 120_000), 'completed_with_errors');
    assert.equal(Number((await target.query('SELECT count(*) FROM contacts')).rows[0].count), ROWS - badLines.size);
    const errors = await prisma().errorRow.findMany({ where: { jobId: job.id }, orderBy: { id: 'asc' } });
    assert.deepEqual(
      errors.map((e) => [JSON.parse(e.sourceKeyText)[0], e.code]).sort((a, b) => a[0] - b[0]),
      [...badLines].map(([line, code]) => [line, code === 'invalid_email' ? errors.find((e) => e.sourceKeyText === `[${line}]`)?.code : code]),
    );
    const shifted = errors.find((e) => e.code === 'too_many_fields')!;
    assert.equal(shifted.stage, 'read');
    assert.deepEqual((shifted.sourceRow as Record<string, unknown>).field_7, '1,00', 'the field past the last column is kept for the analyst');
    assert.equal((shifted.sourceRow as Record<string, unknown>).signed_up, 'fields', 'shifted values stay as written where their column cannot read them');
    const landed = (await target.query(`SELECT full_name, signed_up::text, balance::text, note FROM contacts WHERE legacy_id = 7`)).rows[0];
    assert.deepEqual(landed, { full_name: 'Name; with "quotes"', signed_up: '2024-01-01', balance: '1.00', note: 'two\r\nlines' });

    const report = await verificationAfter(job.id);
    assert.equal(report.different, 0);
    assert.equal(report.extra, 0);
    assert.equal(report.missing, badLines.size);

    // A contact lost in the target is found missing by line and repaired from the file.
    await target.query('DELETE FROM contacts WHERE legacy_id IN (50, 51)');
    const lost = await verifyNow(actor, mapping.id);
    assert.equal(lost.missing, badLines.size + 2);
    const repair = await startRepair(actor, lost.id, { deleteExtra: false });
    await waitForJob(repair.id, undefined, 120_000);
    assert.equal(Number((await target.query('SELECT count(*) FROM contacts WHERE legacy_id IN (50, 51)')).rows[0].count), 2);

    // The analyst fixes the shifted line (drops the extra field) and replays it: it lands.
    await editErrorRow(actor, job.id, shifted.id, { values: { name: 'Too many', email: `c${100}@example.com`, signed_up: '2024-01-01', balance: '1.00', note: 'fixed' } });
    const outcome = await replayOneErrorRow(actor, job.id, shifted.id);
    assert.equal(outcome.landed, true, JSON.stringify(outcome));
    assert.equal((await target.query(`SELECT note FROM contacts WHERE legacy_id = 100`)).rows[0]?.note, 'fixed');
  });

  test('a sorted id column can be the key; an unsorted one is refused with the line that breaks the order; a new file version replaces the old under the same mapping', async () => {
    const { bytes } = legacyExport(600);
    writeFileSync(`${folder}/by-id.csv`, bytes);
    const source = await testCsvSource(actor, 'it csv by id', [{ table: 'customers', path: `${folder}/by-id.csv` }]);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    await target.query('TRUNCATE contacts');
    const byId = { ...spec, source: { table: 'customers', key: ['id'] } };
    const mapping = await testMapping(actor, 'it csv by id', source.id, tgt.id, byId);
    const first = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 150, batchRows: 100 } });
    assert.equal(await waitForJob(first.id, undefined, 120_000), 'completed_with_errors');
    const errors = await prisma().errorRow.findMany({ where: { jobId: first.id }, select: { sourceKeyText: true } });
    assert.deepEqual(errors.map((e) => e.sourceKeyText).sort(), ['[100]', '[200]', '[300]'], 'error rows keyed by the id column');

    // Version 2 of the same export: ids 1–600 again, plus 601–700, one of them out of order.
    const next = legacyExport(700);
    writeFileSync(`${folder}/by-id-v2.csv`, next.bytes);
    // A new version is refused while a job reads the table: the run's own verification first.
    await verificationAfter(first.id);
    await addCsvVersion(actor, source.id, { table: 'customers', path: `${folder}/by-id-v2.csv` });
    const second = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 150, batchRows: 100 } });
    assert.equal(await waitForJob(second.id, undefined, 120_000), 'completed_with_errors');
    assert.equal(Number((await target.query('SELECT count(*) FROM contacts')).rows[0].count), 700 - 3, 'the new version read whole, the old rows rewritten in place');

    const shuffled = Buffer.from(next.bytes.toString('latin1').replace('\r\n650;', '\r\n1650;'), 'latin1');
    writeFileSync(`${folder}/by-id-v3.csv`, shuffled);
    await verificationAfter(second.id);
    await addCsvVersion(actor, source.id, { table: 'customers', path: `${folder}/by-id-v3.csv` });
    const third = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 150, batchRows: 100 } });
    assert.equal(await waitForJob(third.id, undefined, 120_000), 'failed');
    const why = await prisma().jobEvent.findMany({ where: { jobId: third.id }, select: { message: true } });
    assert.ok(why.some((e) => /not unique and ascending in the file \(line \d+ holds 651 after 1650/.test(e.message) && /_line/.test(e.message)), JSON.stringify(why.map((e) => e.message)));
  });

  test('read by line, an export sorted by id claims no target keys; one with an id twice still makes one of its lines a duplicate error row', async () => {
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const rows = 20_000;
    const sorted = sortedExport(rows);
    // Line 15,002 (the customer with id 15,001) says 700 instead: id 700 twice, nothing else out of order but that.
    const twice = sorted.replace('\n15001,Customer 15001,', '\n700,Customer 15001,');
    const claimsWhilePaused = async (file: string, content: string) => {
      await target.query('TRUNCATE contacts');
      writeFileSync(`${folder}/${file}`, content);
      const source = await testCsvSource(actor, `it csv ${file}`, [{ table: 'customers', path: `${folder}/${file}` }]);
      const mapping = await testMapping(actor, `it csv ${file} → contacts`, source.id, tgt.id, sortedExportByLine);
      const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 2000, batchRows: 10 } });
      // Claims live until the job ends: paused after its first batches, the job shows what it claimed.
      await expectEventually(async () => (await jobTotals(job.id)).read > 0, { timeoutMs: 60_000, intervalMs: 20 });
      assert.ok(['pausing', 'paused'].includes(await pauseJob(actor, job.id)));
      assert.equal(await waitForJob(job.id, ['paused']), 'paused');
      const claimed = await prisma().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM run_keys WHERE job_no = (SELECT job_no FROM jobs WHERE id = ${job.id})`;
      const read = (await jobTotals(job.id)).read;
      assert.equal(await resumeJob(actor, job.id), 'running');
      return { job, mapping, claimed: claimed[0].n, read };
    };
    const decision = async (jobId: string) => (await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { claimsKeys: true } })).claimsKeys;

    const plain = await claimsWhilePaused('sorted.csv', sorted);
    assert.ok(plain.read > 0 && plain.read < rows, `paused midway (${plain.read} read)`);
    assert.equal(plain.claimed, 0, 'an id that ascends through the file cannot repeat: nothing to claim');
    assert.equal(await waitForJob(plain.job.id, undefined, 120_000), 'completed');
    assert.equal(Number((await target.query('SELECT count(*) FROM contacts')).rows[0].count), rows);
    assert.equal(await decision(plain.job.id), false, 'the decision every chunk took is kept on the job');

    // A correction could give a line another id: with one on the mapping, the next run claims again.
    await prisma().rowCorrection.create({
      data: { mappingId: plain.mapping.id, sourceKey: [6], sourceKeyText: '[6]', sourceRow: { _line: 6, id: 4, name: 'Customer 5', email: 'c5@example.com' } },
    });
    const corrected = await startMigration(actor, { mappingId: plain.mapping.id, options: { chunkRows: 2000, batchRows: 500 } });
    assert.equal(await waitForJob(corrected.id, undefined, 120_000), 'completed_with_errors');
    assert.equal(await decision(corrected.id), true);
    const clash = await prisma().errorRow.findMany({ where: { jobId: corrected.id }, select: { sourceKeyText: true, code: true } });
    assert.deepEqual(clash.map((e) => e.code), ['duplicate_key'], 'line 6, corrected, says id 4 as line 5 does: one of them is a duplicate');
    assert.ok(['[5]', '[6]'].includes(clash[0].sourceKeyText), clash[0].sourceKeyText);

    const repeated = await claimsWhilePaused('twice.csv', twice);
    assert.ok(repeated.claimed >= repeated.read - 10, `every row read was claimed (${repeated.claimed} claims, ${repeated.read} read)`);
    assert.equal(await waitForJob(repeated.job.id, undefined, 120_000), 'completed_with_errors');
    assert.equal(await decision(repeated.job.id), true);
    const errors = await prisma().errorRow.findMany({ where: { jobId: repeated.job.id }, select: { sourceKeyText: true, code: true } });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'duplicate_key');
    assert.ok(['[701]', '[15002]'].includes(errors[0].sourceKeyText), errors[0].sourceKeyText);
    assert.equal(Number((await target.query('SELECT count(*) FROM contacts')).rows[0].count), rows - 1);
  });

  test('a confirmed file is indexed by a worker before any job reads it, and its first migration reads that index instead of building its own', async () => {
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    await target.query('TRUNCATE contacts');
    const rows = 30_000;
    writeFileSync(`${folder}/early.csv`, sortedExport(rows));
    const source = await testCsvSource(actor, 'it csv early index', [{ table: 'customers', path: `${folder}/early.csv` }]);
    const { id } = await prisma().sourceFile.findFirstOrThrow({ where: { connectionId: source.id, status: 'ready' }, select: { id: true } });
    // What loadCsvKeyIndex keeps for the file read by `_line` (the key's name in hex).
    const lineIndexes = () => readdirSync(fileIndexFolder()).filter((name) => name.startsWith(`${id}.`) && name.endsWith(`.${Buffer.from('_line').toString('hex')}.json`));

    const indexFile = await expectEventually(async () => {
      const found = lineIndexes();
      assert.equal(found.length, 1, 'no line index of the file yet');
      return found[0];
    }, { timeoutMs: 30_000, intervalMs: 100 });
    const said = workers.filter((w) => /indexed table "customers" \(version 1\): 30000 records, 3 parts/.test(w.output()));
    assert.equal(said.length, 1, 'one of the two workers indexed the file and says so; the other left it to that one');
    const builtAt = statSync(`${fileIndexFolder()}/${indexFile}`).mtimeMs;

    const mapping = await testMapping(actor, 'it csv early index → contacts', source.id, tgt.id, sortedExportByLine);
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 10_000 } });
    assert.equal(await waitForJob(job.id, undefined, 120_000), 'completed');
    assert.equal(Number((await target.query('SELECT count(*) FROM contacts')).rows[0].count), rows);
    assert.deepEqual(lineIndexes(), [indexFile]);
    assert.equal(statSync(`${fileIndexFolder()}/${indexFile}`).mtimeMs, builtAt, 'the job read the index the worker had built');
  });
});
