import { prisma } from '../db/client';
import { ferryQueue } from '../queue/enqueue';
import { WORKER_STALE_AFTER_MS } from './health';

const line = (name: string, value: number, labels: Record<string, string> = {}) => {
  const entries = Object.entries(labels);
  return `${name}${entries.length ? `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}` : ''} ${value}`;
};

/** Prometheus text exposition of Ferry's counters and gauges (all read from PostgreSQL and Redis). */
export async function renderMetrics(): Promise<string> {
  const [rows, jobs, workers, queue] = await Promise.all([
    prisma().chunk.aggregate({ _sum: { rowsRead: true, rowsWritten: true, rowsFailed: true, rowsDuplicate: true } }),
    prisma().job.groupBy({ by: ['kind', 'status'], _count: { _all: true } }),
    prisma().workerProcess.count({ where: { heartbeatAt: { gte: new Date(Date.now() - WORKER_STALE_AFTER_MS) } } }),
    ferryQueue().getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized').catch(() => null),
  ]);
  const out = [
    '# HELP ferry_rows_read_total Source rows read by all jobs.',
    '# TYPE ferry_rows_read_total counter',
    line('ferry_rows_read_total', rows._sum.rowsRead ?? 0),
    '# HELP ferry_rows_written_total Rows written to targets by all jobs.',
    '# TYPE ferry_rows_written_total counter',
    line('ferry_rows_written_total', rows._sum.rowsWritten ?? 0),
    '# HELP ferry_rows_failed_total Rows recorded as error rows by all jobs.',
    '# TYPE ferry_rows_failed_total counter',
    line('ferry_rows_failed_total', rows._sum.rowsFailed ?? 0),
    '# HELP ferry_rows_duplicate_total Source rows that mapped to a target key already taken in their run.',
    '# TYPE ferry_rows_duplicate_total counter',
    line('ferry_rows_duplicate_total', rows._sum.rowsDuplicate ?? 0),
    '# HELP ferry_jobs Jobs by kind and state.',
    '# TYPE ferry_jobs gauge',
    ...jobs.map((j) => line('ferry_jobs', j._count._all, { kind: j.kind, state: j.status })),
    '# HELP ferry_workers Worker processes with a heartbeat in the last 30 s.',
    '# TYPE ferry_workers gauge',
    line('ferry_workers', workers),
    '# HELP ferry_queue_jobs Background jobs in the queue by state (-1: Redis unreachable).',
    '# TYPE ferry_queue_jobs gauge',
    ...['waiting', 'active', 'delayed', 'failed', 'prioritized'].map((state) => line('ferry_queue_jobs', queue ? (queue[state] ?? 0) : -1, { state })),
  ];
  return `${out.join('\n')}\n`;
}
