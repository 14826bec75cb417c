import type pg from 'pg';
import { dateToPgTimestamp } from './pgoutput-decoder';

/**
 * The streaming half of the replication protocol, over pg's own connection: a
 * START_REPLICATION query whose CopyBoth data we read (XLogData 'w', primary keepalive 'k')
 * and standby status updates ('r') we write. Nothing here decides what to acknowledge:
 * sendStatus() writes exactly the position it is given.
 */

export interface StreamHandlers {
  /** One XLogData message: the WAL position of its data and the pgoutput payload (valid only during the call). */
  onData(walStart: bigint, payload: Buffer): void;
  onKeepalive(walEnd: bigint, replyRequested: boolean): void;
  /** The stream ended: `err` from the server or the socket, null when it ended cleanly. */
  onEnd(err: Error | null): void;
}

interface CopyDataMessage {
  chunk: Buffer;
}

/**
 * A pg "submittable": pg hands it the messages of the query it runs (as pg-copy-streams
 * does for COPY), so no listener on pg's internals is needed for the data.
 */
export class StartReplicationQuery implements pg.Submittable {
  private ended = false;

  constructor(
    readonly text: string,
    private readonly handlers: StreamHandlers,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyData(msg: CopyDataMessage): void {
    const buf = msg.chunk;
    try {
      switch (buf[0]) {
        case 0x77: // w: XLogData: start (8), end (8), send time (8), data
          this.handlers.onData(buf.readBigUInt64BE(1), buf.subarray(25));
          return;
        case 0x6b: // k: keepalive: end (8), send time (8), reply requested (1)
          this.handlers.onKeepalive(buf.readBigUInt64BE(1), buf[17] === 1);
          return;
        default:
          throw new Error(`Unknown replication message 0x${buf[0].toString(16)}`);
      }
    } catch (err) {
      this.finish(err instanceof Error ? err : new Error(String(err)));
    }
  }

  handleError(err: Error): void {
    this.finish(err);
  }

  handleReadyForQuery(): void {
    this.finish(null);
  }

  // The other messages a simple query can get; none carry anything for us.
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: pg.Connection & { sendCopyFail?: (msg: string) => void }): void {
    connection.sendCopyFail?.('not a COPY FROM');
  }

  finish(err: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.handlers.onEnd(err);
  }
}

const STATUS_LENGTH = 34;

/**
 * A standby status update in a CopyData frame: written, flushed and applied all at `lsn`
 * (the walsender confirms a logical slot at the flush position), no reply requested.
 */
export function standbyStatusFrame(lsn: bigint, now: Date = new Date()): Buffer {
  const frame = Buffer.alloc(5 + STATUS_LENGTH);
  frame[0] = 0x64; // CopyData
  frame.writeInt32BE(4 + STATUS_LENGTH, 1);
  frame[5] = 0x72; // r
  frame.writeBigUInt64BE(lsn, 6);
  frame.writeBigUInt64BE(lsn, 14);
  frame.writeBigUInt64BE(lsn, 22);
  frame.writeBigInt64BE(dateToPgTimestamp(now), 30);
  frame[38] = 0;
  return frame;
}
