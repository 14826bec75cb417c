import { z } from 'zod';

/**
 * Where a binlog reader stands: just after the last complete transaction handed to the
 * caller. Plain JSON, stored by the caller (in PostgreSQL) only after the target committed.
 *
 * `gtid` is MariaDB's GTID position, one `domain-server-sequence` per replication domain
 * (`'0-1-123,1-5-9'`), the same text as @@gtid_binlog_pos; '' when the binlog holds no
 * GTID yet; null on MySQL, where the reader resumes by file and position only. Resuming
 * prefers a non-empty `gtid` (it survives binlog rotation and a failover inside the same
 * replication topology); `file` and `position` are the fallback and what the sync page shows.
 */
export interface BinlogCheckpoint {
  gtid: string | null;
  file: string;
  position: number;
}

const GTID_POSITION = /^(\d+-\d+-\d+(,\d+-\d+-\d+)*)?$/;

export const binlogCheckpointSchema = z.object({
  gtid: z.string().regex(GTID_POSITION, 'a MariaDB GTID position such as 0-1-123').nullable(),
  file: z.string().min(1),
  position: z.number().int().min(4),
});

/** One domain's last transaction. Sequence numbers are u64: bigint, never Number. */
export interface GtidEntry {
  domain: number;
  server: number;
  seq: bigint;
}

export type GtidPosition = Map<number, GtidEntry>;

export function parseGtidPosition(text: string): GtidPosition {
  const trimmed = text.replace(/\s/g, '');
  if (!GTID_POSITION.test(trimmed)) throw new Error(`Not a MariaDB GTID position: "${text}"`);
  const position: GtidPosition = new Map();
  if (trimmed === '') return position;
  for (const part of trimmed.split(',')) {
    const [domain, server, seq] = part.split('-');
    const entry = { domain: Number(domain), server: Number(server), seq: BigInt(seq) };
    // @@gtid_binlog_state lists one entry per (domain, server); the position keeps the newest per domain.
    const previous = position.get(entry.domain);
    if (!previous || previous.seq < entry.seq) position.set(entry.domain, entry);
  }
  return position;
}

export function formatGtidPosition(position: GtidPosition): string {
  return [...position.values()]
    .sort((a, b) => a.domain - b.domain)
    .map((e) => `${e.domain}-${e.server}-${e.seq}`)
    .join(',');
}

export function formatCheckpoint(c: BinlogCheckpoint): string {
  return c.gtid ? `GTID ${c.gtid} (${c.file}:${c.position})` : `${c.file}:${c.position}`;
}
