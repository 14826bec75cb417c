import './support/test-env';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import type { Actor } from '@/lib/auth/roles';
import type { CsvShape } from '@/lib/connectors/csv/csv-shape';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { appendSourceFileChunk } from '@/lib/file-sources/append-source-file-chunk';
import { confirmSourceFileShape } from '@/lib/file-sources/confirm-source-file-shape';
import { createFileSource } from '@/lib/file-sources/create-file-source';
import { createSourceFileUpload } from '@/lib/file-sources/create-source-file-upload';
import { deleteSourceFile } from '@/lib/file-sources/delete-source-file';
import { getFileSource } from '@/lib/file-sources/get-file-source';
import { getSourceFile } from '@/lib/file-sources/get-source-file';
import { listFileSources } from '@/lib/file-sources/list-file-sources';
import { previewSourceFileShape } from '@/lib/file-sources/preview-source-file-shape';
import { registerSourceFile } from '@/lib/file-sources/register-source-file';
import { shapeOfReport } from '@/lib/file-sources/shape-of-report';
import { UploadOffsetError } from '@/lib/file-sources/upload-offset-error';
import { storedFilePath } from '@/lib/files/file-storage';
import { resolveConnection } from '@/lib/saved-connections/resolve-connection';
import { createUploadSchema, registerSourceFileSchema } from '@/lib/schemas/file-source';
import { upsertUser } from '@/lib/users/manage-users';
import { testAdmin } from './support/fixtures';

// Read when env() is first called (inside the tests): the folder admins may register files from.
const scratch = mkdtempSync(path.join(tmpdir(), 'ferry-it-file-sources-'));
const importDir = path.join(scratch, 'imports');
const outsideDir = path.join(scratch, 'elsewhere');
process.env.FERRY_FILE_IMPORT_DIRS = importDir;

let admin: Actor;
let analyst: Actor;
const stamp = Date.now();

/** A Latin-1 export with ';' between fields. */
function latin1Export(rows: number, nameOf = (id: number) => `Müller ${id}`): Buffer {
  const lines = ['id;name;city;amount'];
  for (let id = 1; id <= rows; id++) lines.push(`${id};${nameOf(id)};Köln;${id},25`);
  return iconv.encode(lines.join('\n') + '\n', 'latin1');
}

/** A request body as the route gets it: a web stream, in pieces of `piece` bytes. */
function streamOf(bytes: Uint8Array, piece = 16 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
  });
}

/** A body that sends `bytes` and then fails, as a client going away mid-chunk. */
function brokenStreamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(new Error('client went away'));
      controller.enqueue(bytes);
      sent = true;
    },
  });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  assert.fail('expected a refusal');
}

async function upload(connectionId: string, tableName: string, bytes: Buffer, actor = analyst) {
  const file = await createSourceFileUpload(connectionId, { tableName, originalName: `${tableName}.csv`, bytes: bytes.length }, actor);
  const progress = await appendSourceFileChunk(file.id, 0, streamOf(bytes), actor);
  assert.equal(progress.status, 'uploaded');
  return file;
}

async function detectedShape(fileId: string): Promise<CsvShape> {
  const { report } = await getSourceFile(fileId, analyst);
  assert.ok(report);
  return shapeOfReport(report);
}

before(async () => {
  admin = await testAdmin();
  const user = await upsertUser({ email: 'it-analyst@ferry.test', name: 'IT Analyst', role: 'analyst', password: 'it-analyst-password' });
  analyst = { id: user.id, email: user.email, name: user.name, role: user.role };
  mkdirSync(importDir, { recursive: true });
  mkdirSync(outsideDir, { recursive: true });
});

after(async () => {
  await prisma().connection.deleteMany({ where: { name: { startsWith: `it files ${stamp}` } } });
  rmSync(scratch, { recursive: true, force: true });
  await disconnectPrisma();
});

describe('file sources', () => {
  test('a file source is a csv connection with a unique name', async () => {
    const source = await createFileSource({ name: `it files ${stamp} unique` }, analyst);
    const row = await prisma().connection.findUniqueOrThrow({ where: { id: source.id }, select: { kind: true, host: true, port: true } });
    assert.deepEqual(row, { kind: 'csv', host: '', port: 0 });
    const clash = await refusal(createFileSource({ name: `it files ${stamp} unique` }, analyst));
    assert.equal(clash.status, 409);
    assert.deepEqual(clash.issues.map((i) => i.path), ['body.name']);
    assert.ok((await listFileSources(analyst)).some((s) => s.id === source.id));
    const audit = await prisma().auditEntry.findFirst({ where: { action: 'file_source.create', entityId: source.id } });
    assert.ok(audit, 'audited');
  });

  test('an upload in three chunks, one sent at the wrong offset and one cut off, arrives byte for byte', async () => {
    const source = await createFileSource({ name: `it files ${stamp} chunks` }, analyst);
    const bytes = latin1Export(20_000);
    assert.ok(bytes.length > 3 * 64 * 1024, 'each chunk arrives in many pieces');
    const file = await createSourceFileUpload(source.id, { tableName: 'customers', originalName: 'Kunden.csv', bytes: bytes.length }, analyst);
    assert.equal(file.status, 'uploading');
    assert.equal(file.version, 1);
    assert.equal(file.receivedBytes, 0);
    assert.equal(file.path, undefined, 'an upload never shows its server path');
    const stored = await prisma().sourceFile.findUniqueOrThrow({ where: { id: file.id }, select: { path: true } });
    assert.equal(stored.path, `uploads/${file.id}.csv`);
    assert.equal(statSync(storedFilePath(stored.path)).size, 0, 'an empty file is there from the start');

    const cuts = [0, Math.floor(bytes.length / 3), Math.floor((2 * bytes.length) / 3), bytes.length];
    const chunk = (i: number) => bytes.subarray(cuts[i], cuts[i + 1]);

    assert.deepEqual(await appendSourceFileChunk(file.id, 0, streamOf(chunk(0)), analyst), { receivedBytes: cuts[1], status: 'uploading' });

    // The second chunk sent for the wrong place: 409 with where to resume, nothing written.
    const wrong = await refusal(appendSourceFileChunk(file.id, cuts[2], streamOf(chunk(2)), analyst));
    assert.ok(wrong instanceof UploadOffsetError);
    assert.equal(wrong.status, 409);
    assert.equal(wrong.details.expectedOffset, cuts[1]);
    assert.equal(statSync(storedFilePath(stored.path)).size, cuts[1]);

    // The client goes away half way through the second chunk: nothing of it counts or stays.
    await assert.rejects(appendSourceFileChunk(file.id, cuts[1], brokenStreamOf(chunk(1).subarray(0, 1000)), analyst), /client went away/);
    assert.equal(statSync(storedFilePath(stored.path)).size, cuts[1], 'the partial chunk is cut off again');
    const midway = await prisma().sourceFile.findUniqueOrThrow({ where: { id: file.id }, select: { receivedBytes: true } });
    assert.equal(Number(midway.receivedBytes), cuts[1]);

    assert.deepEqual(await appendSourceFileChunk(file.id, cuts[1], streamOf(chunk(1)), analyst), { receivedBytes: cuts[2], status: 'uploading' });

    // A last chunk longer than the declared size is refused whole.
    const tooLong = await refusal(appendSourceFileChunk(file.id, cuts[2], streamOf(Buffer.concat([chunk(2), Buffer.from('1;extra\n')])), analyst));
    assert.equal(tooLong.status, 413);
    assert.equal(statSync(storedFilePath(stored.path)).size, cuts[2], 'nothing beyond the declared size is kept');

    assert.deepEqual(await appendSourceFileChunk(file.id, cuts[2], streamOf(chunk(2)), analyst), { receivedBytes: bytes.length, status: 'uploaded' });
    assert.ok(readFileSync(storedFilePath(stored.path)).equals(bytes), 'the stored file is the input, byte for byte');

    // A retry of the first chunk after all: the upload is complete, and the answer says where it stands.
    const late = await refusal(appendSourceFileChunk(file.id, 0, streamOf(chunk(0)), analyst));
    assert.equal(late.status, 409);
    assert.equal((late as UploadOffsetError).details.expectedOffset, bytes.length);

    const row = await prisma().sourceFile.findUniqueOrThrow({ where: { id: file.id }, select: { status: true, shape: true, receivedBytes: true } });
    assert.equal(row.status, 'uploaded');
    const shape = row.shape as CsvShape;
    assert.equal(shape.delimiter, ';');
    assert.ok(['iso-8859-1', 'windows-1252'].includes(shape.encoding), `a single-byte Western encoding, not ${shape.encoding}`);
    assert.deepEqual(shape.columns.map((c) => c.name), ['id', 'name', 'city', 'amount']);
    assert.ok(await prisma().auditEntry.findFirst({ where: { action: 'source_file.upload', entityId: file.id } }), 'completion audited');

    const { file: view, report } = await getSourceFile(file.id, analyst);
    assert.equal(view.status, 'uploaded');
    assert.equal(view.current, false);
    assert.equal(view.uploadedBy?.email, analyst.email);
    assert.ok(report);
    assert.equal(report.preview[0][1], 'Müller 1', 'decoded from Latin-1');
  });

  test('the shape can be read with overrides, refused past the last column', async () => {
    const source = await createFileSource({ name: `it files ${stamp} overrides` }, analyst);
    const file = await upload(source.id, 'people', latin1Export(50));
    const asComma = await previewSourceFileShape(file.id, { delimiter: ',' });
    assert.equal(asComma.delimiter, ',');
    assert.equal(asComma.choices.delimiter.overridden, true);
    assert.equal(asComma.columns.length, 2, "'Köln;1,25' splits once on ','");
    const renamed = await previewSourceFileShape(file.id, { columns: [null, { name: 'full_name', type: 'text' }] });
    assert.deepEqual(renamed.columns.map((c) => c.name), ['id', 'full_name', 'city', 'amount']);
    assert.equal(renamed.choices.columns[0].overridden, false);
    assert.equal(renamed.choices.columns[1].overridden, true);
    const pastEnd = await refusal(previewSourceFileShape(file.id, { columns: [null, null, null, null, { name: 'x' }] }));
    assert.equal(pastEnd.status, 422);
    assert.deepEqual(pastEnd.issues.map((i) => i.path), ['body.overrides.columns.4']);
  });

  test('confirming makes a file ready; a second version replaces it; _line and repeated names are refused', async () => {
    const source = await createFileSource({ name: `it files ${stamp} versions` }, analyst);
    const first = await upload(source.id, 'orders', latin1Export(20));
    const shape = await detectedShape(first.id);

    const withLine = await refusal(confirmSourceFileShape(first.id, { ...shape, columns: shape.columns.map((c, i) => (i === 0 ? { ...c, name: '_line' } : c)) }, analyst));
    assert.equal(withLine.status, 422);
    assert.deepEqual(withLine.issues.map((i) => i.path), ['body.shape.columns.0.name']);
    const repeated = await refusal(confirmSourceFileShape(first.id, { ...shape, columns: shape.columns.map((c, i) => (i === 2 ? { ...c, name: 'name' } : c)) }, analyst));
    assert.deepEqual(repeated.issues.map((i) => i.path), ['body.shape.columns.2.name']);

    const before = await prisma().connection.findUniqueOrThrow({ where: { id: source.id }, select: { updatedAt: true } });
    const confirmed = await confirmSourceFileShape(first.id, { ...shape, columns: shape.columns.map((c, i) => (i === 3 ? { ...c, name: 'total' } : c)) }, analyst);
    assert.equal(confirmed.status, 'ready');
    assert.equal(confirmed.current, true);
    assert.ok(confirmed.confirmedAt);
    const stored = await prisma().sourceFile.findUniqueOrThrow({ where: { id: first.id }, select: { fingerprint: true, path: true, shape: true } });
    const info = statSync(storedFilePath(stored.path));
    assert.equal(stored.fingerprint, `${info.size}:${Math.round(info.mtimeMs)}`);
    assert.equal((stored.shape as CsvShape).columns[3].name, 'total');
    const afterConfirm = await prisma().connection.findUniqueOrThrow({ where: { id: source.id }, select: { updatedAt: true } });
    assert.ok(afterConfirm.updatedAt > before.updatedAt, "the connection's updatedAt moves, so workers drop cached connectors");
    const resolved = await resolveConnection(source.id);
    assert.deepEqual(resolved.files?.map((f) => [f.table, f.version, f.shape.columns[3].name]), [['orders', 1, 'total']]);

    // The confirmed shape is what the file's report now shows.
    const { report } = await getSourceFile(first.id, analyst);
    assert.equal(report?.columns[3].name, 'total');
    assert.equal(report?.choices.delimiter.overridden, true);

    const second = await upload(source.id, 'orders', latin1Export(30));
    assert.equal(second.version, 2);
    await confirmSourceFileShape(second.id, await detectedShape(second.id), analyst);
    const statuses = await prisma().sourceFile.findMany({ where: { connectionId: source.id }, select: { version: true, status: true }, orderBy: { version: 'asc' } });
    assert.deepEqual(statuses, [
      { version: 1, status: 'replaced' },
      { version: 2, status: 'ready' },
    ]);
    const view = await getFileSource(source.id, analyst);
    assert.deepEqual(view.files.map((f) => [f.version, f.current]), [[2, true], [1, false]], 'newest version first');

    // A replaced version cannot be confirmed again, the ready one cannot be deleted; the replaced one can, with its file.
    assert.equal((await refusal(confirmSourceFileShape(first.id, shape, analyst))).status, 409);
    assert.equal((await refusal(deleteSourceFile(second.id, analyst))).status, 409);
    await deleteSourceFile(first.id, analyst);
    assert.equal(await prisma().sourceFile.count({ where: { id: first.id } }), 0);
    assert.equal(existsSync(storedFilePath(stored.path)), false, 'the uploaded file is gone from the disk');
    assert.ok(await prisma().auditEntry.findFirst({ where: { action: 'source_file.delete', entityId: first.id } }));
    assert.ok(await prisma().auditEntry.findFirst({ where: { action: 'source_file.confirm', entityId: second.id } }));
  });

  test('a job reading the table blocks replacing it and changing its shape, naming the job', async () => {
    const source = await createFileSource({ name: `it files ${stamp} busy` }, analyst);
    const ready = await upload(source.id, 'leads', latin1Export(10));
    await confirmSourceFileShape(ready.id, await detectedShape(ready.id), analyst);
    const next = await upload(source.id, 'leads', latin1Export(12));

    // A job of a mapping that reads the table, as a started migration leaves it.
    const mapping = await prisma().mapping.create({
      data: { name: `it files ${stamp} busy mapping`, sourceConnectionId: source.id, sourceTable: 'leads', targetConnectionId: source.id, targetTable: 'leads_copy' },
    });
    const version = await prisma().mappingVersion.create({ data: { mappingId: mapping.id, version: 1, spec: { source: { table: 'leads', key: ['_line'] } } } });
    const job = await prisma().job.create({ data: { id: randomUUID(), kind: 'migration', status: 'paused', mappingId: mapping.id, mappingVersionId: version.id } });
    try {
      const replacing = await refusal(confirmSourceFileShape(next.id, await detectedShape(next.id), analyst));
      assert.equal(replacing.status, 409);
      assert.match(replacing.message, new RegExp(job.id));
      const reshaping = await refusal(confirmSourceFileShape(ready.id, await detectedShape(ready.id), analyst));
      assert.equal(reshaping.status, 409);
      assert.match(reshaping.message, /paused/);
      const statuses = await prisma().sourceFile.findMany({ where: { connectionId: source.id }, select: { version: true, status: true }, orderBy: { version: 'asc' } });
      assert.deepEqual(statuses.map((s) => s.status), ['ready', 'uploaded'], 'nothing changed');

      await prisma().job.update({ where: { id: job.id }, data: { status: 'cancelled' } });
      const done = await confirmSourceFileShape(next.id, await detectedShape(next.id), analyst);
      assert.equal(done.status, 'ready');
    } finally {
      await prisma().mapping.delete({ where: { id: mapping.id } });
    }
  });

  test('registering by path: only regular files inside the allowed folders, judged on the real path', async () => {
    const source = await createFileSource({ name: `it files ${stamp} register` }, admin);
    const inside = path.join(importDir, 'big-export.csv');
    writeFileSync(inside, latin1Export(100));
    const registered = await registerSourceFile(source.id, { path: inside, tableName: 'big_export' }, admin);
    assert.equal(registered.status, 'uploaded');
    assert.equal(registered.bytes, statSync(inside).size);
    assert.equal(registered.receivedBytes, registered.bytes);
    assert.equal(registered.registered, true);
    assert.equal(registered.path, inside, 'admins see where a registered file lies');
    const forAnalyst = (await getFileSource(source.id, analyst)).files.find((f) => f.id === registered.id);
    assert.equal(forAnalyst?.path, undefined, 'others do not');
    const row = await prisma().sourceFile.findUniqueOrThrow({ where: { id: registered.id }, select: { path: true, shape: true } });
    assert.equal(row.path, inside, 'not copied: the path is absolute');
    assert.equal((row.shape as CsvShape).delimiter, ';');
    assert.ok(await prisma().auditEntry.findFirst({ where: { action: 'source_file.register', entityId: registered.id } }));

    const ownUpload = await upload(source.id, 'uploaded_here', latin1Export(3), admin);
    const outside = path.join(outsideDir, 'secret.csv');
    writeFileSync(outside, 'a;b\n1;2\n');
    const link = path.join(importDir, 'looks-inside.csv');
    symlinkSync(outside, link);
    writeFileSync(path.join(importDir, 'empty.csv'), '');
    mkdirSync(path.join(importDir, 'a-folder.csv'), { recursive: true });

    for (const [candidate, why] of [
      [outside, /outside the folders/],
      [link, /outside the folders/],
      [path.join(importDir, '..', 'elsewhere', 'secret.csv'), /outside the folders/],
      [path.join(importDir, 'missing.csv'), /names no file/],
      [path.join(importDir, 'a-folder.csv'), /not a regular file/],
      [path.join(importDir, 'empty.csv'), /empty/],
      ['imports/big-export.csv', /absolute/],
      [storedFilePath(`uploads/${ownUpload.id}.csv`), /own upload storage/],
    ] as const) {
      const error = await refusal(registerSourceFile(source.id, { path: candidate, tableName: 'x' }, admin));
      assert.equal(error.status, 422, candidate);
      assert.deepEqual(error.issues.map((i) => i.path), ['body.path'], candidate);
      assert.match(error.message, why, candidate);
      assert.ok(error.message.includes(importDir), 'says which folders are allowed');
    }
    // Deleting a registered version leaves the file where it was: Ferry never owned it.
    await deleteSourceFile(registered.id, admin);
    assert.equal(existsSync(inside), true);
  });

  test('bad table names and files over the limit are refused with their field paths', async () => {
    const source = await createFileSource({ name: `it files ${stamp} limits` }, analyst);
    for (const tableName of ['1st', 'with space', 'drop;table', 'a'.repeat(64), '']) {
      const parsed = createUploadSchema.safeParse({ tableName, originalName: 'x.csv', bytes: 10 });
      assert.equal(parsed.success, false, tableName);
      assert.deepEqual(parsed.error?.issues.map((i) => i.path.join('.')), ['tableName']);
      assert.match(parsed.error?.issues[0].message ?? '', /letter or _/);
    }
    assert.equal(registerSourceFileSchema.safeParse({ path: '/x.csv', tableName: 'ok_name' }).success, true);
    const tooBig = await refusal(createSourceFileUpload(source.id, { tableName: 'huge', originalName: 'huge.csv', bytes: 6 * 1024 ** 3 }, analyst));
    assert.equal(tooBig.status, 413);
    assert.deepEqual(tooBig.issues.map((i) => i.path), ['body.bytes']);
    assert.match(tooBig.issues[0].message, /5 GiB/);
    assert.equal(await prisma().sourceFile.count({ where: { connectionId: source.id } }), 0);

    // Only file sources take files.
    const database = await prisma().connection.create({
      data: { name: `it files ${stamp} a database`, kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'x', username: 'x', sslMode: 'disable' },
    });
    assert.equal((await refusal(createSourceFileUpload(database.id, { tableName: 't', originalName: 't.csv', bytes: 10 }, analyst))).status, 404);
    assert.equal((await refusal(getFileSource(database.id, analyst))).status, 404);
  });

  test('chunks of several MiB in odd-sized pieces arrive byte for byte', async () => {
    const source = await createFileSource({ name: `it files ${stamp} large` }, analyst);
    const bytes = latin1Export(200_000, (id) => `Name ${id * 7919}`);
    assert.ok(bytes.length > 4 * 1024 * 1024);
    const file = await createSourceFileUpload(source.id, { tableName: 'large', originalName: 'large.csv', bytes: bytes.length }, analyst);
    const half = Math.floor(bytes.length / 2) + 13;
    await appendSourceFileChunk(file.id, 0, streamOf(bytes.subarray(0, half), 70_001), analyst);
    const done = await appendSourceFileChunk(file.id, half, streamOf(bytes.subarray(half), 1_500_007), analyst);
    assert.equal(done.status, 'uploaded');
    assert.ok(readFileSync(storedFilePath(`uploads/${file.id}.csv`)).equals(bytes));
  });

  test('an abandoned upload can be deleted with its stored file', async () => {
    const source = await createFileSource({ name: `it files ${stamp} abandoned` }, analyst);
    const file = await createSourceFileUpload(source.id, { tableName: 'half', originalName: 'half.csv', bytes: 1000 }, analyst);
    await appendSourceFileChunk(file.id, 0, streamOf(Buffer.alloc(400, 0x41)), analyst);
    const stored = storedFilePath(`uploads/${file.id}.csv`);
    assert.equal(statSync(stored).size, 400);
    await deleteSourceFile(file.id, analyst);
    assert.equal(existsSync(stored), false);
    assert.equal((await refusal(appendSourceFileChunk(file.id, 400, streamOf(Buffer.alloc(10)), analyst))).status, 404);
  });
});
