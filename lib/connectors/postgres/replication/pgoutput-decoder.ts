import { type Lsn, lsnFromBigInt } from './lsn';

/**
 * Decodes pgoutput protocol version 1 messages (the payload of XLogData) into plain
 * objects. Version 1 is what every PostgreSQL from 10 on speaks; we never ask for
 * version 2's streaming of in-progress transactions, so a large transaction arrives at its
 * commit (the server spills it to disk past logical_decoding_work_mem) and the stream
 * messages (S, E, c, A) cannot appear. Values arrive as text and are parsed by `parseValue`
 * (the engine's own type parsers, so a captured row looks like a row the connector read).
 *
 * An unchanged TOASTed value ('u') is not a value: it is left out of the row and named in
 * `unchangedToast`, so nobody can write a placeholder into the target.
 */

export type Row = Record<string, unknown>;

export interface RelationColumn {
  name: string;
  typeOid: number;
  typeMod: number;
  /** Part of the replica identity (the key sent for updates and deletes; every column under FULL). */
  isKey: boolean;
}

export interface Relation {
  oid: number;
  schema: string;
  table: string;
  /** d = default (primary key), f = full, i = index, n = nothing. */
  replicaIdentity: 'default' | 'full' | 'index' | 'nothing';
  columns: RelationColumn[];
  keyColumns: string[];
}

/** One decoded tuple: the values sent, and the columns whose unchanged TOAST value was not sent. */
export interface Tuple {
  row: Row;
  unchangedToast: string[];
}

export type PgoutputMessage =
  | { tag: 'begin'; finalLsn: Lsn; commitTime: Date; xid: number }
  | { tag: 'commit'; commitLsn: Lsn; endLsn: Lsn; commitTime: Date }
  | { tag: 'origin'; originLsn: Lsn; name: string }
  | { tag: 'relation'; relation: Relation }
  | { tag: 'type'; oid: number; schema: string; name: string }
  | { tag: 'insert'; relation: Relation; new: Tuple }
  /** `oldKey` ('K': identity columns only) or `old` ('O': the whole old row, REPLICA IDENTITY FULL); neither when the key did not change. */
  | { tag: 'update'; relation: Relation; oldKey: Tuple | null; old: Tuple | null; new: Tuple }
  | { tag: 'delete'; relation: Relation; oldKey: Tuple | null; old: Tuple | null }
  | { tag: 'truncate'; relations: Relation[]; cascade: boolean; restartIdentity: boolean }
  | { tag: 'message'; transactional: boolean; lsn: Lsn; prefix: string; content: Buffer };

export type ValueParser = (typeOid: number) => (text: string) => unknown;

/** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
const PG_EPOCH_US = 946_684_800_000_000n;

export function pgTimestampToDate(micros: bigint): Date {
  return new Date(Number((micros + PG_EPOCH_US) / 1000n));
}

export function dateToPgTimestamp(date: Date): bigint {
  return BigInt(date.getTime()) * 1000n - PG_EPOCH_US;
}

const IDENTITY: Record<number, Relation['replicaIdentity']> = { 0x64: 'default', 0x66: 'full', 0x69: 'index', 0x6e: 'nothing' };

class Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new Error('pgoutput message ends early');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.offset++];
  }
  i16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  lsn(): Lsn {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.offset);
    this.offset += 8;
    return lsnFromBigInt(v);
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0) throw new Error('pgoutput message ends inside a string');
    const s = this.buf.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return s;
  }
  text(n: number): string {
    this.need(n);
    const s = this.buf.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }
  bytes(n: number): Buffer {
    this.need(n);
    // A copy: pg's parser reuses its buffer once this message has been handled.
    const b = Buffer.from(this.buf.subarray(this.offset, this.offset + n));
    this.offset += n;
    return b;
  }
}

interface CachedRelation {
  relation: Relation;
  parsers: ((text: string) => unknown)[];
}

export class PgoutputDecoder {
  /** Relations by oid: the server sends a relation before its first change in a session and again after each schema change. */
  private readonly relations = new Map<number, CachedRelation>();

  constructor(private readonly parseValue: ValueParser) {}

  decode(buf: Buffer): PgoutputMessage {
    const r = new Reader(buf);
    const tag = r.u8();
    switch (tag) {
      case 0x42: // B
        return { tag: 'begin', finalLsn: r.lsn(), commitTime: pgTimestampToDate(r.i64()), xid: r.u32() };
      case 0x43: {
        // C
        r.u8(); // flags, unused
        return { tag: 'commit', commitLsn: r.lsn(), endLsn: r.lsn(), commitTime: pgTimestampToDate(r.i64()) };
      }
      case 0x4f: // O
        return { tag: 'origin', originLsn: r.lsn(), name: r.cstring() };
      case 0x52: // R
        return { tag: 'relation', relation: this.readRelation(r) };
      case 0x59: // Y
        return { tag: 'type', oid: r.u32(), schema: r.cstring(), name: r.cstring() };
      case 0x49: {
        // I
        const cached = this.relation(r.u32());
        this.expect(r, 0x4e);
        return { tag: 'insert', relation: cached.relation, new: this.readTuple(r, cached) };
      }
      case 0x55: {
        // U
        const cached = this.relation(r.u32());
        let kind = r.u8();
        let oldKey: Tuple | null = null;
        let old: Tuple | null = null;
        if (kind === 0x4b) oldKey = this.readTuple(r, cached);
        else if (kind === 0x4f) old = this.readTuple(r, cached);
        if (kind !== 0x4e) kind = r.u8();
        if (kind !== 0x4e) throw new Error(`pgoutput update: expected the new tuple, got "${String.fromCharCode(kind)}"`);
        return { tag: 'update', relation: cached.relation, oldKey, old, new: this.readTuple(r, cached) };
      }
      case 0x44: {
        // D
        const cached = this.relation(r.u32());
        const kind = r.u8();
        if (kind !== 0x4b && kind !== 0x4f) throw new Error(`pgoutput delete: unknown tuple kind "${String.fromCharCode(kind)}"`);
        const tuple = this.readTuple(r, cached);
        return { tag: 'delete', relation: cached.relation, oldKey: kind === 0x4b ? tuple : null, old: kind === 0x4f ? tuple : null };
      }
      case 0x54: {
        // T
        const count = r.i32();
        const options = r.u8();
        const relations: Relation[] = [];
        for (let i = 0; i < count; i++) relations.push(this.relation(r.u32()).relation);
        return { tag: 'truncate', relations, cascade: (options & 1) !== 0, restartIdentity: (options & 2) !== 0 };
      }
      case 0x4d: {
        // M
        const flags = r.u8();
        const lsn = r.lsn();
        const prefix = r.cstring();
        return { tag: 'message', transactional: (flags & 1) !== 0, lsn, prefix, content: r.bytes(r.i32()) };
      }
      case 0x53: // S
      case 0x45: // E
      case 0x63: // c
      case 0x41: // A
        throw new Error('pgoutput sent a streamed transaction, which this reader never asks for (protocol version 1, streaming off)');
      default:
        throw new Error(`Unknown pgoutput message "${String.fromCharCode(tag)}" (0x${tag.toString(16)})`);
    }
  }

  private expect(r: Reader, byte: number): void {
    const got = r.u8();
    if (got !== byte) throw new Error(`pgoutput: expected "${String.fromCharCode(byte)}", got "${String.fromCharCode(got)}"`);
  }

  private relation(oid: number): CachedRelation {
    const cached = this.relations.get(oid);
    // The server always sends a relation before its first change on a connection.
    if (!cached) throw new Error(`pgoutput: change for relation ${oid} before its description`);
    return cached;
  }

  private readRelation(r: Reader): Relation {
    const oid = r.u32();
    // "Namespace (empty string for pg_catalog)"
    const schema = r.cstring() || 'pg_catalog';
    const table = r.cstring();
    const identityByte = r.u8();
    const replicaIdentity = IDENTITY[identityByte];
    if (!replicaIdentity) throw new Error(`pgoutput: unknown replica identity "${String.fromCharCode(identityByte)}"`);
    const count = r.i16();
    const columns: RelationColumn[] = [];
    for (let i = 0; i < count; i++) {
      const flags = r.u8();
      columns.push({ isKey: (flags & 1) !== 0, name: r.cstring(), typeOid: r.u32(), typeMod: r.i32() });
    }
    const relation: Relation = { oid, schema, table, replicaIdentity, columns, keyColumns: columns.filter((c) => c.isKey).map((c) => c.name) };
    this.relations.set(oid, { relation, parsers: columns.map((c) => this.parseValue(c.typeOid)) });
    return relation;
  }

  private readTuple(r: Reader, { relation, parsers }: CachedRelation): Tuple {
    const count = r.i16();
    if (count > relation.columns.length) {
      throw new Error(`pgoutput: ${count} values for ${relation.schema}.${relation.table}, which has ${relation.columns.length} columns`);
    }
    const row: Row = {};
    const unchangedToast: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = relation.columns[i].name;
      const kind = r.u8();
      switch (kind) {
        case 0x6e: // n: NULL (also every non-key column of a 'K' tuple)
          row[name] = null;
          break;
        case 0x74: // t: text
          row[name] = parsers[i](r.text(r.i32()));
          break;
        case 0x75: // u: unchanged TOASTed value, not sent
          unchangedToast.push(name);
          break;
        case 0x62: // b: binary, only with the `binary` option, which we never set
          throw new Error('pgoutput sent a binary value, which this reader never asks for');
        default:
          throw new Error(`pgoutput: unknown value kind "${String.fromCharCode(kind)}"`);
      }
    }
    return { row, unchangedToast };
  }
}
