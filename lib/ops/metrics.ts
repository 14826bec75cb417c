import { prisma } from '../db/client';
import { liveWorkerCutoff, WORKER_DEAD_AFTER_MS } from '../jobs/worker-liveness';
import { ferryQueue } from '../queue/enqueue';

const line = (name: string, value: number, labels: Record<string, string> = {}) => {
  const entries = Object.entries(labels);
  return `${name}${entries.length ? `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}` : ''} ${value}`;
};

const ROW_COUNTERS = [
  { name: 'rows_read', help: 'Source rows read by all jobs, deleted ones included.' },
  { name: 'rows_written', help: 'Rows written to targets by all jobs, deleted ones included.' },
  { name: 'rows_failed', help: 'Rows recorded as error rows by all jobs, deleted ones included.' },
  { name: 'rows_duplicate', help: 'Source rows that mapped to a target key already taken in their run, by all jobs, deleted ones included.' },
] as const;

/**
 * Row counters that never go backwards: what existing chunks counted plus what deleted
 * chunks had counted (moved into metric_totals by a trigger in the deleting transaction).
 * One statement, so one snapshot: a delete committing between two reads would count its
 * chunks twice or not at all, and the next scrape would see the counter fall.
 */
async function rowCounters(): Promise<Map<string, number>> {
  const rows = await prisma().$queryRaw<{ name: string; value: bigint }[]>`
    SELECT m.name, m.value + coalesce(CASE m.name
             WHEN 'rows_read' THEN c.rows_read WHEN 'rows_written' THEN c.rows_written
             WHEN 'rows_failed' THEN c.rows_failed WHEN 'rows_duplicate' THEN c.rows_duplicate END, 0)::bigint AS value
      FROM metric_totals m
     CROSS JOIN (SELECT sum(rows_read) AS rows_read, sum(rows_written) AS rows_written,
                        sum(rows_failed) AS rows_failed, sum(rows_duplicate) AS rows_duplicate FROM chunks) c`;
  return new Map(rows.map((r) => [r.name, Number(r.value)]));
}

/** Prometheus text exposition of Ferry's counters and gauges (all read from PostgreSQL and Redis). */
export async function renderMetrics(): Promise<string> {
  const [rows, jobs, workers, queue] = await Promise.all([
    rowCounters(),
    prisma().job.groupBy({ by: ['kind', 'status'], _count: { _all: true } }),
    prisma().workerProcess.count({ where: { heartbeatAt: { gte: liveWorkerCutoff() } } }),
    ferryQueue().getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized').catch(() => null),
  ]);
  const out = [
    ...ROW_COUNTERS.flatMap(({ name, help }) => [
      `# HELP ferry_${name}_total ${help}`,
      `# TYPE ferry_${name}_total counter`,
      line(`ferry_${name}_total`, rows.get(name) ?? 0),
    ]),
    '# HELP ferry_jobs Jobs by kind and state.',
    '# TYPE ferry_jobs gauge',
    ...jobs.map((j) => line('ferry_jobs', j._count._all, { kind: j.kind, state: j.status })),
    `# HELP ferry_workers Worker processes with a heartbeat in the last ${WORKER_DEAD_AFTER_MS / 1000} s.`,
    '# TYPE ferry_workers gauge',
    line('ferry_workers', workers),
    '# HELP ferry_queue_jobs Background jobs in the queue by state (-1: Redis unreachable).',
    '# TYPE ferry_queue_jobs gauge',
    ...['waiting', 'active', 'delayed', 'failed', 'prioritized'].map((state) => line('ferry_queue_jobs', queue ? (queue[state] ?? 0) : -1, { state })),
  ];
  return `${out.join('\n')}\n`;
}
