import type { AnyBinlogEvent, TableMapEntry } from '@vlasky/zongji';
import type { BinlogRow, DecodedEvent } from './assemble-transactions';
import { BinlogReaderError } from './binlog-error';

/**
 * Turns zongji's events into the assembler's DecodedEvent, with values as the connector's
 * SELECTs give them (BIGINT as text), and refuses rows whose table changed shape since they
 * were written when the binlog does not name its columns. One per reader: it caches per
 * table map.
 */
export class ZongjiEventDecoder {
  // Weak: zongji builds a new entry for every table map event (one per statement) when the
  // binlog names its columns; a strong Map kept every one of them.
  private readonly bigintColumns = new WeakMap<TableMapEntry, string[]>();

  decode(event: AnyBinlogEvent): DecodedEvent | null {
    switch (event.getEventName()) {
      case 'rotate': {
        const e = event as Extract<AnyBinlogEvent, { getEventName(): 'rotate' }>;
        return { type: 'rotate', file: e.binlogName, position: e.position };
      }
      case 'mariadbgtid': {
        const e = event as Extract<AnyBinlogEvent, { getEventName(): 'mariadbgtid' }>;
        return { type: 'gtid', domain: e.domainId, server: e.serverId, seq: String(e.seqNo), standalone: e.standalone };
      }
      case 'gtid':
      case 'anonymousgtid':
        return { type: 'begin_implicit' };
      case 'tablemap':
        this.checkTableMap(event as Extract<AnyBinlogEvent, { getEventName(): 'tablemap' }>);
        return null;
      case 'writerows':
      case 'deleterows': {
        const e = event as Extract<AnyBinlogEvent, { getEventName(): 'writerows' | 'deleterows' }>;
        const entry = e.tableMap[e.tableId];
        if (!entry) return null;
        const fix = this.bigints(entry);
        return {
          type: 'rows',
          op: e.getEventName() === 'writerows' ? 'insert' : 'delete',
          table: { database: entry.parentSchema, table: entry.tableName },
          rows: e.rows.map((r) => normalize(r, fix)),
        };
      }
      case 'updaterows': {
        const e = event as Extract<AnyBinlogEvent, { getEventName(): 'updaterows' }>;
        const entry = e.tableMap[e.tableId];
        if (!entry) return null;
        const fix = this.bigints(entry);
        return {
          type: 'rows',
          op: 'update',
          table: { database: entry.parentSchema, table: entry.tableName },
          rows: e.rows.map((r) => ({ before: normalize(r.before, fix), after: normalize(r.after, fix) })),
        };
      }
      case 'query': {
        const e = event as Extract<AnyBinlogEvent, { getEventName(): 'query' }>;
        return { type: 'query', schema: e.schema, statement: e.query, timestamp: e.timestamp, nextPosition: e.nextPosition };
      }
      case 'xid':
        return { type: 'xid', timestamp: event.timestamp, nextPosition: event.nextPosition };
      case 'xaprepare':
        return { type: 'xa_prepare', timestamp: event.timestamp, nextPosition: event.nextPosition };
      default:
        return null;
    }
  }

  /**
   * Without binlog_row_metadata=FULL, zongji names columns from information_schema as it is
   * when the table map is first seen; a table altered since then would decode under the
   * wrong names (an added column shifts them silently). Refuse instead.
   */
  private checkTableMap(e: Extract<AnyBinlogEvent, { getEventName(): 'tablemap' }>): void {
    if (e.hasSelfDescribingMetadata()) return;
    const entry = e.tableMap[e.tableId];
    if (entry && entry.columnSchemas.length !== e.columnCount) {
      throw new BinlogReaderError(
        'schema_mismatch',
        `Rows of ${e.schemaName}.${e.tableName} in the binlog have ${e.columnCount} columns but the table now has ${entry.columnSchemas.length}: it was altered after they were written. Set binlog_row_metadata=FULL on the server (the binlog then names its columns) and take a new snapshot.`,
      );
    }
  }

  /** mysql2 gives BIGINT as a string (bigNumberStrings); zongji as a number when it fits. */
  private bigints(entry: TableMapEntry): string[] {
    let names = this.bigintColumns.get(entry);
    if (!names) {
      names = entry.columnSchemas.filter((c) => /^bigint\b/i.test(c.COLUMN_TYPE)).map((c) => c.COLUMN_NAME);
      this.bigintColumns.set(entry, names);
    }
    return names;
  }
}

function normalize(row: BinlogRow, bigintColumns: string[]): BinlogRow {
  for (const name of bigintColumns) {
    const v = row[name];
    if (typeof v === 'number' || typeof v === 'bigint') row[name] = String(v);
  }
  return row;
}
