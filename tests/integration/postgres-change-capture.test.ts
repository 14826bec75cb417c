/**
 * PostgreSQL change capture against the local server (needs wal_level = logical): the
 * pgoutput reader decodes what was committed, in commit order, reports unchanged TOAST
 * values as unchanged, resumes exactly after the acknowledged position, never lets the
 * server move the slot past it, and keeps an idle slot's WAL small with heartbeats.
 * Own database `ferry_it_pgcdc`; every slot this file creates is named `ferry_itcdc_*` and
 * dropped in `after` (and before, should a crashed run have left one).
 *
 * Run: node --import tsx --test tests/integration/postgres-change-capture.test.ts
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  type CapturedHeartbeat,
  type CapturedItem,
  type CapturedTransaction,
  type ChangeReader,
  ReplicationError,
  classifyReplicationError,
  compareLsn,
  createSlot,
  describeSlot,
  dropPublication,
  dropSlot,
  emitHeartbeat,
  ensurePublication,
  importSnapshot,
  openChangeReader,
} from '../../lib/connectors/postgres/replication';
import { connectReplication } from '../../lib/connectors/postgres/replication/replication-client';
import type { ResolvedConnection } from '../../lib/schemas/connection-config';
import { freshPgDatabase } from './support/fixtures';
import { PG_URL } from './support/test-env';

const DB = 'ferry_it_pgcdc';
const PREFIX = 'ferry_itcdc_';
const source: ResolvedConnection = { kind: 'postgres', host: '127.0.0.1', port: 5432, database: DB, username: 'postgres', password: null, sslMode: 'disable' };

let sql: pg.Client;
const readers: ChangeReader[] = [];

async function dropTestSlots(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ slot_name: string }>(`SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE '${PREFIX}%'`);
  for (const { slot_name } of rows) await dropSlot(client, slot_name, { terminateReader: true });
}

/** Publication and slot `ferry_itcdc_<name>` over `tables`; the exported snapshot released at once. */
async function setUp(name: string, tables: string[]) {
  const slotName = PREFIX + name;
  await ensurePublication(sql, slotName, tables.map((table) => ({ schema: 'public', table })));
  const slot = await createSlot(source, slotName);
  await slot.release();
  return { slotName, publicationName: slotName, consistentLsn: slot.consistentLsn };
}

async function open(names: { slotName: string; publicationName: string }, startLsn: string | null, extra: Partial<Parameters<typeof openChangeReader>[0]> = {}) {
  const reader = await openChangeReader({ source, ...names, startLsn, busyWaitMs: 10_000, ...extra });
  readers.push(reader);
  return reader;
}

/** Reads items until `done` says so (or fails after `timeoutMs`), acknowledging nothing. */
async function readUntil(reader: ChangeReader, done: (items: CapturedItem[]) => boolean, timeoutMs = 15_000): Promise<CapturedItem[]> {
  const items: CapturedItem[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!done(items)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${items.length} items`);
    items.push(...(await reader.nextBatch(200)).items);
  }
  return items;
}

const transactions = (items: CapturedItem[]) => items.filter((i): i is CapturedTransaction => i.kind === 'transaction');
const changeCount = (items: CapturedItem[]) => transactions(items).reduce((n, t) => n + t.changes.length, 0);

async function confirmedFlush(slotName: string): Promise<string> {
  const { rows } = await sql.query<{ lsn: string }>('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [slotName]);
  return rows[0].lsn;
}

async function eventually<T>(check: () => Promise<T | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

before(async () => {
  const admin = new pg.Client({ connectionString: PG_URL('postgres') });
  await admin.connect();
  const { rows } = await admin.query<{ wal_level: string }>('SHOW wal_level');
  assert.equal(rows[0].wal_level, 'logical', 'change capture needs wal_level = logical (scripts/services.sh sets it)');
  await dropTestSlots(admin);
  await admin.end();
  sql = await freshPgDatabase(DB);
  await sql.query(`
    CREATE TABLE contacts (id int PRIMARY KEY, name text NOT NULL, email text);
    CREATE TABLE docs (id int PRIMARY KEY, title text NOT NULL, body text);
    ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL; -- out of line, uncompressed: TOASTed past ~2 KB
    CREATE TABLE audit (id int PRIMARY KEY, who text, what text);
    ALTER TABLE audit REPLICA IDENTITY FULL;
    CREATE TABLE acks (id int PRIMARY KEY, n int);
    CREATE TABLE snap (id int PRIMARY KEY, v text);
    CREATE TABLE filler (id bigserial PRIMARY KEY, pad text);
    CREATE TABLE bench (id int PRIMARY KEY, name text, amount numeric, created_at timestamptz DEFAULT now());
    CREATE TABLE nokey (a int, b text);
  `);
});

after(async () => {
  for (const reader of readers) reader.destroy();
  await dropTestSlots(sql);
  await sql.end();
  const admin = new pg.Client({ connectionString: PG_URL('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin.query('DROP ROLE IF EXISTS ferry_it_norepl');
  await admin.end();
});

describe('PostgreSQL change capture', () => {
  it('decodes insert, update, delete and truncate in commit order with commit times', async () => {
    const names = await setUp('crud', ['contacts']);
    const reader = await open(names, names.consistentLsn);
    const before = Date.now();
    await sql.query("INSERT INTO contacts VALUES (1, 'Ada', 'ada@x.test'), (2, 'Bob', null)");
    await sql.query("UPDATE contacts SET name = 'Ada L.' WHERE id = 1");
    await sql.query('UPDATE contacts SET id = 20 WHERE id = 2'); // a key change sends the old key
    await sql.query('DELETE FROM contacts WHERE id = 20');
    // Two interleaved transactions: B commits first, so B comes first.
    const a = new pg.Client({ connectionString: PG_URL(DB) });
    const b = new pg.Client({ connectionString: PG_URL(DB) });
    await Promise.all([a.connect(), b.connect()]);
    await a.query("BEGIN; INSERT INTO contacts VALUES (10, 'first begun', null)");
    await b.query("BEGIN; INSERT INTO contacts VALUES (11, 'first committed', null)");
    await b.query('COMMIT');
    await a.query('COMMIT');
    await Promise.all([a.end(), b.end()]);
    await sql.query('TRUNCATE contacts');

    const txns = transactions(await readUntil(reader, (items) => transactions(items).length >= 7));
    assert.deepEqual(
      txns.map((t) => t.changes.map((c) => [c.op, c.key, c.new])),
      [
        [['insert', { id: 1 }, { id: 1, name: 'Ada', email: 'ada@x.test' }], ['insert', { id: 2 }, { id: 2, name: 'Bob', email: null }]],
        [['update', { id: 1 }, { id: 1, name: 'Ada L.', email: 'ada@x.test' }]],
        [['update', { id: 2 }, { id: 20, name: 'Bob', email: null }]],
        [['delete', { id: 20 }, null]],
        [['insert', { id: 11 }, { id: 11, name: 'first committed', email: null }]],
        [['insert', { id: 10 }, { id: 10, name: 'first begun', email: null }]],
        [['truncate', null, null]],
      ],
    );
    assert.deepEqual(txns[6].changes[0].truncate, { cascade: false, restartIdentity: false });
    assert.ok(txns.every((t) => t.final && t.endLsn && t.changes.every((c) => c.schema === 'public' && c.table === 'contacts')));
    for (let i = 1; i < txns.length; i++) {
      assert.ok(compareLsn(txns[i - 1].commitLsn, txns[i].commitLsn) < 0, 'commit LSNs increase');
      assert.ok(txns[i - 1].commitTime <= txns[i].commitTime, 'commit times do not go back');
    }
    assert.ok(txns[0].commitTime.getTime() >= before - 1000 && txns[6].commitTime.getTime() <= Date.now() + 1000, 'commit times are the source clock, now');
    await reader.close();
  });

  it('reports a TOAST value an update left alone as unchanged, not as a value', async () => {
    const names = await setUp('toast', ['docs']);
    const reader = await open(names, names.consistentLsn);
    const body = randomBytes(6000).toString('base64'); // 8 KB, random: well past the TOAST threshold
    await sql.query('INSERT INTO docs VALUES (1, $1, $2)', ['v1', body]);
    const stored = await sql.query<{ size: number }>('SELECT pg_column_size(body) AS size FROM docs WHERE id = 1');
    assert.ok(stored.rows[0].size >= 8000, 'the body is stored uncompressed, out of line');
    await sql.query("UPDATE docs SET title = 'v2' WHERE id = 1");
    await sql.query("UPDATE docs SET body = 'short now' WHERE id = 1");
    const [ins, titleOnly, bodyChanged] = transactions(await readUntil(reader, (items) => transactions(items).length >= 3)).map((t) => t.changes[0]);
    assert.equal(ins.new?.body, body);
    assert.deepEqual(titleOnly.unchangedToast, ['body']);
    assert.equal('body' in (titleOnly.new ?? {}), false, 'no placeholder for the unchanged body');
    assert.deepEqual(titleOnly.new, { id: 1, title: 'v2' });
    assert.deepEqual(bodyChanged.unchangedToast, []);
    assert.equal(bodyChanged.new?.body, 'short now');
    await reader.close();
  });

  it('sends whole old rows under REPLICA IDENTITY FULL', async () => {
    const names = await setUp('full', ['audit']);
    const reader = await open(names, names.consistentLsn);
    await sql.query("INSERT INTO audit VALUES (1, 'ann', 'login')");
    await sql.query("UPDATE audit SET what = 'logout' WHERE id = 1");
    await sql.query('DELETE FROM audit WHERE id = 1');
    const [, upd, del] = transactions(await readUntil(reader, (items) => transactions(items).length >= 3)).map((t) => t.changes[0]);
    assert.equal(upd.relation.replicaIdentity, 'full');
    assert.deepEqual(upd.old, { id: 1, who: 'ann', what: 'login' });
    assert.deepEqual(upd.new, { id: 1, who: 'ann', what: 'logout' });
    assert.deepEqual(del.old, { id: 1, who: 'ann', what: 'logout' });
    assert.deepEqual(del.key, del.old, 'under FULL the key is the whole row: pick the mapping key from it');
    await reader.close();
  });

  it('redelivers exactly what was not acknowledged after the connection dies, and keepalive answers never pass the acknowledged position', async () => {
    const names = await setUp('ack', ['acks']);
    for (let n = 1; n <= 3; n++) await sql.query('INSERT INTO acks VALUES ($1, $1)', [n]);
    // A short wal_sender_timeout makes the server ask for a reply every second when idle.
    const reader = await open(names, names.consistentLsn, { source: { clientConfig: { connectionString: PG_URL(DB), options: '-c wal_sender_timeout=2s' } }, statusIntervalMs: 60_000 });
    const [t1, t2, t3] = transactions(await readUntil(reader, (items) => transactions(items).length >= 3));
    assert.deepEqual([t1, t2, t3].map((t) => t.changes[0].new?.n), [1, 2, 3]);

    // Nothing acknowledged yet: the server asks, we answer with where we started.
    await eventually(async () => reader.stats.keepaliveReplies >= 2);
    assert.equal(await confirmedFlush(names.slotName), names.consistentLsn);

    reader.acknowledge(t2.endLsn as string);
    assert.throws(() => reader.acknowledge('FFFF/0'), /nothing past/);
    await eventually(async () => (await confirmedFlush(names.slotName)) === t2.endLsn);
    // More keepalives while t3 is unacknowledged and other WAL is written: the slot stays at t2.
    const replies = reader.stats.keepaliveReplies;
    await sql.query("INSERT INTO filler (pad) SELECT repeat('x', 100) FROM generate_series(1, 2000)");
    await eventually(async () => reader.stats.keepaliveReplies >= replies + 2);
    assert.equal(await confirmedFlush(names.slotName), t2.endLsn, 'keepalive answers never move the slot past the acknowledged position');

    reader.destroy(); // a crash: the socket is gone, nothing more is said
    const again = await open(names, t2.endLsn);
    const redelivered = transactions(await readUntil(again, (items) => transactions(items).length >= 1));
    await sql.query('INSERT INTO acks VALUES (4, 4)');
    const after = transactions(await readUntil(again, (items) => transactions(items).length >= 1));
    assert.deepEqual([...redelivered, ...after].map((t) => t.changes[0].new?.n), [3, 4], 'the third comes again, the first two do not');
    assert.equal(redelivered[0].commitLsn, t3.commitLsn);
    await again.close();

    // Starting without a stored position uses the slot's confirmed one (still t2: nothing more acknowledged).
    const fromSlot = await open(names, null);
    assert.equal(fromSlot.startLsn, t2.endLsn);
    const first = transactions(await readUntil(fromSlot, (items) => transactions(items).length >= 1));
    assert.equal(first[0].changes[0].new?.n, 3);
    await fromSlot.close();
  });

  it('moves an idle slot with heartbeats, so the WAL it holds stays small', async (t) => {
    const names = await setUp('idle', ['contacts']);
    const reader = await open(names, names.consistentLsn);
    // 30 MB of WAL in a table the slot does not capture.
    await sql.query("INSERT INTO filler (pad) SELECT repeat(md5(g::text), 6) FROM generate_series(1, 100000) g");
    const held = await describeSlot(sql, names.slotName);
    assert.ok((held.retainedWalBytes ?? 0) > 16 * 1024 * 1024, `held ${held.retainedWalBytes}`);
    assert.equal(held.state, 'healthy');
    t.diagnostic(`idle slot before heartbeats: ${held.retainedWalBytes} bytes of WAL held`);

    let heartbeat: CapturedHeartbeat | undefined;
    const health = await eventually(async () => {
      const lsn = await emitHeartbeat(sql);
      const items = await readUntil(reader, (got) => got.some((i) => i.kind === 'heartbeat' && compareLsn(i.lsn, lsn) >= 0));
      heartbeat = items.filter((i): i is CapturedHeartbeat => i.kind === 'heartbeat').at(-1);
      reader.acknowledge(heartbeat!.lsn);
      // A checkpoint logs the running transactions, the point restart_lsn can move to.
      await sql.query('CHECKPOINT');
      const now = await describeSlot(sql, names.slotName);
      return (now.retainedWalBytes ?? Infinity) < 1024 * 1024 ? now : false;
    }, 30_000);
    t.diagnostic(`after heartbeats: ${health.retainedWalBytes} bytes held, confirmed ${health.confirmedFlushLsn}`);
    assert.ok(heartbeat && compareLsn(health.confirmedFlushLsn!, heartbeat.lsn) >= 0, 'the slot confirmed the heartbeat');
    assert.equal(health.active, true);
    assert.equal(health.state, 'healthy');
    assert.ok(health.message.includes(names.slotName));
    await reader.close();
  });

  it('exports a snapshot at the consistent point: earlier rows only in the snapshot, later rows only in the stream', async () => {
    await sql.query("INSERT INTO snap VALUES (1, 'before'), (2, 'before')");
    const slotName = `${PREFIX}snap`;
    await ensurePublication(sql, slotName, [{ schema: 'public', table: 'snap' }]);
    const slot = await createSlot(source, slotName);
    await sql.query("INSERT INTO snap VALUES (3, 'after')");
    await sql.query("UPDATE snap SET v = 'changed after' WHERE id = 1");

    const reading = new pg.Client({ connectionString: PG_URL(DB) });
    await reading.connect();
    await importSnapshot(reading, slot.snapshotName);
    await slot.release(); // an imported snapshot outlives its exporter
    const snapshot = await reading.query<{ id: number; v: string }>('SELECT id, v FROM snap ORDER BY id');
    await reading.query('COMMIT');
    await reading.end();
    assert.deepEqual(snapshot.rows, [{ id: 1, v: 'before' }, { id: 2, v: 'before' }]);

    const reader = await open({ slotName, publicationName: slotName }, slot.consistentLsn);
    const streamed = transactions(await readUntil(reader, (items) => transactions(items).length >= 2));
    assert.deepEqual(streamed.map((t) => [t.changes[0].op, t.changes[0].new]), [['insert', { id: 3, v: 'after' }], ['update', { id: 1, v: 'changed after' }]]);
    await reader.close();
  });

  it('classifies a second reader, a dropped slot, a missing privilege and an unpublishable table', async () => {
    const names = await setUp('busy', ['contacts']);
    const reader = await open(names, null);
    await assert.rejects(openChangeReader({ source, ...names, startLsn: null }), (err: ReplicationError) => err.code === 'slot_busy' && err.retryable);
    // The server's own refusal, without our look at pg_replication_slots first.
    const raw = await connectReplication(source);
    const refused = await raw.query(`START_REPLICATION SLOT "${names.slotName}" LOGICAL 0/0 (proto_version '1', publication_names '"${names.publicationName}"')`).then(
      () => null,
      (err: unknown) => err,
    );
    await raw.end();
    assert.match(String((refused as Error).message), /is active for PID/);
    assert.equal(classifyReplicationError(refused).code, 'slot_busy');

    await reader.close();
    // Its walsender may still be exiting: terminateReader waits for (or ends) it.
    assert.equal(await dropSlot(sql, names.slotName, { terminateReader: true }), true);
    assert.equal(await dropSlot(sql, names.slotName), false);
    const gone = await describeSlot(sql, names.slotName);
    assert.deepEqual([gone.state, gone.exists], ['missing', false]);
    await assert.rejects(openChangeReader({ source, ...names, startLsn: null }), (err: ReplicationError) => err.code === 'slot_missing');
    await dropPublication(sql, names.publicationName);

    await sql.query('DROP ROLE IF EXISTS ferry_it_norepl; CREATE ROLE ferry_it_norepl LOGIN NOREPLICATION');
    await assert.rejects(createSlot({ ...source, username: 'ferry_it_norepl' }, `${PREFIX}denied`), (err: ReplicationError) => err.code === 'missing_privilege');
    await assert.rejects(ensurePublication(sql, `${PREFIX}nokey`, [{ schema: 'public', table: 'nokey' }]), (err: ReplicationError) => err.code === 'not_supported' && /REPLICA IDENTITY FULL/.test(err.message));
  });

  it('measures decode throughput', async (t) => {
    const names = await setUp('bench', ['bench']);
    await sql.query("INSERT INTO bench (id, name, amount) SELECT g, 'name ' || g, g * 1.5 FROM generate_series(1, 100000) g");
    await sql.query(`DO $$ BEGIN FOR i IN 0..9999 LOOP
      INSERT INTO bench (id, name, amount) SELECT 100000 + i * 10 + g, 'name ' || g, g FROM generate_series(1, 10) g; COMMIT; END LOOP; END $$`);
    const reader = await open(names, names.consistentLsn, { maxBatchChanges: 5_000 });
    const measure = async (label: string, changes: number, expectTxns: number) => {
      const started = performance.now();
      let got = 0;
      let txns = 0;
      let maxBatch = 0;
      while (got < changes) {
        const batch = await reader.nextBatch(1000);
        got += batch.changes;
        maxBatch = Math.max(maxBatch, batch.changes);
        txns += batch.items.filter((i) => i.kind === 'transaction' && i.final).length;
        if (batch.ackLsn) reader.acknowledge(batch.ackLsn);
      }
      const seconds = (performance.now() - started) / 1000;
      assert.equal(got, changes);
      assert.equal(txns, expectTxns);
      assert.ok(maxBatch <= 5_000, 'batches stay within their bound');
      const line = `${label}: ${changes} changes in ${seconds.toFixed(2)} s = ${Math.round(changes / seconds)} changes/s (rss ${Math.round(process.memoryUsage().rss / 1048576)} MB)`;
      t.diagnostic(line);
      console.log(line);
    };
    await measure('one transaction of 100k inserts', 100_000, 1);
    await measure('10k transactions of 10 inserts', 100_000, 10_000);
    await reader.close();
  });
});
