import type pg from 'pg';
import { typeParsers } from '../connection';
import { TransactionAssembler } from './assemble-transactions';
import { type CapturedItem, type ChangeBatch, ackLsnOf } from './captured-change';
import { type Lsn, ZERO_LSN, formatLsn, lsnFromBigInt, lsnToBigInt, maxLsn } from './lsn';
import { assertCaptureName } from './capture-names';
import { PgoutputDecoder } from './pgoutput-decoder';
import { type CaptureSource, connectReplication } from './replication-client';
import { ReplicationError, classifyReplicationError } from './replication-error';
import { StartReplicationQuery, standbyStatusFrame } from './replication-stream';

/**
 * The change reader: one walsender connection streaming one slot (see index.ts for the
 * contract). It reads ahead into a bounded queue and pauses the socket past it; it answers
 * the server with the position the caller acknowledged and never with one it merely received.
 */

export interface ChangeReaderOptions {
  source: CaptureSource;
  slotName: string;
  publicationName: string;
  /**
   * The last position the caller acknowledged and stored with its target commit; null to
   * start at the slot's confirmed position. The server never goes back before that one.
   */
  startLsn: Lsn | null;
  /** Bounds of one batch, and of the parts a larger transaction is cut into. */
  maxBatchChanges?: number;
  maxBatchBytes?: number;
  /**
   * How often the acknowledged position is repeated to the server (it drops a reader silent
   * for wal_sender_timeout, e.g. while its socket is paused during a slow apply).
   */
  statusIntervalMs?: number;
  /**
   * Wait this long for a slot another connection still holds: after a worker dies the
   * server needs a moment (or, if the peer vanished without closing its socket, up to
   * wal_sender_timeout) to notice. 0: fail at once with slot_busy.
   */
  busyWaitMs?: number;
}

export interface ChangeReader {
  readonly slotName: string;
  /** Where streaming began: the later of startLsn and the slot's confirmed position. */
  readonly startLsn: Lsn;
  /** The last position passed to acknowledge() (initially startLsn). */
  readonly acknowledgedLsn: Lsn;
  /** Counters for logs and the sync page. */
  readonly stats: ReaderStats;
  /**
   * The next items in commit order, as soon as there is at least one, or an empty batch
   * after `waitMs`. Rejects with a ReplicationError once the stream has failed and every
   * item received before the failure has been handed out.
   */
  nextBatch(waitMs: number): Promise<ChangeBatch>;
  /**
   * Tells the server the target has committed everything up to `lsn` (a batch's ackLsn):
   * the slot may release WAL before it. Never beyond what was delivered; going back is ignored.
   */
  acknowledge(lsn: Lsn): void;
  /** Ends the connection politely. Nothing more is acknowledged. */
  close(): Promise<void>;
  /** Drops the socket at once (shutdown, tests of a crash). */
  destroy(): void;
}

export interface ReaderStats {
  /** pgoutput bytes received. */
  bytesReceived: number;
  /** Keepalives that asked for an answer (each answered with the acknowledged position). */
  keepaliveReplies: number;
  /** Status updates written (acknowledgements, keepalive answers, timer repeats). */
  statusUpdates: number;
}

const DEFAULTS = { maxBatchChanges: 5_000, maxBatchBytes: 8 * 1024 * 1024, statusIntervalMs: 10_000, busyWaitMs: 0 };

interface SlotRow {
  plugin: string | null;
  slot_type: string;
  database: string | null;
  active: boolean;
  active_pid: number | null;
  confirmed_flush_lsn: string | null;
  wal_status: string | null;
  current_database: string;
  server_version_num: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens a reader on an existing slot and starts streaming at the caller's position. */
export async function openChangeReader(options: ChangeReaderOptions): Promise<ChangeReader> {
  const settings = { ...DEFAULTS, ...options };
  assertCaptureName(settings.slotName);
  assertCaptureName(settings.publicationName);
  const deadline = Date.now() + settings.busyWaitMs;
  for (;;) {
    try {
      return await startReader(settings);
    } catch (err) {
      const failure = classifyReplicationError(err);
      if (failure.code !== 'slot_busy' || Date.now() >= deadline) throw failure;
      await sleep(250);
    }
  }
}

async function startReader(settings: ChangeReaderOptions & typeof DEFAULTS): Promise<ChangeReader> {
  const client = await connectReplication(settings.source);
  try {
    const slot = await readSlot(client, settings.slotName);
    const confirmed = slot.confirmed_flush_lsn ?? ZERO_LSN;
    const startLsn = settings.startLsn ? maxLsn(formatLsn(settings.startLsn), confirmed) : confirmed;
    const reader = new StreamingReader(client, settings, startLsn);
    await reader.start(Number(slot.server_version_num) >= 140000);
    return reader;
  } catch (err) {
    client.connection.stream.destroy();
    await client.end().catch(() => undefined);
    throw classifyReplicationError(err);
  }
}

/** The slot as the server sees it, checked before streaming so the error says what is wrong. */
async function readSlot(client: pg.Client, slotName: string): Promise<SlotRow> {
  // Walsender connections speak only the simple protocol: the name is a checked literal.
  const result = await client.query<SlotRow>(
    `SELECT plugin, slot_type, database, active, active_pid, confirmed_flush_lsn::text, wal_status,
            current_database() AS current_database, current_setting('server_version_num') AS server_version_num
       FROM pg_replication_slots WHERE slot_name = ${client.escapeLiteral(slotName)}`,
  );
  const slot = result.rows[0];
  if (!slot) throw new ReplicationError('slot_missing', `Replication slot "${slotName}" does not exist: take a new snapshot`, false);
  if (slot.wal_status === 'lost') {
    throw new ReplicationError('slot_lost', `Replication slot "${slotName}" was invalidated (its WAL is gone): take a new snapshot`, false);
  }
  if (slot.slot_type !== 'logical' || slot.plugin !== 'pgoutput') {
    throw new ReplicationError('not_supported', `Replication slot "${slotName}" is not a pgoutput logical slot`, false);
  }
  if (slot.database !== slot.current_database) {
    throw new ReplicationError('not_supported', `Replication slot "${slotName}" belongs to database "${slot.database}", not "${slot.current_database}"`, false);
  }
  if (slot.active) {
    throw new ReplicationError('slot_busy', `Replication slot "${slotName}" is active for PID ${slot.active_pid}: another reader holds it`, true);
  }
  return slot;
}

interface Queued {
  item: CapturedItem;
  bytes: number;
  changes: number;
}

class StreamingReader implements ChangeReader {
  readonly slotName: string;
  readonly stats: ReaderStats = { bytesReceived: 0, keepaliveReplies: 0, statusUpdates: 0 };
  private acked: bigint;
  /** The furthest position handed out in a batch: nothing beyond it may be acknowledged. */
  private deliveredAck: bigint;
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private queuedChanges = 0;
  private paused = false;
  private failure: ReplicationError | null = null;
  private closed = false;
  private wake: (() => void) | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private readonly decoder = new PgoutputDecoder((oid) => typeParsers.getTypeParser(oid, 'text'));
  private readonly assembler: TransactionAssembler;

  constructor(
    private readonly client: pg.Client,
    private readonly settings: ChangeReaderOptions & typeof DEFAULTS,
    readonly startLsn: Lsn,
  ) {
    this.slotName = settings.slotName;
    this.acked = lsnToBigInt(startLsn);
    this.deliveredAck = this.acked;
    this.assembler = new TransactionAssembler({ maxChanges: settings.maxBatchChanges, maxBytes: settings.maxBatchBytes }, (item, bytes) => this.enqueue(item, bytes));
  }

  get acknowledgedLsn(): Lsn {
    return lsnFromBigInt(this.acked);
  }

  start(withMessages: boolean): Promise<void> {
    // Protocol 1 without streaming: whole transactions at commit. `messages` (PostgreSQL 14+)
    // delivers the heartbeats of emitHeartbeat().
    const pluginOptions = [`proto_version '1'`, `publication_names '"${this.settings.publicationName}"'`];
    if (withMessages) pluginOptions.push(`messages 'true'`);
    const text = `START_REPLICATION SLOT "${this.slotName}" LOGICAL ${this.startLsn} (${pluginOptions.join(', ')})`;
    return new Promise<void>((resolve, reject) => {
      let started = false;
      this.client.connection.once('replicationStart', () => {
        started = true;
        // The caller's stored position is its acknowledgement: confirm it right away.
        this.sendStatus();
        this.statusTimer = setInterval(() => this.sendStatus(), this.settings.statusIntervalMs);
        this.statusTimer.unref();
        resolve();
      });
      const query = new StartReplicationQuery(text, {
        onData: (walStart, payload) => this.onData(walStart, payload),
        onKeepalive: (_walEnd, replyRequested) => {
          // Answered with the acknowledged position, never the server's end of WAL.
          if (!replyRequested) return;
          this.stats.keepaliveReplies++;
          this.sendStatus();
        },
        onEnd: (err) => {
          const failure = classifyReplicationError(err ?? new Error('The server ended the replication stream'));
          if (!started) reject(failure);
          else this.fail(failure);
        },
      });
      this.client.query(query);
    });
  }

  private onData(walStart: bigint, payload: Buffer): void {
    if (this.failure) return;
    void walStart; // the positions that matter are inside the messages (commit end, message LSN)
    this.stats.bytesReceived += payload.length;
    this.assembler.push(this.decoder.decode(payload), payload.length);
  }

  private enqueue(item: CapturedItem, bytes: number): void {
    this.queue.push({ item, bytes, changes: item.kind === 'transaction' ? item.changes.length : 0 });
    this.queuedBytes += bytes;
    this.queuedChanges += item.kind === 'transaction' ? item.changes.length : 0;
    // Read-ahead bound: two batches' worth, in bytes and in changes (decoded rows take several
    // times their wire size: 16 MB of small rows were ~140k changes, ~75 MB of heap). The server waits.
    if (!this.paused && (this.queuedBytes > 2 * this.settings.maxBatchBytes || this.queuedChanges > 2 * this.settings.maxBatchChanges)) {
      this.paused = true;
      this.client.connection.stream.pause();
    }
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private fail(failure: ReplicationError): void {
    if (this.failure) return;
    this.failure = failure;
    this.stopTimer();
    this.client.connection.stream.destroy();
    this.wakeUp();
  }

  async nextBatch(waitMs: number): Promise<ChangeBatch> {
    if (this.queue.length === 0 && !this.failure && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = null;
          resolve();
        }, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (this.queue.length === 0) {
      if (this.failure) throw this.failure;
      return { items: [], ackLsn: null, changes: 0, bytes: 0 };
    }
    const items: CapturedItem[] = [];
    let changes = 0;
    let bytes = 0;
    let ackLsn: Lsn | null = null;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (items.length > 0 && (changes + next.changes > this.settings.maxBatchChanges || bytes + next.bytes > this.settings.maxBatchBytes)) break;
      this.queue.shift();
      items.push(next.item);
      changes += next.changes;
      bytes += next.bytes;
      ackLsn = ackLsnOf(next.item) ?? ackLsn;
    }
    this.queuedBytes -= bytes;
    this.queuedChanges -= changes;
    if (ackLsn) this.deliveredAck = lsnToBigInt(ackLsn);
    if (this.paused && this.queuedBytes <= this.settings.maxBatchBytes && this.queuedChanges <= this.settings.maxBatchChanges && !this.failure && !this.closed) {
      this.paused = false;
      this.client.connection.stream.resume();
    }
    return { items, ackLsn, changes, bytes };
  }

  acknowledge(lsn: Lsn): void {
    const value = lsnToBigInt(lsn);
    if (value > this.deliveredAck) {
      throw new Error(`Cannot acknowledge ${formatLsn(lsn)}: nothing past ${lsnFromBigInt(this.deliveredAck)} has been delivered`);
    }
    if (value <= this.acked) return;
    this.acked = value;
    this.sendStatus();
  }

  private sendStatus(): void {
    if (this.failure || this.closed) return;
    const stream = this.client.connection.stream;
    if (!stream.writable) return;
    stream.write(standbyStatusFrame(this.acked));
    this.stats.statusUpdates++;
  }

  private stopTimer(): void {
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopTimer();
    this.failure ??= new ReplicationError('connection_lost', 'The change reader was closed', false);
    this.wakeUp();
    // Terminate (pg's end) makes the walsender exit and release the slot; a stuck socket is dropped.
    const ended = this.client.end().catch(() => undefined);
    const timer = setTimeout(() => this.client.connection.stream.destroy(), 5_000);
    await ended;
    clearTimeout(timer);
  }

  destroy(): void {
    this.closed = true;
    this.stopTimer();
    this.failure ??= new ReplicationError('connection_lost', 'The change reader was destroyed', false);
    this.client.connection.stream.destroy();
    this.wakeUp();
  }
}

