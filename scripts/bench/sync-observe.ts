import pg from 'pg';
import { prisma } from '@/lib/db/client';
import { isFinal, type JobStatus } from '@/lib/jobs/job-state';
import { syncCheckpointSchema } from '@/lib/schemas/sync-settings';
import { mergeHistograms, percentile } from '@/lib/sync/delay-histogram';
import { procMemoryKb } from './peak-rss';
import { MARKER_ID } from './sync-data';
import { SYNC_BENCH } from './sync-env';

/** What the sync benchmark watches while a mode runs: job states, the marker row, delays, memory. */

export interface DelayFigures {
  p50: number | null;
  p95: number | null;
  max: number | null;
  /** Changes counted in the histograms, and the batches they came in. */
  counted: number;
  batches: number;
}

/** Per change, from the sync's batches stored in the window: p50/p95 from the merged histograms, the max from max_delay_ms. */
export async function delaysBetween(syncId: string, from: Date, to: Date): Promise<DelayFigures> {
  const batches = await prisma().syncBatch.findMany({ where: { syncId, at: { gte: from, lte: to } }, select: { delays: true, maxDelayMs: true } });
  const merged = mergeHistograms(batches.map((b) => b.delays));
  return {
    p50: percentile(merged, 0.5),
    p95: percentile(merged, 0.95),
    max: batches.length ? Math.max(...batches.map((b) => b.maxDelayMs)) : null,
    counted: merged.reduce((a, b) => a + b, 0),
    batches: batches.length,
  };
}

/** Every worker process has exited (e.g. out of memory): the mode cannot finish. */
export class WorkersGoneError extends Error {
  constructor(output: string) {
    super(`every worker process has exited; their last output:\n${output}`);
  }
}

export async function waitForStatus(jobId: string, statuses: JobStatus[], deadline: number, tail: () => string): Promise<JobStatus> {
  for (;;) {
    tail();
    const job = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, stopReason: true } });
    if (statuses.includes(job.status)) return job.status;
    if (isFinal(job.status)) throw new Error(`job ${jobId} ended ${job.status} (${job.stopReason ?? ''}); workers:\n${tail()}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}; workers:\n${tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The sync's unit has left the initial-load phase: changes are being applied. */
export async function waitForStreaming(jobId: string, deadline: number, tail: () => string): Promise<void> {
  for (;;) {
    tail();
    const unit = await prisma().chunk.findFirst({ where: { jobId }, select: { cursor: true } });
    const checkpoint = unit?.cursor ? syncCheckpointSchema.safeParse(unit.cursor) : null;
    if (checkpoint?.success && checkpoint.data.phase === 'streaming') return;
    if (Date.now() > deadline) throw new Error(`sync job ${jobId} did not start streaming; workers:\n${tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls the target every 20 ms until the marker row carries `name`. */
export async function waitForMarker(target: pg.Client, name: string, deadline: number, tail: () => string): Promise<void> {
  for (let polls = 0; ; polls++) {
    if (polls % 50 === 0) tail();
    const { rows } = await target.query<{ name: string }>(`SELECT name FROM ${SYNC_BENCH.table} WHERE id = $1`, [MARKER_ID]);
    if (rows[0]?.name === name) return;
    if (Date.now() > deadline) throw new Error(`the target did not show the marker "${name}" in time; workers:\n${tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Peak VmRSS of any worker per phase, sampled every 200 ms. */
export class PhaseRss {
  private maxKb = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pids: number[]) {
    this.timer = setInterval(() => this.sample(), 200);
    this.sample();
  }
  private sample(): void {
    for (const pid of this.pids) this.maxKb = Math.max(this.maxKb, procMemoryKb(pid, 'VmRSS') ?? 0);
  }
  /** The peak since the previous call (MB); the next phase starts. */
  next(): number {
    this.sample();
    const mb = this.maxKb / 1024;
    this.maxKb = 0;
    return mb;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}
