import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BinlogTransaction, type DecodedEvent, TransactionAssembler } from './assemble-transactions';
import { BinlogReaderError } from './binlog-error';

const contacts = { database: 'crm', table: 'contacts' };
const other = { database: 'crm', table: 'other' };
const start = { gtid: '0-1-10', file: 'bin.000001', position: 400 };

function run(events: DecodedEvent[], maxTransactionChanges?: number) {
  const out: BinlogTransaction[] = [];
  const a = new TransactionAssembler([contacts], start, (t) => out.push(t), maxTransactionChanges);
  for (const e of events) a.push(e);
  return { out, a };
}

const gtid = (seq: number, standalone = false): DecodedEvent => ({ type: 'gtid', domain: 0, server: 1, seq: String(seq), standalone });
const xid = (nextPosition: number): DecodedEvent => ({ type: 'xid', timestamp: 1_700_000_000_000, nextPosition });

test('a transaction ends at its XID with the checkpoint after it', () => {
  const { out, a } = run([
    { type: 'rotate', file: 'bin.000001', position: 4 }, // artificial rotate of the same file: position kept
    gtid(11),
    { type: 'rows', op: 'insert', table: contacts, rows: [{ id: 1 }, { id: 2 }] },
    { type: 'rows', op: 'update', table: contacts, rows: [{ before: { id: 1, n: 'a' }, after: { id: 1, n: 'b' } }] },
    { type: 'rows', op: 'delete', table: other, rows: [{ id: 9 }] },
    xid(900),
  ]);
  assert.equal(out.length, 1);
  assert.equal(out[0].gtid, '0-1-11');
  assert.equal(out[0].commitTime, 1_700_000_000);
  assert.deepEqual(
    out[0].changes.map((c) => c.op),
    ['insert', 'insert', 'update'],
  );
  assert.deepEqual(out[0].checkpoint, { gtid: '0-1-11', file: 'bin.000001', position: 900 });
  assert.deepEqual(a.checkpoint, out[0].checkpoint);
});

test('transactions without captured changes still move the checkpoint, as empty markers', () => {
  const { out } = run([gtid(11), { type: 'rows', op: 'insert', table: other, rows: [{ id: 1 }] }, xid(900)]);
  assert.equal(out.length, 1);
  assert.equal(out[0].changes.length, 0);
  assert.equal(out[0].checkpoint.gtid, '0-1-11');
});

test('DDL on a captured table is its own transaction; TRUNCATE becomes a truncate change', () => {
  const { out } = run([
    { type: 'rotate', file: 'bin.000002', position: 4 },
    gtid(11, true),
    { type: 'query', schema: 'crm', statement: 'ALTER TABLE contacts ADD nick varchar(9)', timestamp: 1_700_000_001_000, nextPosition: 300 },
    gtid(12, true),
    { type: 'query', schema: 'crm', statement: 'TRUNCATE TABLE contacts', timestamp: 1_700_000_002_000, nextPosition: 400 },
    gtid(13, true),
    { type: 'query', schema: 'crm', statement: 'TRUNCATE TABLE other', timestamp: 1_700_000_003_000, nextPosition: 500 },
  ]);
  assert.equal(out.length, 3);
  assert.deepEqual(out[0].changes, [{ op: 'schema_change', table: contacts, ddl: 'alter', statement: 'ALTER TABLE contacts ADD nick varchar(9)' }]);
  assert.deepEqual(out[0].checkpoint, { gtid: '0-1-11', file: 'bin.000002', position: 300 });
  assert.deepEqual(out[1].changes, [{ op: 'truncate', table: contacts }]);
  assert.deepEqual(out[2].changes, []);
  assert.equal(out[2].checkpoint.gtid, '0-1-13');
});

test('a huge transaction comes in fragments whose checkpoint stays before it', () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({ id: i }));
  const { out } = run([gtid(11), { type: 'rows', op: 'insert', table: contacts, rows }, { type: 'rows', op: 'insert', table: contacts, rows }, xid(900)], 4);
  assert.deepEqual(
    out.map((t) => [t.partial, t.changes.length, t.checkpoint.gtid]),
    [
      [true, 5, '0-1-10'],
      [true, 5, '0-1-10'],
      [false, 0, '0-1-11'],
    ],
  );
});

test('a COMMIT query ends a non-transactional group; other domains keep their position', () => {
  const { out } = run([
    { type: 'gtid', domain: 2, server: 7, seq: '5', standalone: false },
    { type: 'rows', op: 'insert', table: contacts, rows: [{ id: 1 }] },
    { type: 'query', schema: 'crm', statement: 'COMMIT', timestamp: 1_700_000_000_000, nextPosition: 0 },
  ]);
  assert.equal(out[0].changes.length, 1);
  assert.deepEqual(out[0].checkpoint, { gtid: '0-1-10,2-7-5', file: 'bin.000001', position: 400 });
});

test('a statement-logged change to a captured table stops the reader', () => {
  assert.throws(
    () => run([gtid(11), { type: 'query', schema: 'crm', statement: 'UPDATE contacts SET n = 1', timestamp: 0, nextPosition: 0 }]),
    (err: unknown) => err instanceof BinlogReaderError && err.code === 'statement_logged_change',
  );
  const { out } = run([gtid(11), { type: 'query', schema: 'crm', statement: 'UPDATE other SET n = 1', timestamp: 0, nextPosition: 0 }, xid(700)]);
  assert.equal(out.length, 1);
});
