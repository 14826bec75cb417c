/**
 * Change capture from the local MariaDB 10.11 binlog (lib/connectors/mysql/binlog) through
 * @vlasky/zongji, whose own CI does not cover 10.11: every claim the sync relies on is
 * proven here against the real server. Needs log_bin=ON, binlog_format=ROW,
 * binlog_row_image=FULL (scripts/services.sh sets them); a server without them fails the run.
 *
 * Scratch databases ferry_it_binlog and ferry_it_binlog_other, dropped at the end.
 * Run: node --import tsx --test tests/integration/mariadb-change-capture.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import {
  type BinlogCheckpoint,
  type BinlogReader,
  type BinlogTransaction,
  BinlogReaderError,
  currentPosition,
  describePosition,
  openBinlogReader,
} from '../../lib/connectors/mysql/binlog/binlog-reader';
import { MARIADB } from './support/test-env';

// A zone far from UTC: any time-zone shift in decoding shows up as a wrong value.
process.env.TZ = 'America/New_York';

const DB = 'ferry_it_binlog';
const OTHER_DB = 'ferry_it_binlog_other';
const run = Date.now().toString(36);
const CONNECTION = { ...MARIADB, database: DB };

let admin: mysql.Connection;
const readers: BinlogReader[] = [];

async function open(tables: string[], from: 'now' | BinlogCheckpoint, readerId = `it-${run}`, extra = {}): Promise<BinlogReader> {
  const reader = await openBinlogReader({
    connection: CONNECTION,
    tables: tables.map((table) => ({ database: DB, table })),
    from,
    readerId,
    maxBatchWaitMs: 20,
    idleCheckpointMs: 200,
    ...extra,
  });
  readers.push(reader);
  return reader;
}

/** Reads batches until `count` transactions with changes arrived (or fails after the timeout). */
async function collect(reader: BinlogReader, count: number, timeoutMs = 15_000): Promise<BinlogTransaction[]> {
  const got: BinlogTransaction[] = [];
  const signal = AbortSignal.timeout(timeoutMs);
  for await (const batch of reader.batches(signal)) {
    got.push(...batch.transactions);
    if (got.length >= count) break;
  }
  assert.ok(got.length >= count, `expected ${count} transactions within ${timeoutMs} ms, got ${got.length}`);
  return got;
}

/** Whatever arrives within `ms` (to prove that nothing more comes). */
async function drain(reader: BinlogReader, ms: number): Promise<BinlogTransaction[]> {
  const got: BinlogTransaction[] = [];
  for await (const batch of reader.batches(AbortSignal.timeout(ms))) got.push(...batch.transactions);
  return got;
}

/** A row as lib/connectors/mysql reads it (same value options, UTC session). */
async function selectRow(table: string, id: number): Promise<Record<string, unknown>> {
  const conn = await mysql.createConnection({
    ...CONNECTION,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    timezone: 'Z',
  });
  try {
    await conn.query("SET time_zone = '+00:00'");
    const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${table}\` WHERE id = ?`, [id]);
    return { ...rows[0] };
  } finally {
    await conn.end();
  }
}

const CRM_COLUMNS = `
  id int PRIMARY KEY,
  big bigint,
  amount decimal(12,2),
  name varchar(100) CHARACTER SET utf8mb4,
  notes text CHARACTER SET utf8mb4,
  seen_at datetime(3),
  updated_at timestamp(3) NULL DEFAULT NULL,
  born date,
  stage enum('lead','customer','lost'),
  profile json,
  score int NULL`;

async function createCrmTable(name: string, db = DB): Promise<void> {
  await admin.query(`CREATE TABLE \`${db}\`.\`${name}\` (${CRM_COLUMNS}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
}

before(async () => {
  admin = await mysql.createConnection({ ...MARIADB, multipleStatements: true });
  const [[settings]] = await admin.query<mysql.RowDataPacket[]>(
    'SELECT @@log_bin AS log_bin, @@binlog_format AS format, @@binlog_row_image AS image',
  );
  assert.deepEqual(
    { log_bin: Number(settings.log_bin), format: settings.format, image: settings.image },
    { log_bin: 1, format: 'ROW', image: 'FULL' },
    'MariaDB must run with log_bin=ON, binlog_format=ROW, binlog_row_image=FULL (run scripts/services.sh)',
  );
  for (const db of [DB, OTHER_DB]) {
    await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await admin.query(`CREATE DATABASE \`${db}\``);
  }
  await admin.query(`USE \`${DB}\``);
  await admin.query("SET time_zone = '+00:00'");
});

after(async () => {
  await Promise.all(readers.map((r) => r.close()));
  for (const db of [DB, OTHER_DB]) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
  await admin.end();
});

describe('MariaDB change capture from the binlog', () => {
  test('inserts, updates and deletes arrive in commit order, with column names and the values a SELECT reads', async () => {
    const table = `contacts_${run}`;
    await createCrmTable(table);
    const reader = await open([table], 'now');

    await admin.query(
      `INSERT INTO \`${table}\` VALUES (1, 9007199254740993, 1234567890.25, 'Zoë 🚀 Ünïcode', 'long text ☃', '2024-02-29 23:59:58.123', '2024-03-01 12:00:00.5', '1990-07-04', 'customer', '{"tags": ["a", "b"], "n": 1.5}', 42)`,
    );
    const inserted = await selectRow(table, 1);
    await admin.query(`INSERT INTO \`${table}\` (id) VALUES (2)`);
    const nulls = await selectRow(table, 2);
    await admin.query(`UPDATE \`${table}\` SET name = 'Zoë 🎉', amount = -0.01, profile = '{"tags": []}', score = NULL, stage = 'lost' WHERE id = 1`);
    const updated = await selectRow(table, 1);
    await admin.query(`DELETE FROM \`${table}\` WHERE id = 2`);

    const txs = await collect(reader, 4);
    assert.equal(txs.length, 4);
    assert.deepEqual(
      txs.map((t) => t.changes.map((c) => c.op)),
      [['insert'], ['insert'], ['update'], ['delete']],
    );
    const [ins, insNulls, upd, del] = txs.map((t) => t.changes[0]);
    assert.ok(ins.op === 'insert' && insNulls.op === 'insert' && upd.op === 'update' && del.op === 'delete');
    assert.deepEqual(ins.table, { database: DB, table });
    assert.deepEqual(ins.after, inserted);
    assert.equal(ins.after.name, 'Zoë 🚀 Ünïcode');
    assert.equal(ins.after.big, '9007199254740993');
    assert.equal(ins.after.amount, '1234567890.25');
    assert.equal(ins.after.seen_at, '2024-02-29 23:59:58.123');
    assert.deepEqual(insNulls.after, nulls);
    assert.equal(insNulls.after.profile, null);
    assert.deepEqual(upd.before, inserted);
    assert.deepEqual(upd.after, updated);
    assert.deepEqual(del.before, nulls);

    // Commit order, GTIDs increasing, commit times from the event headers (seconds).
    const now = Date.now() / 1000;
    for (const t of txs) {
      assert.match(String(t.gtid), /^\d+-\d+-\d+$/);
      assert.ok(t.commitTime > now - 60 && t.commitTime <= now + 1, String(t.commitTime));
      assert.equal(t.partial, false);
    }
    const seqs = txs.map((t) => BigInt(String(t.gtid).split('-')[2]));
    assert.deepEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)), seqs);
  });

  test('a multi-row transaction stays together', async () => {
    const table = `multi_${run}`;
    await createCrmTable(table);
    const reader = await open([table], 'now');
    await admin.query(`START TRANSACTION; INSERT INTO \`${table}\` (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c'); UPDATE \`${table}\` SET name = 'B' WHERE id = 2; DELETE FROM \`${table}\` WHERE id = 3; COMMIT`);
    await admin.query(`INSERT INTO \`${table}\` (id) VALUES (4)`);
    const txs = await collect(reader, 2);
    assert.deepEqual(
      txs[0].changes.map((c) => c.op),
      ['insert', 'insert', 'insert', 'update', 'delete'],
    );
    assert.deepEqual(
      txs[1].changes.map((c) => c.op),
      ['insert'],
    );
  });

  test('a restart from the checkpoint stored after the 2nd of 3 transactions delivers only the 3rd (by GTID and by file position)', async () => {
    const table = `restart_${run}`;
    await createCrmTable(table);
    const first = await open([table], 'now');
    for (const id of [101, 102, 103]) await admin.query(`INSERT INTO \`${table}\` (id) VALUES (?)`, [id]);
    const txs = await collect(first, 3);
    await first.close();
    const stored = txs[1].checkpoint;
    assert.match(String(stored.gtid), /^\d+-\d+-\d+/);

    for (const from of [stored, { gtid: null, file: stored.file, position: stored.position }]) {
      const again = await open([table], from, `it-restart-${run}-${from.gtid ?? 'file'}`);
      const replayed = await drain(again, 1_500);
      assert.deepEqual(
        replayed.map((t) => t.changes.map((c) => (c.op === 'insert' ? c.after.id : c.op))),
        [[103]],
        `from ${JSON.stringify(from)}`,
      );
      await again.close();
    }
  });

  test('ALTER TABLE mid-stream is surfaced, and rows on both sides decode with their own columns, also when read after the fact', async () => {
    const table = `alter_${run}`;
    await createCrmTable(table);
    const before = await currentPosition(admin);
    const live = await open([table], 'now');
    await admin.query(`INSERT INTO \`${table}\` (id, name, score) VALUES (1, 'before', 7)`);
    await admin.query(`ALTER TABLE \`${table}\` ADD COLUMN nick varchar(20) AFTER name`);
    await admin.query(`INSERT INTO \`${table}\` (id, name, nick, score) VALUES (2, 'after', 'nick', 8)`);
    const expectChanges = (txs: BinlogTransaction[]) => {
      const changes = txs.flatMap((t) => t.changes);
      assert.deepEqual(
        changes.map((c) => c.op),
        ['insert', 'schema_change', 'insert'],
      );
      const [ins1, ddl, ins2] = changes;
      assert.ok(ins1.op === 'insert' && ddl.op === 'schema_change' && ins2.op === 'insert');
      assert.equal(ins1.after.name, 'before');
      assert.equal(ins1.after.score, 7);
      assert.equal('nick' in ins1.after, false);
      assert.equal(ddl.ddl, 'alter');
      assert.deepEqual(ddl.table, { database: DB, table });
      assert.equal(ins2.after.nick, 'nick');
      assert.equal(ins2.after.score, 8);
    };
    expectChanges(await collect(live, 3));
    // A reader that is behind reads the old rows after the ALTER happened: the column
    // positions moved (nick was added in the middle), yet the first row keeps its names.
    const behind = await open([table], before, `it-behind-${run}`);
    expectChanges(await collect(behind, 3));
  });

  test('TRUNCATE is surfaced as a truncate change', async () => {
    const table = `trunc_${run}`;
    await createCrmTable(table);
    const reader = await open([table], 'now');
    await admin.query(`INSERT INTO \`${table}\` (id) VALUES (1)`);
    await admin.query(`TRUNCATE TABLE \`${table}\``);
    const txs = await collect(reader, 2);
    assert.deepEqual(txs[1].changes, [{ op: 'truncate', table: { database: DB, table } }]);
  });

  test('rows of other tables and other databases are filtered out, yet the checkpoint moves past them', async () => {
    const table = `mine_${run}`;
    await createCrmTable(table);
    await createCrmTable(`theirs_${run}`);
    await createCrmTable(table, OTHER_DB);
    const reader = await open([table], 'now');
    await admin.query(`INSERT INTO \`theirs_${run}\` (id) VALUES (1)`);
    await admin.query(`INSERT INTO \`${OTHER_DB}\`.\`${table}\` (id) VALUES (1)`);
    await admin.query(`TRUNCATE TABLE \`${OTHER_DB}\`.\`${table}\``);
    const after = await currentPosition(admin);
    await admin.query(`INSERT INTO \`${table}\` (id) VALUES (5)`);
    const txs = await collect(reader, 1);
    assert.equal(txs.length, 1);
    assert.deepEqual(
      txs[0].changes.map((c) => [c.op, c.table.database, c.table.table]),
      [['insert', DB, table]],
    );
    // Only others wrote: an empty batch still carries a checkpoint at least as new.
    await admin.query(`INSERT INTO \`theirs_${run}\` (id) VALUES (2)`);
    const quiet = await currentPosition(admin);
    for await (const batch of reader.batches(AbortSignal.timeout(5_000))) {
      assert.equal(batch.transactions.length, 0);
      if (batch.checkpoint.gtid === quiet.gtid) break;
    }
    assert.equal(reader.checkpoint.gtid, quiet.gtid);
    assert.notEqual(after.gtid, quiet.gtid);
  });

  test('a purged, unknown or future position is reported lost, and the reader refuses it', async () => {
    const now = await currentPosition(admin);
    assert.deepEqual(await describePosition(admin, now), { state: 'ok' });
    assert.deepEqual(await describePosition(admin, { gtid: null, file: now.file, position: now.position }), { state: 'ok' });

    const missingFile = await describePosition(admin, { gtid: null, file: 'mysql-bin.999999', position: 4 });
    assert.equal(missingFile.state, 'lost');
    assert.match(missingFile.state === 'lost' ? missingFile.message : '', /mysql-bin\.999999 is no longer on the server.*new snapshot/);

    const pastEnd = await describePosition(admin, { gtid: null, file: now.file, position: now.position + 10_000_000 });
    assert.equal(pastEnd.state, 'lost');

    const unknownDomain = await describePosition(admin, { gtid: '77-1-5', file: now.file, position: 4 });
    assert.equal(unknownDomain.state, 'lost');

    const [domain, server, seq] = String(now.gtid).split('-');
    const ahead = await describePosition(admin, { gtid: `${domain}-${server}-${BigInt(seq) + 1_000_000n}`, file: now.file, position: 4 });
    assert.equal(ahead.state, 'lost');
    assert.match(ahead.state === 'lost' ? ahead.message : '', /ahead of the server/);

    await assert.rejects(
      open([`contacts_${run}`], { gtid: null, file: 'mysql-bin.999999', position: 4 }),
      (err: unknown) => err instanceof BinlogReaderError && err.code === 'position_lost',
    );
  });

  test('two readers with different server ids both read the same changes', async () => {
    const table = `pair_${run}`;
    await createCrmTable(table);
    const a = await open([table], 'now', `it-a-${run}`);
    const b = await open([table], 'now', `it-b-${run}`);
    assert.notEqual(a.serverId, b.serverId);
    for (const id of [1, 2, 3]) await admin.query(`INSERT INTO \`${table}\` (id) VALUES (?)`, [id]);
    const [fromA, fromB] = await Promise.all([collect(a, 3), collect(b, 3)]);
    const ids = (txs: BinlogTransaction[]) => txs.flatMap((t) => t.changes.map((c) => (c.op === 'insert' ? c.after.id : null)));
    assert.deepEqual(ids(fromA), [1, 2, 3]);
    assert.deepEqual(ids(fromB), [1, 2, 3]);
  });

  test('a second reader on the same server id cuts the first off, which fails as "replaced"', async () => {
    const table = `same_${run}`;
    await createCrmTable(table);
    const first = await open([table], 'now', `it-same-${run}`);
    const second = await open([table], 'now', `it-same-${run}`);
    assert.equal(first.serverId, second.serverId);
    const firstOutcome = (async () => {
      try {
        await drain(first, 5_000);
        return 'still running';
      } catch (err) {
        return err instanceof BinlogReaderError ? err.code : String(err);
      }
    })();
    await admin.query(`INSERT INTO \`${table}\` (id) VALUES (1)`);
    const fromSecond = await collect(second, 1);
    assert.equal(fromSecond[0].changes.length, 1);
    assert.equal(await firstOutcome, 'replaced');
  });

  test('decode throughput for 100k row changes', async () => {
    const table = `bulk_${run}`;
    await createCrmTable(table);
    const from = await currentPosition(admin);
    // 100 transactions of 1,000 inserted rows each (the sequence engine makes the rows).
    for (let i = 0; i < 100; i++) {
      await admin.query(
        `INSERT INTO \`${table}\` SELECT seq, seq * 1000003, seq / 7, CONCAT('name ', seq, ' 🚀'), 'some notes', '2024-01-02 03:04:05.678', NULL, '2000-01-01', 'lead', '{"k": 1}', seq FROM seq_${i * 1000 + 1}_to_${(i + 1) * 1000}`,
      );
    }
    // A small buffer: the socket is paused and resumed many times on the way (backpressure without a stall).
    const reader = await open([table], from, `it-bulk-${run}`, { maxBatchChanges: 5_000, maxBufferedChanges: 5_000 });
    const started = performance.now();
    let changes = 0;
    let lastId = 0;
    for await (const batch of reader.batches(AbortSignal.timeout(120_000))) {
      for (const t of batch.transactions) {
        for (const c of t.changes) {
          assert.ok(c.op === 'insert');
          assert.equal(c.after.id, lastId + 1, 'in commit order, nothing lost or repeated');
          lastId = Number(c.after.id);
        }
        changes += t.changes.length;
      }
      if (changes >= 100_000) break;
    }
    const seconds = (performance.now() - started) / 1000;
    assert.equal(changes, 100_000);
    const rate = Math.round(changes / seconds);
    console.log(`binlog decode throughput: ${changes} row changes in ${seconds.toFixed(2)} s = ${rate} changes/s (rss ${Math.round(process.memoryUsage().rss / 1e6)} MB)`);
  });
});
