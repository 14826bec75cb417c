import { prisma, type Prisma } from '../db/client';
import type { JobKind, JobStatus } from '../db/generated/enums';
import { AppError } from '../errors';
import { finalStatuses } from './job-state';

/**
 * Who may write a target table at the same time. Jobs that write it (migrations, replays,
 * repairs, syncs) may run side by side: each writes rows by key. A job that empties the
 * table or deletes from it (a full reload, a repair deleting extra rows) runs alone: it
 * would remove rows another job has just written, and the other job's counts and the
 * verification after it would no longer describe the table.
 *
 * The lease is no row of its own but the set of active jobs (any status but a final one)
 * of mappings into the same target connection and table: it ends by itself when a job
 * finishes, fails or is cancelled, and a paused job keeps it, since it writes again on
 * resume. A start that conflicts is refused (409 target_busy) naming the job in the way.
 */

export interface TargetTableUse {
  connectionId: string;
  table: string;
  /** Empties the table or deletes rows from it: runs alone. */
  destructive: boolean;
  /** What is starting, for the refusal: "a full reload of …", "this replay". */
  action: string;
}

const WRITING_KINDS: JobKind[] = ['migration', 'sync', 'replay', 'repair'];

/** First key of the lease checks' advisory locks (the second is the table's hash); apply-migrations and the sweeper use one-key locks. */
const LEASE_LOCK_CLASS = 7211;

interface ActiveWriter {
  id: string;
  kind: JobKind;
  status: JobStatus;
  options: Prisma.JsonValue;
  createdAt: Date;
  startedAt: Date | null;
}

/**
 * Runs `create` (which creates the job) unless the table is taken for this use. The check
 * and the job's insert are one transaction under a transaction-scoped advisory lock on the
 * table, so two starts at once (two requests, two web processes) are decided one after
 * the other: the second waits until the first has committed, then sees its job.
 */
export async function withTargetTableLease<T>(use: TargetTableUse, create: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return prisma().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LEASE_LOCK_CLASS}::int, hashtext(${`${use.connectionId}/${use.table}`}))`;
    const active = await tx.job.findMany({
      where: {
        kind: { in: WRITING_KINDS },
        status: { notIn: [...finalStatuses] },
        mapping: { targetConnectionId: use.connectionId, targetTable: use.table },
      },
      select: { id: true, kind: true, status: true, options: true, createdAt: true, startedAt: true },
      orderBy: { createdAt: 'asc' },
    });
    const inTheWay = use.destructive ? active : active.filter(isDestructive);
    if (inTheWay.length > 0) throw targetBusy(use, inTheWay);
    return create(tx);
  });
}

function isDestructive(job: Pick<ActiveWriter, 'kind' | 'options'>): boolean {
  const options = typeof job.options === 'object' && job.options !== null && !Array.isArray(job.options) ? job.options : {};
  return (job.kind === 'migration' && options.fullReload === true) || (job.kind === 'repair' && options.deleteExtra === true);
}

function targetBusy(use: TargetTableUse, jobs: ActiveWriter[]): AppError {
  const [first] = jobs;
  const others = jobs.length > 1 ? ` and ${jobs.length - 1} other job(s)` : '';
  const since = `${first.status.replace(/_/g, ' ')} since ${utcMinute(first.startedAt ?? first.createdAt)}`;
  const table = `"${use.table}"`;
  let holder: string;
  if (use.destructive && !isDestructive(first)) {
    holder = `${first.kind} ${first.id} (${since})${others} is writing to ${table}`;
  } else if (first.kind === 'migration') {
    holder = `${table} is being emptied by the full reload of migration ${first.id} (${since})${others}`;
  } else {
    holder = `extra rows of ${table} are being deleted by repair ${first.id} (${since})${others}`;
  }
  return new AppError('target_busy', `Cannot start ${use.action}: ${holder}. Start it again once that job has finished, or cancel that job first.`);
}

/** "2025-03-01 14:05 UTC": the page shows the message as it is. */
const utcMinute = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
