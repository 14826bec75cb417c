'use client';
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { JobView } from '@/hooks/use-jobs';
import { etaSeconds } from '@/lib/jobs/job-rate';
import { Card } from '@/components/ui/card';
import { formatCount, formatDuration } from './format';
import { useLiveRate } from './live-rate';

function Counter({ label, value, tone = 'text-slate-900', testId, detail }: { label: string; value: string; tone?: string; testId: string; detail?: ReactNode }) {
  return (
    <div>
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div data-testid={testId} className={`text-2xl font-semibold tabular-nums ${tone}`}>
        {value}
      </div>
      {detail && (
        <div data-testid={`${testId}-detail`} className="mt-0.5 text-xs text-slate-600">
          {detail}
        </div>
      )}
    </div>
  );
}

const chunkColors: Record<string, string> = {
  pending: 'bg-slate-200',
  running: 'bg-indigo-400 animate-pulse',
  paused: 'bg-amber-300',
  done: 'bg-emerald-500',
  failed: 'bg-red-500',
  cancelled: 'bg-slate-400',
  'worker-lost': 'bg-orange-500 ring-2 ring-orange-300',
};

const jobLink = (id: string) => (
  <Link href={`/jobs/${id}`} className="text-indigo-700 hover:underline">
    {id.slice(0, 8)}
  </Link>
);

/** What became of the failed rows since: the counter's number split, as the banner and the list have it. */
function FailedDetail({ job }: { job: JobView }) {
  const rows = job.failedRows;
  if (rows && rows.resolved > 0) {
    return (
      <>
        {formatCount(rows.open)} still open ·{' '}
        {rows.resolvedBy.map((r, i) => (
          <span key={r.jobId ?? 'by-hand'}>
            {i > 0 && ', '}
            {formatCount(r.rows)} landed {r.jobId ? <>after replay {jobLink(r.jobId)}</> : 'when replayed one at a time'}
          </span>
        ))}
      </>
    );
  }
  const outcome = job.replayOutcome;
  if (outcome && outcome.failedAgain > 0) {
    return (
      <>
        {formatCount(outcome.stillOpen)} still open on job {jobLink(outcome.parentJobId)}
        {outcome.retriedLater > 0 && `, ${formatCount(outcome.retriedLater)} tried again since`}
      </>
    );
  }
  return null;
}

/** "about 1,000,000 source rows (estimate)" or "2,000 source rows": the page never passes an estimate off as a count. */
function totalText(job: JobView): string {
  if (!job.estimate) return 'estimating…';
  const noun = job.replayOutcome ? 'rows to replay' : 'source rows';
  return job.estimate.exact ? `${formatCount(job.estimate.rows)} ${noun}` : `about ${formatCount(job.estimate.rows)} ${noun} (estimate)`;
}

export function JobProgressPanel({ job }: { job: JobView }) {
  const running = job.status === 'running' || job.status === 'pausing' || job.status === 'planning';
  const liveRate = useLiveRate(job.totals.read, running);
  const rate = liveRate ?? job.rate.rowsPerSecond;
  const remaining = job.estimate ? Math.max(0, job.estimate.rows - job.totals.read) : null;
  // The last seconds' rate when rows moved in them, else the average over running time (never over pauses).
  const eta = running ? etaSeconds(remaining, job.rate.rowsPerSecond, liveRate) : null;
  const estimated = job.estimate && !job.estimate.exact && job.percent < 100;
  const replay = job.replayOutcome !== null;
  const lost = job.chunks.filter((c) => c.workerLostAt !== null);
  return (
    <Card title="Progress">
      <div className="mb-2 flex items-center justify-between text-sm text-slate-600">
        <span data-testid="job-percent">
          {job.percent.toFixed(job.percent >= 100 ? 0 : 1)} %{estimated && <span className="text-xs text-slate-500"> (of an estimate)</span>}
        </span>
        <span>
          <span data-testid="job-total">{totalText(job)}</span> · {job.chunkCounts.done}/{job.chunkCounts.total} chunks
        </span>
      </div>
      <div className="h-3 w-full overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-valuenow={Math.round(job.percent)} aria-valuemin={0} aria-valuemax={100}>
        <div className={`h-full ${job.totals.failed > 0 ? 'bg-amber-500' : 'bg-indigo-600'} transition-all`} style={{ width: `${job.percent}%` }} />
      </div>
      <div className="mt-5 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Counter label={replay ? 'Tried' : 'Read'} value={formatCount(job.totals.read)} testId="rows-read" />
        <Counter label={replay ? 'Landed' : 'Written'} value={formatCount(job.totals.written)} tone="text-emerald-700" testId="rows-written" />
        <Counter
          label={replay ? 'Failed again' : 'Failed'}
          value={formatCount(job.totals.failed)}
          tone={job.totals.failed ? 'text-red-700' : undefined}
          testId="rows-failed"
          detail={<FailedDetail job={job} />}
        />
        <Counter label="Duplicates" value={formatCount(job.totals.duplicates)} testId="rows-duplicate" />
        <Counter label={running ? 'Rows/s (now)' : 'Rows/s (avg)'} value={formatCount(Math.round(rate))} testId="rows-per-second" />
        <Counter
          label={running ? 'ETA' : 'Running time'}
          value={formatDuration(running ? eta : job.rate.runningSeconds)}
          testId="job-eta"
        />
      </div>
      {job.chunks.length > 0 && (
        <div className="mt-5">
          <div className="mb-1 text-xs uppercase tracking-wide text-slate-500">Chunks</div>
          <div className="flex flex-wrap gap-1" data-testid="chunk-grid">
            {job.chunks.map((c) => {
              const status = c.workerLostAt ? 'worker-lost' : c.status;
              return (
                <span
                  key={c.seq}
                  data-status={status}
                  title={`Chunk ${c.seq}: ${c.workerLostAt ? workerLostText(c.workerLostAt) : c.status} · read ${c.rowsRead} · written ${c.rowsWritten} · failed ${c.rowsFailed}${c.attempts > 1 ? ` · attempt ${c.attempts}` : ''}${c.lastError ? ` · last error: ${c.lastError}` : ''}`}
                  className={`h-4 w-4 rounded-sm ${chunkColors[status] ?? 'bg-slate-200'}`}
                />
              );
            })}
          </div>
          {lost.length > 0 && (
            <ul data-testid="chunks-worker-lost" className="mt-2 space-y-0.5 text-xs text-orange-800">
              {lost.map((c) => (
                <li key={c.seq}>
                  Chunk {c.seq}: {workerLostText(c.workerLostAt as string)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Card>
  );
}

const workerLostText = (at: string) => `worker stopped responding at ${new Date(at).toLocaleTimeString()}; handed over shortly`;
