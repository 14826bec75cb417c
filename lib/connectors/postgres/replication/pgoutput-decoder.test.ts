import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { typeParsers } from '../connection';
import { HEARTBEAT_PREFIX, TransactionAssembler } from './assemble-transactions';
import type { CapturedItem, CapturedTransaction } from './captured-change';
import { compareLsn, formatLsn, lsnFromBigInt, lsnToBigInt } from './lsn';
import { PgoutputDecoder, type PgoutputMessage, dateToPgTimestamp } from './pgoutput-decoder';
import { standbyStatusFrame } from './replication-stream';

/** Builds pgoutput v1 messages byte by byte, as the protocol documentation describes them. */
class Bytes {
  private parts: Buffer[] = [];
  u8(v: number) {
    this.parts.push(Buffer.from([v]));
    return this;
  }
  ch(c: string) {
    return this.u8(c.charCodeAt(0));
  }
  i16(v: number) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  i32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  i64(v: bigint) {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }
  str(s: string) {
    this.parts.push(Buffer.from(s, 'utf8'), Buffer.from([0]));
    return this;
  }
  text(s: string) {
    const b = Buffer.from(s, 'utf8');
    return this.ch('t').i32(b.length).raw(b);
  }
  raw(b: Buffer) {
    this.parts.push(b);
    return this;
  }
  done() {
    return Buffer.concat(this.parts);
  }
}

const T0 = new Date('2026-12-03T10:00:00.123Z');
const begin = (lsn: string, xid: number) => new Bytes().ch('B').i64(lsnToBigInt(lsn)).i64(dateToPgTimestamp(T0)).i32(xid).done();
const commit = (lsn: string, end: string) => new Bytes().ch('C').u8(0).i64(lsnToBigInt(lsn)).i64(lsnToBigInt(end)).i64(dateToPgTimestamp(T0)).done();
/** contacts(id int4 key, name text, notes text, born date, score int8) */
const relation = (identity = 'd') =>
  new Bytes()
    .ch('R').i32(16400).str('public').str('contacts').ch(identity).i16(5)
    .u8(1).str('id').i32(23).i32(-1)
    .u8(identity === 'f' ? 1 : 0).str('name').i32(25).i32(-1)
    .u8(identity === 'f' ? 1 : 0).str('notes').i32(25).i32(-1)
    .u8(identity === 'f' ? 1 : 0).str('born').i32(1082).i32(-1)
    .u8(identity === 'f' ? 1 : 0).str('score').i32(20).i32(-1)
    .done();
const row = (b: Bytes, id: string, name: string, notes: 'u' | 'n' | string) => {
  b.i16(5).text(id).text(name);
  if (notes === 'u' || notes === 'n') b.ch(notes);
  else b.text(notes);
  return b.text('1990-02-03').text('9007199254740993');
};

const decoder = () => new PgoutputDecoder((oid) => typeParsers.getTypeParser(oid, 'text'));

describe('pgoutput decoder (protocol version 1)', () => {
  it('decodes BEGIN and COMMIT with the commit LSN, end LSN and commit time', () => {
    const d = decoder();
    assert.deepEqual(d.decode(begin('0/16B3748', 741)), { tag: 'begin', finalLsn: '0/16B3748', commitTime: T0, xid: 741 });
    assert.deepEqual(d.decode(commit('0/16B3748', '0/16B3778')), { tag: 'commit', commitLsn: '0/16B3748', endLsn: '0/16B3778', commitTime: T0 });
  });

  it('decodes a relation and parses values with the engine type parsers (dates stay text, int8 a string)', () => {
    const d = decoder();
    const rel = d.decode(relation());
    assert.equal(rel.tag, 'relation');
    const ins = d.decode(row(new Bytes().ch('I').i32(16400).ch('N'), '7', 'Ada', 'long notes').done());
    assert.equal(ins.tag, 'insert');
    if (ins.tag !== 'insert') return;
    assert.deepEqual(ins.relation.keyColumns, ['id']);
    assert.equal(ins.relation.replicaIdentity, 'default');
    assert.deepEqual(ins.new, { row: { id: 7, name: 'Ada', notes: 'long notes', born: '1990-02-03', score: '9007199254740993' }, unchangedToast: [] });
  });

  it('reports an unchanged TOAST value as unchanged, never as a value', () => {
    const d = decoder();
    d.decode(relation());
    const upd = d.decode(row(new Bytes().ch('U').i32(16400).ch('N'), '7', 'Ada L.', 'u').done());
    assert.equal(upd.tag, 'update');
    if (upd.tag !== 'update') return;
    assert.equal('notes' in upd.new.row, false);
    assert.deepEqual(upd.new.unchangedToast, ['notes']);
    assert.equal(upd.oldKey, null);
    assert.equal(upd.old, null);
  });

  it('decodes an update with an old key (K) and with a full old row (O)', () => {
    const d = decoder();
    d.decode(relation());
    const withKey = d.decode(row(new Bytes().ch('U').i32(16400).ch('K').i16(5).text('7').ch('n').ch('n').ch('n').ch('n').ch('N'), '8', 'Ada', 'n').done());
    assert.ok(withKey.tag === 'update' && withKey.oldKey);
    if (withKey.tag !== 'update') return;
    assert.equal(withKey.oldKey?.row.id, 7);
    d.decode(relation('f'));
    const full = d.decode(row(row(new Bytes().ch('U').i32(16400).ch('O'), '7', 'Ada', 'old notes').ch('N'), '7', 'Ada B', 'u').done());
    assert.ok(full.tag === 'update');
    if (full.tag !== 'update') return;
    assert.equal(full.relation.replicaIdentity, 'full');
    assert.equal(full.old?.row.notes, 'old notes');
    assert.deepEqual(full.new.unchangedToast, ['notes']);
  });

  it('decodes deletes, truncate and logical messages', () => {
    const d = decoder();
    d.decode(relation());
    const del = d.decode(new Bytes().ch('D').i32(16400).ch('K').i16(5).text('7').ch('n').ch('n').ch('n').ch('n').done());
    assert.ok(del.tag === 'delete' && del.oldKey?.row.id === 7 && del.old === null);
    const tr = d.decode(new Bytes().ch('T').i32(1).u8(3).i32(16400).done());
    assert.ok(tr.tag === 'truncate' && tr.cascade && tr.restartIdentity && tr.relations[0].table === 'contacts');
    const msg = d.decode(new Bytes().ch('M').u8(0).i64(lsnToBigInt('1/A0')).str(HEARTBEAT_PREFIX).i32(3).raw(Buffer.from('abc')).done());
    assert.deepEqual(msg, { tag: 'message', transactional: false, lsn: '1/A0', prefix: HEARTBEAT_PREFIX, content: Buffer.from('abc') });
  });

  it('refuses a change before its relation, streamed transactions and truncated messages', () => {
    const d = decoder();
    assert.throws(() => d.decode(new Bytes().ch('I').i32(99).ch('N').i16(0).done()), /before its description/);
    assert.throws(() => d.decode(new Bytes().ch('S').i32(1).u8(1).done()), /streamed transaction/);
    assert.throws(() => d.decode(Buffer.from('B\x00\x00', 'latin1')), /ends early/);
  });
});

/**
 * Bytes captured from this machine's PostgreSQL 15 (pg_logical_slot_peek_binary_changes,
 * proto_version 1) for docs(id int PRIMARY KEY, title text, body text STORAGE EXTERNAL, born
 * date, at timestamptz): the relation, then `UPDATE docs SET title = 'v2'` (the 6 KB body
 * left alone) and `DELETE FROM docs WHERE id = 1`, each with its BEGIN and COMMIT.
 */
const CAPTURED = [
  '520000798e7075626c696300646f6373006400050169640000000017ffffffff007469746c650000000019ffffffff00626f64790000000019ffffffff00626f726e000000043affffffff00617400000004a0ffffffff',
  '4200000000b718b5a0000304b90576d9b700010d94',
  '550000798e4e00057400000001317400000002763275740000000a313939302d30322d3033740000001d323032362d31322d30332031303a30303a30302e3132333435362b3030',
  '430000000000b718b5a000000000b718b5d0000304b90576d9b7',
  '4200000000b718b6f0000304b9057752c200010d95',
  '440000798e4b00057400000001316e6e6e6e',
  '430000000000b718b6f000000000b718b720000304b9057752c2',
].map((hex) => Buffer.from(hex, 'hex'));

describe('captured pgoutput bytes', () => {
  it('decodes a real update with an unchanged TOAST body and a real delete by key', () => {
    const d = decoder();
    const out: CapturedItem[] = [];
    const a = new TransactionAssembler({ maxChanges: 100, maxBytes: 1 << 20 }, (item) => out.push(item));
    for (const buf of CAPTURED) a.push(d.decode(buf), buf.length);
    const [upd, del] = out as CapturedTransaction[];
    assert.deepEqual([upd.commitLsn, upd.endLsn, upd.xid, upd.final], ['0/B718B5A0', '0/B718B5D0', 0x10d94, true]);
    assert.equal(upd.changes[0].op, 'update');
    assert.deepEqual(upd.changes[0].new, { id: 1, title: 'v2', born: '1990-02-03', at: '2026-12-03 10:00:00.123456+00' });
    assert.deepEqual(upd.changes[0].unchangedToast, ['body']);
    assert.deepEqual(upd.changes[0].key, { id: 1 });
    assert.deepEqual([del.changes[0].op, del.changes[0].key, del.changes[0].new], ['delete', { id: 1 }, null]);
    assert.ok(upd.commitTime.getUTCFullYear() === 2026 && upd.commitTime < del.commitTime);
  });
});

describe('transaction assembly', () => {
  const run = (messages: PgoutputMessage[], maxChanges = 100) => {
    const out: CapturedItem[] = [];
    const a = new TransactionAssembler({ maxChanges, maxBytes: 1 << 20 }, (item) => out.push(item));
    for (const m of messages) a.push(m, 10);
    return out;
  };
  const d = decoder();
  d.decode(relation());
  const ins = (id: string) => d.decode(row(new Bytes().ch('I').i32(16400).ch('N'), id, 'x', 'n').done());

  it('hands out a transaction at its commit, keys taken from the identity columns', () => {
    const items = run([d.decode(begin('0/100', 5)), ins('1'), ins('2'), d.decode(commit('0/100', '0/130'))]);
    assert.equal(items.length, 1);
    const txn = items[0] as CapturedTransaction;
    assert.deepEqual([txn.final, txn.endLsn, txn.commitLsn, txn.part], [true, '0/130', '0/100', 0]);
    assert.deepEqual(txn.changes.map((c) => [c.op, c.key]), [['insert', { id: 1 }], ['insert', { id: 2 }]]);
  });

  it('cuts a large transaction into parts; only the last is final and acknowledgeable', () => {
    const msgs = [d.decode(begin('0/100', 5)), ...['1', '2', '3', '4', '5'].map(ins), d.decode(commit('0/100', '0/130'))];
    const items = run(msgs, 2) as CapturedTransaction[];
    assert.deepEqual(items.map((t) => [t.part, t.changes.length, t.final, t.endLsn]), [[0, 2, false, null], [1, 2, false, null], [2, 1, true, '0/130']]);
  });

  it('turns a non-transactional heartbeat into a heartbeat item and ignores other messages', () => {
    const msg = (prefix: string, transactional: boolean): PgoutputMessage => ({ tag: 'message', transactional, lsn: '0/200', prefix, content: Buffer.from('t') });
    const items = run([msg(HEARTBEAT_PREFIX, false), msg('other', false)]);
    assert.deepEqual(items, [{ kind: 'heartbeat', lsn: '0/200', content: 't' }]);
  });

  it('refuses a change outside a transaction', () => {
    assert.throws(() => run([ins('1')]), /outside a transaction/);
  });
});

describe('LSN and status updates', () => {
  it('prints LSNs as PostgreSQL does and compares them numerically', () => {
    assert.equal(formatLsn('00000016/0000AB0'), '16/AB0');
    assert.equal(lsnFromBigInt(lsnToBigInt('FFFFFFFF/FFFFFFFF')), 'FFFFFFFF/FFFFFFFF');
    assert.ok(compareLsn('0/FFFFFFFF', '1/0') < 0);
    assert.throws(() => lsnToBigInt('16-AB'));
  });

  it('writes the given position as written, flushed and applied, and asks for no reply', () => {
    const frame = standbyStatusFrame(lsnToBigInt('16/B374D848'), T0);
    assert.equal(frame[0], 0x64);
    assert.equal(frame.readInt32BE(1), 38);
    assert.equal(frame[5], 0x72);
    for (const at of [6, 14, 22]) assert.equal(lsnFromBigInt(frame.readBigUInt64BE(at)), '16/B374D848');
    assert.equal(frame.readBigInt64BE(30), dateToPgTimestamp(T0));
    assert.equal(frame[38], 0);
  });
});
